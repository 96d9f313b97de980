// libFuzzer target: a container (.zip, .tar, .tar.gz; libarchive finds out
// which) through ParseDocument, members and nested containers included,
// within the bounds of archive_reader.h (smaller here, so that one input
// stays fast).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/document_reader.h"
#include "tests/fuzz/fuzz_parsed.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  nsearch::ParseOptions options;
  options.max_member_bytes = 1 << 20;
  nsearch::ParsedFile parsed = nsearch::ParseDocument(bytes, "/fuzz/bundle.zip", options);
  nsearch::fuzz::CheckParsed(parsed);
  const std::string prefix = "/fuzz/bundle.zip#";
  for (const nsearch::Article& a : parsed.articles) {
    nsearch::fuzz::Require(a.id.rfind(prefix, 0) == 0, "a member's id does not start PATH#", a.id);
    nsearch::fuzz::Require(a.path == "/fuzz/bundle.zip", "a member's path is not its container's", a.path);
  }
  return 0;
}
