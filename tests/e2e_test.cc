// End-to-end tests: run the real nsearch-index and nsearch binaries on the
// frozen corpus in tests/fixtures/news and check hit sets, order, output
// formats and exit codes against the command-line contract.
//
// tests/fixtures/README.md lists what every article contains. The expected
// sets below were worked out by hand from those files. If you edit an
// article, check every query here again.
//
// Each test process indexes the corpus once, into a temporary directory that
// is removed at exit. Tests that change an index build their own.
#include "tests/e2e_support.h"

using namespace e2e;

// ---------------------------------------------------------------------------

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

TEST_CASE("the JSON hit carries the title, date and source of the header", "[e2e]") {
  struct Expected {
    std::string query, name, title, date, source;
  };
  const std::vector<Expected> cases = {
      {"title:havana", kCubaTalks, "U.S. and Cuba hold migration talks in Havana", "2022-04-20", "Reuters"},
      {"title:meltdown", kOilBelowZero, "Oil prices sink below zero in unprecedented meltdown", "2020-04-21", "AP"},
      {"wembley", kLionesses, "Lionesses win Euro 2022 at Wembley", "2022-07-31", "Guardian"},
  };
  for (const Expected& e : cases) {
    INFO("query: " << e.query);
    const RunResult r = Search({"--json", e.query});
    REQUIRE(r.exit_code == 0);
    const json j = ParseJson(r.out);
    REQUIRE(j["hits"].size() == 1);
    const json& hit = j["hits"][0];
    CHECK(NameOf(hit["path"].get<std::string>()) == e.name);
    CHECK(hit["title"] == e.title);
    // "2022-04-20" or the full ISO 8601 time ("2022-04-20T14:00:00Z").
    CHECK(StartsWith(hit["date"].get<std::string>(), e.date));
    CHECK(hit["source"] == e.source);
  }
}

TEST_CASE("the -n limit and --offset page through the hits", "[e2e]") {
  const std::string query = "cuba OR oil OR election";
  const std::vector<std::string> all = RankedHits(query);
  REQUIRE(all.size() == 13);  // more than one page of the default size
  CHECK(Names(all.begin(), all.end()) == Union(Union(kCubaArticles, kOilArticles), kElectionArticles));

  auto page = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--format", "paths"});
    args.push_back(query);
    const RunResult r = Search(args);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    std::vector<std::string> names;
    for (const std::string& line : Lines(r.out)) names.push_back(NameOf(line));
    return names;
  };
  using Page = std::vector<std::string>;
  CHECK(page({"-n", "5"}) == Page(all.begin(), all.begin() + 5));
  CHECK(page({"--limit", "3"}) == Page(all.begin(), all.begin() + 3));
  CHECK(page({"-n", "5", "--offset", "5"}) == Page(all.begin() + 5, all.begin() + 10));
  CHECK(page({"-n", "5", "--offset", "10"}) == Page(all.begin() + 10, all.end()));
  CHECK(page({"-n", "0", "--offset", "4"}) == Page(all.begin() + 4, all.end()));
}

TEST_CASE("count format prints the exact number of matching articles", "[e2e]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"cuba", "6\n"},
      {"\"deportation flights\"", "2\n"},
      {"cuba OR oil OR election OR football", "17\n"},
  };
  for (const auto& [query, count] : cases) {
    INFO("query: " << query);
    const RunResult r = Search({"--format", "count", query});
    CHECK(r.exit_code == 0);
    CHECK(r.out == count);
  }
}

