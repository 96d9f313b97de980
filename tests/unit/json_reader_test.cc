#include "indexer/json_reader.h"

#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>

#include "common/utf8.h"

using nsearch::Article;
using nsearch::JsonArticles;
using nsearch::ParseJsonArticles;

namespace {

JsonArticles Lines(std::string_view text) { return ParseJsonArticles(text, "/c/feed.jsonl", true); }
JsonArticles Document(std::string_view text) { return ParseJsonArticles(text, "/c/a.json", false); }

}  // namespace

TEST_CASE("JSON Lines: one article per line with every field", "[json]") {
  const auto r = Lines(
      R"({"id": "r-1", "title": "Cuba talks", "body": "Officials met.\nThen left.", "date": "Wed, 20 Apr 2022 14:00:00 +0000", "source": "Reuters", "url": "https://example.com/1", "author": "Jane Doe", "language": "en", "section": "World", "words": 412, "paywall": false, "tags": ["a"], "meta": {"x": 1}, "note": null})"
      "\n"
      R"({"title": "Second", "text": "Body two."})"
      "\n");
  REQUIRE(r.problems.empty());
  REQUIRE(r.articles.size() == 2);
  const Article& a = r.articles[0];
  CHECK(a.id == "r-1");
  CHECK(a.path == "/c/feed.jsonl");
  CHECK(a.title == "Cuba talks");
  CHECK(a.body == "Officials met.\nThen left.");
  CHECK(a.date == "2022-04-20T14:00:00Z");
  CHECK(a.source == "Reuters");
  CHECK(a.url == "https://example.com/1");
  CHECK(a.author == "Jane Doe");
  CHECK(a.language == "en");
  // Scalars keep their own key and order; arrays, objects and null are left out.
  using Fields = std::vector<std::pair<std::string, std::string>>;
  CHECK(a.extra_fields == Fields{{"section", "World"}, {"words", "412"}, {"paywall", "false"}});
  CHECK(r.articles[1].id == "/c/feed.jsonl#2");
  CHECK(r.articles[1].body == "Body two.");
}

TEST_CASE("JSON Lines: a bad line is a problem and the rest is still read", "[json]") {
  const auto r = Lines(
      "{\"title\": \"one\"}\n"
      "\n"
      "{\"title\": \"three\", \"body\": tru}\n"
      "[1, 2]\n"
      "{\"section\": \"World\", \"title\": \"  \"}\n"
      "\"just a string\"\n"
      "{\"title\": \"seven\"} {\"title\": \"extra\"}\n"
      "{\"title\": \"eight\"}");
  REQUIRE(r.articles.size() == 2);
  CHECK(r.articles[0].id == "/c/feed.jsonl#1");
  CHECK(r.articles[1].id == "/c/feed.jsonl#8");
  CHECK(r.articles[1].title == "eight");
  REQUIRE(r.problems.size() == 5);
  CHECK(r.problems[0].rfind("line 3: malformed JSON (column ", 0) == 0);
  CHECK(r.problems[0].find("invalid literal") != std::string::npos);
  CHECK(r.problems[0].find("last read") == std::string::npos);
  CHECK(r.problems[1] == "line 4: not a JSON object");
  CHECK(r.problems[2] == "line 5: no title or body");
  CHECK(r.problems[3] == "line 6: not a JSON object");
  CHECK(r.problems[4].rfind("line 7: malformed JSON (column ", 0) == 0);
}

