// End-to-end tests of the query language: run the real nsearch-index and
// nsearch binaries on the frozen corpus in tests/fixtures/news and check hit
// sets and order for words, stems, phrases, --any, boolean operators, NEAR
// and fields.
//
// tests/fixtures/README.md lists what every article contains. The expected
// sets below were worked out by hand from those files. If you edit an
// article, check every query here and in the other end-to-end tests again.
//
// Each test process indexes the corpus once, into a temporary directory that
// is removed at exit. Tests that change an index build their own.
#include "tests/e2e/support.h"

using namespace e2e;

TEST_CASE("the fixture corpus holds exactly the articles these tests name", "[e2e][fixtures]") {
  Names found;
  for (const auto& entry : fs::recursive_directory_iterator(kNewsDir)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".txt" || ext == ".md")) {
      found.insert(entry.path().lexically_relative(kNewsDir).string());
    }
  }
  CHECK(found == kAllArticles);
  CHECK(kAllArticles.size() == 26);
}

TEST_CASE("a single word finds exactly the articles that contain it", "[e2e]") {
  CheckCases({
      {"opec", {kOpecCut, kOilBelowZero}},
      {"OPEC", {kOpecCut, kOilBelowZero}},
      {"football", kFootballArticles},
      {"cuba", kCubaArticles},
      {"oil", kOilArticles},
      {"election", kElectionArticles},
      {"havana", {kCubaTalks, kCubaFlights, kNicaraguaRoute}},
      {"ciarán", {kStormCiaran}},
  });
}

TEST_CASE("a word matches other forms with the same English Snowball stem", "[e2e]") {
  // migration, migrating and migrated stem to "migrat"; migrants stems to
  // "migrant", so the migrant articles and the migration articles differ.
  CheckCases({
      {"migrating", {kCubaTalks, kNicaraguaRoute, kSwallows}},
      {"migration", {kCubaTalks, kNicaraguaRoute, kSwallows}},
      {"migrants", {kCubaFlights, kFloridaFamilies, kCourtBacklog}},
      // "flights" also finds the singular "flight" (the swallows article).
      {"flights", {kCubaTalks, kCubaFlights, kNicaraguaRoute, kFloridaFamilies, kStormEunice, kSwallows}},
      // running, runs and run stem to "run"; "runners" (storm Eunice) stems to "runner".
      {"running", {kWrexham, kMidterms}},
  });
}

TEST_CASE("a quoted phrase finds exactly the articles with those words in that order", "[e2e]") {
  CheckCases({
      {"\"deportation flights\"", {kCubaTalks, kCubaFlights}},
      {"deportation flights", {kCubaTalks, kCubaFlights, kNicaraguaRoute, kFloridaFamilies}},
      {"\"chip export controls\"", {kUsChipControls, kDutchChipControls}},
      {"chip export controls", {kUsChipControls, kDutchChipControls, kArizonaPlant}},
      {"\"coastal erosion\"", {kNorfolkErosion}},
      {"\"flights deportation\"", {}},
  });
}

TEST_CASE("unquoted words that stand next to each other rank above the same words far apart", "[e2e]") {
  // Both articles hold "coastal" and "erosion" once each. The Norfolk article
  // is longer, so the weighting alone (coastal AND erosion) ranks the Outer
  // Banks one first; only the adjacency boost puts Norfolk, where the words
  // are adjacent, on top.
  CHECK(RankedHits("coastal erosion") == std::vector<std::string>{kNorfolkErosion, kOuterBanks});
}

TEST_CASE("the README's first query ranks the Reuters talks story first in the shipped corpus", "[e2e][ranking]") {
  // scripts/setup.sh indexes corpus/ and runs nsearch "deportation flights".
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {CORPUS_DIR}).exit_code == 0);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"deportation flights"}, {"deportation", "flights"}, {"--any", "deportation", "flights"}}) {
    std::vector<std::string> full = {"--format", "paths"};
    full.insert(full.end(), args.begin(), args.end());
    const RunResult r = SearchIn(db, full);
    INFO("args: " << args.front() << " ...\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
    const std::vector<std::string> lines = Lines(r.out);
    REQUIRE_FALSE(lines.empty());
    CHECK(fs::path(lines.front()).filename() == "reuters-us-cuba-migration-talks.txt");
  }
}

