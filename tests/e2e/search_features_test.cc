// End-to-end tests of the search features a news desk expects:
// boolean fields, dates, sorting, wildcards, lower-case operators, spelling
// suggestions, near-duplicate collapsing, facets, the timeline, --like and
// --explain. Expected sets come from tests/fixtures/README.md (dates,
// sources, URLs); the near-duplicate cases build their own corpus.
#include <cmath>
#include <set>

#include "tests/e2e/support.h"

using namespace e2e;

namespace {

const std::string kNews = fs::canonical(kNewsDir).string();

// Hits of `args` (options and query) on the fixture index, as article
// names in rank order; checks the exit status agrees.
std::vector<std::string> RankedWith(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"--format", "paths", "-n", "0"};
  argv.insert(argv.end(), args.begin(), args.end());
  const RunResult r = Search(argv);
  std::string shown;
  for (const std::string& a : args) shown += a + " ";
  INFO("args: " << shown << "\nstderr: " << r.err);
  std::vector<std::string> names;
  for (const std::string& line : Lines(r.out)) names.push_back(NameOf(line));
  CHECK(r.exit_code == (names.empty() ? 1 : 0));
  return names;
}

// Whether the weights --explain lists for a JSON hit add up to its score.
bool ExplainAddsUp(const json& hit) {
  double sum = 0;
  for (const json& part : hit["explain"]) sum += part["weight"].get<double>();
  return std::fabs(sum - hit["score"].get<double>()) < 1e-6 * hit["score"].get<double>();
}

Names HitsWith(const std::vector<std::string>& args) {
  const std::vector<std::string> ranked = RankedWith(args);
  return Names(ranked.begin(), ranked.end());
}

const Names k2019 = {kCourtBacklog, kVenezuelaOil, kUkElection};
const Names kUndated = {kVillageClub, kCouncilRecount, kStormCiaran};

Names Without(Names all, const Names& gone) {
  for (const std::string& g : gone) all.erase(g);
  return all;
}

// Four identical copies of a wire story, a rewrite of it and an unrelated
// article on the same topic, indexed in a folder of their own.
struct PortStrikeIndex {
  TempDir dir;
  fs::path db = dir.path() / "idx";

  PortStrikeIndex() {
    const fs::path corpus = dir.path() / "corpus";
    fs::create_directories(corpus);
    const std::string story =
        "The port authority said on Tuesday that container traffic through the northern terminal fell "
        "by a fifth in March, as shipping lines rerouted vessels around the strike. Dock workers have "
        "walked out three times this year over pay and shift patterns, and talks with the operators "
        "broke down last week. A spokesman for the union said members would return to work only when "
        "the operators put a written offer on the table. Freight forwarders warned that delays at the "
        "terminal were already pushing up the cost of imported goods for retailers across the region.";
    // Four identical copies (like make-corpus --copies 4) of a wire story...
    for (int copy = 1; copy <= 4; ++copy) {
      WriteFile(corpus / ("port-strike-c" + std::to_string(copy) + ".txt"),
                "Title: Port traffic falls as dock strike drags on\nDate: 2024-03-0" + std::to_string(copy) +
                    "\nSource: Wire " + std::to_string(copy) + "\n\n" + story + "\n");
    }
    // ...one with another dateline and headline, one word changed...
    std::string edited = story;
    edited.replace(edited.find("Tuesday"), 7, "Monday");
    WriteFile(corpus / "port-strike-rewrite.txt",
              "Title: Strike cuts port traffic\nDate: 2024-03-05\n\nHAMBURG - " + edited + "\n");
    // ...and an unrelated article that shares a sentence's topic words.
    WriteFile(corpus / "port-expansion.txt",
              "Title: Port plans a new terminal\nDate: 2024-02-01\n\nThe port authority unveiled plans for a "
              "second northern terminal, saying container traffic would double by the end of the decade once "
              "dredging of the channel is finished and new cranes arrive from the manufacturer.\n");
    REQUIRE(Index(db, {corpus.string()}).exit_code == 0);
  }

