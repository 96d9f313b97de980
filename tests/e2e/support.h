// Support for the end-to-end tests: the real binaries run in a sandbox (on
// tests/support's processes), the fixture corpus and its index, and reading
// their output. Shared by every end-to-end test file.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace e2e {

namespace fs = std::filesystem;
using nlohmann::json;


inline const std::string kIndexBin = NSEARCH_INDEX_BIN;
inline const std::string kSearchBin = NSEARCH_BIN;
inline const fs::path kNewsDir = fs::path(FIXTURES_DIR) / "news";

// The articles of tests/fixtures/news, as paths relative to it.
using Names = std::set<std::string>;
inline const std::string kCubaTalks = "wire/reuters-cuba-migration-talks.txt";
inline const std::string kCubaFlights = "wire/ap-cuba-deportation-flights-resume.txt";
inline const std::string kNicaraguaRoute = "features/bbc-cubans-nicaragua-route.txt";
inline const std::string kFloridaFamilies = "features/guardian-florida-cuban-families.md";
inline const std::string kCourtBacklog = "wire/ap-immigration-court-backlog.txt";
inline const std::string kOpecCut = "wire/reuters-opec-output-cut.txt";
inline const std::string kOilBelowZero = "wire/ap-oil-prices-below-zero.txt";
inline const std::string kVenezuelaOil = "wire/reuters-venezuela-oil-cuba.txt";
inline const std::string kWindfallTax = "features/guardian-north-sea-windfall-tax.txt";
inline const std::string kWrexham = "features/bbc-wrexham-promotion.txt";
inline const std::string kWorldCup = "wire/ap-world-cup-final-penalties.txt";
inline const std::string kLionesses = "features/guardian-lionesses-euro-final.md";
inline const std::string kVillageClub = "local/village-football-club-saves-ground.txt";
inline const std::string kBrazilElection = "wire/reuters-brazil-election-second-round.txt";
inline const std::string kUkElection = "features/bbc-uk-general-election-result.txt";
inline const std::string kMidterms = "wire/ap-midterm-elections-results.txt";
inline const std::string kCouncilRecount = "local/council-election-recount.txt";
inline const std::string kUsChipControls = "wire/reuters-us-chip-export-controls.txt";
inline const std::string kDutchChipControls = "features/bbc-dutch-chip-export-controls.txt";
inline const std::string kArizonaPlant = "wire/ap-taiwan-chip-plant-arizona.txt";
inline const std::string kChipShortage = "features/guardian-carmakers-chips-shortage.txt";
inline const std::string kStormEunice = "features/bbc-storm-eunice-flights-cancelled.txt";
inline const std::string kStormCiaran = "local/storm-ciaran-porthleven-harbour.txt";
inline const std::string kNorfolkErosion = "features/guardian-norfolk-coastal-erosion.txt";
inline const std::string kOuterBanks = "wire/ap-outer-banks-house-collapse.txt";
inline const std::string kSwallows = "features/bbc-mild-autumn-swallows.txt";

inline const Names kAllArticles = {
    kCubaTalks,      kCubaFlights,     kNicaraguaRoute,    kFloridaFamilies, kCourtBacklog,
    kOpecCut,        kOilBelowZero,    kVenezuelaOil,      kWindfallTax,     kWrexham,
    kWorldCup,       kLionesses,       kVillageClub,       kBrazilElection,  kUkElection,
    kMidterms,       kCouncilRecount,  kUsChipControls,    kDutchChipControls, kArizonaPlant,
    kChipShortage,   kStormEunice,     kStormCiaran,       kNorfolkErosion,  kOuterBanks,
    kSwallows,
};
inline const Names kCubaArticles = {kCubaTalks,       kCubaFlights,  kNicaraguaRoute,
                             kFloridaFamilies, kCourtBacklog, kVenezuelaOil};
inline const Names kOilArticles = {kOpecCut, kOilBelowZero, kVenezuelaOil, kWindfallTax};
inline const Names kElectionArticles = {kBrazilElection, kUkElection, kMidterms, kCouncilRecount};
inline const Names kFootballArticles = {kWrexham, kWorldCup, kLionesses, kVillageClub};

// ---------------------------------------------------------------------------
// Temporary folders and running a program (tests/support), in a sandbox.

using nsearch::test::ChildProcess;
using nsearch::test::EnvChanges;
using nsearch::test::TempDir;
using RunResult = nsearch::test::ProcessResult;

// Every child runs with HOME, XDG_DATA_HOME and XDG_CONFIG_HOME in this
// directory and without NSEARCH_DB or NO_COLOR, so that a test can never read
// or write the user's own index, nor depend on their config file or colour
// setting.
inline const fs::path& SandboxHome() {
  static const TempDir home("nsearch-e2e-home");
  return home.path();
}

// The environment changes of the sandbox (see SandboxHome), with `extra`
// applied on top: a value sets the variable, nullopt removes it.
inline EnvChanges SandboxEnv(const EnvChanges& extra = {}) {
  EnvChanges changes = {{"HOME", SandboxHome().string()},
                        {"XDG_DATA_HOME", (SandboxHome() / "data").string()},
                        {"XDG_CONFIG_HOME", (SandboxHome() / "config").string()},
                        {"NSEARCH_DB", std::nullopt},
                        {"NO_COLOR", std::nullopt}};
  for (const auto& [name, value] : extra) changes[name] = value;
  return changes;
}