TEST_CASE("JSON output is one object with every field of schema 1", "[e2e]") {
  const fs::path news = fs::canonical(kNewsDir);
  for (const std::vector<std::string>& format : {std::vector<std::string>{"--json"}, {"--format", "json"}}) {
    std::vector<std::string> args = format;
    args.insert(args.end(), {"-n", "0", "opec"});
    const RunResult r = Search(args);
    INFO("format: " << format.back() << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    const json j = ParseJson(r.out);
    REQUIRE(j.is_object());
    CHECK(j["schema"] == 1);
    CHECK(j["query"] == "opec");
    CHECK(j["total"] == 2);
    CHECK(j["offset"] == 0);
    REQUIRE(j["hits"].is_array());
    REQUIRE(j["hits"].size() == 2);

    std::set<std::string> ids;
    double previous_score = 1e300;
    for (std::size_t i = 0; i < j["hits"].size(); ++i) {
      const json& hit = j["hits"][i];
      INFO("hit " << i << ": " << hit.dump());
      REQUIRE(hit.is_object());
      for (const char* field : {"rank", "score", "id", "path", "title", "date", "source", "snippet"}) {
        CHECK(hit.contains(field));
      }
      CHECK(hit["rank"] == i + 1);
      REQUIRE(hit["score"].is_number());
      CHECK(hit["score"].get<double>() <= previous_score);
      previous_score = hit["score"].get<double>();
      REQUIRE(hit["id"].is_string());
      CHECK_FALSE(hit["id"].get<std::string>().empty());
      ids.insert(hit["id"].get<std::string>());
      REQUIRE(hit["path"].is_string());
      const fs::path path = hit["path"].get<std::string>();
      CHECK(path.is_absolute());
      CHECK(fs::exists(path));
      CHECK(path == fs::canonical(path));
      CHECK(hit["title"].is_string());
      CHECK(hit["date"].is_string());
      CHECK(hit["source"].is_string());
      REQUIRE(hit["snippet"].is_string());
      const std::string snippet = hit["snippet"];
      CHECK_FALSE(snippet.empty());
      CHECK_FALSE(Contains(snippet, "\x1b"));
      CHECK_FALSE(Contains(snippet, "<b>"));
    }
    CHECK(ids.size() == 2);

    const json& top = j["hits"][0];
    CHECK(NameOf(top["path"]) == kOpecCut);
    CHECK(top["title"] == "OPEC and allies agree deep output cut, lifting oil prices");
    CHECK(StartsWith(top["date"], "2022-10-05"));
    CHECK(top["source"] == "Reuters");
    CHECK(Contains(top["snippet"], "OPEC"));
    CHECK(NameOf(j["hits"][1]["path"]) == kOilBelowZero);
  }
}

TEST_CASE("JSON joins the query words with spaces and pages with absolute ranks", "[e2e]") {
  const RunResult r = Search({"--json", "-n", "2", "--offset", "2", "deportation", "flights"});
  REQUIRE(r.exit_code == 0);
  const json j = ParseJson(r.out);
  CHECK(j["query"] == "deportation flights");
  CHECK(j["total"] == 4);
  CHECK(j["offset"] == 2);
  REQUIRE(j["hits"].size() == 2);
  CHECK(j["hits"][0]["rank"] == 3);
  CHECK(j["hits"][1]["rank"] == 4);
}

TEST_CASE("JSON snippets are plain text, not HTML", "[e2e]") {
  // The carmakers article opens with "Dealers such as Hartley & Sons".
  const RunResult r = Search({"--json", "hartley"});
  REQUIRE(r.exit_code == 0);
  const json j = ParseJson(r.out);
  REQUIRE(j["hits"].size() == 1);
  const std::string snippet = j["hits"][0]["snippet"];
  INFO("snippet: " << snippet);
  CHECK(Contains(snippet, "Hartley & Sons"));
  CHECK_FALSE(Contains(snippet, "&amp;"));
}

TEST_CASE("JSON Lines output is one parseable object per hit per line", "[e2e]") {
  const std::vector<std::string> ranked = RankedHits("cuba");
  REQUIRE(ranked.size() == 6);

  const RunResult r = Search({"--format", "jsonl", "-n", "0", "cuba"});
  REQUIRE(r.exit_code == 0);
  const std::vector<std::string> lines = Lines(r.out);
  REQUIRE(lines.size() == 6);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO("line " << i << ": " << lines[i]);
    const json hit = ParseJson(lines[i]);
    REQUIRE(hit.is_object());
    CHECK(hit["rank"] == i + 1);
    REQUIRE(hit["path"].is_string());
    CHECK(NameOf(hit["path"]) == ranked[i]);
    CHECK(hit["title"].is_string());
    CHECK(hit["snippet"].is_string());
  }
}

