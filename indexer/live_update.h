// LiveUpdate is an incremental run over an existing index: only new and
// changed files are read, the articles of files that are gone are removed,
// all in the live shards, committed in transactions every batch, so readers
// always see a committed state. Used by the run's thread.
#pragma once

#include <memory>

#include "indexer/index_strategy.h"

namespace nsearch {

class LiveUpdate : public IndexStrategy {
 public:
  using IndexStrategy::IndexStrategy;

  // Loads the files the live shards hold and opens a transaction in each,
  // once the searches of older revisions have ended.
  void PrepareShards(const FileSampler& sample) override;
  void MarkDuplicateGroups() override;
  void Finish(Spellings spellings, const Metadata& metadata) override;

 protected:
  unsigned DefaultBatchSize() const override { return kUpdateBatch; }
  std::unique_ptr<BuildPool> MakeBuildPool() override;
  std::unique_ptr<ShardWriter> MakeWriter(Shard& shard, const WriterSettings& settings) override;
  bool JournalsFiles() const override { return true; }
};

}  // namespace nsearch
