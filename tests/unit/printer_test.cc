// Printers: what --info shows when the index records less (an index written
// before a metadata key existed): the facts that exist, and a clear "not
// recorded" (JSON null) for the rest, never a made-up value.
#include <cstdio>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "query/printer/info_printer.h"
#include "query/printer/json_printer.h"

namespace {

std::string Printed(const nsearch::IndexInfo& info, bool json) {
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  nsearch::Output output(out);
  nsearch::PrintIndexInfo(info, json, output);
  std::string text(static_cast<std::size_t>(std::ftell(out)), '\0');
  std::rewind(out);
  REQUIRE(std::fread(text.data(), 1, text.size(), out) == text.size());
  std::fclose(out);
  return text;
}

nsearch::IndexInfo OldIndex() {
  nsearch::IndexInfo info;
  info.dir = "/srv/idx";
  info.articles = 3;
  info.terms = 120;
  info.shards = 1;
  info.size_bytes = 2500;
  return info;  // no schema, language, roots or update time recorded
}

}  // namespace

TEST_CASE("nsearch --info --json shows null for what the index does not record", "[printer]") {
  const nlohmann::json j = nlohmann::json::parse(Printed(OldIndex(), true));
  CHECK(j["schema"] == nsearch::kJsonSchemaVersion);
  CHECK(j["articles"] == 3);
  CHECK(j["size_bytes"] == 2500);
  CHECK(j["index_schema"].is_null());
  CHECK(j["updated"].is_null());
  CHECK(j["roots"] == nlohmann::json::array());
  CHECK(j["languages"] == nlohmann::json::object());
}

TEST_CASE("nsearch --info text says 'not recorded' rather than leaving a value out", "[printer]") {
  const std::string text = Printed(OldIndex(), false);
  CHECK(text.find("updated:          (not recorded)\n") != std::string::npos);
  CHECK(text.find("schema:           (not recorded)\n") != std::string::npos);
  CHECK(text.find("roots:            (not recorded)\n") != std::string::npos);
  CHECK(text.find("size:             2.5 kB (2500 bytes)\n") != std::string::npos);

  nsearch::IndexInfo info = OldIndex();
  info.roots = {"/news/a", "/news/b"};
  info.updated = "2024-05-01T09:30:00Z";
  const std::string two_roots = Printed(info, false);
  CHECK(two_roots.find("roots:            /news/a\n                  /news/b\n") != std::string::npos);
  CHECK(two_roots.find("updated:          2024-05-01T09:30:00Z\n") != std::string::npos);
}

namespace {

// A result as the Searcher could return it, with the text a printer must
// make safe: a tab and a line break in the title, the snippet and a path,
// and bytes that are not UTF-8.
nsearch::SearchResult Result() {
  nsearch::SearchResult result;
  result.query = "oil prices";
  result.total = 7;
  result.total_exact = true;
  nsearch::Hit first;
  first.rank = 1;
  first.score = 2.5;
  first.article.id = "/news/a.txt";
  first.article.path = "/news/a.txt";
  first.article.title = "Oil\tprices\nfall";
  first.article.date = "2022-04-20T10:00:00Z";
  first.article.source = "Reuters";
  first.snippet = "oil\tprices fell\nagain";
  first.highlights = {{0, 3}, {4, 10}};
  first.similar = 2;
  nsearch::Hit second;
  second.rank = 2;
  second.score = 1.25;
  second.article.id = "b-id";
  second.article.path = "/news/b\xff.txt";
  result.hits = {first, second};
  return result;
}

// What `printer` writes into a string, checked to be what it writes to a
// stdio stream.
std::string Printed(const nsearch::Printer& printer, const nsearch::SearchResult& result) {
  std::string text;
  nsearch::Output to_string(text);
  printer.Print(result, to_string);
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  nsearch::Output to_file(file);
  printer.Print(result, to_file);
  std::string written(static_cast<std::size_t>(std::ftell(file)), '\0');
  std::rewind(file);
  REQUIRE(std::fread(written.data(), 1, written.size(), file) == written.size());
  std::fclose(file);
  CHECK(written == text);
  return text;
}

std::string Printed(nsearch::OutputFormat format, const nsearch::SearchResult& result, bool color = false,
                    bool nul = false) {
  return Printed(*nsearch::MakePrinter(format, {color, nul}), result);
}

}  // namespace

TEST_CASE("every printer writes the same bytes to a string as to a stream", "[printer]") {
  nsearch::SearchResult result = Result();
  result.facets = {{nsearch::Facet::kSource, {{"Reuters", 5}, {"", 2}}}};
  result.timeline_period = nsearch::Period::kMonth;
  result.timeline = {{"2022-03", 1}, {"2022-04", 6}};
  result.suggestion = "oil price";
  for (const nsearch::OutputFormat format : nsearch::kOutputFormats) {
    INFO(nsearch::OutputFormatName(format));
    for (const bool color : {false, true}) CHECK_FALSE(Printed(format, result, color).empty());
  }
}

