// libFuzzer target: libxml2 on an RSS or Atom feed, the HTML reader on its
// content, then the document the indexer builds of each item.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/feed_reader.h"
#include "tests/fuzz/fuzz_article.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  nsearch::ParsedFile parsed = nsearch::ParseFeed(bytes, "/fuzz/feed.rss");
  for (nsearch::Article& article : parsed.articles) nsearch::fuzz::CheckAndBuild(article);
  nsearch::fuzz::CheckProblems(parsed.problems);
  return 0;
}
