// Helpers of the end-to-end tests of nsearch-index runs (index_updates,
// languages, json_input, stored_text and duplicates tests): what an index
// finds, and the summary line of a run.
#pragma once

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/support.h"

namespace e2e {

// The file names (not paths) of what `query` finds in the index at `db`.
inline std::set<std::string> FileNamesFound(const fs::path& db, const std::string& query) {
  std::set<std::string> found;
  for (const std::string& line : Lines(SearchIn(db, {"--format", "paths", query}).out)) {
    found.insert(fs::path(line).filename().string());
  }
  return found;
}

// Writes `text` to `path`, making the folders it lies in.
inline void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// The summary line of a run that was not --quiet: its counts by name.
inline std::map<std::string, long> SummaryCounts(const std::string& err) {
  std::map<std::string, long> counts;
  const std::string line = Lines(err).empty() ? "" : Lines(err).back();
  for (const char* name : {"added", "updated", "removed", "unchanged", "skipped"}) {
    const std::size_t at = line.find(std::string(" ") + name);
    if (at == std::string::npos) continue;
    std::size_t start = line.rfind(' ', at - 1);
    start = start == std::string::npos ? 0 : start + 1;
    counts[name] = std::stol(line.substr(start, at - start));
  }
  return counts;
}

// nsearch-index without --quiet, so that its summary line can be read.
inline RunResult IndexVerbose(const fs::path& db, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {kIndexBin, "--db", db.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv);
}

inline std::string Count(const fs::path& db, const std::string& query) {
  return SearchIn(db, {"--format", "count", query}).out;
}

}  // namespace e2e
