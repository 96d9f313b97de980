// End-to-end tests of saved searches (docs/saved-searches.md) with the real
// programs: --save, --saved, @NAME, --new and its mark, --new-since,
// --all-saved, the CSV watchlist, and the one-line errors of bad input.
// Each test has its own XDG_CONFIG_HOME and XDG_STATE_HOME in a temporary
// folder, and an index of a few fixture articles that it then adds to.
#include <ctime>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/e2e/support.h"

namespace {

using namespace e2e;

// A small news folder and its index, with saved searches and marks of
// their own.
class Desk {
 public:
  Desk() {
    for (const std::string& name : {kCubaTalks, kCubaFlights, kOpecCut}) Add(name);
    const RunResult r = Reindex();
    REQUIRE(r.exit_code == 0);
  }

  // Copies the fixture article `name` into the news folder.
  void Add(const std::string& name) {
    fs::create_directories((news_ / name).parent_path());
    fs::copy_file(kNewsDir / name, news_ / name, fs::copy_options::overwrite_existing);
  }

  RunResult Reindex() const { return Index(db_, {news_.string()}, {}, Env()); }

  // nsearch with `args` (no --db: a saved search names its own).
  RunResult Nsearch(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {kSearchBin};
    argv.insert(argv.end(), args.begin(), args.end());
    return Run(argv, Env());
  }

  // Saves `name` as `query` with `options` on this desk's index.
  void Save(const std::string& name, const std::string& query, const std::vector<std::string>& options = {}) const {
    std::vector<std::string> args = {"--db", db_.string(), "--save", name};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(query);
    const RunResult r = Nsearch(args);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
  }

  // The path nsearch prints for article `name`.
  std::string Path(const std::string& name) const { return fs::weakly_canonical(news_ / name).string(); }
  // Those of `names`, one a line, in this order.
  std::string Paths(const std::vector<std::string>& names) const {
    std::string out;
    for (const std::string& name : names) out += Path(name) + "\n";
    return out;
  }

  const fs::path& db() const { return db_; }
  fs::path Config() const { return dir_.path() / "config"; }
  fs::path State() const { return dir_.path() / "state"; }
  const fs::path& dir() const { return dir_.path(); }

 private:
  EnvChanges Env() const { return {{"XDG_CONFIG_HOME", Config().string()}, {"XDG_STATE_HOME", State().string()}}; }

  TempDir dir_;
  fs::path news_ = dir_.path() / "news";
  fs::path db_ = dir_.path() / "idx";
};

// Stamps are microseconds; a second between two index runs keeps a
// --new-since to the second between them.
void NextSecond() { std::this_thread::sleep_for(std::chrono::milliseconds(1100)); }

// The time now to the second, as --new-since reads it (UTC).
std::string UtcTimeNow() {
  const std::time_t now = std::time(nullptr);
  std::tm t{};
  gmtime_r(&now, &t);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &t);
  return text;
}

}  // namespace

TEST_CASE("save keeps a search that --saved lists and @NAME runs", "[e2e][saved]") {
  Desk desk;
  const RunResult saved = desk.Nsearch({"--db", desk.db().string(), "--save", "cuba", "--sort", "oldest", "--paths",
                                        "--any", "cuba", "havana"});
  REQUIRE(saved.exit_code == 0);
  const std::string options = "--db=" + desk.db().string() + " --any --paths --sort=oldest";
  CHECK(saved.out == "cuba\tcuba havana\t" + options + "\n");
  CHECK(ReadFile(desk.Config() / "nsearch" / "saved" / "cuba") ==
        "# nsearch saved search 'cuba': its options, one a line, then a line --, then the query "
        "(docs/saved-searches.md)\n--db=" + desk.db().string() + "\n--any\n--paths\n--sort=oldest\n--\ncuba havana\n");
  desk.Save("oil", "oil");

  const RunResult list = desk.Nsearch({"--saved"});
  CHECK(list.exit_code == 0);
  CHECK(list.out == "cuba\tcuba havana\t" + options + "\noil\toil\t--db=" + desk.db().string() + "\n");
  const json listed = ParseJson(desk.Nsearch({"--saved", "--json"}).out);
  CHECK(listed == json::parse(R"([{"name":"cuba","query":"cuba havana","options":["--db=)" + desk.db().string() +
                              R"(","--any","--paths","--sort=oldest"]},{"name":"oil","query":"oil","options":["--db=)" +
                              desk.db().string() + R"("]}])"));

  const RunResult run = desk.Nsearch({"@cuba"});
  CHECK(run.exit_code == 0);
  CHECK(run.out == desk.Paths({kCubaTalks, kCubaFlights}));
  // The command line's options replace the saved ones they name.
  CHECK(desk.Nsearch({"@cuba", "--sort", "newest", "--limit", "1"}).out == desk.Paths({kCubaFlights}));
  CHECK(desk.Nsearch({"@cuba", "--count"}).out == "2\n");
}

