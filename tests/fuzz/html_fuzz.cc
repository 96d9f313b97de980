// libFuzzer target: an HTML page (libxml2 and our tree walks), then the
// document the indexer builds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/html_reader.h"
#include "tests/fuzz/fuzz_article.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  nsearch::Article article = nsearch::ParseHtmlArticle(bytes, "/fuzz/page.html", "/fuzz/page.html");
  nsearch::fuzz::CheckAndBuild(article);
  return 0;
}
