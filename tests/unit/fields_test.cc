// The field table (common/fields.h) against everything that names the
// fields: the QueryParser it sets up, the --help lines it writes, the bash
// and zsh completions, docs/query-syntax.md and the man page. A field added
// to one and not the others fails here.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <xapian.h>

#include "common/analyzer.h"
#include "common/fields.h"
#include "common/schema.h"
#include "query/field_processors.h"
#include "tests/support/markdown.h"

namespace fs = std::filesystem;
using namespace nsearch;

namespace {

const fs::path kSource = SOURCE_DIR;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "title:", "author:", ... for every field of the table.
std::set<std::string> TableNames() {
  std::set<std::string> names;
  for (const Field& field : kFields) names.insert(std::string(field.name) + ":");
  return names;
}

// The words of the first match of `pattern`'s group 1, split on blanks.
std::set<std::string> WordsOf(const std::string& text, const std::regex& pattern) {
  std::smatch m;
  REQUIRE(std::regex_search(text, m, pattern));
  std::set<std::string> words;
  std::stringstream in(m[1].str());
  for (std::string word; in >> word;) words.insert(word);
  return words;
}

// What `text` parses to with a parser set up from the table, as Xapian
// describes it.
std::string Parsed(const std::string& text) {
  Xapian::QueryParser parser;
  ConfigureQueryParser(parser, Xapian::Stem(), nullptr);
  std::string error;
  AddBooleanFields(parser, error);
  const std::string description = parser.parse_query(text, kQueryParserFlags).get_description();
  INFO("field error: " << error);
  CHECK(error.empty());
  return description;
}

}  // namespace

TEST_CASE("the field table names each field once, with the prefix or slot it reads", "[fields]") {
  std::set<std::string_view> names;
  for (const Field& field : kFields) {
    INFO("field: " << field.name);
    CHECK(names.insert(field.name).second);
    CHECK(FindField(field.name) == &field);
    CHECK(!field.help.empty());
    switch (field.kind) {
      case FieldKind::kFreeText:
        CHECK(field.reader == FieldReader::kWords);
        CHECK(!field.prefix.empty());
        break;
      case FieldKind::kFilter:
        CHECK(field.reader != FieldReader::kWords);
        CHECK(!field.prefix.empty());
        break;
      case FieldKind::kDate:
        CHECK(field.slot == schema::kDateSlot);
        CHECK(field.prefix.empty());
        CHECK(field.example.substr(0, field.name.size() + 1) == std::string(field.name) + ":");
        break;
    }
  }
  CHECK(FindField("nosuch") == nullptr);
  // Only titles keep word positions under their prefix; body words do.
  CHECK(IsPositional(schema::kTitlePrefix));
  CHECK_FALSE(IsPositional(schema::kAuthorPrefix));
  CHECK_FALSE(IsPositional(schema::kSourcePrefix));
  CHECK(IsPositional(""));
}

TEST_CASE("a QueryParser set up from the table reads every field, and no other", "[fields]") {
  // A value for each field and a term (or value slot) the query must hold.
  const std::map<std::string, std::pair<std::string, std::string>> probes = {
      {"title", {"talks", "Stalks@1"}},
      {"author", {"walker", "Awalker@1"}},
      {"source", {"reuters", "XSreuters@1"}},
      {"site", {"www.Reuters.com", "Hreuters.com"}},
      {"lang", {"es", "Lspanish"}},
      {"path", {"/var/news", "Q/var/news"}},
      {"dir", {"/var/news", "P/var/news/"}},
      {"id", {"wire-123", "Qwire-123"}},
      {"date", {"2022-04-20", "VALUE_RANGE 0 20220420000000 20220420235959"}},
      {"year", {"2022", "VALUE_RANGE 0 20220101000000 20221231235959"}},
      {"month", {"2022-04", "VALUE_RANGE 0 20220401000000 20220431235959"}},
  };
  REQUIRE(probes.size() == std::size(kFields));
  for (const Field& field : kFields) {
    INFO("field: " << field.name);
    const auto probe = probes.find(std::string(field.name));
    REQUIRE(probe != probes.end());
    const std::string parsed = Parsed(std::string(field.name) + ":" + probe->second.first);
    INFO("parsed: " << parsed);
    CHECK(parsed.find(probe->second.second) != std::string::npos);
  }
  // path: and dir: are one group: two of them match either.
  CHECK(Parsed("path:/a dir:/b").find(" OR ") != std::string::npos);
  // A name not in the table is a plain word.
  CHECK(Parsed("colour:red") == "Query((colour@1 PHRASE 2 red@2))");
}

TEST_CASE("nsearch --help names the fields from the table", "[fields]") {
  CHECK(FieldsHelp() ==
        "Fields: title: author: source: site: lang: path: dir: id:;\n"
        "dates: date:2022-01-01..2022-06-30 (either end open), date:2022-04-20, year:2022, month:2022-04.\n");
  for (const Field& field : kFields) CHECK(FieldsHelp().find(" " + std::string(field.name) + ":") != std::string::npos);
}

TEST_CASE("the bash and zsh completions offer exactly the fields of the table", "[fields][completion]") {
  const std::string bash = ReadText(kSource / "completions" / "bash" / "nsearch");
  CHECK(WordsOf(bash, std::regex(R"(# Field prefixes[^\n]*\n[^']*'([^']*)')")) == TableNames());
  const std::string zsh = ReadText(kSource / "completions" / "zsh" / "_nsearch");
  CHECK(WordsOf(zsh, std::regex(R"(\nfields=\(([^)]*)\))")) == TableNames());
}

TEST_CASE("docs/query-syntax.md shows every field, with the table's help, and no other", "[fields][docs]") {
  std::stringstream doc(ReadText(kSource / "docs" / "query-syntax.md"));
  // The first table row of the Fields and Dates sections that shows each
  // NAME: form, and its meaning cell.
  std::map<std::string, std::string> meaning;
  std::string section;
  static const std::regex form("`([a-z]+):");
  for (std::string line; std::getline(doc, line);) {
    if (line.rfind("## ", 0) == 0) section = line.substr(3);
    if ((section != "Fields" && section != "Dates") || line.rfind("| `", 0) != 0) continue;
    const std::vector<std::string> cells = nsearch::test::MarkdownCells(line);
    REQUIRE(cells.size() >= 2);
    for (std::sregex_iterator it(cells[0].begin(), cells[0].end(), form), end; it != end; ++it) {
      meaning.emplace((*it)[1].str() + ":", cells[1]);
    }
  }
  std::set<std::string> documented;
  for (const auto& [name, text] : meaning) documented.insert(name);
  CHECK(documented == TableNames());
  for (const Field& field : kFields) {
    INFO("field: " << field.name);
    CHECK(meaning[std::string(field.name) + ":"] == field.help);
  }
}

TEST_CASE("the nsearch man page names every field", "[fields][docs]") {
  const std::string man = ReadText(kSource / "docs" / "man" / "nsearch.1");
  for (const Field& field : kFields) {
    INFO("field: " << field.name);
    CHECK(std::regex_search(man, std::regex("\\n\\.BR? ([^\\n]* )?\"?" + std::string(field.name) + ":")));
  }
}