  json Json(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {"--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    return ParseJson(SearchIn(db, argv).out);
  }
};

}  // namespace

TEST_CASE("site:, lang:, path:, dir: and id: filter by URL host, language, file and folder", "[e2e][fields]") {
  const Names features = {kNicaraguaRoute, kFloridaFamilies, kWindfallTax, kWrexham, kLionesses, kUkElection,
                          kDutchChipControls, kChipShortage, kStormEunice, kNorfolkErosion, kSwallows};
  CheckCases({
      {"site:features.example.net", features},
      {"site:https://WWW.features.example.net/some/page", features},
      // Every host below example.net: all but the three local articles, which have no URL.
      {"site:example.net", Without(kAllArticles, kUndated)},
      {"cuba site:wire.example.net", {kCubaTalks, kCubaFlights, kCourtBacklog, kVenezuelaOil}},
      {"site:example.org", {}},
      {"lang:en football", kFootballArticles},
      {"lang:english football", kFootballArticles},
      {"lang:en-GB football", kFootballArticles},
      {"lang:es football", {}},
      {"dir:" + kNews + "/local", kUndated},
      {"path:" + kNews + "/local/", kUndated},
      {"storm dir:" + kNews + "/features", {kStormEunice, kNorfolkErosion}},
      {"path:" + kNews + "/wire/ap-world-cup-final-penalties.txt", {kWorldCup}},
      // path: and dir: are one field: either folder.
      {"dir:" + kNews + "/local dir:" + kNews + "/wire election", {kCouncilRecount, kBrazilElection, kMidterms}},
      // Not a prefix of a longer folder name.
      {"dir:" + kNews + "/loc", {}},
      {"id:" + kNews + "/" + kOpecCut, {kOpecCut}},
      {"oil -id:" + kNews + "/" + kOpecCut, {kOilBelowZero, kVenezuelaOil, kWindfallTax}},
  });
  const RunResult bad = Search({"lang:klingon"});
  CHECK(bad.exit_code == 2);
  CHECK(Contains(bad.err, "klingon"));
}

TEST_CASE("date:, year: and month: select articles by their date, and undated ones never match", "[e2e][dates]") {
  CheckCases({
      {"date:2022-01-01..2022-06-30", {kStormEunice, kCubaTalks, kOuterBanks, kWindfallTax}},
      {"year:2019", k2019},
      {"date:2019", k2019},
      {"date:..2019-12-31", k2019},
      {"year:..2019", k2019},
      {"date:2023..", {kCubaFlights, kDutchChipControls, kWrexham}},
      {"month:2022-10", {kOpecCut, kUsChipControls, kBrazilElection}},
      {"date:2022-10", {kOpecCut, kUsChipControls, kBrazilElection}},
      {"month:2022-11..2022-12", {kNicaraguaRoute, kMidterms, kWorldCup, kArizonaPlant}},
      {"date:2022-12-18", {kWorldCup}},
      {"cuba year:2022", {kCubaTalks, kNicaraguaRoute, kFloridaFamilies}},
      {"year:2019 OR year:2020", {kCourtBacklog, kVenezuelaOil, kUkElection, kOilBelowZero, kSwallows}},
      {"date:2022-06-01..2022-06-30", {}},
  });
  for (const std::string bad : {"year:20x", "month:2022", "date:2022-13", "date:2022-05-01..2021-01-01", "date:.."}) {
    const RunResult r = Search({bad});
    INFO("query: " << bad);
    CHECK(r.exit_code == 2);
    CHECK(Contains(r.err, "malformed query"));
    CHECK(r.out.empty());
  }
}