TEST_CASE("keys match case-insensitively, as in the Spanish corpus", "[json]") {
  const auto r = Lines(
      R"({"Id": "7", "Category": "Fake", "Topic": "Politics", "Source": "El Ruinaversal", "HEADLINE": "Titular", "TEXT": "Texto de la noticia.", "LINK": "https://example.com/n", "Lang": "es"})");
  REQUIRE(r.articles.size() == 1);
  const Article& a = r.articles[0];
  CHECK(a.id == "7");
  CHECK(a.title == "Titular");
  CHECK(a.body == "Texto de la noticia.");
  CHECK(a.source == "El Ruinaversal");
  CHECK(a.url == "https://example.com/n");
  CHECK(a.language == "es");
  using Fields = std::vector<std::pair<std::string, std::string>>;
  CHECK(a.extra_fields == Fields{{"Category", "Fake"}, {"Topic", "Politics"}});
}

TEST_CASE("alternative keys: the first in order of preference wins", "[json]") {
  const auto r = Lines(
      R"({"content": "from content", "text": "from text", "headline": "H", "link": "L", "url": "U", "body": ""})");
  REQUIRE(r.articles.size() == 1);
  CHECK(r.articles[0].body == "from text");  // an empty body counts as absent
  CHECK(r.articles[0].title == "H");
  CHECK(r.articles[0].url == "U");
}

TEST_CASE("ids, authors, sources and dates in their other shapes", "[json]") {
  const auto r = Lines(
      R"({"id": 1234, "title": "t", "author": ["Ana Díaz", "", 5, "Bo Li"], "source": {"id": "x", "name": "Reuters"}, "date": "next week"})"
      "\n"
      R"({"id": 2.5, "title": "t", "authors": ["Solo"], "date": "2023-01-12"})"
      "\n"
      R"({"id": null, "title": "t", "date": 20230112})");
  REQUIRE(r.articles.size() == 3);
  CHECK(r.articles[0].id == "1234");
  CHECK(r.articles[0].author == "Ana Díaz, Bo Li");
  CHECK(r.articles[0].source == "Reuters");
  CHECK(r.articles[0].date.empty());  // unparseable: dropped
  CHECK(r.articles[1].id == "2.5");
  CHECK(r.articles[1].author == "Solo");
  CHECK(r.articles[1].date == "2023-01-12");
  CHECK(r.articles[2].id == "/c/feed.jsonl#3");
  CHECK(r.articles[2].date.empty());
}

TEST_CASE("an article without a title takes its body's first line", "[json]") {
  const auto r = Lines(R"({"body": "\n  First line here.\nSecond line."})");
  REQUIRE(r.articles.size() == 1);
  CHECK(r.articles[0].title == "First line here.");
}

TEST_CASE("strings come out as valid UTF-8 without control characters", "[json][utf8]") {
  // A \u0000 escape, and a Latin-1 line among UTF-8 ones.
  const auto r = Lines(
      "{\"title\": \"a\\u0000b\\u0007c\", \"body\": \"x\"}\n"
      "{\"title\": \"Caf\xE9 de la Paix\", \"body\": \"Le pr\xE9sident a d\xE9" "clar\xE9 que la "
      "r\xE9union aurait lieu \xE0 Paris apr\xE8s les \xE9lections.\"}\r\n"
      "\xEF\xBB\xBF{\"title\": \"a byte order mark, as in concatenated files\"}\n");
  REQUIRE(r.articles.size() == 3);
  CHECK(r.articles[0].title == "a b c");
  CHECK(r.articles[1].title == "Café de la Paix");
  CHECK(r.articles[1].body == "Le président a déclaré que la réunion aurait lieu à Paris après les élections.");
  CHECK(r.articles[2].title == "a byte order mark, as in concatenated files");
  CHECK(r.problems.empty());
}

TEST_CASE("a .json file holds one object or an array of objects", "[json]") {
  const auto one = Document("\xEF\xBB\xBF{\"title\": \"Only\", \"body\": \"b\"}\n");
  REQUIRE(one.articles.size() == 1);
  CHECK(one.articles[0].id == "/c/a.json");
  CHECK(one.problems.empty());

  const auto many = Document(R"([
    {"title": "First", "body": "b1"},
    42,
    {"id": "own-id", "headline": "Third"},
    {"section": "no text"}
  ])");
  REQUIRE(many.articles.size() == 2);
  CHECK(many.articles[0].id == "/c/a.json#1");
  CHECK(many.articles[1].id == "own-id");
  CHECK(many.articles[1].title == "Third");
  CHECK(many.problems == std::vector<std::string>{"item 2: not a JSON object", "item 4: no title or body"});

  CHECK(Document("\"text\"").problems == std::vector<std::string>{"not a JSON object or an array of objects"});
  CHECK(Document("{}").problems == std::vector<std::string>{"no title or body"});
}

