// End-to-end test of GET /api/saved (docs/http-api.md): nsearch serve
// listing the saved searches of its user with their new articles, beside
// the real nsearch's --new checks, with XDG_CONFIG_HOME and XDG_STATE_HOME
// in a temporary folder.
#include <catch2/catch.hpp>

#include "tests/e2e/support.h"
#include "tests/e2e/serve_support.h"

using namespace e2e;

TEST_CASE("nsearch serve: /api/saved counts each saved search's new articles and moves no mark", "[e2e][serve]") {
  TempDir dir;
  const fs::path news = dir.path() / "news", db = dir.path() / "idx", other = dir.path() / "other";
  const EnvChanges env = {{"XDG_CONFIG_HOME", (dir.path() / "config").string()},
                          {"XDG_STATE_HOME", (dir.path() / "state").string()}};
  const auto add = [&](const std::string& name) {
    fs::create_directories((news / name).parent_path());
    fs::copy_file(kNewsDir / name, news / name);
  };
  for (const std::string& name : {kCubaTalks, kCubaFlights, kOpecCut}) add(name);
  REQUIRE(Index(db, {news.string()}, {}, env).exit_code == 0);
  const auto nsearch = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kSearchBin};
    argv.insert(argv.end(), args.begin(), args.end());
    return Run(argv, env);
  };
  REQUIRE(nsearch({"--db", db.string(), "--save", "cuba", "--sort", "newest", "cuba"}).exit_code == 0);
  REQUIRE(nsearch({"--db", db.string(), "--save", "oil", "oil"}).exit_code == 0);
  REQUIRE(nsearch({"--db", other.string(), "--save", "elsewhere", "cuba"}).exit_code == 0);
  const fs::path broken = dir.path() / "config" / "nsearch" / "saved" / "broken";
  WriteFile(broken, "cuba\n");
  REQUIRE(nsearch({"--new", "@cuba"}).exit_code == 0);  // cuba is checked, oil never was
  add(kNicaraguaRoute);
  REQUIRE(Index(db, {news.string()}, {}, env).exit_code == 0);
  const fs::path mark = dir.path() / "state" / "nsearch" / "saved" / "cuba";
  const std::string marked = ReadFile(mark);
  REQUIRE_FALSE(marked.empty());

  Server server(db, {}, env);
  const json expected = {
      {"schema", 1},
      {"saved",
       {{{"name", "broken"},
         {"error", broken.string() +
                       ":1: 'cuba' is not an option (options come first, then a line --, then the query)"}},
        {{"name", "cuba"},
         {"query", "cuba"},
         {"options", {"--db=" + db.string(), "--sort=newest"}},
         {"checked", true},
         {"new", 1}},
        {{"name", "elsewhere"},
         {"query", "cuba"},
         {"options", {"--db=" + other.string()}},
         {"checked", false},
         {"new", nullptr},
         {"index", other.string()}},
        {{"name", "oil"}, {"query", "oil"}, {"options", {"--db=" + db.string()}}, {"checked", false}, {"new", 1}}}}};
  httplib::Result r = server.Get("/api/saved");
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "application/json");
  CHECK(ParseJson(r->body) == expected);
  CHECK(ParseJson(server.Get("/api/saved")->body) == expected);  // asking moves no mark
  CHECK(ReadFile(mark) == marked);
  CHECK_FALSE(fs::exists(dir.path() / "state" / "nsearch" / "saved" / "oil"));

  // The count is what the next check shows; after it, nothing is new.
  const RunResult check = nsearch({"--new", "@cuba", "--paths"});
  CHECK(check.out == fs::weakly_canonical(news / kNicaraguaRoute).string() + "\n");
  r = server.Get("/api/saved");
  CHECK(ParseJson(r->body)["saved"][1]["new"] == 0);
  CHECK(server.Get("/api/saved?q=cuba")->status == 400);
}