TEST_CASE("nsearch --since and --until take ISO dates and times ago", "[e2e][dates]") {
  CHECK(HitsWith({"--since", "2023-01-01", "source:bbc OR source:ap"}) == Names{kCubaFlights, kDutchChipControls, kWrexham});
  CHECK(HitsWith({"--until", "2019", "cuba"}) == Names{kCourtBacklog, kVenezuelaOil});
  CHECK(HitsWith({"--since", "2022-10", "--until", "2022-10", "site:example.net"}) ==
        Names{kOpecCut, kUsChipControls, kBrazilElection});
  // The fixtures are from 2019-2023: a century back reaches every dated
  // article, a day back none of them, and two weeks ago ends after them all.
  CHECK(HitsWith({"--all", "--since", "100y", "site:example.net"}) == Without(kAllArticles, kUndated));
  CHECK(HitsWith({"--since", "1d", "football"}).empty());
  CHECK(HitsWith({"--until", "2w", "football"}) == Names{kWrexham, kWorldCup, kLionesses});
  CHECK(HitsWith({"--since", "1200mo", "--until", "6mo", "year:2022 football"}) == Names{kWorldCup, kLionesses});
  // m is minutes: 1200 minutes ago is long after every fixture.
  CHECK(HitsWith({"--since", "1200m", "football"}).empty());
  for (const std::string bad : {"yesterday", "30x", "2022-1-1", "d"}) {
    const RunResult r = Search({"--since", bad, "cuba"});
    INFO("--since " << bad);
    CHECK(r.exit_code == 2);
    CHECK(Contains(r.err, "--since"));
  }
}

TEST_CASE("nsearch --sort newest and oldest order by date, undated articles last, relevance the default", "[e2e][sort]") {
  CHECK(RankedWith({"--sort", "newest", "oil"}) == std::vector<std::string>{kOpecCut, kWindfallTax, kOilBelowZero, kVenezuelaOil});
  CHECK(RankedWith({"--sort", "oldest", "oil"}) == std::vector<std::string>{kVenezuelaOil, kOilBelowZero, kWindfallTax, kOpecCut});
  CHECK(RankedWith({"--sort", "newest", "football"}) == std::vector<std::string>{kWrexham, kWorldCup, kLionesses, kVillageClub});
  CHECK(RankedWith({"--sort", "oldest", "football"}) == std::vector<std::string>{kLionesses, kWorldCup, kWrexham, kVillageClub});
  CHECK(RankedWith({"--sort", "relevance", "coastal erosion"}) == std::vector<std::string>{kNorfolkErosion, kOuterBanks});
  CHECK(Search({"--sort", "random", "oil"}).exit_code == 2);
}

TEST_CASE("trailing wildcards, NEAR/n and ADJ/n work, and lower-case and/or/not are plain words", "[e2e][syntax]") {
  CheckCases({
      // migration, migrating (swallows) and migrants.
      {"migra*", {kCubaTalks, kNicaraguaRoute, kSwallows, kCubaFlights, kFloridaFamilies, kCourtBacklog}},
      {"migra* source:guardian", {kFloridaFamilies}},
      {"penal*", {kWrexham, kWorldCup}},
      {"zyzz*", {}},
      // "flights used for deportation": 3 positions apart, flights first.
      {"deportation NEAR/3 flights", {kCubaTalks, kCubaFlights, kNicaraguaRoute}},
      {"deportation NEAR/2 flights", {kCubaTalks, kCubaFlights}},
      {"flights ADJ/3 deportation", {kNicaraguaRoute}},
      {"deportation ADJ/3 flights", {kCubaTalks, kCubaFlights}},
      // Lower case: stopwords, so every other word is required.
      {"oil or opec", {kOpecCut, kOilBelowZero}},
      {"oil OR opec", kOilArticles},
      {"cuba not migration", {kCubaTalks, kNicaraguaRoute}},
      {"cuba NOT migration", {kCubaFlights, kFloridaFamilies, kCourtBacklog, kVenezuelaOil}},
      {"cuba and oil", {kVenezuelaOil}},
  });
}

