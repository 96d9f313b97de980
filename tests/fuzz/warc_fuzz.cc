// libFuzzer target: libarchive's WARC reader and gzip filter, our HTTP
// split and the HTML reader, then the document the indexer builds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/warc_reader.h"
#include "tests/fuzz/fuzz_article.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  nsearch::ParsedFile parsed = nsearch::ParseWarc(bytes, "/fuzz/crawl.warc.gz");
  for (nsearch::Article& article : parsed.articles) nsearch::fuzz::CheckAndBuild(article);
  nsearch::fuzz::CheckProblems(parsed.problems);
  return 0;
}
