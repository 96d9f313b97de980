// docs/json-output.md against real output: every table there marked
// <!-- fields: NAME --> lists exactly the keys (and their types) that nsearch
// prints in that document, and the tsv column table the columns of
// --format tsv. A field added to the output but not to the document fails
// here, and so does a documented field that is not printed.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/e2e/support.h"
#include "tests/support/markdown.h"

using nlohmann::json;
using namespace e2e;

namespace {

const fs::path kJsonDoc = fs::path(DOCS_DIR) / "json-output.md";

struct DocField {
  std::string name;  // "total" or "hits[].rank"
  std::string type;  // "integer", "string or null", ...
};

// The rows of every table in the document, by the name in the marker comment
// before it ("<!-- fields: search -->"), header and separator rows left out.
std::map<std::string, std::vector<std::vector<std::string>>> DocTables() {
  std::ifstream in(kJsonDoc);
  REQUIRE(in);
  std::map<std::string, std::vector<std::vector<std::string>>> tables;
  std::string current;
  int row = 0;
  for (std::string line; std::getline(in, line);) {
    if (StartsWith(line, "<!-- ")) {
      const auto colon = line.find(": ");
      current = line.substr(colon + 2, line.find(" -->") - colon - 2);
      row = 0;
    } else if (!current.empty() && StartsWith(line, "|")) {
      if (++row > 2) tables[current].push_back(nsearch::test::MarkdownCells(line));
    } else if (!current.empty() && row > 0) {
      current.clear();
    }
  }
  return tables;
}

std::vector<DocField> DocFields(const std::string& table) {
  const auto tables = DocTables();
  const auto rows = tables.find(table);
  INFO("table: " << table);
  REQUIRE(rows != tables.end());
  std::vector<DocField> fields;
  for (const std::vector<std::string>& cells : rows->second) {
    REQUIRE(cells.size() >= 2);
    REQUIRE(cells[0].size() > 2);
    fields.push_back({cells[0].substr(1, cells[0].size() - 2), cells[1]});  // `name` without the backquotes
  }
  REQUIRE_FALSE(fields.empty());
  return fields;
}

bool HasType(const json& value, const std::string& type) {
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  const std::string or_null = " or null";
  if (type.size() > or_null.size() && type.compare(type.size() - or_null.size(), or_null.size(), or_null) == 0) {
    return value.is_null() || HasType(value, type.substr(0, type.size() - or_null.size()));
  }
  FAIL("docs/json-output.md names an unknown type: " << type);
  return false;
}

std::set<std::string> Keys(const json& object) {
  std::set<std::string> keys;
  for (const auto& item : object.items()) keys.insert(item.key());
  return keys;
}

// Checks `document` has exactly the documented fields, each of its type;
// "hits[].rank" is a field of every element of the array "hits".
void CheckAgainstDoc(const json& document, const std::vector<DocField>& fields) {
  INFO("document: " << document.dump());
  REQUIRE(document.is_object());
  std::set<std::string> top;
  std::map<std::string, std::vector<DocField>> nested;
  for (const DocField& field : fields) {
    const auto brackets = field.name.find("[].");
    if (brackets == std::string::npos) {
      top.insert(field.name);
    } else {
      nested[field.name.substr(0, brackets)].push_back({field.name.substr(brackets + 3), field.type});
    }
  }
  CHECK(Keys(document) == top);
  for (const DocField& field : fields) {
    if (top.count(field.name) == 0 || !document.contains(field.name)) continue;
    INFO("field: " << field.name);
    CHECK(HasType(document[field.name], field.type));
  }
  for (const auto& [array, element_fields] : nested) {
    INFO("array: " << array);
    REQUIRE(document[array].is_array());
    CHECK_FALSE(document[array].empty());  // else nothing was checked
    for (const json& element : document[array]) CheckAgainstDoc(element, element_fields);
  }
}

}  // namespace

TEST_CASE("docs/json-output.md: the search document has exactly the documented fields", "[e2e][doc]") {
  for (const std::string query : {"opec", "cuba migration"}) {
    const RunResult r = Search({"--json", "-n", "0", query});
    REQUIRE(r.exit_code == 0);
    CheckAgainstDoc(ParseJson(r.out), DocFields("search"));
  }
}

