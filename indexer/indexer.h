// Indexer writes the articles under some paths into an nsearch index.
//
// The index (see common/index_location.h) is one shard, or split into
// several (IndexerOptions::shards); an article lives in shard
// StableHash(id) % shards (Share::ShardOf), so a later run finds it again and replaces it
// rather than adding a copy. A new index is written by several threads,
// each into a shard of its own; a new index of one shard merges theirs.
//
// A first build, and a --rebuild, write a new generation beside the live
// one, compact each shard (Xapian's compactor, FULL level; the writers' shards
// into one, unless several are asked for) and then publish
// it by renaming the stub into place; a rebuild then removes the old
// generation. A run over an existing index is incremental: every document
// records its file's size, mtime and content hash (source_state.h), so only
// new and changed files are read, and the articles of files that are gone are
// removed, in the live shards, committing every `batch_size` articles per
// shard, so readers always see a committed state.
//
// Only one Indexer may write an index at a time: Run() takes DIR/lock and
// throws IndexError if another process holds it (or waits, if asked).
//
// An Indexer is used by one thread; Run starts and joins its own workers.
// IndexProgress is updated by them and may be read from any thread. The
// phases of a run are in files of their own: see index_strategy.h.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "indexer/article_reader.h"
#include "indexer/file_walker.h"
#include "indexer/index_lock.h"
#include "indexer/share.h"

namespace nsearch {

// Articles per shard between commits when IndexerOptions::batch_size is 0.
// A new index's build databases are unsynced: smaller batches keep Xapian's
// in-memory postings smaller and were faster (news corpus, 13 alternating
// pairs of builds: 250 faster or as fast in 12, about 3%; peak RSS 95 ->
// 72 MB). An update commits to the live shards, synced each time: there
// 250 was 10% slower than 500 (20,841 articles added to an index of 3,768).
inline constexpr unsigned kNewIndexBatch = 250;
inline constexpr unsigned kUpdateBatch = 500;

struct IndexerOptions {
  std::filesystem::path index_dir;
  std::vector<std::filesystem::path> roots;
  unsigned jobs = 0;                         // writer threads of a new index; 0: all cores
  unsigned shards = 0;                       // shards of a new index; 0 or 1: one, else a writer thread each
  std::uint64_t max_file_bytes = 16 << 20;   // larger files are skipped
  std::string language;                      // stemmer of a new index; empty: english, or the index's
  unsigned batch_size = 0;                   // articles per shard between commits; 0: the defaults below
  std::uint64_t part_size = 11000;           // articles per build database of a new shard (shard.h)
  bool wait_for_lock = false;
  bool rebuild = false;                      // build a new generation even if an index exists
  bool read_stdin = false;                   // also index JSON Lines read from standard input
  ParseOptions parse;                        // how PDF, Office files, images and containers are read
  // --shard-of: index only this share of the articles (share.h); unset: the
  // share the index records (a new index: all of them).
  std::optional<Share> share;
  // --changesets: how many changesets each shard keeps for replication
  // (docs/scaling.md); unset: as many as the index records (a new index: 0).
  std::optional<unsigned> changesets;
  // An update of part of the index's roots (Indexer::UpdatePaths): only
  // these canonical paths (files or folders, present or gone) are walked,
  // and only articles of files under them can be removed. Empty: the roots.
  std::vector<std::string> only_paths;
};

// Counters of a run so far; updated by the workers, read by a progress display.
struct IndexProgress {
  std::atomic<std::uint64_t> files_total{0};
  std::atomic<std::uint64_t> bytes_total{0};
  std::atomic<std::uint64_t> files_done{0};
  std::atomic<std::uint64_t> bytes_done{0};
  std::atomic<std::uint64_t> articles_done{0};
  std::atomic<bool> compacting{false};
};

struct IndexSummary {
  std::uint64_t added = 0;      // articles new to the index
  std::uint64_t updated = 0;    // articles replaced by a changed version
  std::uint64_t removed = 0;    // articles whose files are gone
  std::uint64_t unchanged = 0;  // articles of files that did not change (not read again)
  std::map<std::string, std::uint64_t> skipped;  // inputs that could not be indexed, by kind (each reported)
  std::uint64_t ignored = 0;    // files in the folders without an article extension
  std::uint64_t bytes = 0;      // bytes read
  unsigned shards = 0;
  bool new_index = false;       // a new generation was built (first build or --rebuild)
  bool interrupted = false;     // stopped by `stop`; what was indexed is committed
  double seconds = 0;

  std::uint64_t indexed() const { return added + updated; }
  std::uint64_t skipped_total() const;
};

class Indexer {
 public:
  using SkipReporter = std::function<void(const SkippedInput&)>;

  // `on_skip` is called (from the calling thread) for every input skipped.
  Indexer(IndexerOptions options, SkipReporter on_skip);

  // Indexes everything under the roots (the roots the index remembers when
  // none are given). Returns early, with everything so far committed, when
  // `stop` becomes true. Throws IndexError (naming the index) when the index
  // cannot be opened, locked or written; a failed run leaves the last
  // committed state of the index intact.
  IndexSummary Run(IndexProgress& progress, const std::atomic<bool>& stop);

  // An incremental update of the live index limited to `paths` (canonical
  // paths of files or folders under its roots, present or gone): what Run
  // does for the roots, for those paths only, so that a few changed files
  // cost a few files' work plus reading the index's list of files. The
  // index's roots stay as they are. Throws as Run does.
  IndexSummary UpdatePaths(const std::vector<std::string>& paths, IndexProgress& progress,
                           const std::atomic<bool>& stop);

  // Keeps DIR/lock, from the next Run or UpdatePaths until the Indexer is
  // destroyed, so that no other nsearch-index writes between the updates of
  // a watch (watch.h).
  void KeepLock() { keep_lock_ = true; }

  // Merges all shards of the live generation into one with Xapian's
  // compactor (FULL level) and publishes it as a new generation.
  IndexSummary Compact();

 private:
  IndexSummary RunWith(const IndexerOptions& options, IndexProgress& progress, const std::atomic<bool>& stop);

  IndexerOptions options_;
  SkipReporter on_skip_;
  bool keep_lock_ = false;
  std::unique_ptr<IndexLock> lock_;  // held during a run, and between runs after KeepLock
};

}  // namespace nsearch
