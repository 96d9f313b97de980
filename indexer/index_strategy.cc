#include "indexer/index_strategy.h"

#include "common/error.h"
#include "common/index_location.h"
#include "common/indexed_time.h"
#include "common/reader_lock.h"
#include "indexer/change_scan.h"
#include "indexer/standard_input.h"
#include "indexer/writer_threads.h"

namespace nsearch {

void IndexStrategy::WriteChanges(const RunRoots& roots, InputSurvey& survey) {
  const IndexerOptions& options = run_.options;
  // Read on this thread; build and write documents on one thread per shard.
  std::unique_ptr<BuildPool> pool = MakeBuildPool();
  WriterSettings settings;
  settings.batch_size = options.batch_size > 0 ? options.batch_size : DefaultBatchSize();
  settings.part_size = options.part_size;
  settings.language = run_.state.language;
  settings.dictionary = dictionary_;
  settings.progress = &run_.progress;
  settings.run_micros = NowMicros();
  std::string journal_error;
  {
    WriterThreads writers(
        run_.state.shards, [&](Shard& shard) { return MakeWriter(shard, settings); }, pool.get());
    ChangeScan scan(options, run_.on_skip, run_.summary, run_.progress, run_.stop, writers, indexed_, run_.pending,
                    JournalsFiles(), run_.state.share);
    scan.ScanRoots(roots, survey.protected_paths);
    if (options.read_stdin && !run_.stop && !writers.failed()) {
      ReadStandardInput(writers, run_.state.share, run_.on_skip, run_.summary, run_.progress, run_.stop);
    }
    if (!run_.stop && !writers.failed()) scan.RemoveGone(roots, survey.protected_paths);
    writers.Join(/*discard=*/run_.stop.load());
    if (pool) {
      pool->Join();
      const std::set<std::string> built_in = pool->languages();
      run_.state.languages.insert(built_in.begin(), built_in.end());
    }
    run_.summary.interrupted = run_.stop && !writers.failed();
    journal_error = scan.journal_error();
  }
  if (!journal_error.empty()) throw IndexError(journal_error);
  for (const auto& shard : run_.state.shards) {
    if (!shard->error.empty()) throw IndexError(shard->error);
    run_.summary.added += shard->added;
    run_.summary.updated += shard->updated;
    run_.summary.removed += shard->removed;
    run_.state.languages.insert(shard->languages.begin(), shard->languages.end());
  }
  dictionary_text_ = dictionary_.get();
}

void IndexStrategy::CommitLast(Shard& shard, const Metadata& metadata) {
  for (const auto& [key, value] : metadata) shard.db.set_metadata(key, value);
  Commit(shard, /*more=*/false);
}

void IndexStrategy::Seal(const std::filesystem::path& shard, const std::string& dictionary) {
  WriteTextDictionary(shard, dictionary);
  CreateReadersLock(shard);
}

std::string IndexStrategy::ShardWhat(std::size_t k) const {
  return "cannot write index shard " + run_.state.shards[k]->write_path.string();
}

}  // namespace nsearch