TEST_CASE("docs/json-output.md: a jsonl line is a documented hit plus schema and query", "[e2e][doc]") {
  std::vector<DocField> fields;
  for (const DocField& field : DocFields("search")) {
    if (StartsWith(field.name, "hits[].")) fields.push_back({field.name.substr(7), field.type});
    if (field.name == "schema" || field.name == "query") fields.push_back(field);
  }
  const RunResult r = Search({"--format", "jsonl", "-n", "0", "cuba"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(Lines(r.out).size() == 6);
  for (const std::string& line : Lines(r.out)) CheckAgainstDoc(ParseJson(line), fields);
}

TEST_CASE("docs/json-output.md: --batch records are search documents or documented error records",
          "[e2e][doc]") {
  TempDir dir;
  WriteFile(dir.path() / "queries", "oil\ncuba AND\n");
  const RunResult r = Search({"--batch", (dir.path() / "queries").string()});
  REQUIRE(r.exit_code == 2);
  const std::vector<std::string> lines = Lines(r.out);
  REQUIRE(lines.size() == 2);
  CheckAgainstDoc(ParseJson(lines[0]), DocFields("search"));
  CheckAgainstDoc(ParseJson(lines[1]), DocFields("batch-error"));
}

TEST_CASE("docs/json-output.md: --info --json has exactly the documented fields", "[e2e][doc]") {
  const RunResult r = Search({"--info", "--json"});
  REQUIRE(r.exit_code == 0);
  CheckAgainstDoc(ParseJson(r.out), DocFields("info"));
}

TEST_CASE("docs/json-output.md: --saved --json and --all-saved --json have exactly the documented fields",
          "[e2e][doc][saved]") {
  TempDir dir;
  const EnvChanges env = {{"XDG_CONFIG_HOME", (dir.path() / "config").string()},
                          {"XDG_STATE_HOME", (dir.path() / "state").string()}};
  REQUIRE(SearchIn(FixtureIndex::Db(), {"--save", "oil", "--sort", "newest", "oil"}, env).exit_code == 0);
  REQUIRE(SearchIn(FixtureIndex::Db(), {"--save", "cuba", "cuba"}, env).exit_code == 0);
  RunResult r = Run({kSearchBin, "--saved", "--json"}, env);
  REQUIRE(r.exit_code == 0);
  const json list = ParseJson(r.out);
  REQUIRE(list.is_array());
  REQUIRE(list.size() == 2);
  for (const json& saved : list) CheckAgainstDoc(saved, DocFields("saved"));
  std::vector<DocField> fields = DocFields("search");
  for (const DocField& extra : DocFields("all-saved")) fields.push_back(extra);
  r = Run({kSearchBin, "--all-saved", "--json"}, env);
  REQUIRE(r.exit_code == 0);
  const std::vector<std::string> lines = Lines(r.out);
  REQUIRE(lines.size() == 2);
  for (const std::string& line : lines) CheckAgainstDoc(ParseJson(line), fields);
  CHECK(ParseJson(lines[0])["saved"] == "cuba");
}

TEST_CASE("docs/json-output.md: tsv lines have the documented columns", "[e2e][doc]") {
  const std::size_t columns = DocTables()["tsv"].size();
  REQUIRE(columns > 0);
  const RunResult r = Search({"--format", "tsv", "-n", "0", "election"});
  REQUIRE(r.exit_code == 0);
  REQUIRE_FALSE(r.out.empty());
  for (const std::string& line : Lines(r.out)) {
    INFO("line: " << line);
    CHECK(static_cast<std::size_t>(std::count(line.begin(), line.end(), '\t')) + 1 == columns);
  }
}

TEST_CASE("docs/json-output.md: --facets, --timeline and --explain add exactly the documented fields",
          "[e2e][doc]") {
  std::vector<DocField> fields = DocFields("search");
  for (const DocField& extra : DocFields("search-extras")) fields.push_back(extra);
  const RunResult r = Search({"--json", "--facets", "source,year,month,lang", "--timeline", "year", "--explain", "cuba"});
  REQUIRE(r.exit_code == 0);
  CheckAgainstDoc(ParseJson(r.out), fields);
}
