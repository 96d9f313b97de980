#include "tests/support/library_index.h"

#include <atomic>

namespace nsearch::test {

LibraryIndexResult IndexWithLibrary(const std::filesystem::path& index_dir,
                                    const std::vector<std::filesystem::path>& roots,
                                    const std::function<void(IndexerOptions&)>& adjust) {
  IndexerOptions options;
  options.index_dir = index_dir;
  options.roots = roots;
  options.jobs = 1;
  if (adjust) adjust(options);
  LibraryIndexResult result;
  IndexProgress progress;
  const std::atomic<bool> stop{false};
  result.summary = Indexer(options, [&](const SkippedInput& s) { result.skipped.push_back(s); }).Run(progress, stop);
  return result;
}

}  // namespace nsearch::test