TEST_CASE("a word the index has never seen gets a suggestion, and the query runs as typed", "[e2e][spelling]") {
  const RunResult text = Search({"deportaton", "flights"});
  CHECK(text.exit_code == 1);
  CHECK(StartsWith(text.out, "Did you mean: deportation flights ?\n"));
  const json j = ParseJson(Search({"--json", "deportaton"}).out);
  CHECK(j["suggestion"] == "deportation");
  CHECK(j["total"] == 0);
  // Known words: no suggestion; a word with nothing near: none either.
  CHECK(ParseJson(Search({"--json", "deportation"}).out)["suggestion"].is_null());
  CHECK(ParseJson(Search({"--json", "zyzzyvaqq"}).out)["suggestion"].is_null());
  // A word the index has is never "corrected", even to a more frequent
  // neighbour (flight, in one article, against flights); field values and
  // operators are left alone.
  CHECK(ParseJson(Search({"--json", "flight"}).out)["suggestion"].is_null());
  CHECK(ParseJson(Search({"--json", "deportaton AND site:example.net"}).out)["suggestion"] ==
        "deportation AND site:example.net");
  const RunResult known = Search({"cuba"});
  CHECK_FALSE(Contains(known.out, "Did you mean"));
}

TEST_CASE("phrase matches are highlighted in the snippet", "[e2e][snippets]") {
  const json j = ParseJson(Search({"--json", "\"deportation flights\""}).out);
  REQUIRE(j["hits"].size() == 2);
  for (const json& hit : j["hits"]) {
    const std::string snippet = hit["snippet"];
    std::string marked;
    for (const json& h : hit["highlights"]) {
      marked += snippet.substr(h[0].get<std::size_t>(), h[1].get<std::size_t>() - h[0].get<std::size_t>()) + "|";
    }
    INFO("snippet: " << snippet);
    CHECK(Contains(marked, "deportation"));
    CHECK(Contains(marked, "flights"));
  }
}

TEST_CASE("a word is highlighted in the snippet in the other forms it matches by its stem", "[e2e][snippets]") {
  // No article has "migrated": every highlight is a match by the English
  // stem alone (migration, migrating), which the snippet must mark too.
  const json j = ParseJson(Search({"--json", "migrated"}).out);
  REQUIRE(j["hits"].size() == 3);
  for (const json& hit : j["hits"]) {
    const std::string snippet = hit["snippet"];
    INFO("snippet: " << snippet);
    REQUIRE_FALSE(hit["highlights"].empty());
    for (const json& h : hit["highlights"]) {
      const std::string marked =
          snippet.substr(h[0].get<std::size_t>(), h[1].get<std::size_t>() - h[0].get<std::size_t>());
      CHECK((marked == "migration" || marked == "migrating" || marked == "Migration"));
    }
  }
}

TEST_CASE("nsearch --facets counts every match per source, year, month and language", "[e2e][facets]") {
  const json j = ParseJson(Search({"--json", "-n", "1", "--facets", "source,year,lang", "cuba"}).out);
  CHECK(j["hits"].size() == 1);
  CHECK(j["facets"]["source"] == json::parse(R"([{"value":"AP","count":2},{"value":"Reuters","count":2},
                                                 {"value":"BBC","count":1},{"value":"Guardian","count":1}])"));
  CHECK(j["facets"]["year"] == json::parse(R"([{"value":"2022","count":3},{"value":"2019","count":2},
                                               {"value":"2023","count":1}])"));
  CHECK(j["facets"]["lang"] == json::parse(R"([{"value":"english","count":6}])"));
  // Undated, sourceless articles are counted under "".
  const json f = ParseJson(Search({"--json", "--facets", "month,source", "football"}).out);
  CHECK(f["facets"]["source"] == json::parse(R"([{"value":"","count":1},{"value":"AP","count":1},
                                                 {"value":"BBC","count":1},{"value":"Guardian","count":1}])"));
  CHECK(f["facets"]["month"] == json::parse(R"([{"value":"","count":1},{"value":"2022-07","count":1},
                                                {"value":"2022-12","count":1},{"value":"2023-04","count":1}])"));
  const RunResult text = Search({"--facets", "source", "-n", "1", "oil"});
  CHECK(text.exit_code == 0);
  CHECK(Contains(text.out, "source: Reuters 2 · AP 1 · Guardian 1\n"));
  CHECK(Search({"--facets", "colour", "oil"}).exit_code == 2);
}

