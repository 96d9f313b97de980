// Compaction of a new index's build databases into its shards proper.
// Runs on the thread that calls it, over shards no writer is using.
#pragma once

#include <filesystem>
#include <vector>

#include "indexer/shard.h"

namespace nsearch {

// Compacts the build databases of new shards, in order (every shard's
// other-language parts, then each shard's own parts, then the next
// shard's), into one shard proper at `target` (synced) at Xapian's FULL
// level, then removes them. `spelling`, when given, is a database of
// spelling data alone (no documents), merged in by the compactor and then
// removed. Throws Xapian::Error or std::filesystem::filesystem_error.
void CompactShards(const std::vector<Shard*>& shards, const std::filesystem::path& target,
                   const std::filesystem::path& spelling = {});

}  // namespace nsearch
