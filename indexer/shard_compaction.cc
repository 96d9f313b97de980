#include "indexer/shard_compaction.h"

#include <xapian.h>

namespace fs = std::filesystem;

namespace nsearch {

void CompactShards(const std::vector<Shard*>& shards, const fs::path& target, const fs::path& spelling) {
  Xapian::Database sources;
  // Every shard's articles in other languages first (new_shard_writer.h says why).
  for (Shard* shard : shards) {
    for (const fs::path& part : shard->other_parts) sources.add_database(Xapian::Database(part.string()));
  }
  for (Shard* shard : shards) {
    shard->db.close();
    for (const fs::path& part : shard->parts) sources.add_database(Xapian::Database(part.string()));
    sources.add_database(Xapian::Database(shard->write_path.string()));
  }
  if (!spelling.empty()) sources.add_database(Xapian::Database(spelling.string()));
  sources.compact(target.string(), Xapian::Compactor::FULL);
  for (Shard* shard : shards) {
    for (const fs::path& part : shard->other_parts) fs::remove_all(part);
    for (const fs::path& part : shard->parts) fs::remove_all(part);
    fs::remove_all(shard->write_path);
  }
  if (!spelling.empty()) fs::remove_all(spelling);
}

}  // namespace nsearch
