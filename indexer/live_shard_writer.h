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
  bool Put(const ShardOp& op, Xapian::Document doc) override;
};

}  // namespace nsearch