inline constexpr std::chrono::seconds kRunTimeout{60};

// Runs argv[0] (a path, no shell and no PATH lookup) in the sandbox with
// `env` on top, stdin read from `stdin_path`, and captures stdout and stderr
// separately. A child still running after `timeout` is killed (SIGKILL) and
// reported as timed out. Throws std::runtime_error when the child cannot be
// started.
inline RunResult Run(const std::vector<std::string>& argv, const EnvChanges& env = {},
                     std::chrono::milliseconds timeout = kRunTimeout, const fs::path& stdin_path = "/dev/null") {
  nsearch::test::ProcessOptions options;
  options.env = SandboxEnv(env);
  options.timeout = timeout;
  options.stdin_path = stdin_path;
  return nsearch::test::RunProcess(argv, options);
}

// The lines of `text`, without their '\n'. A final line without '\n' counts.
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) {
      lines.push_back(text.substr(pos));
      break;
    }
    lines.push_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return lines;
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Writes `text` to `path`, replacing it. Throws std::runtime_error on failure.
inline void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

// The contents of the file at `path` ("" when it cannot be read).
inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The long options `program --help` lists: the first word of each option
// line ("  -n,--limit UINT   Hits to show" gives "--limit").
inline std::set<std::string> HelpLongOptions(const std::string& program) {
  const RunResult r = Run({program, "--help"});
  REQUIRE(r.exit_code == 0);
  static const std::regex option_line(R"(^\s+(?:-\w,)?(--[\w-]+))");
  std::set<std::string> options;
  for (const std::string& line : Lines(r.out)) {
    std::smatch m;
    if (std::regex_search(line, m, option_line)) options.insert(m[1]);
  }
  return options;
}

// ---------------------------------------------------------------------------
// Indexes.

// Runs nsearch-index --quiet --db `db` on `inputs` and returns the result.
inline RunResult Index(const fs::path& db, const std::vector<std::string>& inputs,
                const std::vector<std::string>& options = {}, const EnvChanges& env = {}) {
  std::vector<std::string> argv = {kIndexBin, "--quiet", "--db", db.string()};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  return Run(argv, env);
}

// The fixture corpus, indexed on first use and removed at process exit.
class FixtureIndex {
 public:
  static const fs::path& Db() {
    static const FixtureIndex index;
    return index.db_;
  }

 private:
  FixtureIndex() : db_(dir_.path() / "idx") {
    const RunResult r = Index(db_, {kNewsDir.string()});
    if (r.exit_code != 0) {
      throw std::runtime_error("nsearch-index failed on the fixtures (exit " + std::to_string(r.exit_code) +
                               "): " + r.err);
    }
  }

  TempDir dir_;
  fs::path db_;
};

// Runs nsearch --db `db` with `args`.
inline RunResult SearchIn(const fs::path& db, const std::vector<std::string>& args, const EnvChanges& env = {}) {
  std::vector<std::string> argv = {kSearchBin, "--db", db.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, env);
}

// Runs nsearch on the fixture index with `args`.
inline RunResult Search(const std::vector<std::string>& args) { return SearchIn(FixtureIndex::Db(), args); }

// The name of an article relative to the news folder, or `path` itself when
// it lies outside it (so that it shows up in a failed comparison).
inline std::string NameOf(const std::string& path) {
  static const fs::path news = fs::canonical(kNewsDir);
  const fs::path relative = fs::path(path).lexically_relative(news);
  if (relative.empty() || StartsWith(relative.string(), "..")) return path;
  return relative.string();
}

// All hits of `query` on the fixture index, in rank order, as article names.
// Checks the exit status agrees with the hits (0 with hits, 1 without).
inline std::vector<std::string> RankedHits(const std::string& query) {
  const RunResult r = Search({"--format", "paths", "-n", "0", query});
  INFO("query: " << query << "\nstderr: " << r.err);
  std::vector<std::string> names;
  for (const std::string& line : Lines(r.out)) names.push_back(NameOf(line));
  CHECK(r.exit_code == (names.empty() ? 1 : 0));
  return names;
}

inline Names Hits(const std::string& query) {
  const std::vector<std::string> ranked = RankedHits(query);
  const Names names(ranked.begin(), ranked.end());
  INFO("query: " << query);
  CHECK(names.size() == ranked.size());  // no article twice
  return names;
}

inline Names Union(Names a, const Names& b) {
  a.insert(b.begin(), b.end());
  return a;
}

struct QueryCase {
  std::string query;
  Names expected;
};

inline void CheckCases(const std::vector<QueryCase>& cases) {
  for (const QueryCase& c : cases) {
    INFO("query: " << c.query);
    CHECK(Hits(c.query) == c.expected);
  }
}

inline json ParseJson(const std::string& text) {
  INFO("output: " << text);
  json j;
  REQUIRE_NOTHROW(j = json::parse(text));
  return j;
}

}  // namespace e2e
