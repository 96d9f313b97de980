#include "indexer/warc_reader.h"

#include <fstream>
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

const Article* ById(const ParsedFile& f, const std::string& id) {
  for (const Article& a : f.articles) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

void CheckCrawl(const ParsedFile& f) {
  INFO((f.problems.empty() ? "" : f.problems[0]));
  CHECK(f.problems.empty());
  // The front page, four news pages and the text bulletin; not robots.txt
  // and gone.html (404), the PNG, the request and metadata records.
  CHECK(f.articles.size() == 6);
  const Article* fen = ById(f, kSite + "fenland-jsonld.html");
  REQUIRE(fen);
  CHECK(fen->title == "Drainage board votes to flood Wexham Wash for winter birds");
  CHECK(fen->url == kSite + "fenland-jsonld.html");
  CHECK(fen->date.rfind("2026-12-06T21:24:", 0) == 0);  // WARC-Date
  CHECK(fen->extra_fields.back() == std::make_pair(std::string("Published"), std::string("2024-01-16T06:30:00+00:00")));
  CHECK(fen->body.find("Quillmere") != std::string::npos);
  CHECK(fen->body.find("Marrowgate") == std::string::npos);
  const Article* bulletin = ById(f, kSite + "bulletin.txt");
  REQUIRE(bulletin);
  CHECK(bulletin->title == "Shipping bulletin for the Cormorel coast");
  CHECK(ById(f, kSite + "gone.html") == nullptr);
  for (const Article& a : f.articles) CHECK(a.path == "/w/crawl");
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
    CHECK(f.articles.size() >= 3);
    CHECK(f.articles.size() < 6);
  }
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
