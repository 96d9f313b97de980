#include "indexer/feed_reader.h"

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

using nsearch::Article;
using nsearch::ParsedFile;

namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(FORMATS_FIXTURES_DIR) + "/feeds/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("Feeds: RSS 2.0 items, with guid, link or position as id", "[feed]") {
  const ParsedFile f = nsearch::ParseFeed(Fixture("estuary-times.rss"), "/f/e.rss");
  CHECK(f.problems.empty());
  REQUIRE(f.articles.size() == 3);
  const Article& a = f.articles[0];
  CHECK(a.id == "https://estuarytimes.example/?p=1190");
  CHECK(a.title == "Mizzenport regatta cancelled as gales forecast");
  CHECK(a.url == "https://estuarytimes.example/2024/03/08/mizzenport-regatta-cancelled/");
  CHECK(a.date == "2024-03-08T17:20:00Z");
  CHECK(a.author == "Mara Quell");
  CHECK(a.source == "Estuary Times");
  CHECK(a.language == "en-gb");
  CHECK(a.body == "Organisers called off the Mizzenport regatta on Friday after forecasters warned of gales on "
                  "Saturday.\nThe race will be sailed a week later.");  // content:encoded, without its share bar
  CHECK(f.articles[1].id == "https://estuarytimes.example/2024/03/07/quayhollow-bridge-reopens/");
  CHECK(f.articles[1].author == "Tom Jessel");
  CHECK(f.articles[2].id == "/f/e.rss#3");
  CHECK(f.articles[2].title.rfind("Brackwater tide gauge", 0) == 0);
}

TEST_CASE("Feeds: Atom entries, xhtml and html content", "[feed]") {
  const ParsedFile f = nsearch::ParseFeed(Fixture("harbour-watch.atom"), "/f/h.atom");
  CHECK(f.problems.empty());
  REQUIRE(f.articles.size() == 2);
  const Article& a = f.articles[0];
  CHECK(a.id == "tag:harbourwatch.example,2024:entry-41");
  CHECK(a.title == "Larkspurry moorings to be dredged");
  CHECK(a.url == "https://harbourwatch.example/2024/04/larkspurry-dredging");
  CHECK(a.date == "2024-04-02T09:30:00Z");
  CHECK(a.author == "Petra Vane");
  CHECK(a.source == "Harbour Watch");
  CHECK(a.language == "en");
  CHECK(a.body == "The harbour board will dredge the Larkspurry moorings in May, when the fishing fleet is at sea.\n"
                  "Boat owners must move by 30 April.");
  CHECK(f.articles[1].date == "2024-03-28T08:00:00Z");  // updated, without published
  CHECK(f.articles[1].author == "Jon Arkle, Petra Vane");
  CHECK(f.articles[1].body == "The Dunmallow slipway is closed until Friday for resurfacing.");
}

TEST_CASE("Feeds: a malformed feed keeps the items before the error and names its line", "[feed]") {
  std::string rss = Fixture("estuary-times.rss");
  rss.erase(rss.find("</title>\n    <link>https://estuarytimes.example/2024/03/07"), 8);  // an unclosed <title>
  const ParsedFile f = nsearch::ParseFeed(rss, "/f/bad.rss");
  REQUIRE(f.problems.size() == 1);
  CHECK(f.problems[0].rfind(":", 0) == 0);
  CHECK(f.problems[0].find(": malformed XML (") != std::string::npos);
  REQUIRE_FALSE(f.articles.empty());
  CHECK(f.articles[0].title == "Mizzenport regatta cancelled as gales forecast");
}

TEST_CASE("Feeds: what is not a feed, entities and every cut of a feed", "[feed][limits]") {
  CHECK(nsearch::ParseFeed("<?xml version=\"1.0\"?><urlset><url/></urlset>", "/f/s.xml").problems ==
        std::vector<std::string>{":1: not an RSS or Atom feed (root element <urlset>)"});
  // An external entity is neither fetched nor read.
  const ParsedFile xxe = nsearch::ParseFeed(
      "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<rss><channel><item><title>T &x;</title><description>d</description></item></channel></rss>",
      "/f/x.rss");
  for (const Article& a : xxe.articles) CHECK(a.title.find("root:") == std::string::npos);
  const std::string atom = Fixture("harbour-watch.atom");
  for (std::size_t cut = 0; cut < atom.size(); cut += 37) (void)nsearch::ParseFeed(atom.substr(0, cut), "/f/c.atom");
}
