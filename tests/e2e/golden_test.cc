// Whole outputs of nsearch on the fixture corpus, compared with the files in
// tests/golden/ (one a case: exit status, stdout and stderr), as notmuch's
// test suite keeps them. The index's folder, the fixture folder and the
// index's update time are normalised so that the files hold on any machine.
// NSEARCH_UPDATE_GOLDEN=1 rewrites the files from the actual outputs
// (tests/golden/README.md).
#include <cstdlib>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/e2e/support.h"

using namespace e2e;

namespace {

const fs::path kGoldenDir = GOLDEN_DIR;
// Xapian's CJK n-gram switch changes how both programs cut words.
const EnvChanges kEnv = {{"XAPIAN_CJK_NGRAM", std::nullopt}};

// The fixture corpus indexed with one worker thread, so that the document
// ids (and so the order of tied hits) do not depend on the machine's cores.
class GoldenIndex {
 public:
  static const GoldenIndex& Get() {
    static const GoldenIndex index;
    return index;
  }
  const fs::path& db() const { return db_; }

 private:
  GoldenIndex() : db_(dir_.path() / "idx") {
    const RunResult r = Index(db_, {kNewsDir.string()}, {"--jobs", "1"}, kEnv);
    if (r.exit_code != 0) {
      throw std::runtime_error("nsearch-index failed on the fixtures (exit " + std::to_string(r.exit_code) +
                               "): " + r.err);
    }
  }

  TempDir dir_;
  fs::path db_;
};

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

// Folders as @INDEX@ and @NEWS@ (canonical forms first: they may be longer
// than the names given), the index's update time (ISO 8601, UTC) as
// @UPDATED@ and its size as @SIZE@ (the documents hold their paths, so the
// size follows the length of the fixture folder's path).
std::string Normalise(std::string text) {
  const fs::path& db = GoldenIndex::Get().db();
  for (const fs::path& p : {fs::weakly_canonical(db), db}) ReplaceAll(text, p.string(), "@INDEX@");
  for (const fs::path& p : {fs::weakly_canonical(kNewsDir), kNewsDir}) ReplaceAll(text, p.string(), "@NEWS@");
  static const std::regex updated(R"((updated"?:\s*"?)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)");
  static const std::regex size_text(R"((size: +)\S+ \S+ \(\d+ bytes\))"), size_json(R"(("size_bytes":)\d+)");
  text = std::regex_replace(text, updated, "$1@UPDATED@");
  text = std::regex_replace(text, size_text, "$1@SIZE@");
  return std::regex_replace(text, size_json, "$1@SIZE@");
}

// One text for a run: what the golden file holds. A stream whose last line
// has no newline is marked so, and the mark is part of the comparison.
std::string Render(const RunResult& r) {
  const auto stream = [](const std::string& name, const std::string& text) {
    std::string s = "--- " + name + "\n" + text;
    if (!text.empty() && text.back() != '\n') s += "\n[no newline at end of " + name + "]\n";
    return s;
  };
  return "exit status: " + std::to_string(r.exit_code) + (r.timed_out ? " (timed out)" : "") + "\n" +
         stream("stdout", Normalise(r.out)) + stream("stderr", Normalise(r.err));
}

// A unified-style diff of two texts by lines (longest common subsequence),
// with three lines of context around each change.
std::string UnifiedDiff(const std::string& expected, const std::string& actual) {
  const std::vector<std::string> a = Lines(expected), b = Lines(actual);
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  struct Line {
    char mark;
    std::string text;
  };
  std::vector<Line> script;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      script.push_back({' ', a[i++]});
      ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      script.push_back({'-', a[i++]});  // removals first, as diff -u shows them
    } else {
      script.push_back({'+', b[j++]});
    }
  }
  constexpr std::size_t kContext = 3;
  std::string diff = "--- expected\n+++ actual\n";
  std::size_t shown = 0, a_line = 1, b_line = 1;  // script lines printed or passed; the next line of each side
  for (std::size_t k = 0; k < script.size();) {
    if (script[k].mark == ' ') {
      ++k;
      continue;
    }
    const std::size_t from = std::max(shown, k >= kContext ? k - kContext : 0);
    std::size_t last_change = k;  // changes closer than 2 * kContext share a hunk
    for (std::size_t s = k + 1; s < script.size() && s <= last_change + 2 * kContext; ++s) {
      if (script[s].mark != ' ') last_change = s;
    }
    const std::size_t to = std::min(script.size(), last_change + 1 + kContext);
    for (std::size_t s = shown; s < from; ++s) ++a_line, ++b_line;  // unchanged lines between hunks
    diff += "@@ -" + std::to_string(a_line) + " +" + std::to_string(b_line) + " @@\n";
    for (std::size_t s = from; s < to; ++s) {
      diff += script[s].mark + script[s].text + "\n";
      if (script[s].mark != '+') ++a_line;
      if (script[s].mark != '-') ++b_line;
    }
    shown = k = to;
  }
  return diff;
}