TEST_CASE("the JSON printer writes SearchJson, one valid line with U+FFFD for bad bytes", "[printer]") {
  const nsearch::SearchResult result = Result();
  const std::string printed = Printed(nsearch::OutputFormat::kJson, result);
  CHECK(printed == nsearch::SearchJson(result));
  REQUIRE(printed.back() == '\n');
  CHECK(printed.find('\n') == printed.size() - 1);
  const nlohmann::json j = nlohmann::json::parse(printed);
  CHECK(j["hits"][0]["title"] == "Oil\tprices\nfall");
  CHECK(j["hits"][1]["path"] == "/news/b\xEF\xBF\xBD.txt");
  CHECK(j["hits"][0]["highlights"] == nlohmann::json::parse("[[0, 3], [4, 10]]"));
  CHECK(j["suggestion"].is_null());
  CHECK_FALSE(j.contains("facets"));
  CHECK(nsearch::SearchErrorJson("a\"b", "bad") == "{\"error\":\"bad\",\"query\":\"a\\\"b\",\"schema\":1}\n");
}

TEST_CASE("JSON Lines: each hit's object with the schema and the query", "[printer]") {
  const std::string printed = Printed(nsearch::OutputFormat::kJsonl, Result());
  const std::size_t first_end = printed.find('\n');
  REQUIRE(first_end != std::string::npos);
  const nlohmann::json first = nlohmann::json::parse(printed.substr(0, first_end));
  CHECK(first == [] {
    nlohmann::json j = nsearch::HitJson(Result().hits[0], false);
    j["schema"] = 1;
    j["query"] = "oil prices";
    return j;
  }());
  CHECK(printed.substr(first_end + 1).find("\"rank\":2") != std::string::npos);
  nsearch::SearchResult none = Result();
  none.hits.clear();
  CHECK(Printed(nsearch::OutputFormat::kJsonl, none).empty());
}

TEST_CASE("TSV: tabs and line breaks inside a field become spaces", "[printer]") {
  CHECK(Printed(nsearch::OutputFormat::kTsv, Result()) ==
        "1\t2.5000\t2022-04-20T10:00:00Z\tReuters\tOil prices fall\t/news/a.txt\n"
        "2\t1.2500\t\t\t\t/news/b\xff.txt\n");
}

TEST_CASE("paths, ids and count", "[printer]") {
  CHECK(Printed(nsearch::OutputFormat::kPaths, Result()) == "/news/a.txt\n/news/b\xff.txt\n");
  CHECK(Printed(nsearch::OutputFormat::kIds, Result(), false, true) == std::string("/news/a.txt\0b-id\0", 17));
  CHECK(Printed(nsearch::OutputFormat::kCount, Result()) == "7\n");
}

TEST_CASE("text: the snippet stays on its line, its matches in colour when asked", "[printer]") {
  CHECK(Printed(nsearch::OutputFormat::kText, Result()) ==
        "  1. Oil\tprices\nfall\n"
        "     2022-04-20 10:00 UTC · Reuters · /news/a.txt · +2 similar\n"
        "     oil prices fell again\n"
        "\n"
        "  2. (untitled)\n"
        "     /news/b\xff.txt\n"
        "\n"
        "1-2 of 7 matches\n");
  const std::string colored = Printed(nsearch::OutputFormat::kText, Result(), true);
  CHECK(colored.find("     \033[1;31moil\033[0m \033[1;31mprices\033[0m fell again\n") != std::string::npos);
}

TEST_CASE("text: facets and the timeline come before the hits", "[printer]") {
  nsearch::SearchResult result = Result();
  result.hits.clear();
  result.facets = {{nsearch::Facet::kLanguage, {{"en", 6}, {"", 1}}}};
  result.timeline_period = nsearch::Period::kYear;
  result.timeline = {{"2021", 1}, {"2022", 2}};
  result.undated = 4;
  CHECK(Printed(nsearch::OutputFormat::kText, result) ==
        "lang:   en 6 · (none) 1\n"
        "\n"
        "Matches per year\n"
        "  2021 ████████████████████ 1\n"
        "  2022 ████████████████████████████████████████ 2\n"
        "  undated: 4\n"
        "\n");
  const nlohmann::json j = nlohmann::json::parse(nsearch::SearchJson(result));
  CHECK(j["facets"]["lang"] == nlohmann::json::parse(R"([{"value": "en", "count": 6}, {"value": "", "count": 1}])"));
  CHECK(j["timeline"]["unit"] == "year");
  CHECK(j["timeline"]["undated"] == 4);
}

TEST_CASE("InfoJson is what --info --json prints", "[printer]") {
  CHECK(Printed(OldIndex(), true) == nsearch::InfoJson(OldIndex()));
}
