// What each kind of query becomes in Xapian: a table of {query, parsed query}.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "indexer/indexer.h"
#include "query/searcher.h"
#include "tests/support/library_index.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using namespace nsearch;

namespace {

// A one-article index in a temporary directory, removed at exit.
struct TinyIndex {
  test::TempDir temp{"nsearch-parse"};
  const fs::path dir = temp.path();
  TinyIndex() {
    std::ofstream(dir / "a.txt") << "Title: Talks\n\nDeportation flights resumed.\n";
    test::IndexWithLibrary(dir / "index", {dir / "a.txt"});
  }
};

std::string Parsed(const std::string& text, MatchMode mode = MatchMode::kAllWords) {
  static TinyIndex index;
  static Searcher searcher(index.dir / "index");
  return searcher.Parse(text, mode).get_description();
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

TEST_CASE("with --any the words no operator joins are OR-ed and other operators stay", "[parse]") {
  struct Case {
    const char* query;
    const char* parsed;
  };
  const Case cases[] = {
      {"flights", "Query(Zflight@1)"},
      // No adjacency boost: it lowered MAP on natural-language queries.
      {"deportation flights", "Query((Zdeport@1 OR Zflight@2))"},
      {"what are the deportation flights", "Query((Zdeport@4 OR Zflight@5))"},
      {"+cuba flights", "Query((Zcuba@1 AND_MAYBE Zflight@2))"},
      {"cuba AND flights", "Query((Zcuba@1 AND Zflight@2))"},
      {"\"deportation flights\" cuba", "Query(((deportation@1 PHRASE 2 flights@2) OR Zcuba@3))"},
      {"the who", "Query((the@1 PHRASE 2 who@2))"},
  };
  for (const Case& c : cases) {
    INFO("query: --any " << c.query);
    CHECK(Parsed(c.query, MatchMode::kAnyWord) == c.parsed);
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
