// libFuzzer target: a PDF through poppler (pdf_reader.h), without OCR.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/pdf_reader.h"
#include "tests/fuzz/fuzz_parsed.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  nsearch::ParsedFile parsed = nsearch::ParsePdf(bytes, "/fuzz/doc.pdf", "/fuzz/doc.pdf", nsearch::ParseOptions());
  nsearch::fuzz::CheckParsed(parsed);
  return 0;
}
