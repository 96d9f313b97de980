// LiveShardWriter writes an update's articles into a live shard, replacing
// an article with the same id in place. Used by its writer thread alone.
#pragma once

#include <xapian.h>

#include "indexer/shard_writer.h"

namespace nsearch {

class LiveShardWriter : public ShardWriter {
 public:
  using ShardWriter::ShardWriter;

 protected:
  // Adds or replaces the article, and remembers its group for MarkUpdatedGroups.
  // An article whose stored fields and text are those it had keeps the
  // stamp it was indexed with (schema::kIndexedSlot).
  bool Put(const ShardOp& op, Xapian::Document doc) override;
  bool StampsEachCommit() const override { return true; }
};

}  // namespace nsearch