TEST_CASE("a .json file that is really JSON Lines is read as JSON Lines", "[json]") {
  const auto r = Document("{\"title\": \"a\"}\n{\"title\": \"b\"}\n{broken\n");
  REQUIRE(r.articles.size() == 2);
  CHECK(r.articles[1].id == "/c/a.json#2");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].rfind("line 3: malformed JSON", 0) == 0);
}

TEST_CASE("a malformed .json file is one problem with its position", "[json]") {
  const auto r = Document("[\n  {\"title\": \"a\"},\n  {\"title\": \"b\",}\n]\n");
  CHECK(r.articles.empty());
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].rfind("malformed JSON (line 3, column ", 0) == 0);
  CHECK(Document("").problems.size() == 1);
  CHECK(Lines("").problems.empty());
  CHECK(Lines(" \n\t\n").articles.empty());
}

TEST_CASE("deep nesting is refused without building it", "[json][limits]") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto lines = Lines("{\"title\": \"before\"}\n" + deep + "\n{\"title\": \"after\"}\n");
  REQUIRE(lines.articles.size() == 2);
  CHECK(lines.problems == std::vector<std::string>{"line 2: nested deeper than 64 levels"});

  const auto doc = Document(deep);
  CHECK(doc.articles.empty());
  CHECK(doc.problems == std::vector<std::string>{"nested deeper than 64 levels"});

  // Unclosed too: the check stops at depth 65 either way.
  CHECK(Document(std::string(100000, '{')).problems.size() == 1);
  // 64 levels is still fine.
  const std::string ok = "{\"title\": \"t\", \"x\": " + std::string(63, '[') + std::string(63, ']') + "}";
  CHECK(Lines(ok).problems.empty());
  const std::string one_more = "{\"title\": \"t\", \"x\": " + std::string(64, '[') + std::string(64, ']') + "}";
  CHECK(Lines(one_more).problems == std::vector<std::string>{"line 1: nested deeper than 64 levels"});
}

TEST_CASE("a 50 MB line is read, and a 50 MB broken one reported", "[json][limits]") {
  const std::string big(50u << 20, 'w');
  const auto r = Lines("{\"title\": \"big\", \"body\": \"" + big + "\"}\n{\"title\": \"next\"}\n");
  REQUIRE(r.articles.size() == 2);
  CHECK(r.articles[0].body.size() == big.size());

  // An unterminated string: the message must not quote the 50 MB.
  const auto broken = Lines("{\"title\": \"" + big + "\n{\"title\": \"next\"}\n");
  REQUIRE(broken.articles.size() == 1);
  REQUIRE(broken.problems.size() == 1);
  CHECK(broken.problems[0].size() < 250);
  CHECK(nsearch::IsValidUtf8(broken.problems[0]));
}

TEST_CASE("the format fixtures read as their README says", "[json][fixtures]") {
  const auto read = [](const std::string& name) {
    std::ifstream in(std::string(FORMATS_FIXTURES_DIR) + "/" + name, std::ios::binary);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const auto feed = ParseJsonArticles(read("wire-feed.jsonl"), "feed.jsonl", true);
  REQUIRE(feed.articles.size() == 3);
  CHECK(feed.articles[1].id == "feed-0002");
  CHECK(feed.articles[1].language == "es");
  CHECK(feed.articles[1].title == "Lluvias torrenciales inundan el centro de Valdemora");
  CHECK(feed.articles[1].author == "Lucía Ferrer, Tomás Aguirre");
  CHECK(feed.articles[2].date == "2023-08-13T23:10:00+01:00");
  REQUIRE(feed.problems.size() == 1);
  CHECK(feed.problems[0].rfind("line 4: malformed JSON (", 0) == 0);

  const auto desk = ParseJsonArticles(read("desk-archive.json"), "desk.json", false);
  CHECK(desk.problems.empty());
  REQUIRE(desk.articles.size() == 2);
  CHECK(desk.articles[0].id == "5001");
  CHECK(desk.articles[1].date == "2022-09-12");
}
