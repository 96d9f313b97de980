// The man pages (docs/man/*.1, written by hand) against the programs: the
// options a man page documents under OPTIONS are exactly the long options
// the program's --help lists, so neither can gain or lose one alone.
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "tests/e2e/support.h"

using namespace e2e;

namespace {

// The long options of the man page: those in the tag line after each .TP of
// its OPTIONS section ("\-\-limit" in roff is "--limit").
std::set<std::string> ManOptions(const fs::path& page) {
  std::ifstream in(page);
  REQUIRE(in);
  static const std::regex long_option(R"(\\-\\-([a-z0-9][a-z0-9\\-]*))");
  std::set<std::string> options;
  bool in_options = false, tag_next = false;
  for (std::string line; std::getline(in, line);) {
    if (StartsWith(line, ".SH")) in_options = line == ".SH OPTIONS";
    if (!in_options) continue;
    if (tag_next) {
      for (std::sregex_iterator it(line.begin(), line.end(), long_option), end; it != end; ++it) {
        std::string name = (*it)[1];
        std::string plain;
        for (std::size_t i = 0; i < name.size(); ++i) {
          if (name[i] == '\\') continue;  // "snippet\-length"
          plain += name[i];
        }
        options.insert("--" + plain);
      }
    }
    tag_next = line == ".TP";
  }
  return options;
}

}  // namespace

TEST_CASE("man page nsearch.1 lists exactly the options of nsearch --help", "[e2e][man]") {
  const std::set<std::string> help = HelpLongOptions(kSearchBin);
  CHECK(help.count("--batch") == 1);  // the --help parsing works
  CHECK(ManOptions(fs::path(DOCS_DIR) / "man" / "nsearch.1") == help);
}

TEST_CASE("man page nsearch-index.1 lists exactly the options of nsearch-index --help", "[e2e][man]") {
  const std::set<std::string> help = HelpLongOptions(kIndexBin);
  CHECK(help.count("--jobs") == 1);
  CHECK(ManOptions(fs::path(DOCS_DIR) / "man" / "nsearch-index.1") == help);
}
