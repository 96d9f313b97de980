// What a run reads from the live index before it writes: the shards its
// stub lists, what their metadata remembers (roots, language, dictionary,
// languages), and the files each document came from. Functions of the
// run's thread, with the index lock held.
#pragma once

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "common/source_state.h"
#include "indexer/indexer.h"
#include "indexer/shard.h"

namespace nsearch {

// The state a run starts from.
struct IndexState {
  bool exists = false;                 // there is a live index
  bool new_index = false;              // a new generation is built: no index yet, or a rebuild
  std::string language;                // --language (canonical), else the index's; empty: neither
  std::set<std::string> roots;         // the roots the index remembers (the run adds its own)
  std::set<std::string> languages;     // that the index's articles were stemmed in
  std::string dictionary;              // the live index's zstd dictionary
  std::vector<std::unique_ptr<Shard>> shards;  // an update's: the live shards, open for writing
  std::set<std::filesystem::path> live_generations;
  bool groups_pending = false;         // a run before this one may have left a group unmarked
  Share share;                         // --shard-of, else the index's
  unsigned changesets = 0;             // --changesets, else the index's
};

// Reads what the index at options.index_dir remembers. A new index (a first
// build, or a rebuild) only reads its roots and language; an update opens
// the live shards for writing, with XAPIAN_MAX_CHANGESETS set to the
// changesets to keep when there are any (Xapian reads it when a shard is
// opened for writing; the run has no other thread yet). Throws IndexError naming the
// index when it cannot be opened (a remote shard, an old schema, no
// shards), UsageError when --language asks for another language without
// --rebuild.
IndexState ReadLiveIndex(const IndexerOptions& options);

// Throws IndexError naming `shard` when `db` is not of this schema version.
void CheckCompatible(const Xapian::Database& db, const std::filesystem::path& shard);

// The indexed files of the live shards: each file's state when it was read
// and the documents that came from it.
struct IndexedFile {
  SourceState state;
  std::vector<std::pair<unsigned, Xapian::docid>> docs;  // (shard, docid)
  bool seen = false;                                    // found by this run's walk
};
using IndexedFiles = std::unordered_map<std::string, IndexedFile>;

// Adds the files of shard number `shard` (open as `db`) to `files`.
void LoadIndexedFiles(const Xapian::Database& db, unsigned shard, IndexedFiles& files);

}  // namespace nsearch
