// libFuzzer target: a text article (.txt/.md): the header block, charset
// detection and the fallback title, then the document the indexer builds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/text_article.h"
#include "tests/fuzz/fuzz_article.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  nsearch::Article article = nsearch::ParseTextArticle(bytes, "/fuzz/article.txt", "/fuzz/article.txt");
  nsearch::fuzz::CheckAndBuild(article);
  return 0;
}
