// libFuzzer target: a .docx, .odt or .epub (office_reader.h); the input's
// first byte picks which, the rest is the file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/office_reader.h"
#include "tests/fuzz/fuzz_parsed.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"/fuzz/doc.docx", "/fuzz/doc.odt", "/fuzz/book.epub"};
  const char* name = kNames[data[0] % 3];
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  nsearch::ParseOptions options;
  options.max_member_bytes = 1 << 20;
  nsearch::ExpansionBudget budget = nsearch::ExpansionBudget::For(bytes.size(), options.max_member_bytes);
  nsearch::ParsedFile parsed = nsearch::ParseOfficeDocument(bytes, name, name, options, budget);
  nsearch::fuzz::CheckParsed(parsed);
  return 0;
}
