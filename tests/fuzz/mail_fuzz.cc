// libFuzzer target: GMime on an mbox (or, with a first byte that is odd, one
// .eml message), then the document the indexer builds of each article.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/mail_reader.h"
#include "tests/fuzz/fuzz_article.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  nsearch::ParsedFile parsed = (data[0] & 1) ? nsearch::ParseEml(bytes, "/fuzz/message.eml")
                                             : nsearch::ParseMbox(bytes, "/fuzz/box.mbox");
  for (nsearch::Article& article : parsed.articles) nsearch::fuzz::CheckAndBuild(article);
  nsearch::fuzz::CheckProblems(parsed.problems);
  return 0;
}
