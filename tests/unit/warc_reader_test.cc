#include "indexer/warc_reader.h"

#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

using nsearch::Article;
using nsearch::ParsedFile;

namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(FORMATS_FIXTURES_DIR) + "/warc/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kSite = "http://127.0.0.1:8731/";

const Article* ByUrl(const ParsedFile& f, const std::string& url) {
  for (const Article& a : f.articles) {
    if (a.url == url) return &a;
  }
  return nullptr;
}

void CheckCrawl(const ParsedFile& f) {
  INFO((f.problems.empty() ? "" : f.problems[0]));
  CHECK(f.problems.empty());
  // The front page, four news pages and the text bulletin; not robots.txt
  // and gone.html (404), the PNG, the request and metadata records.
  CHECK(f.articles.size() == 6);
  const Article* fen = ByUrl(f, kSite + "fenland-jsonld.html");
  REQUIRE(fen);
  CHECK(fen->title == "Drainage board votes to flood Wexham Wash for winter birds");
  CHECK(fen->id.rfind("urn:uuid:", 0) == 0);  // the WARC-Record-ID
  CHECK(fen->date.rfind("2026-12-06T21:24:", 0) == 0);  // WARC-Date
  CHECK(fen->extra_fields.back() == std::make_pair(std::string("Published"), std::string("2024-01-16T06:30:00Z")));
  CHECK(fen->body.find("Quillmere") != std::string::npos);
  CHECK(fen->body.find("Marrowgate") == std::string::npos);
  const Article* bulletin = ByUrl(f, kSite + "bulletin.txt");
  REQUIRE(bulletin);
  CHECK(bulletin->title == "Shipping bulletin for the Cormorel coast");
  CHECK(ByUrl(f, kSite + "gone.html") == nullptr);
  for (const Article& a : f.articles) CHECK(a.path == "/w/crawl");
  std::set<std::string> ids;
  for (const Article& a : f.articles) ids.insert(a.id);
  CHECK(ids.size() == f.articles.size());
}

}  // namespace

TEST_CASE("WARC: the response records of a wget crawl, plain and gzipped per record", "[warc]") {
  CheckCrawl(nsearch::ParseWarc(Fixture("regional-crawl.warc"), "/w/crawl"));
  CheckCrawl(nsearch::ParseWarc(Fixture("regional-crawl.warc.gz"), "/w/crawl"));
}

TEST_CASE("WARC: a cut-short archive keeps the records before the cut and names where", "[warc]") {
  for (const char* name : {"regional-crawl.warc", "regional-crawl.warc.gz"}) {
    const std::string whole = Fixture(name);
    const ParsedFile f = nsearch::ParseWarc(std::string_view(whole).substr(0, whole.size() * 2 / 3), "/w/cut");
    INFO(name);
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0][0] == '#');
    CHECK(f.problems[0].find("cut short") != std::string::npos);
    CHECK(f.articles.size() >= 2);
    CHECK(f.articles.size() < 6);
  }
}

TEST_CASE("WARC: chunked payloads, records without ids, and a resource record", "[warc]") {
  const std::string block = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "10\r\n<p>Gannets nest \r\n9\r\non Grassh\r\n9\r\nolm.</p>\r\n0\r\n\r\n";
  const std::string record = "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://e.example/gannets\r\n"
                             "WARC-Date: 2024-05-01T10:00:00Z\r\nContent-Length: " + std::to_string(block.size()) +
                             "\r\n\r\n" + block + "\r\n\r\n";
  const std::string resource = "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: file:///x.txt\r\n"
                               "Content-Length: 5\r\n\r\nhello\r\n\r\n";
  const ParsedFile f = nsearch::ParseWarc(record + resource, "/w/one.warc");
  CHECK(f.problems.empty());
  REQUIRE(f.articles.size() == 1);
  CHECK(f.articles[0].id == "https://e.example/gannets");  // no WARC-Record-ID: the URI
  CHECK(f.articles[0].body == "Gannets nest on Grassholm.");
  CHECK(f.articles[0].date == "2024-05-01T10:00:00Z");
}

TEST_CASE("WARC: what is not a WARC file, and every cut of one, is read without a crash", "[warc][limits]") {
  const ParsedFile f = nsearch::ParseWarc("this is not a web archive\n", "/w/x.warc");
  REQUIRE(f.problems.size() == 1);
  CHECK(f.problems[0].rfind("#1: ", 0) == 0);
  CHECK(f.articles.empty());
  const std::string gz = Fixture("regional-crawl.warc.gz");
  for (std::size_t cut = 0; cut < gz.size(); cut += 211) {
    (void)nsearch::ParseWarc(std::string_view(gz).substr(0, cut), "/w/cut.warc.gz");
  }
}

TEST_CASE("WARC: a Content-Length that is not all digits is refused, and no raw byte reaches the message", "[warc]") {
  for (const std::string length : {std::string("5\0\xff\xfe", 4), std::string("-5"), std::string("+5"),
                                   std::string("5 bytes"), std::string("99999999999999999999999")}) {
    INFO(length);
    const std::string record = "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: file:///x.txt\r\n"
                               "Content-Length: " + length + "\r\n\r\nhello\r\n\r\n";
    const ParsedFile f = nsearch::ParseWarc(record, "/w/bad.warc");
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0] == "#1: record without a valid Content-Length");
  }
  // A length past the end names the two sizes as numbers.
  const ParsedFile cut = nsearch::ParseWarc("WARC/1.1\r\nContent-Length: 0099\r\n\r\nhello", "/w/cut.warc");
  REQUIRE(cut.problems.size() == 1);
  CHECK(cut.problems[0] == "#1: record cut short (5 of 99 bytes)");
}
