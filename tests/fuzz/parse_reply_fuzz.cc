// libFuzzer target: a reply from the parse worker as nsearch-index decodes
// it (parse_protocol.h): a worker that died part way, or hostile bytes,
// must give nothing or a ParsedFile, never a crash or a huge allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/parse_protocol.h"
#include "tests/fuzz/fuzz_article.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (std::optional<nsearch::ParsedFile> parsed = nsearch::DecodeReply(bytes)) {
    const std::string again = nsearch::EncodeReply(*parsed);
    nsearch::fuzz::Require(again.substr(8) == bytes, "a decoded reply encodes differently", again);
  }
  nsearch::DecodeRequest(bytes);
  return 0;
}
