// Indexes built in the test's own process with nsearch's Indexer (the
// library nsearch-index calls), for the unit tests of the query side that
// need a real index but not the programs.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "indexer/indexer.h"

namespace nsearch::test {

struct LibraryIndexResult {
  IndexSummary summary;
  std::vector<SkippedInput> skipped;  // every input the run skipped, in order
};

// Indexes `roots` into `index_dir` with one writer thread (so document ids
// are the same on any machine): a new index on the first run, an update of
// the live one after. `adjust` may change the other options before the run.
// Throws what Indexer::Run throws (IndexError when the index cannot be
// written).
LibraryIndexResult IndexWithLibrary(const std::filesystem::path& index_dir,
                                    const std::vector<std::filesystem::path>& roots,
                                    const std::function<void(IndexerOptions&)>& adjust = {});

}  // namespace nsearch::test
