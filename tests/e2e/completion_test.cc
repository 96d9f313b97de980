// The shell completions in completions/ against the programs: bash's offers
// exactly the long options of --help and the values of --format and
// --color, and completes field prefixes; zsh's specs name exactly the long
// options of --help.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/e2e/support.h"

using namespace e2e;

namespace {

const fs::path kCompletions = fs::path(DOCS_DIR).parent_path() / "completions";

// What bash completion function `function` from `file` offers for the
// command line `words`, the last one being completed.
std::set<std::string> BashComplete(const fs::path& file, const std::string& function,
                                   const std::vector<std::string>& words) {
  std::vector<std::string> argv = {"/bin/bash", "--norc", "-c",
                                   "source \"$1\" && shift 2 && COMP_WORDS=(\"$@\") && COMP_CWORD=$(($# - 1)) && " +
                                       function + " && printf '%s\\n' \"${COMPREPLY[@]}\"",
                                   "bash", file.string(), "--"};
  argv.insert(argv.end(), words.begin(), words.end());
  const RunResult r = Run(argv);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::set<std::string> offered;
  for (const std::string& line : Lines(r.out)) {
    if (!line.empty()) offered.insert(line);
  }
  return offered;
}

// The long options a zsh _arguments completion file specifies: "--db=[...",
// "--any[...", "{-n+,--limit=}".
std::set<std::string> ZshOptions(const fs::path& file) {
  std::ifstream in(file);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  static const std::regex spec(R"((--[a-z][a-z-]*)=?[+]?[\[}])");
  std::set<std::string> options;
  for (std::sregex_iterator it(s.begin(), s.end(), spec), end; it != end; ++it) options.insert((*it)[1]);
  return options;
}

// The --format values nsearch --help names: "Output: text, json, ... (default text)".
std::set<std::string> HelpFormats() {
  const RunResult r = Run({kSearchBin, "--help"});
  const std::smatch m = [&] {
    std::smatch match;
    static const std::regex line(R"(--format FORMAT\s+Output: ([a-z, ]+) \()");
    REQUIRE(std::regex_search(r.out, match, line));
    return match;
  }();
  std::set<std::string> formats;
  std::stringstream in(m[1].str());
  for (std::string name; std::getline(in, name, ',');) formats.insert(name.substr(name.find_first_not_of(' ')));
  return formats;
}

}  // namespace

TEST_CASE("bash completion of nsearch offers its --help options, formats, colours and fields",
          "[e2e][completion]") {
  const fs::path file = kCompletions / "bash" / "nsearch";
  CHECK(BashComplete(file, "_nsearch", {"nsearch", "--"}) == HelpLongOptions(kSearchBin));
  // And csv, which --help names apart: only a --batch watchlist prints it.
  CHECK(BashComplete(file, "_nsearch", {"nsearch", "--format", ""}) == Union(HelpFormats(), {"csv"}));
  CHECK(HelpFormats().size() == 7);
  CHECK(BashComplete(file, "_nsearch", {"nsearch", "--format", "js"}) == std::set<std::string>{"json", "jsonl"});
  CHECK(BashComplete(file, "_nsearch", {"nsearch", "--color", ""}) ==
        std::set<std::string>{"auto", "always", "never"});
  CHECK(BashComplete(file, "_nsearch", {"nsearch", "cuba", "ti"}) == std::set<std::string>{"title:"});
  CHECK(BashComplete(file, "_nsearch", {"nsearch", "so"}) == std::set<std::string>{"source:"});
  // @NAME: the saved searches of the sandbox's XDG_CONFIG_HOME.
  const fs::path saved = SandboxHome() / "config" / "nsearch" / "saved";
  fs::create_directories(saved);
  WriteFile(saved / "cuba-desk", "--\ncuba\n");
  CHECK(BashComplete(file, "_nsearch", {"nsearch", "@cu"}) == std::set<std::string>{"@cuba-desk"});
  fs::remove(saved / "cuba-desk");
  for (const std::string field : {"author:", "site:", "lang:", "path:", "dir:", "id:", "date:", "year:", "month:"}) {
    CHECK(BashComplete(file, "_nsearch", {"nsearch", ""}).count(field) == 1);
  }
}

TEST_CASE("bash completion of nsearch-index offers its --help options and the stemming languages",
          "[e2e][completion]") {
  const fs::path file = kCompletions / "bash" / "nsearch-index";
  CHECK(BashComplete(file, "_nsearch_index", {"nsearch-index", "--"}) == HelpLongOptions(kIndexBin));
  CHECK(BashComplete(file, "_nsearch_index", {"nsearch-index", "--language", "eng"}) ==
        std::set<std::string>{"english"});
  // Languages the completion offers are ones nsearch-index accepts.
  TempDir dir;
  const std::set<std::string> languages = BashComplete(file, "_nsearch_index", {"nsearch-index", "--language", ""});
  CHECK(languages.size() == 29);  // Snowball 2.2 without "porter", and "none"
  for (const std::string& language : languages) {
    const RunResult r = Index(dir.path() / language, {(kNewsDir / "local").string()}, {"--language", language});
    INFO("language: " << language << "\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("zsh completions specify exactly the options of --help", "[e2e][completion]") {
  CHECK(ZshOptions(kCompletions / "zsh" / "_nsearch") == HelpLongOptions(kSearchBin));
  CHECK(ZshOptions(kCompletions / "zsh" / "_nsearch-index") == HelpLongOptions(kIndexBin));
}
