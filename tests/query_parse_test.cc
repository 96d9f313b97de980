// What each kind of query becomes in Xapian: a table of {query, parsed query}.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "indexer/indexer.h"
#include "query/searcher.h"

namespace fs = std::filesystem;
using namespace nsearch;

namespace {

// A one-article index in a temporary directory, removed at exit.
struct TinyIndex {
  fs::path dir;
  TinyIndex() {
    char tmpl[] = "/tmp/nsearch-parse-XXXXXX";
    dir = ::mkdtemp(tmpl);
    std::ofstream(dir / "a.txt") << "Title: Talks\n\nDeportation flights resumed.\n";
    IndexerOptions options;
    options.index_dir = dir / "index";
    options.roots = {dir / "a.txt"};
    options.jobs = 1;
    IndexProgress progress;
    std::atomic<bool> stop{false};
    Indexer(options, [](const SkippedInput&) {}).Run(progress, stop);
  }
  ~TinyIndex() { fs::remove_all(dir); }
};

std::string Parsed(const std::string& text) {
  static TinyIndex index;
  static Searcher searcher(index.dir / "index");
  return searcher.Parse(text).get_description();
}

}  // namespace

TEST_CASE("each query form becomes the Xapian query it should", "[parse]") {
  struct Case {
    const char* query;
    const char* parsed;
  };
  const Case cases[] = {
#include "query_parse_cases.inc"
  };
  for (const Case& c : cases) {
    INFO("query: " << c.query);
    CHECK(Parsed(c.query) == c.parsed);
  }
}

TEST_CASE("malformed and empty queries are QueryErrors naming the query", "[parse]") {
  try {
    Parsed("   ");
    FAIL("an empty query was accepted");
  } catch (const QueryError& e) {
    CHECK(std::string(e.what()).find("'   '") != std::string::npos);
  }
  CHECK_THROWS_AS(Parsed("..."), QueryError);
}
