// End-to-end tests of nsearch's output on the fixture corpus: the fields of
// a hit, paging, and the count, JSON, JSON Lines, paths and text formats.
#include "tests/e2e/support.h"

using namespace e2e;

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
