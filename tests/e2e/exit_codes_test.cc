// End-to-end tests of nsearch's exit codes and error lines: no match, no
// index, a malformed query, usage errors, and where the index is looked for
// (--db, NSEARCH_DB).
#include "tests/e2e/support.h"

using namespace e2e;

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
