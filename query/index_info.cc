#include "query/index_info.h"

#include <charconv>
#include <sstream>
#include <system_error>

#include <xapian.h>

#include "common/error.h"
#include "common/index_location.h"
#include "common/schema.h"
#include "query/shards.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

std::uint64_t DirectorySize(const fs::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const std::uintmax_t size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return total;
}

std::optional<int> ParseVersion(const std::string& text) {
  int version = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return version;
}

}  // namespace

IndexInfo ReadIndexInfo(const fs::path& index_dir, unsigned remote_timeout_ms) {
  if (!IndexExists(index_dir)) {
    throw IndexError("no index at " + index_dir.string() + "; build one first with: nsearch-index --db " +
                     index_dir.string() + " PATH...");
  }
  IndexInfo info;
  info.dir = index_dir;
  std::error_code ec;
  info.size_bytes = fs::file_size(StubPath(index_dir), ec);
  if (ec) info.size_bytes = 0;
  for (const std::string& line : ReadStubLines(index_dir)) {
    ++info.shards;
    if (const fs::path shard = LocalShardPath(index_dir, line); !shard.empty()) info.size_bytes += DirectorySize(shard);
  }
  try {
    ShardOptions options;
    options.remote_timeout_ms = remote_timeout_ms;
    const OpenedShards opened = OpenShards(index_dir, options);  // its ReadLocks held until the end
    const Xapian::Database& db = opened.all;
    info.schema = ParseVersion(db.get_metadata(schema::kMetaSchema));
    info.articles = db.get_doccount();
    info.default_language = db.get_metadata(schema::kMetaLanguage);
    info.updated = db.get_metadata(schema::kMetaUpdated);
    std::istringstream roots(db.get_metadata(schema::kMetaRoots));
    for (std::string root; std::getline(roots, root);) {
      if (!root.empty()) info.roots.push_back(root);
    }
    // Xapian keeps no count of distinct terms: walk them.
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) ++info.terms;
    const std::string language_prefix(schema::kLanguagePrefix);
    for (auto t = db.allterms_begin(language_prefix); t != db.allterms_end(language_prefix); ++t) {
      info.languages.emplace_back((*t).substr(language_prefix.size()), t.get_termfreq());
    }
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot read the index at " + index_dir.string() + ": " + e.get_description());
  }
  return info;
}

}  // namespace nsearch
