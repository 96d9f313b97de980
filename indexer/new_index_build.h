// NewIndexBuild is a first build or a --rebuild: every input is read into a
// new generation beside the live one, written by several threads, each into
// build databases of its own (NewShardWriter), which are compacted (Xapian's
// compactor, FULL level) into the shards proper: the writers' shards into
// one, unless several are asked for. The stub is then renamed into place,
// and the old generation removed. Used by the run's thread.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "indexer/index_strategy.h"

namespace nsearch {

class NewIndexBuild : public IndexStrategy {
 public:
  using IndexStrategy::IndexStrategy;

  // Creates the generation's build databases, one a writer thread, and
  // starts training the dictionary on `sample`.
  void PrepareShards(const FileSampler& sample) override;
  // Nothing to mark: every article was written with its group's key.
  void MarkDuplicateGroups() override {}
  // Commits, compacts (also when interrupted: what was indexed is kept) and
  // publishes the new generation.
  void Finish(Spellings spellings, const Metadata& metadata) override;

 protected:
  unsigned DefaultBatchSize() const override { return kNewIndexBatch; }
  std::unique_ptr<ShardWriter> MakeWriter(Shard& shard, const WriterSettings& settings) override;
  bool JournalsFiles() const override { return false; }

 private:
  void CommitAndCompact(Spellings spellings, const Metadata& metadata, bool merge,
                        const std::filesystem::path& spelling_path);
  void Merge(const std::filesystem::path& spelling_path);
  void Publish();

  bool split_spellings_ = false;  // the second shard adds half of the spelling words (CommitAndCompact)
};

}  // namespace nsearch