TEST_CASE("nsearch --timeline charts matches per period with empty periods, as text and JSON", "[e2e][timeline]") {
  const json j = ParseJson(Search({"--json", "--timeline", "year", "cuba"}).out);
  CHECK(j["timeline"] == json::parse(R"({"unit":"year","undated":0,"periods":[
      {"period":"2019","count":2},{"period":"2020","count":0},{"period":"2021","count":0},
      {"period":"2022","count":3},{"period":"2023","count":1}]})"));
  const json m = ParseJson(Search({"--json", "--timeline", "month", "football"}).out);
  CHECK(m["timeline"]["undated"] == 1);
  CHECK(m["timeline"]["periods"].size() == 10);  // 2022-07 .. 2023-04
  CHECK(m["timeline"]["periods"][0] == json::parse(R"({"period":"2022-07","count":1})"));
  CHECK(m["timeline"]["periods"][9] == json::parse(R"({"period":"2023-04","count":1})"));
  const json d = ParseJson(Search({"--json", "--timeline", "day", "opec"}).out);
  CHECK(d["timeline"]["periods"].size() == 898);  // 2020-04-21 .. 2022-10-05

  const RunResult text = Search({"--timeline", "year", "-n", "1", "cuba"});
  CHECK(text.exit_code == 0);
  const std::vector<std::string> lines = Lines(text.out);
  REQUIRE(lines.size() > 6);
  CHECK(lines[0] == "Matches per year");
  // The longest bar is 40 full blocks; the others in proportion, in eighths.
  std::string full;
  for (int i = 0; i < 40; ++i) full += "█";
  CHECK(lines[4] == "  2022 " + full + " 3");
  // 2 of 3: 26 2/3 cells, rounded up to 26 6/8.
  CHECK(lines[1] == "  2019 " + full.substr(0, 26 * 3) + "▊ 2");
  CHECK(lines[2] == "  2020  0");
  CHECK(Search({"--timeline", "week", "cuba"}).exit_code == 2);
}

TEST_CASE("nsearch --explain shows the parsed query, each term's document frequency and weights adding up to the score",
          "[e2e][explain]") {
  const json j = ParseJson(Search({"--json", "--explain", "deportation flights"}).out);
  CHECK(j["explain"]["parsed"] ==
        "Query(((Zdeport@1 AND Zflight@2) AND_MAYBE (deportation PHRASE 2 flights)))");
  std::map<std::string, int> docfreq;
  for (const json& t : j["explain"]["terms"]) docfreq[t["term"]] = t["docfreq"];
  CHECK(docfreq == std::map<std::string, int>{{"Zdeport", 5}, {"Zflight", 6}, {"deportation", 5}, {"flights", 5}});
  REQUIRE(j["hits"].size() == 4);
  for (const json& hit : j["hits"]) {
    INFO("hit: " << hit["path"]);
    CHECK(ExplainAddsUp(hit));
    CHECK(hit["explain"].size() >= 2);  // at least Zdeport and Zflight
    // The phrase adds weight only where the words are adjacent.
    const bool phrase = hit["path"] == kNews + "/" + kCubaTalks || hit["path"] == kNews + "/" + kCubaFlights;
    CHECK(hit["explain"].size() == (phrase ? 3u : 2u));
  }
  const RunResult text = Search({"--explain", "-n", "1", "opec"});
  CHECK(StartsWith(text.out, "Parsed query: Query(Zopec@1)\n  term Zopec"));
  CHECK(Contains(text.out, "in 2 articles"));
  CHECK(Contains(text.out, "score "));
}

