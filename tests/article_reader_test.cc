#include "indexer/article_reader.h"

#include <catch2/catch.hpp>

using nsearch::ParseTextArticle;

TEST_CASE("a header block gives the fields and the body follows the blank line", "[reader]") {
  const auto a = ParseTextArticle(
      "Title: Cuba talks\nDate: 2022-04-20T14:00:00Z\nSource: Reuters\nAuthor: Jane Doe\n"
      "URL: https://example.com/a\nLanguage: en\nSection: World\n\nBody line one.\nLine two.\n",
      "id1", "/p/a.txt");
  CHECK(a.id == "id1");
  CHECK(a.path == "/p/a.txt");
  CHECK(a.title == "Cuba talks");
  CHECK(a.date == "2022-04-20T14:00:00Z");
  CHECK(a.source == "Reuters");
  CHECK(a.author == "Jane Doe");
  CHECK(a.url == "https://example.com/a");
  CHECK(a.language == "en");
  REQUIRE(a.extra_fields.size() == 1);
  CHECK(a.extra_fields[0].first == "Section");
  CHECK(a.extra_fields[0].second == "World");
  CHECK(a.body == "Body line one.\nLine two.");
}

TEST_CASE("without a header block the title is the first non-empty line", "[reader]") {
  const auto a = ParseTextArticle("\n\n  U.S., Cuba to hold talks  \n\nWashington (Reuters) - text.\n", "i", "p");
  CHECK(a.title == "U.S., Cuba to hold talks");
  CHECK(a.body == "U.S., Cuba to hold talks  \n\nWashington (Reuters) - text.");
  CHECK(a.source.empty());
}

TEST_CASE("a long first line becomes a shortened title", "[reader]") {
  const std::string line(500, 'x');
  const auto a = ParseTextArticle("word " + line + "\n", "i", "p");
  CHECK(a.title.size() < 220);
  CHECK(a.title.find("…") != std::string::npos);
}

TEST_CASE("lines with colons are a header only if they include a known field", "[reader]") {
  // "Update: ..." alone is prose, not a header block.
  const auto prose = ParseTextArticle("Update: the talks were delayed\n\nMore text.\n", "i", "p");
  CHECK(prose.title == "Update: the talks were delayed");
  // A field name with a space is prose too.
  const auto dateline = ParseTextArticle("Washington (Reuters): officials met\n\nText.\n", "i", "p");
  CHECK(dateline.title == "Washington (Reuters): officials met");
  // A value may itself hold colons.
  const auto re = ParseTextArticle("Title: Re: Merlin: a reply\n\nbody\n", "i", "p");
  CHECK(re.title == "Re: Merlin: a reply");
}

TEST_CASE("CRLF line ends and a byte order mark are accepted", "[reader]") {
  const auto a = ParseTextArticle("\xEF\xBB\xBFTitle: Crlf story\r\nSource: AP\r\n\r\nBody.\r\n", "i", "p");
  CHECK(a.title == "Crlf story");
  CHECK(a.source == "AP");
  CHECK(a.body == "Body.");
}

TEST_CASE("an unparseable date is dropped, not kept raw", "[reader]") {
  const auto a = ParseTextArticle("Title: T\nDate: sometime soon\n\nBody\n", "i", "p");
  CHECK(a.date.empty());
}

TEST_CASE("invalid UTF-8 in an article is repaired, never fatal", "[reader][utf8]") {
  const auto a = ParseTextArticle("Title: Caf\xE9 news\n\nPrice \x80" "5 and \xFF\xFE junk\n", "i", "p");
  CHECK(a.title == "Café news");
  CHECK(a.body == "Price €5 and ÿþ junk");
}
