// nsearch-parse: the parse worker nsearch-index starts (isolated_parse.h).
// `nsearch-parse --serve` answers requests on standard input and output
// until nsearch-index closes them. `nsearch-parse FILE` parses one file and
// prints its articles (a tool for looking at what a reader makes of a file).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "indexer/document_reader.h"
#include "indexer/isolated_parse.h"

namespace {

nsearch::ParsedFile Parse(std::string_view bytes, const std::string& path, const nsearch::ParseOptions& options) {
#ifdef NSEARCH_PARSE_TEST_HOOKS
  // Only in the test build of the worker (tests/CMakeLists.txt): a parser
  // that crashes or hangs on the files whose path holds these words.
  if (const char* w = std::getenv("NSEARCH_TEST_PARSE_CRASH"); w != nullptr && *w && path.find(w) != std::string::npos) {
    std::abort();
  }
  if (const char* w = std::getenv("NSEARCH_TEST_PARSE_HANG"); w != nullptr && *w && path.find(w) != std::string::npos) {
    for (;;) ::pause();
  }
#endif
  return nsearch::ParseDocument(bytes, path, options);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--serve") == 0) return nsearch::ServeParseRequests(0, 1, Parse);
  if (argc < 2 || (argv[1][0] == '-' && std::strcmp(argv[1], "--ocr") != 0)) {
    std::fprintf(stderr, "usage: nsearch-parse [--ocr] FILE (or --serve, as nsearch-index runs it)\n");
    return 2;
  }
  nsearch::ParseOptions options;
  int first = 1;
  if (std::strcmp(argv[1], "--ocr") == 0) options.ocr = true, first = 2;
  int status = 0;
  for (int i = first; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const nsearch::ParsedFile parsed = Parse(bytes, argv[i], options);
    if (!parsed.skip_kind.empty()) std::printf("%s: skipped: %s\n", argv[i], parsed.skip_reason.c_str()), status = 1;
    for (const std::string& p : parsed.problems) std::printf("%s%s%s\n", argv[i], p[0] == '#' ? "" : ": ", p.c_str());
    for (const nsearch::Article& a : parsed.articles) {
      std::printf("id: %s\ntitle: %s\ndate: %s\nauthor: %s\n", a.id.c_str(), a.title.c_str(), a.date.c_str(),
                  a.author.c_str());
      for (const auto& [k, v] : a.extra_fields) std::printf("%s: %s\n", k.c_str(), v.c_str());
      std::printf("\n%s\n\n", a.body.c_str());
    }
  }
  return status;
}