TEST_CASE("nsearch --like finds articles about the same thing, never the article itself", "[e2e][like]") {
  const std::vector<std::string> ranked = RankedWith({"--like", kNews + "/" + kCubaFlights});
  REQUIRE(ranked.size() >= 4);
  CHECK(std::find(ranked.begin(), ranked.end(), kCubaFlights) == ranked.end());
  // Its closest relatives are the other Cuban migration articles: the three
  // first, and the fourth among the first five (on this small corpus the
  // windfall tax article's "sea" puts it fourth when the index is one
  // shard: Xapian's get_eset picks other terms from one shard than from
  // several).
  CHECK(Names(ranked.begin(), ranked.begin() + 3) == Names{kCourtBacklog, kFloridaFamilies, kCubaTalks});
  CHECK(std::find(ranked.begin(), ranked.begin() + 5, kNicaraguaRoute) != ranked.begin() + 5);
  // By id (for a file, its canonical path), with -n; query words filter.
  const RunResult top = Search({"--format", "ids", "-n", "1", "--like", kNews + "/" + kCubaFlights});
  CHECK(top.exit_code == 0);
  CHECK(Lines(top.out) == std::vector<std::string>{kNews + "/" + ranked[0]});
  // The two articles with "sanctions"; the oil one is more like the OPEC article.
  CHECK(RankedWith({"--like", kNews + "/" + kOpecCut, "sanctions"}) == std::vector<std::string>{kVenezuelaOil, kCubaTalks});
  const RunResult missing = Search({"--like", "/no/such/article.txt"});
  CHECK(missing.exit_code == 2);
  CHECK(Contains(missing.err, "--like"));
}

TEST_CASE("near-duplicate articles show once with +N similar, and --all shows each", "[e2e][duplicates]") {
  const PortStrikeIndex index;
  const fs::path& db = index.db;
  const RunResult grouped = SearchIn(db, {"--json", "port", "traffic"});
  REQUIRE(grouped.exit_code == 0);
  const json g = ParseJson(grouped.out);
  CHECK(g["total"] == 2);
  REQUIRE(g["hits"].size() == 2);
  std::map<std::string, int> similar;
  for (const json& hit : g["hits"]) similar[fs::path(hit["path"].get<std::string>()).stem().string()] = hit["similar"];
  CHECK(similar.count("port-expansion") == 1);
  CHECK(similar["port-expansion"] == 0);
  int group = -1;
  for (const auto& [name, n] : similar) {
    if (name != "port-expansion") group = n;
  }
  CHECK(group == 4);  // the other copies and the rewrite

  const RunResult text = SearchIn(db, {"port", "traffic"});
  CHECK(Contains(text.out, " · +4 similar\n"));
  CHECK(Contains(text.out, "1-2 of 2 matches"));
  CHECK(SearchIn(db, {"-c", "port"}).out == "2\n");

  const json a = index.Json({"--all", "port", "traffic"});
  CHECK(a["total"] == 6);
  CHECK(a["hits"].size() == 6);
  for (const json& hit : a["hits"]) CHECK(hit["similar"] == 0);
  CHECK(SearchIn(db, {"--all", "-c", "port"}).out == "6\n");

  // Facets and the timeline count every article, copies included.
  const json f = index.Json({"--facets", "month", "port"});
  CHECK(f["facets"]["month"] == json::parse(R"([{"value":"2024-03","count":5},{"value":"2024-02","count":1}])"));
  // Newest first still shows one per group.
  CHECK(index.Json({"--sort", "newest", "port"})["hits"].size() == 2);
}

