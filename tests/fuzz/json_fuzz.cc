// libFuzzer target: JSON and JSON Lines. The input is read both ways (as a
// .json file and as a .jsonl file), and every article of each is built into
// a document as the indexer would.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/json_reader.h"
#include "tests/fuzz/fuzz_article.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const bool json_lines : {false, true}) {
    nsearch::JsonArticles parsed = nsearch::ParseJsonArticles(bytes, "/fuzz/feed.json", json_lines);
    for (nsearch::Article& article : parsed.articles) nsearch::fuzz::CheckAndBuild(article);
    for (const std::string& problem : parsed.problems) {
      nsearch::fuzz::Require(nsearch::IsValidUtf8(problem), "a problem line is not valid UTF-8", problem);
      nsearch::fuzz::Require(problem.find('\n') == std::string::npos, "a problem spans lines", problem);
    }
  }
  return 0;
}
