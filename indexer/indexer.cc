#include "indexer/indexer.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <set>
#include <system_error>
#include <thread>

#include <xapian.h>

#include "common/dates.h"
#include "common/error.h"
#include "common/index_location.h"
#include "common/reader_lock.h"
#include "common/schema.h"
#include "indexer/generations.h"
#include "indexer/index_lock.h"
#include "indexer/index_metadata.h"
#include "indexer/index_strategy.h"
#include "indexer/input_survey.h"
#include "indexer/live_index.h"
#include "indexer/live_update.h"
#include "indexer/new_index_build.h"
#include "indexer/pending_files.h"
#include "indexer/spelling_words.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

constexpr unsigned kMaxDefaultJobs = 8;

double SecondsSince(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

void CreateIndexDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IndexError("cannot create index directory " + dir.string() + ": " + ec.message());
}

// --jobs, else every core (up to kMaxDefaultJobs).
unsigned Cores(const IndexerOptions& options) {
  return options.jobs > 0 ? options.jobs : std::clamp(std::thread::hardware_concurrency(), 1u, kMaxDefaultJobs);
}

}  // namespace

Indexer::Indexer(IndexerOptions options, SkipReporter on_skip)
    : options_(std::move(options)), on_skip_(std::move(on_skip)) {}

std::uint64_t IndexSummary::skipped_total() const {
  std::uint64_t n = 0;
  for (const auto& [kind, count] : skipped) n += count;
  return n;
}

IndexSummary Indexer::Run(IndexProgress& progress, const std::atomic<bool>& stop) {
  return RunWith(options_, progress, stop);
}

IndexSummary Indexer::UpdatePaths(const std::vector<std::string>& paths, IndexProgress& progress,
                                  const std::atomic<bool>& stop) {
  if (!IndexExists(options_.index_dir)) throw IndexError("no index at " + options_.index_dir.string() + " to update");
  IndexerOptions options = options_;
  options.roots.clear();
  options.rebuild = false;
  options.read_stdin = false;
  options.only_paths = paths;
  return RunWith(options, progress, stop);
}

IndexSummary Indexer::RunWith(const IndexerOptions& options, IndexProgress& progress, const std::atomic<bool>& stop) {
  const auto started = std::chrono::steady_clock::now();
  const std::string started_utc = UtcTimestamp(std::time(nullptr));  // nsearch.updated
  const fs::path& dir = options.index_dir;
  if (options.roots.empty() && !options.read_stdin && !IndexExists(dir)) {
    throw UsageError("no index at " + dir.string() + " yet; name the paths to index");
  }
  CreateIndexDir(dir);
  if (!lock_) lock_ = std::make_unique<IndexLock>(dir, options.wait_for_lock);
  struct Unlock {  // however the run ends, unless the lock is kept
    Indexer& indexer;
    ~Unlock() {
      if (!indexer.keep_lock_) indexer.lock_.reset();
    }
  } unlock{*this};
  PendingFiles pending(dir);
  IndexSummary summary;
  IndexState state = ReadLiveIndex(options);
  summary.new_index = state.new_index;
  const RunRoots roots = ChooseRoots(options, state);

  // Find the inputs first: a run that finds nothing to index changes nothing.
  InputSurvey survey = SurveyInputs(roots, dir, stop, on_skip_, summary);
  if (stop && summary.new_index) {  // interrupted while looking: nothing was written
    summary.interrupted = true;
    return summary;
  }
  if (survey.walk.files == 0 && summary.new_index && !options.read_stdin) {
    throw UsageError("nothing to index: no article files found under the paths given");
  }

  RunContext run{options, on_skip_, progress, stop, summary, pending, state, Cores(options)};
  std::unique_ptr<IndexStrategy> strategy;
  if (summary.new_index) {
    strategy = std::make_unique<NewIndexBuild>(run);
  } else {
    strategy = std::make_unique<LiveUpdate>(run);
  }
  strategy->PrepareShards(survey.sampler);
  summary.shards = static_cast<unsigned>(state.shards.size());
  progress.files_total = survey.walk.files;
  progress.bytes_total = survey.walk.bytes;

  strategy->WriteChanges(roots, survey);
  strategy->MarkDuplicateGroups();
  Spellings spellings;
  if (!stop) spellings = SpellingsToAdd(state.shards, dir);
  Metadata metadata =
      IndexMetadata(state.language, state.languages, strategy->dictionary(), state.roots, started_utc, state.share,
                    state.changesets);
  std::vector<std::string> throughs;
  for (const auto& shard : state.shards) throughs.push_back(shard->db.get_metadata(schema::kMetaIndexedThrough));
  metadata[schema::kMetaIndexedThrough] = LatestIndexedStamp(throughs);
  strategy->Finish(std::move(spellings), metadata);
  if (!stop) pending.Clear();  // every file is indexed as it is now

  summary.seconds = SecondsSince(started);
  return summary;
}

IndexSummary Indexer::Compact() {
  const auto started = std::chrono::steady_clock::now();
  const fs::path dir = options_.index_dir;
  if (!IndexExists(dir)) throw IndexError("no index at " + dir.string() + " to compact");
  IndexLock lock(dir, options_.wait_for_lock);
  IndexSummary summary;
  Xapian::Database all;
  std::set<fs::path> live;
  for (const std::string& line : ReadStubLines(dir)) {
    const fs::path path = LocalShardPath(dir, line);
    if (path.empty()) {
      throw IndexError("cannot compact " + dir.string() + ": its stub lists a remote shard ('" + line +
                       "'); compact the index whose stub lists the shards as local folders (docs/scaling.md)");
    }
    live.insert(path.parent_path());
    try {
      Xapian::Database shard(path.string());
      CheckCompatible(shard, path);
      all.add_database(shard);
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot open index shard " + path.string() + ": " + e.get_description());
    }
  }
  RemoveGenerationsExcept(dir, live);
  const std::string gen = "gen-" + std::to_string(NextGeneration(dir));
  const fs::path target = dir / gen / "shard-0";
  try {
    fs::create_directories(dir / gen);
    all.compact(target.string(), Xapian::Compactor::FULL);
    WriteTextDictionary(target, all.get_metadata(schema::kMetaTextDictionary));
    CreateReadersLock(target);
  } catch (const Xapian::Error& e) {
    fs::remove_all(dir / gen);
    throw IndexError("cannot compact the index at " + dir.string() + " into " + target.string() + ": " +
                     e.get_description());
  }
  PublishGeneration(dir, {"glass " + gen + "/shard-0"}, dir / gen);
  summary.shards = 1;
  summary.unchanged = all.get_doccount();
  summary.seconds = SecondsSince(started);
  return summary;
}

}  // namespace nsearch