TEST_CASE("paths output is the canonical absolute path of each hit", "[e2e]") {
  const RunResult r = Search({"--format", "paths", "title:havana"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == fs::canonical(kNewsDir / kCubaTalks).string() + "\n");
}

TEST_CASE("text output shows the titles and uses colour only when asked", "[e2e]") {
  const std::string title = "OPEC and allies agree deep output cut, lifting oil prices";

  const RunResult never = Search({"--color", "never", "opec"});
  REQUIRE(never.exit_code == 0);
  CHECK(Contains(never.out, title));
  CHECK_FALSE(Contains(never.out, "\x1b"));

  // stdout is a pipe here, not a terminal.
  const RunResult automatic = Search({"opec"});
  REQUIRE(automatic.exit_code == 0);
  CHECK(Contains(automatic.out, title));
  CHECK_FALSE(Contains(automatic.out, "\x1b"));

  const RunResult always = Search({"--color", "always", "opec"});
  REQUIRE(always.exit_code == 0);
  CHECK(Contains(always.out, "\x1b["));
}

TEST_CASE("a query that matches nothing exits 1 and prints nothing", "[e2e]") {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"zyzzyva"}, {"--format", "paths", "zyzzyva"}, {"cuba", "AND", "football"}, {"\"flights deportation\""}}) {
    const RunResult r = Search(args);
    INFO("query: " << args.back() << "\nstderr: " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
  }
}

