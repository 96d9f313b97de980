#include "indexer/article_reader.h"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

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

TEST_CASE("the body is the text after the header, trimmed, and may be empty", "[reader]") {
  CHECK(ParseTextArticle("Title: T\n\n  \n\t Body line one\nline two \n\n", "i", "p").body == "Body line one\nline two");
  const auto empty = ParseTextArticle("Title: Only a title\n\n \n", "i", "p");
  CHECK(empty.title == "Only a title");
  CHECK(empty.body.empty());
  CHECK(ParseTextArticle("Title: No blank line after it", "i", "p").body == "Title: No blank line after it");
  CHECK(ParseTextArticle("", "i", "p").body.empty());
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

TEST_CASE("a Latin-1 article is converted from its charset", "[reader][utf8]") {
  const auto a = ParseTextArticle(
      "Title: Elecciones en Espa\xF1" "a\nLanguage: es\n\n"
      "El presidente del Gobierno anunci\xF3 que las elecciones se celebrar\xE1n en oto\xF1o. "
      "La oposici\xF3n pidi\xF3 m\xE1s tiempo para preparar la campa\xF1" "a electoral.\n",
      "i", "p");
  CHECK(a.title == "Elecciones en España");
  CHECK(a.body ==
        "El presidente del Gobierno anunció que las elecciones se celebrarán en otoño. "
        "La oposición pidió más tiempo para preparar la campaña electoral.");
}

TEST_CASE("a KOI8-R article is converted, not read as Windows-1252", "[reader][utf8]") {
  // "Выборы в Москве" / "Президент России заявил, что переговоры продолжатся на следующей неделе."
  const auto a = ParseTextArticle(
      "Title: \xF7\xD9\xC2\xCF\xD2\xD9 \xD7 \xED\xCF\xD3\xCB\xD7\xC5\n\n"
      "\xF0\xD2\xC5\xDA\xC9\xC4\xC5\xCE\xD4 \xF2\xCF\xD3\xD3\xC9\xC9 \xDA\xC1\xD1\xD7\xC9\xCC, "
      "\xDE\xD4\xCF \xD0\xC5\xD2\xC5\xC7\xCF\xD7\xCF\xD2\xD9 \xD0\xD2\xCF\xC4\xCF\xCC\xD6\xC1\xD4"
      "\xD3\xD1 \xCE\xC1 \xD3\xCC\xC5\xC4\xD5\xC0\xDD\xC5\xCA \xCE\xC5\xC4\xC5\xCC\xC5.\n",
      "i", "p");
  CHECK(a.title == "Выборы в Москве");
  CHECK(a.body == "Президент России заявил, что переговоры продолжатся на следующей неделе.");
}

TEST_CASE("the Latin-1 format fixture reads as UTF-8", "[reader][utf8][fixtures]") {
  const std::string path = FORMATS_FIXTURES_DIR "/latin1-vendanges.txt";
  const auto file = nsearch::LoadArticleFile(path, 1 << 20);
  REQUIRE(file.skip_kind.empty());
  const auto parsed = nsearch::ParseArticleFile(file.bytes, path);
  REQUIRE(parsed.articles.size() == 1);
  const nsearch::Article& article = parsed.articles.front();
  CHECK(article.title == "Les vendanges commencent tôt dans la vallée de l'Orbière");
  CHECK(article.author == "Hélène Marchand");
  CHECK(article.body.find("« Nous n'avions jamais vu ça »") != std::string::npos);
}

TEST_CASE("the format of a file is its extension in any case and .tar.gz is a container", "[reader][formats]") {
  using nsearch::ArticleFormat;
  using nsearch::FormatOf;
  const std::vector<std::pair<std::string, ArticleFormat>> cases = {
      {"/a/x.pdf", ArticleFormat::kPdf},          {"/a/X.PDF", ArticleFormat::kPdf},
      {"/a/x.docx", ArticleFormat::kOffice},      {"/a/x.odt", ArticleFormat::kOffice},
      {"/a/x.epub", ArticleFormat::kOffice},      {"/a/x.zip", ArticleFormat::kContainer},
      {"/a/x.tar", ArticleFormat::kContainer},    {"/a/x.tar.gz", ArticleFormat::kContainer},
      {"/a/x.TGZ", ArticleFormat::kContainer},    {"/a/x.gz", ArticleFormat::kOther},
      {"/a/x.png", ArticleFormat::kImage},        {"/a/x.jpeg", ArticleFormat::kImage},
      {"/a/x.tif", ArticleFormat::kImage},        {"/a/x.txt", ArticleFormat::kText},
      {"/a/b.zip#c/d.html", ArticleFormat::kHtml}, {"/a/.tar.gz", ArticleFormat::kOther},
      {"/a/x.mbox", ArticleFormat::kMbox},        {"/a/x.EML", ArticleFormat::kEml},
      {"/a/x.warc", ArticleFormat::kWarc},        {"/a/x.warc.gz", ArticleFormat::kWarc},
      {"/a/x.WARC.GZ", ArticleFormat::kWarc},     {"/a/x.rss", ArticleFormat::kFeed},
      {"/a/x.atom", ArticleFormat::kFeed},        {"/a/x.xml", ArticleFormat::kFeed},
      {"/a/b.zip#m/x.eml", ArticleFormat::kEml},
  };
  for (const auto& [path, format] : cases) {
    INFO(path);
    CHECK(FormatOf(path) == format);
  }
  CHECK(nsearch::HoldsManyArticles(ArticleFormat::kContainer));
  CHECK_FALSE(nsearch::HoldsManyArticles(ArticleFormat::kPdf));
  CHECK(nsearch::ParsedInWorker(ArticleFormat::kPdf));
  CHECK_FALSE(nsearch::ParsedInWorker(ArticleFormat::kHtml));
  // Mail, web archives and feeds: many articles each, on third-party parsers.
  for (ArticleFormat f : {ArticleFormat::kMbox, ArticleFormat::kEml, ArticleFormat::kWarc, ArticleFormat::kFeed}) {
    CHECK(nsearch::HoldsManyArticles(f));
    CHECK(nsearch::ParsedInWorker(f));
  }
  CHECK(nsearch::IsBinaryFormat(ArticleFormat::kWarc));
  CHECK_FALSE(nsearch::IsBinaryFormat(ArticleFormat::kMbox));
}

TEST_CASE("a problem's place follows the file's name", "[reader][formats]") {
  using nsearch::ProblemInput;
  const nsearch::SkippedInput line = ProblemInput("/m/a.mbox", ":20: no mail message");
  CHECK(line.path == "/m/a.mbox:20");
  CHECK(line.kind == "malformed");
  CHECK(line.reason == "no mail message");
  const nsearch::SkippedInput member = ProblemInput("/z/b.zip", "#inner/x.mbox:1: no \"From \" line");
  CHECK(member.path == "/z/b.zip#inner/x.mbox:1");
  CHECK(member.reason == "no \"From \" line");
  const nsearch::SkippedInput json = ProblemInput("/j/c.jsonl", "line 3: malformed JSON");
  CHECK(json.path == "/j/c.jsonl");
  CHECK(json.reason == "line 3: malformed JSON");
}

TEST_CASE("NUL bytes make a text file binary, not a PDF or a container", "[reader][formats]") {
  const nsearch::test::TempDir temp("nsearch-reader");
  const std::filesystem::path dir = temp.path();
  const std::string bytes("PK\3\4\0\0 some bytes\0", 19);
  for (const char* name : {"a.txt", "a.pdf", "a.zip"}) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
  }
  CHECK(nsearch::LoadArticleFile(dir / "a.txt", 1 << 20).skip_kind == "binary");
  CHECK(nsearch::LoadArticleFile(dir / "a.pdf", 1 << 20).skip_kind.empty());
  CHECK(nsearch::LoadArticleFile(dir / "a.zip", 1 << 20).skip_kind.empty());
  CHECK(nsearch::LoadArticleFile(dir / "a.zip", 10).skip_kind == "too large");  // --max-size: the size on disk
}
