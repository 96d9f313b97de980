#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "indexer/html_reader.h"
#include "indexer/news_html.h"

using nsearch::Article;

namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(FORMATS_FIXTURES_DIR) + "/news-html/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Article Page(const std::string& name) { return nsearch::ParseHtmlArticle(Fixture(name), name, "/c/" + name); }

bool Has(const std::string& text, const std::string& word) { return text.find(word) != std::string::npos; }

}  // namespace

TEST_CASE("News HTML: JSON-LD NewsArticle in an @graph outranks the markup", "[html][news]") {
  const Article a = Page("fenland-jsonld.html");
  CHECK(a.title == "Drainage board votes to flood Wexham Wash for winter birds");
  CHECK(a.date == "2024-01-16T06:30:00Z");
  CHECK(a.author == "Isla Penhaligon");
  CHECK(a.source == "The Fenland Courier");
  CHECK(a.url == "https://www.fenlandcourier.example/news/2024/jan/16/wexham-wash-flooding");
  CHECK(a.body.rfind("The Quillmere internal drainage board voted", 0) == 0);
  CHECK(Has(a.body, "\nBird counters expect"));
  CHECK_FALSE(Has(a.body, "Marrowgate"));  // related stories and most read
  CHECK_FALSE(Has(a.body, "Skip to main content"));
}

TEST_CASE("News HTML: itemprop=articleBody, headline and author from microdata", "[html][news]") {
  const Article a = Page("harbour-microdata.html");
  CHECK(a.title == "Harbour ferry strike ends after pay deal");  // itemprop=headline before <title>
  CHECK(a.author == "Owen Trask");
  CHECK(a.date == "2024-02-02T11:05:00Z");
  CHECK(a.body ==
        "The three-week strike by harbour ferry crews ended on Friday when the operator agreed a 6% pay rise, the "
        "union said.\nCrossings to the Tidewrack quay resume on Saturday morning. Commuters had faced a forty-minute "
        "detour by road.");
}

TEST_CASE("News HTML: an <article> loses its share bar, related posts, aside and footer", "[html][news]") {
  const Article a = Page("carrow-article-sidebar.html");
  CHECK(a.title == "Council approves tidal lagoon at Carrow Point");
  CHECK(a.author == "Mara Quell");
  CHECK(Has(a.body, "ferrolight turbines"));
  CHECK(Has(a.body, "take four years."));
  for (const char* noise : {"pellucidor", "Pellucidor", "glimmerjar", "Wyndcastle", "Posted in", "Recent posts"}) {
    INFO(noise);
    CHECK_FALSE(Has(a.body, noise));
  }
}

TEST_CASE("News HTML: a page with no article markup loses its menu, sidebar and footer", "[html][news]") {
  const Article a = Page("moorland-plain.html");
  CHECK(Has(a.body, "A bakery in Hollowmere has won"));
  for (const char* noise : {"Quenchwort", "Stallbridge", "Home | News", "Moorland Gazette\n"}) {
    INFO(noise);
    CHECK_FALSE(Has(a.body, noise));
  }
}

TEST_CASE("News HTML: a page whose whole layout is named furniture keeps its text", "[html][news]") {
  const Article a = nsearch::ParseHtmlArticle(
      "<html><body><div class=\"layout with-sidebar\"><p>Only paragraph here.</p></div></body></html>", "x", "/x");
  CHECK(a.body == "Only paragraph here.");
}

TEST_CASE("JSON-LD: the article types, lists, authors and bad input", "[news]") {
  using nsearch::FindJsonLdArticle;
  auto a = FindJsonLdArticle(R"([{"@type":"Organization","name":"X"},
      {"@type":["schema:ReportageNewsArticle"],"headline":" H ","articleBody":"B","author":["Ann",{"name":"Bo"},"Ann"],
       "publisher":"P","mainEntityOfPage":{"@id":"https://e.example/a"},"dateCreated":"2020-01-02"}])");
  REQUIRE(a);
  CHECK(a->headline == "H");
  CHECK(a->author == "Ann, Bo");
  CHECK(a->publisher == "P");
  CHECK(a->url == "https://e.example/a");
  CHECK(a->date == "2020-01-02");
  CHECK_FALSE(FindJsonLdArticle(R"({"@type":"WebPage","headline":"not an article"})"));
  CHECK_FALSE(FindJsonLdArticle(R"({"@type":"NewsArticle"})"));  // neither headline nor body
  CHECK_FALSE(FindJsonLdArticle("{not json"));
  CHECK_FALSE(FindJsonLdArticle(std::string(100000, '[')));
  CHECK(FindJsonLdArticle(R"(<!--{"@type":"NewsArticle","headline":"In a comment"}-->)"));
}

TEST_CASE("Page furniture: whole words of class and id, and roles", "[news]") {
  using nsearch::IsPageFurniture;
  CHECK(IsPageFurniture("jp-relatedposts related-posts", "", ""));
  CHECK(IsPageFurniture("", "cookie_notice", ""));
  CHECK(IsPageFurniture("", "", "navigation"));
  CHECK(IsPageFurniture("c-Sidebar", "", ""));
  CHECK_FALSE(IsPageFurniture("sharealike story-body", "maincontent", "main"));
  CHECK_FALSE(IsPageFurniture("address", "", ""));  // "ad" is a word, not a prefix
}