struct GoldenCase {
  std::string name;               // the file's name in tests/golden/, without .out
  std::vector<std::string> args;  // after nsearch --db INDEX
  std::string input = "";         // standard input (for --batch -)
};

// Runs the case and compares its rendering with its golden file, or writes
// the file when NSEARCH_UPDATE_GOLDEN=1.
void CheckGolden(const GoldenCase& c) {
  const TempDir tmp;
  const fs::path stdin_path = tmp.path() / "stdin";
  WriteFile(stdin_path, c.input);
  std::vector<std::string> argv = {kSearchBin, "--db", GoldenIndex::Get().db().string()};
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  const std::string actual = Render(Run(argv, kEnv, kRunTimeout, stdin_path));
  const fs::path file = kGoldenDir / (c.name + ".out");
  const char* update = std::getenv("NSEARCH_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    WriteFile(file, actual);
    WARN("wrote " << file.string());
    return;
  }
  INFO("golden file: " << file.string() << " (NSEARCH_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(fs::exists(file));
  const std::string expected = ReadFile(file);
  INFO(UnifiedDiff(expected, actual));
  const bool same = expected == actual;  // a bool: the diff says how, not two whole texts
  CHECK(same);
}

// Each output format of one query, as the cases <name>.<format>.
void CheckFormats(const std::string& name, const std::vector<std::string>& query) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> formats = {
      {"text", {"--color", "never"}}, {"json", {"--json"}},   {"jsonl", {"--format", "jsonl"}},
      {"tsv", {"--format", "tsv"}},   {"paths", {"--format", "paths"}}, {"ids", {"--format", "ids"}},
      {"count", {"--format", "count"}}};
  for (const auto& [format, options] : formats) {
    std::vector<std::string> args = options;
    args.insert(args.end(), query.begin(), query.end());
    CheckGolden({name + "." + format, args});
  }
}

}  // namespace

TEST_CASE("golden: every format of a plain word", "[e2e][golden]") { CheckFormats("word", {"opec"}); }

TEST_CASE("golden: every format of a phrase", "[e2e][golden]") {
  CheckFormats("phrase", {"\"deportation flights\""});
}

TEST_CASE("golden: every format of a boolean query", "[e2e][golden]") {
  CheckFormats("boolean", {"(storm OR election) AND NOT football"});
}

TEST_CASE("golden: every format of a query with no match", "[e2e][golden]") {
  CheckFormats("nomatch", {"zanzibar"});
}

TEST_CASE("golden: every format with facets, timeline, --all and newest first", "[e2e][golden]") {
  CheckFormats("facets", {"--facets", "source,year", "--timeline", "year", "--all", "--sort", "newest", "cuba"});
}

TEST_CASE("golden: --info, --explain and --batch", "[e2e][golden]") {
  CheckGolden({"info.text", {"--info"}});
  CheckGolden({"info.json", {"--info", "--json"}});
  CheckGolden({"explain", {"--explain", "--color", "never", "cuba migration"}});
  CheckGolden({"batch", {"--batch", "-", "--jobs", "2"},
               "opec\n\"chip export controls\"\ncuba AND\nzanzibar\nstorm OR harbour\n"});
}

TEST_CASE("golden: a changed byte shows in the diff", "[golden]") {
  const std::string expected = "exit status: 0\n--- stdout\na\nb\nc\nd\ne\nf\ng\nh\n";
  std::string actual = expected;
  actual[actual.find("e\n")] = 'E';
  const std::string diff = UnifiedDiff(expected, actual);
  CHECK(diff == "--- expected\n+++ actual\n@@ -4 +4 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n");
  CHECK(UnifiedDiff(expected, expected) == "--- expected\n+++ actual\n");
}