TEST_CASE("searching a --db directory that holds no index exits 2 with one line naming nsearch-index",
          "[e2e]") {
  TempDir dir;
  for (const fs::path& db : {dir.path(), dir.path() / "does-not-exist"}) {
    const RunResult r = SearchIn(db, {"cuba"});
    INFO("db: " << db << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(Lines(r.err).size() == 1);
    CHECK(Contains(r.err, "nsearch-index"));
  }
}

TEST_CASE("a malformed query exits 2 with one line on stderr", "[e2e]") {
  // Xapian's QueryParser rejects an operator without both operands.
  for (const std::string query : {"cuba AND", "cuba OR OR oil", "AND cuba", "cuba XOR"}) {
    const RunResult r = Search({query});
    INFO("query: " << query << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(Lines(r.err).size() == 1);
  }
  // The parser is lenient with unclosed brackets and quotes, and an empty
  // query may be an error or no match; none of them may crash.
  for (const std::string query : {"cuba AND (oil", "\"unclosed", "(", "\"\""}) {
    const RunResult r = Search({query});
    INFO("query: " << query << "\nstderr: " << r.err);
    CHECK((r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 2));
    if (r.exit_code == 2) CHECK(Lines(r.err).size() == 1);
  }
}

TEST_CASE("usage errors exit 2", "[e2e]") {
  const std::string db = FixtureIndex::Db().string();
  for (const std::vector<std::string>& argv : std::vector<std::vector<std::string>>{
           {kSearchBin, "--db", db, "--no-such-option", "cuba"},
           {kSearchBin, "--db", db},
           {kSearchBin, "--db", db, "--format", "xml", "cuba"},
           {kIndexBin, "--db", db + "-never-built"},  // no paths, and no index remembering any
       }) {
    const RunResult r = Run(argv);
    INFO("argv: " << argv.front() << " ... " << argv.back() << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_FALSE(r.err.empty());
  }
}

TEST_CASE("the --db option beats NSEARCH_DB, which is used when --db is absent", "[e2e]") {
  const std::string db = FixtureIndex::Db().string();
  TempDir dir;
  // A second index with one article mentioning Cuba: 1 hit there, 6 in the fixtures.
  const fs::path decoy_corpus = dir.path() / "decoy";
  fs::create_directory(decoy_corpus);
  std::ofstream(decoy_corpus / "decoy.txt") << "Title: Decoy article\n\nA decoy article about Cuba.\n";
  const fs::path decoy_db = dir.path() / "decoy-idx";
  const fs::path bogus = dir.path() / "no-such-index";

  // nsearch-index honours --db over NSEARCH_DB too.
  const RunResult indexed = Index(decoy_db, {decoy_corpus.string()}, {}, {{"NSEARCH_DB", bogus.string()}});
  REQUIRE(indexed.exit_code == 0);
  CHECK_FALSE(fs::exists(bogus));

  auto count = [&](std::vector<std::string> args, const std::string& env_db) {
    args.insert(args.begin(), kSearchBin);
    args.insert(args.end(), {"--format", "count", "cuba"});
    return Run(args, {{"NSEARCH_DB", env_db}});
  };
  SECTION("--db wins over an NSEARCH_DB that points at another index") {
    const RunResult r = count({"--db", db}, decoy_db.string());
    CHECK(r.exit_code == 0);
    CHECK(r.out == "6\n");
  }
  SECTION("--db wins over an NSEARCH_DB that points nowhere") {
    const RunResult r = count({"--db", db}, bogus.string());
    CHECK(r.exit_code == 0);
    CHECK(r.out == "6\n");
  }
  SECTION("NSEARCH_DB is used without --db") {
    const RunResult fixtures = count({}, db);
    CHECK(fixtures.exit_code == 0);
    CHECK(fixtures.out == "6\n");
    const RunResult decoy = count({}, decoy_db.string());
    CHECK(decoy.exit_code == 0);
    CHECK(decoy.out == "1\n");
    const RunResult nowhere = count({}, bogus.string());
    CHECK(nowhere.exit_code == 2);
    CHECK(Lines(nowhere.err).size() == 1);
  }
}

TEST_CASE("re-indexing the same files replaces them instead of adding duplicates", "[e2e]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  const std::string broad = "cuba OR oil OR election OR football";
  auto count = [&](const std::string& query) {
    const RunResult r = SearchIn(db, {"--format", "count", query});
    INFO("query: " << query << "\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
    return r.out;
  };
  auto index = [&](const std::vector<std::string>& inputs, const std::vector<std::string>& options) {
    const RunResult r = Index(db, inputs, options);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(count(broad) == "17\n");
    CHECK(count("\"deportation flights\"") == "2\n");
  };

  index({kNewsDir.string()}, {});
  index({kNewsDir.string()}, {});
  // The same files by other spellings of their paths, with several workers.
  index({(kNewsDir / "wire" / ".." / "wire").string(), (kNewsDir / "." / "features").string()}, {"--jobs", "4"});
  index({(kNewsDir / kCubaTalks).string()}, {"--jobs", "1"});

  const RunResult r = SearchIn(db, {"--format", "paths", "-n", "0", broad});
  const std::vector<std::string> lines = Lines(r.out);
  CHECK(lines.size() == 17);
  CHECK(std::set<std::string>(lines.begin(), lines.end()).size() == lines.size());
}

TEST_CASE("bad inputs are skipped and named on stderr, and the good files are indexed", "[e2e]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus / "loop");
  auto write = [](const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  };
  write(corpus / "good-quokka.txt", "Title: Quokka numbers recover\n\nThe quokka population on the island is growing.\n");
  write(corpus / "good-wombat.md", "Wombat burrows found\n\nRangers mapped new wombat burrows near the river.\n");
  // Invalid UTF-8 (a lone continuation byte, an overlong form, 0xFF) between valid words.
  write(corpus / "invalid-utf8.txt",
        "Title: Zoo keepers report escape\n\nThe marmoset \x80 slipped \xC0\xAF out \xFF of its enclosure overnight.\n");
  write(corpus / "empty.txt", "");
  write(corpus / "binary.txt", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0pangolin\0\0", 20) + "pangolin data\n");
  std::string big = "Title: Walrus colony\n\n";
  while (big.size() < 20000) big += "The walrus colony on the ice shelf keeps growing every year. ";
  write(corpus / "big.txt", big);
  write(corpus / "loop" / "inner.txt", "Axolotl breeding\n\nThe axolotl tank at the museum has new eggs.\n");
  fs::create_directory_symlink("..", corpus / "loop" / "again");  // loop/again/loop/again/...

  // Root can read a file whatever its mode, so the unreadable case needs another user.
  const bool check_unreadable = ::geteuid() != 0;
  if (check_unreadable) {
    write(corpus / "unreadable.txt", "Narwhal sighting\n\nA narwhal was seen in the fjord.\n");
    fs::permissions(corpus / "unreadable.txt", fs::perms::none);
  }

  const fs::path db = dir.path() / "idx";
  const RunResult r = Index(db, {corpus.string()}, {"--max-size", "4096"});
  INFO("stderr:\n" << r.err);
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);

  // Exactly one stderr line names each skipped file; none names a good one.
  const std::vector<std::string> err_lines = Lines(r.err);
  auto lines_naming = [&](const std::string& file) {
    std::size_t n = 0;
    for (const std::string& line : err_lines) n += Contains(line, "/" + file) ? 1 : 0;
    return n;
  };
  std::vector<std::string> skipped = {"empty.txt", "binary.txt", "big.txt"};
  if (check_unreadable) skipped.push_back("unreadable.txt");
  for (const std::string& file : skipped) {
    INFO("skipped file: " << file);
    CHECK(lines_naming(file) == 1);
  }
  CHECK(lines_naming("good-quokka.txt") == 0);
  CHECK(lines_naming("good-wombat.md") == 0);
  CHECK(lines_naming("inner.txt") == 0);

  auto paths = [&](const std::string& query) {
    const RunResult s = SearchIn(db, {"--format", "paths", "-n", "0", query});
    INFO("query: " << query << "\nstderr: " << s.err);
    CHECK((s.exit_code == 0 || s.exit_code == 1));
    return Lines(s.out);
  };
  using Paths = std::vector<std::string>;
  const fs::path real = fs::canonical(corpus);
  CHECK(paths("quokka") == Paths{(real / "good-quokka.txt").string()});
  CHECK(paths("wombat") == Paths{(real / "good-wombat.md").string()});
  CHECK(paths("marmoset") == Paths{(real / "invalid-utf8.txt").string()});
  CHECK(paths("enclosure") == Paths{(real / "invalid-utf8.txt").string()});
  // Indexed once, however many times the symlink loop leads back to it.
  CHECK(paths("axolotl") == Paths{(real / "loop" / "inner.txt").string()});
  CHECK(paths("pangolin").empty());
  CHECK(paths("walrus").empty());
  if (check_unreadable) CHECK(paths("narwhal").empty());
}

TEST_CASE("nsearch-index exits 2 when it can index nothing", "[e2e]") {
  TempDir dir;
  SECTION("the index cannot be created") {
    const fs::path file = dir.path() / "a-file";
    std::ofstream(file) << "not a directory\n";
    const RunResult r = Index(file / "idx", {kNewsDir.string()});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_FALSE(r.err.empty());
  }
  SECTION("the only input does not exist") {
    const fs::path missing = dir.path() / "no-such-corpus";
    const RunResult r = Index(dir.path() / "idx", {missing.string()});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(Contains(r.err, missing.string()));
  }
}

TEST_CASE("a second nsearch-index on a locked index fails at once with a clear message", "[e2e]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {(kNewsDir / kCubaTalks).string()}).exit_code == 0);
  // Hold the writer's lock as a running nsearch-index would.
  const int fd = ::open((db / "lock").c_str(), O_RDWR);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  const RunResult r = Index(db, {kNewsDir.string()});
  ::close(fd);
  CHECK(r.exit_code == 2);
  CHECK(Contains(r.err, "another nsearch-index is updating"));
  CHECK(Lines(r.err).size() == 1);
  // The index is untouched and still answers.
  CHECK(SearchIn(db, {"--format", "count", "cuba"}).out == "1\n");
}

TEST_CASE("Ctrl-C stops nsearch-index cleanly and keeps what it indexed", "[e2e]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  const fs::path db = dir.path() / "idx";
  constexpr int kArticles = 20000;
  for (int i = 0; i < kArticles; ++i) {
    const fs::path sub = corpus / ("d" + std::to_string(i % 20));
    fs::create_directories(sub);
    std::ofstream(sub / ("a" + std::to_string(i) + ".txt"))
        << "Title: Harbour report " << i << "\n\nThe harbour master logged vessel " << i
        << " arriving with cargo and crew; tides and weather were noted in the harbour log.\n";
  }
  ChildProcess index({kIndexBin, "--quiet", "--db", db.string(), corpus.string()},
                     ChildProcess::Options{.env = SandboxEnv(), .capture_output = false});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  index.Signal(SIGINT);
  const std::optional<int> status = index.Wait(kRunTimeout);
  REQUIRE(status);
  REQUIRE(index.signal() == 0);  // it exited, not killed by the signal
  // 130 when interrupted; 0 if this machine was quick enough to finish first.
  const int code = *status;
  CHECK((code == 130 || code == 0));

  // Whatever was indexed is searchable and consistent (stopped before the
  // first article, there is no index yet); a second run finishes the job.
  const RunResult partial = SearchIn(db, {"--format", "count", "harbour"});
  if (partial.exit_code == 2) {
    CHECK(code == 130);
    CHECK(Contains(partial.err, "nsearch-index"));
  } else {
    CHECK((partial.exit_code == 0 || partial.exit_code == 1));
    CHECK(std::stoi(partial.out) <= kArticles);
    if (code == 0) CHECK(std::stoi(partial.out) == kArticles);
  }
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);
  // --all: these articles differ by one number, near-duplicates that a
  // search would otherwise show (and count) once per group.
  CHECK(SearchIn(db, {"--all", "--format", "count", "harbour"}).out == std::to_string(kArticles) + "\n");
}