// Ranked hits of `query` with --any, as article names; checks the exit status.
std::vector<std::string> RankedAnyHits(const std::string& query) {
  const RunResult r = Search({"--any", "--format", "paths", "-n", "0", "--", query});
  INFO("query: --any " << query << "\nstderr: " << r.err);
  std::vector<std::string> names;
  for (const std::string& line : Lines(r.out)) names.push_back(NameOf(line));
  CHECK(r.exit_code == (names.empty() ? 1 : 0));
  return names;
}

// The set of --any hits of `query`; checks no article comes twice.
Names AnyHits(const std::string& query) {
  const std::vector<std::string> ranked = RankedAnyHits(query);
  const Names names(ranked.begin(), ranked.end());
  INFO("query: --any " << query);
  CHECK(names.size() == ranked.size());
  return names;
}

// The first `n` of `ranked`, as a set.
Names Prefix(const std::vector<std::string>& ranked, std::size_t n) {
  return Names(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(std::min(n, ranked.size())));
}

TEST_CASE("with --any an article with any of the words matches, and more of them rank first", "[e2e][any]") {
  const std::vector<std::string> ranked = RankedAnyHits("deportation flights");
  // deportation: the five migration articles; flights or flight: four of
  // them, the Storm Eunice article and the swallows article.
  CHECK(AnyHits("deportation flights") ==
        Names{kCubaTalks, kCubaFlights, kNicaraguaRoute, kFloridaFamilies, kCourtBacklog, kStormEunice, kSwallows});
  // Both words beat one word (no adjacency boost with --any).
  CHECK(Prefix(ranked, 4) == Names{kCubaTalks, kCubaFlights, kNicaraguaRoute, kFloridaFamilies});

  const RunResult count = Search({"--any", "--format", "count", "deportation", "flights"});
  CHECK(count.exit_code == 0);
  CHECK(count.out == "7\n");
}

TEST_CASE("with --any one matching word is enough when the others match nothing", "[e2e][any]") {
  CHECK(RankedHits("zyzzyva opec").empty());
  CHECK(AnyHits("zyzzyva opec") == Names{kOpecCut, kOilBelowZero});
  const RunResult none = Search({"--any", "zyzzyva", "quokka"});
  CHECK(none.exit_code == 1);
  CHECK(none.out.empty());
}

TEST_CASE("with --any phrases, operators and +/- words keep their meaning", "[e2e][any]") {
  // +oil is required and opec only ranks: the two OPEC articles lead.
  CHECK(AnyHits("+oil opec") == kOilArticles);
  const std::vector<std::string> oil = RankedAnyHits("+oil opec");
  CHECK(Prefix(oil, 2) == Names{kOpecCut, kOilBelowZero});
  CHECK(AnyHits("cuba -migrants") == Names{kCubaTalks, kNicaraguaRoute, kVenezuelaOil});
  // The phrase or the stem storm (storms in the two erosion articles).
  CHECK(AnyHits("\"deportation flights\" storm") ==
        Names{kCubaTalks, kCubaFlights, kStormEunice, kStormCiaran, kNorfolkErosion, kOuterBanks});
  CHECK(AnyHits("cuba AND oil") == Names{kVenezuelaOil});
}

TEST_CASE("AND, OR, NOT, XOR and brackets combine words as boolean operators", "[e2e]") {
  CheckCases({
      {"cuba AND oil", {kVenezuelaOil}},
      {"cuba OR opec", Union(kCubaArticles, {kOpecCut, kOilBelowZero})},
      {"cuba NOT migration", {kCubaFlights, kFloridaFamilies, kCourtBacklog, kVenezuelaOil}},
      {"cuba XOR oil",
       {kCubaTalks, kCubaFlights, kNicaraguaRoute, kFloridaFamilies, kCourtBacklog, kOpecCut, kOilBelowZero,
        kWindfallTax}},
      // An article in an odd number of them: the talks article has cuba and
      // sanctions, the Venezuela one all three.
      {"cuba XOR oil XOR sanctions",
       {kCubaFlights, kNicaraguaRoute, kFloridaFamilies, kCourtBacklog, kOpecCut, kOilBelowZero, kWindfallTax,
        kVenezuelaOil}},
      {"(cuba OR oil) AND sanctions", {kCubaTalks, kVenezuelaOil}},
      // Without brackets AND binds tighter: cuba OR (oil AND sanctions).
      {"cuba OR oil AND sanctions", kCubaArticles},
      {"cuba OR oil OR election OR football",
       Union(Union(kCubaArticles, kOilArticles), Union(kElectionArticles, kFootballArticles))},
  });
}

