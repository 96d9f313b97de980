// Shard is one shard being written in a run: a live shard (an update) or a
// new one with its build databases. Written by its writer thread while that
// runs, by the run's thread before and after; never by two at once.
//
// Into a live shard documents are replaced in place. A new shard is written
// into build databases that are not synced (they live only until
// compacted) and are then compacted into the shard proper. Either way the
// writer commits every batch, which bounds memory; small batches were also
// measured to be faster than large ones.
//
// A new shard's build is split into parts of IndexerOptions::part_size
// articles (doubling after every kPartsPerDoubling parts), each a database
// of its own, which the compactor merges. Every commit rewrites the postlist
// blocks its batch's terms touch, so a commit costs more the larger the
// database: with a single build database, 4x the news corpus took 4.4x the
// time of 1x. The compactor keeps the postlists split where one part ends,
// which costs space: parts of 11,000 articles made the 1x news index 1.2 MB
// larger and the 4x one 9 MB, and the 4x build 10% faster.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "common/reader_lock.h"
#include "indexer/shard_queue.h"

namespace nsearch {

// Block size of a new shard's build database. Every commit merges the
// batch's postings into the B-trees, reading and rewriting the blocks they
// touch; with Xapian's largest blocks the trees are shallower and a commit
// touches fewer of them (news corpus, 2 shards: 5-8% faster, a third less
// system time). The compactor writes the shard proper with the default
// size, so the index (byte for byte) and its searches are the same.
inline constexpr unsigned kBuildBlockSize = 65536;
// A new shard's build parts double in size after every this many.
inline constexpr std::size_t kPartsPerDoubling = 8;

struct Shard {
  std::filesystem::path write_path;      // the live shard, or a new shard's current build database
  std::vector<std::filesystem::path> parts;  // a new shard's earlier build databases, closed
  // A new shard's articles in other languages than the index's default, in
  // build databases of their own, closed when the writer ends: the
  // compactor puts them before the rest (new_shard_writer.h says why).
  std::vector<std::filesystem::path> other_parts;
  std::filesystem::path final_path;      // where the shard ends up
  std::string stub_line;    // its line in the stub, relative to the index dir
  Xapian::WritableDatabase db;
  std::unique_ptr<ReaderBarrier> readers;  // a live shard's: the searches to wait for (Commit)
  OpQueue queue;
  std::uint64_t added = 0, updated = 0, removed = 0;
  std::set<std::string> languages;  // that its articles were stemmed in
  std::vector<std::string> group_terms;  // an update's: the XG term of each article it wrote
  std::string error;        // set when the writer failed
};

// Commits what was written into `shard` since its last commit. A live
// shard (an update) is written in Xapian transactions, so that Xapian never
// commits on its own (outside one, it does every XAPIAN_FLUSH_THRESHOLD
// documents): after each commit, the next transaction may write over the
// blocks of the revision before, so the searches that may still be reading
// it must end first (common/reader_lock.h). `more`: whether another
// transaction follows. Throws Xapian::Error.
void Commit(Shard& shard, bool more = true);

// Creates a new shard's build database at `path` (unsynced, kBuildBlockSize).
Xapian::WritableDatabase CreateBuildDatabase(const std::filesystem::path& path);

// Closes a new shard's current build database and starts the next part.
void StartPart(Shard& shard);

// Doubles `part_size` when `parts` build parts have been closed and that is a
// multiple of kPartsPerDoubling (and it would not overflow).
void GrowPartSize(std::size_t parts, std::uint64_t& part_size);

// Runs `work(k)` for k in [0, n) on n threads; throws IndexError with the
// first error, each prefixed by `what(k)`.
void InParallel(std::size_t n, const std::function<void(std::size_t)>& work,
                const std::function<std::string(std::size_t)>& what);

}  // namespace nsearch