TEST_CASE("a saved search edited by hand runs as written", "[e2e][saved]") {
  Desk desk;
  fs::create_directories(desk.Config() / "nsearch" / "saved");
  WriteFile(desk.Config() / "nsearch" / "saved" / "flights",
            "# written by hand\n\n--db " + desk.db().string() + "\n  --paths\n--\ndeportation\n  pause\n");
  const RunResult r = desk.Nsearch({"@flights"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == desk.Paths({kCubaFlights}));
  CHECK(desk.Nsearch({"--saved"}).out == "flights\tdeportation pause\t--db " + desk.db().string() + " --paths\n");
}

TEST_CASE("a new check shows the articles indexed since the last check, then moves the mark", "[e2e][saved]") {
  Desk desk;
  desk.Save("cuba", "cuba", {"--paths", "--sort", "oldest"});
  // The first check: everything matching is new.
  RunResult r = desk.Nsearch({"--new", "@cuba"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == desk.Paths({kCubaTalks, kCubaFlights}));
  CHECK(fs::exists(desk.State() / "nsearch" / "saved" / "cuba"));
  r = desk.Nsearch({"--new", "@cuba"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());

  desk.Add(kNicaraguaRoute);
  desk.Add(kOilBelowZero);
  REQUIRE(desk.Reindex().exit_code == 0);
  r = desk.Nsearch({"--new", "@cuba"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out == desk.Paths({kNicaraguaRoute}));
  r = desk.Nsearch({"--new", "@cuba"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());

  // An update that changes nothing brings nothing new; the search itself
  // still finds them all.
  REQUIRE(desk.Reindex().exit_code == 0);
  CHECK(desk.Nsearch({"--new", "@cuba"}).exit_code == 1);
  CHECK(desk.Nsearch({"@cuba"}).out == desk.Paths({kCubaTalks, kNicaraguaRoute, kCubaFlights}));
}

TEST_CASE("new-since TIME shows the articles indexed since then and keeps no mark", "[e2e][saved]") {
  Desk desk;
  NextSecond();
  const std::string between = UtcTimeNow();
  NextSecond();
  desk.Add(kNicaraguaRoute);
  REQUIRE(desk.Reindex().exit_code == 0);
  const auto since = [&](const std::string& time) {
    return desk.Nsearch({"--db", desk.db().string(), "--paths", "--sort", "oldest", "--new-since", time, "cuba"});
  };
  RunResult r = since(between);
  CHECK(r.exit_code == 0);
  CHECK(r.out == desk.Paths({kNicaraguaRoute}));
  CHECK(since(between).out == desk.Paths({kNicaraguaRoute}));  // no mark moved
  CHECK(since(between + "Z").out == desk.Paths({kNicaraguaRoute}));
  CHECK(since("1h").out == desk.Paths({kCubaTalks, kNicaraguaRoute, kCubaFlights}));
  CHECK(since("90m").exit_code == 0);
  CHECK(since("2d").exit_code == 0);
  CHECK(since("1mo").exit_code == 0);
  r = since("2999-01-01");
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(since("2999-01-01T10:30Z").exit_code == 1);
  CHECK(since("2000-01-01T10:30:00+02:00").out == desk.Paths({kCubaTalks, kNicaraguaRoute, kCubaFlights}));
  CHECK_FALSE(fs::exists(desk.State()));

  r = since("yesterday");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(Lines(r.err).size() == 1);
  CHECK(StartsWith(r.err, "nsearch: --new-since wants a date"));
  CHECK(Contains(r.err, "'yesterday'"));
}

TEST_CASE("all-saved with new checks every saved search in one run", "[e2e][saved]") {
  Desk desk;
  desk.Save("cuba", "cuba", {"--sort", "oldest"});
  desk.Save("oil", "oil", {"--json"});  // output options of each are left out: all print alike
  RunResult r = desk.Nsearch({"--all-saved", "--new", "--paths"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "== @cuba: cuba\n" + desk.Paths({kCubaTalks, kCubaFlights}) + "\n== @oil: oil\n" +
                     desk.Paths({kOpecCut}) + "\n");
  r = desk.Nsearch({"--all-saved", "--new", "--paths"});
  CHECK(r.exit_code == 1);
  CHECK(r.out == "== @cuba: cuba\n\n== @oil: oil\n\n");

  desk.Add(kOilBelowZero);
  REQUIRE(desk.Reindex().exit_code == 0);
  r = desk.Nsearch({"--all-saved", "--new", "--count"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "cuba\t0\noil\t1\n");
  r = desk.Nsearch({"--all-saved", "--new", "--count"});
  CHECK(r.exit_code == 1);
  CHECK(r.out == "cuba\t0\noil\t0\n");
  // Without --new nothing is marked: every match.
  CHECK(desk.Nsearch({"--all-saved", "--count"}).out == "cuba\t2\noil\t2\n");
}

TEST_CASE("a CSV watchlist writes a row per query with what is new since its last run", "[e2e][saved]") {
  Desk desk;
  const fs::path list = desk.dir() / "names.csv";
  WriteFile(list, "name,query\r\ncuba,cuba\r\n\"oil, gas\",\"oil OR \"\"gas\"\"\"\r\nnothing,zzyzzyx\r\n");
  const auto run = [&] {
    return desk.Nsearch({"--db", desk.db().string(), "--batch", list.string(), "--format", "csv"});
  };
  const std::string header = "name,query,total,new,title,path\n";
  const std::string opec = "\"OPEC and allies agree deep output cut, lifting oil prices\"," + desk.Path(kOpecCut);
  RunResult r = run();
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out == header + "cuba,cuba,2,2,Deportation flights to Cuba resume after two-year pause," + desk.Path(kCubaFlights) +
                     "\n\"oil, gas\",\"oil OR \"\"gas\"\"\",1,1," + opec + "\nnothing,zzyzzyx,0,0,,\n");
  r = run();
  CHECK(r.out == header + "cuba,cuba,2,0,Deportation flights to Cuba resume after two-year pause," + desk.Path(kCubaFlights) +
                     "\n\"oil, gas\",\"oil OR \"\"gas\"\"\",1,0," + opec + "\nnothing,zzyzzyx,0,0,,\n");

  desk.Add(kWindfallTax);
  REQUIRE(desk.Reindex().exit_code == 0);
  r = run();
  CHECK(r.exit_code == 0);
  const std::vector<std::string> rows = Lines(r.out);
  REQUIRE(rows.size() == 4);
  CHECK(StartsWith(rows[1], "cuba,cuba,2,0,"));
  CHECK(StartsWith(rows[2], "\"oil, gas\",\"oil OR \"\"gas\"\"\",2,1,"));
  CHECK(rows[3] == "nothing,zzyzzyx,0,0,,");
  // --new-since counts from its time and leaves the watchlist's mark alone.
  r = desk.Nsearch({"--db", desk.db().string(), "--batch", list.string(), "--format", "csv", "--new-since", "1h"});
  CHECK(StartsWith(Lines(r.out)[2], "\"oil, gas\",\"oil OR \"\"gas\"\"\",2,2,"));
  CHECK(StartsWith(Lines(run().out)[2], "\"oil, gas\",\"oil OR \"\"gas\"\"\",2,0,"));
}

TEST_CASE("bad saved searches and watchlists are one line naming the file, exit 2", "[e2e][saved]") {
  Desk desk;
  RunResult r = desk.Nsearch({"@nope"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "nsearch: no saved search 'nope' (" + (desk.Config() / "nsearch" / "saved" / "nope").string() +
                     "; nsearch --saved lists them)\n");

  const fs::path list = desk.dir() / "bad.csv";
  WriteFile(list, "name,query\ncuba,cuba\noil,\"oil\" gas\n");
  r = desk.Nsearch({"--db", desk.db().string(), "--batch", list.string(), "--format", "csv"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());  // nothing is run
  CHECK(r.err == "nsearch: " + list.string() +
                     ":3: text after the closing quote of a field (write \"\" for a quote inside one)\n");
  WriteFile(list, "cuba,cuba\nthree,fields,here\n");
  r = desk.Nsearch({"--db", desk.db().string(), "--batch", list.string(), "--format", "csv"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "nsearch: " + list.string() +
                     ":2: a row of 3 fields; a watchlist row is name,query (quote a field that holds a comma)\n");

  r = desk.Nsearch({"--db", desk.db().string(), "--batch", (desk.dir() / "none.csv").string(), "--format", "csv"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "nsearch: cannot read --batch file " + (desk.dir() / "none.csv").string() +
                     ": No such file or directory\n");
  r = desk.Nsearch({"--db", desk.db().string(), "--batch", "-", "--format", "csv"});
  CHECK(r.exit_code == 2);
  CHECK(Lines(r.err).size() == 1);

  const fs::path saved = desk.Config() / "nsearch" / "saved" / "broken";
  fs::create_directories(saved.parent_path());
  WriteFile(saved, "--paths\ncuba\n");
  r = desk.Nsearch({"@broken"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "nsearch: " + saved.string() +
                     ":2: 'cuba' is not an option (options come first, then a line --, then the query)\n");

  WriteFile(saved, "# kept\n--paths\n--bogus 3\n--\ncuba\n");
  r = desk.Nsearch({"@broken"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "nsearch: " + saved.string() + ":3: '--bogus' is not an option of nsearch\n");
  WriteFile(saved, "--batch=queries.txt\n--\ncuba\n");
  CHECK(desk.Nsearch({"@broken"}).err ==
        "nsearch: " + saved.string() + ":1: --batch is not an option a saved search can keep\n");
  // --all-saved names it, and runs the others.
  desk.Save("cuba", "cuba", {"--paths"});
  r = desk.Nsearch({"--all-saved", "-c"});
  CHECK(r.exit_code == 2);
  CHECK(r.out == "cuba\t2\n");
  CHECK(r.err == "nsearch: " + saved.string() + ":1: --batch is not an option a saved search can keep\n");

  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--new", "--db", desk.db().string(), "cuba"}, {"--save", "a/b", "cuba"}, {"--saved", "cuba"}}) {
    r = desk.Nsearch(args);
    INFO(args.front() << " " << args.back());
    CHECK(r.exit_code == 2);
    CHECK(Lines(r.err).size() == 1);
  }
}

TEST_CASE("a new check of a sharded index, updated in many commits, shows each article once", "[e2e][saved]") {
  TempDir dir;
  const fs::path news = dir.path() / "news", db = dir.path() / "idx";
  const EnvChanges env = {{"XDG_CONFIG_HOME", (dir.path() / "config").string()},
                          {"XDG_STATE_HOME", (dir.path() / "state").string()}};
  const auto add = [&](const std::string& name) {
    fs::create_directories((news / name).parent_path());
    fs::copy_file(kNewsDir / name, news / name);
  };
  const auto check = [&] { return Run({kSearchBin, "--new", "@cuba"}, env); };
  for (const std::string& name : {kCubaTalks, kOpecCut, kWrexham}) add(name);
  REQUIRE(Index(db, {news.string()}, {"--shards", "3", "--batch-size", "1"}, env).exit_code == 0);
  REQUIRE(Run({kSearchBin, "--db", db.string(), "--save", "cuba", "--paths", "--any", "cuba", "cubans", "oil"}, env)
              .exit_code == 0);
  CHECK(Lines(check().out).size() == 2);
  for (const std::string& name : {kCubaFlights, kNicaraguaRoute, kFloridaFamilies, kCourtBacklog, kOilBelowZero}) {
    add(name);
  }
  // One article a commit, each in its shard: the shards' own stamps differ.
  REQUIRE(Index(db, {news.string()}, {"--batch-size", "1"}, env).exit_code == 0);
  const RunResult r = check();
  const std::vector<std::string> lines = Lines(r.out);
  CHECK(std::set<std::string>(lines.begin(), lines.end()).size() == lines.size());
  CHECK(lines.size() == 5);
  CHECK(check().exit_code == 1);
}
