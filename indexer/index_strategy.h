// IndexStrategy is how one run writes the index: NewIndexBuild (a first
// build or a --rebuild: a new generation, compacted and published) or
// LiveUpdate (an incremental run: the live shards, in place). Indexer::Run
// calls the phases in order; the phases common to both are here, the
// rest in the strategies. Used by the run's thread; the writers it starts
// run on threads of their own.
#pragma once

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <string>

#include "indexer/build_pool.h"
#include "indexer/input_survey.h"
#include "indexer/indexer.h"
#include "indexer/live_index.h"
#include "indexer/pending_files.h"
#include "indexer/shard.h"
#include "indexer/shard_writer.h"
#include "indexer/spelling_words.h"

namespace nsearch {

// What every phase of a run is given.
struct RunContext {
  const IndexerOptions& options;
  const Indexer::SkipReporter& on_skip;
  IndexProgress& progress;
  const std::atomic<bool>& stop;
  IndexSummary& summary;
  PendingFiles& pending;
  IndexState& state;  // its shards are the ones written
  unsigned cores;     // --jobs, else every core (up to 8)
};

using Metadata = std::map<std::string, std::string>;

class IndexStrategy {
 public:
  explicit IndexStrategy(RunContext& run) : run_(run) {}
  virtual ~IndexStrategy() = default;
  IndexStrategy(const IndexStrategy&) = delete;
  IndexStrategy& operator=(const IndexStrategy&) = delete;

  // Creates (a new index) or opens for writing (an update) the shards of
  // run.state, and starts on the dictionary. Throws IndexError naming the
  // index.
  virtual void PrepareShards(const FileSampler& sample) = 0;

  // Writes the run's changes: reads the inputs on this thread (ChangeScan,
  // then standard input, then the files that are gone) and writes them on
  // one thread per shard. Counts what was written in run.summary and adds
  // the languages stemmed in to run.state. Throws IndexError with the
  // first writer's error (a new index is then not published; an updated one
  // keeps the batches committed before the failure).
  void WriteChanges(const RunRoots& roots, InputSurvey& survey);

  // The dictionary the documents were compressed with; after WriteChanges.
  const std::string& dictionary() const { return dictionary_text_; }

  // Gives the near-duplicate groups' keys (duplicate_groups.h). Throws IndexError.
  virtual void MarkDuplicateGroups() = 0;

  // Adds `spellings` to the first shard, records `metadata` in every shard
  // and commits them; a new index is then compacted and published. Throws
  // IndexError naming the shard that failed.
  virtual void Finish(Spellings spellings, const Metadata& metadata) = 0;

 protected:
  virtual unsigned DefaultBatchSize() const = 0;
  // The pool that builds the writers' documents, if they do not build them.
  virtual std::unique_ptr<BuildPool> MakeBuildPool() { return nullptr; }
  virtual std::unique_ptr<ShardWriter> MakeWriter(Shard& shard, const WriterSettings& settings) = 0;
  // Whether JSON files are listed in DIR/pending before they are rewritten.
  virtual bool JournalsFiles() const = 0;

  // Records `metadata` in `shard` and commits it for the last time.
  static void CommitLast(Shard& shard, const Metadata& metadata);
  // Writes the shard's dictionary file and its readers' lock file.
  static void Seal(const std::filesystem::path& shard, const std::string& dictionary);
  // The prefix of an error of shard number k, for InParallel.
  std::string ShardWhat(std::size_t k) const;

  RunContext& run_;
  IndexedFiles indexed_;                       // an update's: what the live shards hold
  std::shared_future<std::string> dictionary_;  // what the writers compress with

 private:
  std::string dictionary_text_;
};

}  // namespace nsearch
