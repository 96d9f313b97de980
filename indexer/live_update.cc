#include "indexer/live_update.h"

#include <cstdio>
#include <future>

#include "common/error.h"
#include "common/reader_lock.h"
#include "indexer/duplicate_groups.h"
#include "indexer/generations.h"
#include "indexer/live_shard_writer.h"
#include "indexer/shard_queue.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

// Says that a writer has long been waiting for the searches of `shard`.
void ReportLongWait(const fs::path& shard) {
  std::fprintf(stderr, "nsearch-index: waiting for a search of %s to end (a stopped nsearch?)\n", shard.c_str());
}

}  // namespace

void LiveUpdate::PrepareShards(const FileSampler& /*sample*/) {
  const fs::path& dir = run_.options.index_dir;
  auto& shards = run_.state.shards;
  try {
    RemoveGenerationsExcept(dir, run_.state.live_generations);
    // An index of an older nsearch gets its DIR/live link here.
    const fs::path generation = shards.front()->final_path.parent_path();
    std::error_code ec;
    if (fs::equivalent(generation.parent_path(), dir, ec)) LinkLiveGeneration(dir, generation);
    for (unsigned k = 0; k < shards.size(); ++k) LoadIndexedFiles(shards[k]->db, k, indexed_);
    // Nothing is written into a live shard before the searches that may
    // read a revision older than the one opened have ended (Commit).
    for (auto& shard : shards) {
      shard->readers = std::make_unique<ReaderBarrier>(shard->final_path, ReportLongWait);
      shard->readers->Wait();
      shard->db.begin_transaction();
    }
    std::promise<std::string> live;
    live.set_value(run_.state.dictionary);
    dictionary_ = live.get_future();
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot prepare the index at " + dir.string() + ": " + e.get_description());
  } catch (const fs::filesystem_error& e) {
    throw IndexError("cannot prepare the index at " + dir.string() + ": " + e.what());
  }
}

// An update of fewer shards than cores: the writers only write, and a pool
// of one thread per core builds their documents. News corpus, 20,389
// articles added to a one-shard index of 23,066: 18.2-18.4 s without the
// pool, 13.8-14.4 s with it (two shards: 9.6-9.7 s), peak RSS 60 -> 76-80 MB.
std::unique_ptr<BuildPool> LiveUpdate::MakeBuildPool() {
  if (run_.state.shards.size() >= run_.cores) return nullptr;
  auto pool = std::make_unique<BuildPool>(run_.cores, run_.state.language, run_.state.dictionary);
  for (auto& shard : run_.state.shards) shard->queue.SetCapacity(kBuiltQueueCapacity);
  return pool;
}

std::unique_ptr<ShardWriter> LiveUpdate::MakeWriter(Shard& shard, const WriterSettings& settings) {
  return std::make_unique<LiveShardWriter>(shard, settings);
}

void LiveUpdate::MarkDuplicateGroups() {
  MarkUpdatedGroups(run_.state.shards, run_.state.groups_pending, run_.options.index_dir);
}

void LiveUpdate::Finish(Spellings spellings, const Metadata& metadata) {
  auto& shards = run_.state.shards;
  InParallel(
      shards.size(),
      [&](std::size_t k) {
        if (k == 0) AddSpellings(shards[k]->db, spellings, [&] { Commit(*shards[k]); });
        CommitLast(*shards[k], metadata);
        Seal(shards[k]->final_path, dictionary());
      },
      [&](std::size_t k) { return ShardWhat(k); });
}

}  // namespace nsearch
