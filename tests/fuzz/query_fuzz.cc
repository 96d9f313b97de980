// libFuzzer target: a query parsed and run against a small index of the
// fixture corpus (tests/fixtures: English news, plus the formats folder's
// Spanish and French articles, so queries are parsed once per language).
// The first byte of the input picks the options (--any, --sort, --all,
// --explain, facets and timeline); the rest is the query text.
//
// A malformed query may throw QueryError or UsageError (nsearch prints it
// in one line and exits 2); anything else escaping Search() is a bug and
// aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>

#include "common/error.h"
#include "query/searcher.h"
#include "tests/support/library_index.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

std::unique_ptr<nsearch::test::TempDir> g_dir;
std::unique_ptr<nsearch::Searcher> g_searcher;

// The searcher closes its index before the folder holding it goes.
void RemoveIndex() {
  g_searcher.reset();
  g_dir.reset();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  try {
    g_dir = std::make_unique<nsearch::test::TempDir>("nsearch-query-fuzz");
    std::atexit(RemoveIndex);
    const fs::path index = g_dir->path() / "index";
    nsearch::test::IndexWithLibrary(index, {fs::path(FIXTURES_DIR) / "news", fs::path(FIXTURES_DIR) / "formats"},
                                    [](nsearch::IndexerOptions& options) {
                                      options.jobs = 2;  // two shards: the stub and docid interleaving too
                                    });
    g_searcher = std::make_unique<nsearch::Searcher>(index);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "query_fuzz: cannot index the fixtures: %s\n", e.what());
    std::abort();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t flags = data[0];
  nsearch::SearchRequest request;
  request.query.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  request.mode = flags & 1 ? nsearch::MatchMode::kAnyWord : nsearch::MatchMode::kAllWords;
  request.sort = (flags >> 1 & 3) == 1   ? nsearch::SortOrder::kNewest
                 : (flags >> 1 & 3) == 2 ? nsearch::SortOrder::kOldest
                                         : nsearch::SortOrder::kRelevance;
  request.collapse = (flags & 8) == 0;
  request.explain = (flags & 16) != 0;
  if (flags & 32) {
    request.facets = {nsearch::Facet::kSource, nsearch::Facet::kYear, nsearch::Facet::kMonth, nsearch::Facet::kLanguage};
    request.timeline = nsearch::Period::kMonth;
  }
  request.limit = flags & 64 ? 0 : 10;
  try {
    g_searcher->Search(request);
  } catch (const nsearch::QueryError&) {
  } catch (const nsearch::UsageError&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "query_fuzz: unexpected error: %s\n", e.what());
    std::abort();
  }
  return 0;
}
