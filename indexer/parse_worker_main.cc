// nsearch-parse: the parse worker nsearch-index starts (isolated_parse.h).
// `nsearch-parse --serve` answers requests on standard input and output
// until nsearch-index closes them. `nsearch-parse FILE` parses one file and
// prints its articles (a tool for looking at what a reader makes of a file).
// `nsearch-parse --cost N FILE` parses FILE N times in this process and N
// times through a worker, and prints what the isolation costs per file.
#include <unistd.h>

#include <chrono>
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

std::string ReadAll(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Milliseconds per file of `n` parses in this process and through a worker
// (the first worker request, which starts the worker, timed apart).
int PrintCost(int n, const char* path) {
  using Clock = std::chrono::steady_clock;
  const std::string bytes = ReadAll(path);
  const nsearch::ParseOptions options;
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  nsearch::ParseDocument(bytes, path, options);  // libraries' first-use set-up, as the worker's first request has
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) nsearch::ParseDocument(bytes, path, options);
  const double in_process = ms(Clock::now() - t0) / n;
  t0 = Clock::now();
  const nsearch::ParsedFile first = nsearch::ParseInWorker(bytes, path, options);
  const double start = ms(Clock::now() - t0);
  if (!first.skip_kind.empty()) return std::fprintf(stderr, "%s: %s\n", path, first.skip_reason.c_str()), 1;
  t0 = Clock::now();
  for (int i = 0; i < n; ++i) nsearch::ParseInWorker(bytes, path, options);
  const double worker = ms(Clock::now() - t0) / n;
  std::printf("%s (%zu bytes, %d parses): in process %.3f ms/file, through the worker %.3f ms/file "
              "(+%.3f ms); first request, starting the worker: %.1f ms\n",
              path, bytes.size(), n, in_process, worker, worker - in_process, start);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--serve") == 0) return nsearch::ServeParseRequests(0, 1, Parse);
  if (argc == 4 && std::strcmp(argv[1], "--cost") == 0) return PrintCost(std::atoi(argv[2]), argv[3]);
  if (argc < 2 || (argv[1][0] == '-' && std::strcmp(argv[1], "--ocr") != 0)) {
    std::fprintf(stderr, "usage: nsearch-parse [--ocr] FILE..., nsearch-parse --cost N FILE, "
                         "or nsearch-parse --serve (as nsearch-index runs it)\n");
    return 2;
  }
  nsearch::ParseOptions options;
  int first = 1;
  if (std::strcmp(argv[1], "--ocr") == 0) options.ocr = true, first = 2;
  int status = 0;
  for (int i = first; i < argc; ++i) {
    const std::string bytes = ReadAll(argv[i]);
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