// Xapian 1.4.22 crashed on an XOR inside a filter when a search of several
// shards counted every match (Searcher's WithoutXor).
TEST_CASE("XOR inside a filter counts every match without crashing", "[e2e]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {kNewsDir.string()}, {"--shards", "3"}).exit_code == 0);  // the crash needed shards
  const std::vector<std::string> cases[] = {
      {"--all", "-c", "(cuba XOR oil) (lang:en OR lang:es)"},
      {"--all", "-c", "(cuba XOR oil) NOT zebra"},
      {"--all", "--limit", "1", "--facets", "source", "(cuba XOR oil) (lang:en OR lang:es)"},
  };
  for (const std::vector<std::string>& args : cases) {
    INFO(args.back());
    const RunResult r = SearchIn(db, args);
    CHECK(r.exit_code == 0);
    if (args[1] == "-c") CHECK(r.out == "8\n");
  }
}

TEST_CASE("a +word is required and a -word is excluded", "[e2e]") {
  CheckCases({
      {"+oil -opec", {kVenezuelaOil, kWindfallTax}},
      {"cuba -migrants", {kCubaTalks, kNicaraguaRoute, kVenezuelaOil}},
      {"+cuba +oil", {kVenezuelaOil}},
  });
}

TEST_CASE("NEAR matches words within ten positions of each other, in either order", "[e2e]") {
  // The Florida article has both words, more than 100 words apart.
  const Names expected = {kCubaTalks, kCubaFlights, kNicaraguaRoute};
  CheckCases({
      {"deportation NEAR flights", expected},
      {"flights NEAR deportation", expected},
  });
}

TEST_CASE("title:, author: and source: search only that field", "[e2e]") {
  CheckCases({
      // Havana is in the title of the talks article and the bodies of two others.
      {"title:havana", {kCubaTalks}},
      {"title:meltdown", {kOilBelowZero}},
      // Walker writes two Reuters articles and is a footballer in the Wrexham one.
      {"author:walker", {kBrazilElection, kUsChipControls}},
      {"walker", {kBrazilElection, kUsChipControls, kWrexham}},
      // The BBC's Nicaragua feature cites Reuters in its body.
      {"source:reuters", {kCubaTalks, kOpecCut, kVenezuelaOil, kBrazilElection, kUsChipControls}},
      {"reuters", {kCubaTalks, kOpecCut, kVenezuelaOil, kBrazilElection, kUsChipControls, kNicaraguaRoute}},
      {"source:guardian", {kFloridaFamilies, kWindfallTax, kLionesses, kNorfolkErosion, kChipShortage}},
      {"source:bbc flights", {kNicaraguaRoute, kStormEunice, kSwallows}},
  });
}

TEST_CASE("an article without a header takes its title from its first non-empty line", "[e2e]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      // This file starts with two blank lines.
      {"ashcombe", "Village football club saves its ground after fundraising drive"},
      {"ciarán", "Storm Ciarán leaves trail of damage in Porthleven harbour"},
      {"recount", "Recount decides council seat by a single vote"},
  };
  for (const auto& [query, title] : cases) {
    INFO("query: " << query);
    const RunResult r = Search({"--json", query});
    REQUIRE(r.exit_code == 0);
    const json j = ParseJson(r.out);
    REQUIRE(j["hits"].size() == 1);
    CHECK(j["hits"][0]["title"] == title);
    CHECK(j["hits"][0]["date"] == "");
  }
}
