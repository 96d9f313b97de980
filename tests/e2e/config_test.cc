// End-to-end tests of the config file ($XDG_CONFIG_HOME/nsearch/config, or
// --config FILE) that both programs read: what each key sets, that the
// command line and NSEARCH_DB override it, and that a bad file is one clear
// error naming it.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/e2e/support.h"

using namespace e2e;

namespace {

// A config home (XDG_CONFIG_HOME) holding nsearch/config with `text`.
class ConfigHome {
 public:
  explicit ConfigHome(const std::string& text) {
    fs::create_directories(file().parent_path());
    WriteFile(file(), text);
  }
  fs::path file() const { return dir_.path() / "nsearch" / "config"; }
  EnvChanges env() const { return {{"XDG_CONFIG_HOME", dir_.path().string()}}; }

 private:
  TempDir dir_;
};

// nsearch with `args` and no --db: the index comes from the environment or
// the config file.
RunResult Nsearch(const std::vector<std::string>& args, const EnvChanges& env) {
  std::vector<std::string> argv = {kSearchBin};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, env);
}

}  // namespace

TEST_CASE("the config file sets the index, the number of hits and colour", "[e2e][config]") {
  const ConfigHome home("# defaults\ndb = \"" + FixtureIndex::Db().string() + "\"\nlimit = 2\ncolor = \"always\"\n");
  const RunResult r = Nsearch({"cuba"}, home.env());
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.out, "\x1b["));
  CHECK(Lines(Nsearch({"-l", "cuba"}, home.env()).out).size() == 2);
}

TEST_CASE("command-line options override the config file", "[e2e][config]") {
  TempDir elsewhere;
  const ConfigHome home("db = \"" + (elsewhere.path() / "no-index").string() + "\"\nlimit = 2\ncolor = always\n");
  const RunResult r = Nsearch({"--db", FixtureIndex::Db().string(), "-n", "4", "--color", "never", "cuba"}, home.env());
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(Contains(r.out, "\x1b"));
  CHECK(Contains(r.out, "1-4 of 6 matches"));
}

TEST_CASE("NSEARCH_DB overrides the config file's db", "[e2e][config]") {
  TempDir elsewhere;
  const ConfigHome home("db = \"" + (elsewhere.path() / "no-index").string() + "\"\n");
  EnvChanges env = home.env();
  env["NSEARCH_DB"] = FixtureIndex::Db().string();
  CHECK(Nsearch({"-c", "cuba"}, env).out == "6\n");
  // Without NSEARCH_DB the file's db is used: there is no index there.
  const RunResult r = Nsearch({"-c", "cuba"}, home.env());
  CHECK(r.exit_code == 2);
  CHECK(Contains(r.err, (elsewhere.path() / "no-index").string()));
}

TEST_CASE("nsearch --config names another file, and the default one is then not read", "[e2e][config]") {
  const ConfigHome home("limit = 1\n");
  TempDir dir;
  const fs::path other = dir.path() / "other.conf";
  WriteFile(other, "limit = 3\ndb = \"" + FixtureIndex::Db().string() + "\"\n");
  CHECK(Lines(Nsearch({"--config", other.string(), "-l", "cuba"}, home.env()).out).size() == 3);
}

TEST_CASE("config paths: ~/ is HOME and a relative db is beside the config file", "[e2e][config]") {
  TempDir dir;
  REQUIRE(Index(dir.path() / "idx", {(kNewsDir / "local").string()}).exit_code == 0);
  WriteFile(dir.path() / "relative.conf", "db = idx\n");
  CHECK(Nsearch({"--config", (dir.path() / "relative.conf").string(), "-c", "council"}, {}).out == "1\n");

  WriteFile(dir.path() / "home.conf", "db = \"~/idx\"\n");
  CHECK(Nsearch({"--config", (dir.path() / "home.conf").string(), "-c", "council"}, {{"HOME", dir.path().string()}})
            .out == "1\n");
}

TEST_CASE("nsearch-index indexes the config file's roots when given no path", "[e2e][config]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  const ConfigHome home("db = \"" + db.string() + "\"\nroots = [\"" + (kNewsDir / "local").string() + "\", \"" +
                        (kNewsDir / "wire").string() + "\"]\n");
  const RunResult indexed = Run({kIndexBin, "--quiet"}, home.env());
  INFO("stderr: " << indexed.err);
  REQUIRE(indexed.exit_code == 0);
  CHECK(Nsearch({"-c", "recount"}, home.env()).out == "1\n");  // local/
  CHECK(Nsearch({"-c", "opec"}, home.env()).out == "2\n");     // wire/
  CHECK(Nsearch({"-c", "wrexham"}, home.env()).out == "0\n");  // features/ is not a root
  const RunResult info = Nsearch({"--info", "--json"}, home.env());
  REQUIRE(info.exit_code == 0);
  CHECK(ParseJson(info.out)["articles"] == 15);

  // A path on the command line replaces the roots.
  REQUIRE(Run({kIndexBin, "--quiet", (kNewsDir / "features").string()}, home.env()).exit_code == 0);
  CHECK(ParseJson(Nsearch({"--info", "--json"}, home.env()).out)["articles"] == 26);
}

TEST_CASE("a bad config file is one line naming it, exit 2, for both programs", "[e2e][config]") {
  const std::vector<std::string> bad_files = {
      "limt = 3\n",              // unknown key: a typo must not pass silently
      "[nsearch]\nlimit = 3\n",  // sections are not used
      "color = \"purple\"\n",
  };
  for (const std::string& text : bad_files) {
    const ConfigHome home(text);
    for (const std::string& program : {kSearchBin, kIndexBin}) {
      const RunResult r = Run({program, "--db", FixtureIndex::Db().string(), "cuba"}, home.env());
      INFO("config: " << text << "program: " << program << "\nstderr: " << r.err);
      CHECK(r.exit_code == 2);
      CHECK(Lines(r.err).size() == 1);
      CHECK(Contains(r.err, home.file().string()));
    }
  }
  TempDir dir;
  const fs::path missing = dir.path() / "missing.conf";
  const RunResult r = Nsearch({"--config", missing.string(), "cuba"}, {});
  CHECK(r.exit_code == 2);
  CHECK(Lines(r.err).size() == 1);
  CHECK(Contains(r.err, missing.string()));
}

TEST_CASE("the --help of both programs says where the config file is read from", "[e2e][config]") {
  const ConfigHome home("");
  for (const std::string& program : {kSearchBin, kIndexBin}) {
    const RunResult r = Run({program, "--help"}, home.env());
    CHECK(r.exit_code == 0);
    CHECK(Contains(r.out, home.file().string()));
  }
}