// The rewrite says Monday, the copies Tuesday.
TEST_CASE("a hit's +N similar counts the copies that match the query, not the whole group", "[e2e][duplicates]") {
  const PortStrikeIndex index;
  const json tuesday = index.Json({"tuesday", "traffic"});
  REQUIRE(tuesday["hits"].size() == 1);
  CHECK(tuesday["hits"][0]["similar"] == 3);
  const json monday = index.Json({"monday", "traffic"});
  REQUIRE(monday["hits"].size() == 1);
  CHECK(monday["hits"][0]["similar"] == 0);
  // The same counts whether the articles' term lists decide (a query of
  // words and operators) or Xapian's matcher must (a phrase).
  const json either = index.Json({"monday OR tuesday"});
  REQUIRE(either["hits"].size() == 1);
  CHECK(either["hits"][0]["similar"] == 4);
  for (const std::string query : {"traffic NOT monday", "\"northern terminal\" NOT monday"}) {
    INFO(query);
    const json hits = index.Json({query})["hits"];
    REQUIRE(hits.size() == 2);  // the copies' group and the expansion article
    for (const json& hit : hits) {
      const bool copy = hit["path"].get<std::string>().find("port-strike-c") != std::string::npos;
      CHECK(hit["similar"] == (copy ? 3 : 0));
    }
  }
}

// When every match is counted (--count, facets), the count after collapsing
// is exact for any query, a page of one hit, either sort and an offset.
TEST_CASE("after collapsing near-duplicates, --count and totals equal the hits a whole listing shows",
          "[e2e][duplicates]") {
  const PortStrikeIndex index;
  for (const std::string query : {"port", "port OR hamburg", "port OR terminal OR cranes", "traffic NOT expansion",
                                   "\"container traffic\""}) {
    INFO("query: " << query);
    const std::size_t listed = index.Json({"-n", "0", query})["hits"].size();
    CHECK(SearchIn(index.db, {"-c", query}).out == std::to_string(listed) + "\n");
    CHECK(SearchIn(index.db, {"-c", "-n", "1", query}).out == std::to_string(listed) + "\n");
    for (const std::string sort : {"relevance", "newest", "oldest"}) {
      const json page = index.Json({"--facets", "month", "-n", "1", "--offset", "1", "--sort", sort, query});
      CHECK(page["total"] == listed);
      CHECK(page["total_exact"] == true);
    }
  }
}

TEST_CASE("lang: and --facets lang tell articles apart by the language they are stemmed in", "[e2e][fields]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  WriteFile(corpus / "es.txt", "Title: Elecciones en Brasil\nLanguage: es\n\nLos votantes eligieron un nuevo "
                               "presidente en una segunda vuelta muy reñida en Brasil.\n");
  WriteFile(corpus / "en.txt", "Title: Brazil election\nLanguage: en\n\nVoters in Brazil chose a new president "
                               "in a tight second round.\n");
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);
  for (const std::string lang : {"lang:es", "lang:spanish", "lang:ES", "lang:spa"}) {
    const RunResult r = SearchIn(db, {"-l", "brasil OR brazil", lang});
    INFO(lang);
    CHECK(r.exit_code == 0);
    CHECK(Lines(r.out) == std::vector<std::string>{(fs::canonical(corpus) / "es.txt").string()});
  }
  const json j = ParseJson(SearchIn(db, {"--json", "--facets", "lang", "brasil OR brazil"}).out);
  CHECK(j["facets"]["lang"] == json::parse(R"([{"value":"english","count":1},{"value":"spanish","count":1}])"));

  // A stem that both languages' readings of the query share counts once,
  // in the reading of the article's own language: --explain adds up.
  const json explained = ParseJson(SearchIn(db, {"--json", "--explain", "presidente eligieron"}).out);
  REQUIRE(explained["hits"].size() == 1);
  for (const json& hit : explained["hits"]) {
    CHECK(ExplainAddsUp(hit));
    std::set<std::string> labels;
    for (const json& part : hit["explain"]) CHECK(labels.insert(part["term"].get<std::string>()).second);
  }
}
