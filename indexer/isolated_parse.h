// Parsing in a worker process: the formats ParsedInWorker lists (PDF,
// Office files, EPUB, images, containers) are parsed by third-party
// libraries (poppler, libarchive, libxml2, Tesseract) on hostile input, so
// nsearch-index hands their bytes to `nsearch-parse`, a worker program that
// parses one file at a time and sends the articles back through a socket
// (parse_protocol.h), as omega runs its filters in worker processes. A crash,
// a parser that runs out of time (kParseWallSeconds, $NSEARCH_PARSE_TIMEOUT when set, or kParseCpuSeconds of
// CPU) or of memory (kParseMemoryBytes of address space, by setrlimit in the
// worker) costs that file alone: it becomes a skip reason, the worker is
// started again for the next file. A worker lives as long as nsearch-index
// and parses many files; one file costs a round trip (bench/README.md).
//
// The worker program is $NSEARCH_PARSE_WORKER when set, else nsearch-parse
// beside the running program, else in its installed libexec folder.
// Thread-safe: each calling thread uses a worker of its own at a time.
#pragma once

#include <string>
#include <string_view>

#include "indexer/article_reader.h"

namespace nsearch {

inline constexpr unsigned kParseWallSeconds = 120;
inline constexpr unsigned kParseCpuSeconds = 60;
inline constexpr unsigned long long kParseMemoryBytes = 2ULL << 30;

// Parses `bytes` (the file at `path`) in a worker. Never throws (but
// std::bad_alloc): a failure is the result's skip_kind "parser failed" and a
// one-line skip_reason ("parser crashed (signal 11: Segmentation fault)").
ParsedFile ParseInWorker(std::string_view bytes, const std::string& path, const ParseOptions& options);

// The worker program's side: serves requests read from `in_fd`, writing
// replies to `out_fd`, until the other end closes; `parse` turns a request
// into a reply (document_reader.h). Sets the worker's own limits first.
// Returns the exit status.
int ServeParseRequests(int in_fd, int out_fd,
                       ParsedFile (*parse)(std::string_view bytes, const std::string& path, const ParseOptions&));

}  // namespace nsearch
