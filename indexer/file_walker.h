// FileWalker finds the article files under the paths given to nsearch-index.
//
// Directories are walked recursively, following symbolic links but never
// entering a directory twice (so a symlink loop ends with one message).
// Inside directories only files with an article extension are taken; a file
// named explicitly is always taken. Each file is listed once, by its
// canonical path. Single-threaded.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace nsearch {

struct SourceFile {
  std::string path;  // canonical, absolute (a string: std::filesystem::path costs ~4x the memory)
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
};

struct SkippedInput {
  std::string path;    // as found (a file, a folder, or "file:line" for one article of many)
  std::string kind;    // a short category the summary counts: "unreadable", "symlink loop", "missing" (a
                       // root that does not exist), "binary", "empty", "too large", "malformed"
  std::string reason;  // one line, e.g. "Permission denied"
};

struct WalkResult {
  std::uint64_t files = 0;           // found, each passed to the callback
  std::uint64_t bytes = 0;           // their total size
  std::vector<SkippedInput> skipped;
  std::uint64_t ignored = 0;         // files without an article extension
};

// True for the extensions nsearch-index reads inside directories (see
// FormatOf in article_reader.h: .txt, .md, .html, .htm, .json, .jsonl, .ndjson,
// .mbox, .eml, .warc, .warc.gz, .rss, .atom, .xml).
bool IsArticleExtension(const std::filesystem::path& path);

// Walks `roots` and calls `on_file` for each article file as it is found,
// in a stable order (roots as given, entries sorted by name), so that the
// list of files is never held in memory and two walks see the same order.
// Stops early once `stop` is true, and never enters the directory `exclude`
// (the index being written). Never throws for a missing or unreadable path:
// it is reported in `skipped`; exceptions from `on_file` propagate.
WalkResult WalkInputs(const std::vector<std::filesystem::path>& roots, const std::atomic<bool>& stop,
                      const std::filesystem::path& exclude, const std::function<void(const SourceFile&)>& on_file);

}  // namespace nsearch
