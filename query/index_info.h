// IndexInfo: what an nsearch index holds (nsearch --info), read from the
// index's statistics and metadata. Reading it does not need the index to be
// of this program's schema version: --info is how a user finds out that it
// is not.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nsearch {

struct IndexInfo {
  std::filesystem::path dir;
  std::optional<int> schema;        // nsearch.schema; nullopt when absent or not a number
  std::uint64_t articles = 0;
  std::uint64_t terms = 0;          // distinct terms, every prefix included
  std::string default_language;     // nsearch.language: articles without a detectable language
  std::vector<std::pair<std::string, std::uint64_t>> languages;  // language term -> articles
  std::vector<std::string> roots;   // the paths given to nsearch-index, as recorded
  unsigned shards = 0;
  std::uint64_t size_bytes = 0;     // the files of the local shards and the stub
  std::string updated;              // ISO 8601 UTC time of the last update; "" when not recorded
};

// Reads what the index in `index_dir` holds, from every shard (remote ones
// answering within `remote_timeout_ms`). Throws IndexError (naming the
// directory or the shard, saying what to do) when there is no index there or
// it cannot be read.
IndexInfo ReadIndexInfo(const std::filesystem::path& index_dir, unsigned remote_timeout_ms);

}  // namespace nsearch
