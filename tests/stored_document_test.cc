#include "common/stored_document.h"

#include <catch2/catch.hpp>

using namespace nsearch;

TEST_CASE("stored fields and body survive a round trip", "[stored]") {
  Article a;
  a.id = "/c/a.txt";
  a.path = "/c/a.txt";
  a.title = "Title\twith\ttabs\nand newline";
  a.date = "2022-04-20";
  a.source = "Reuters";
  a.extra_fields = {{"Section", "World"}};
  a.body = "Line one.\n\nkey\tvalue looking line\n";
  const Article b = DecodeStoredDocument(EncodeStoredDocument(a));
  CHECK(b.id == a.id);
  CHECK(b.title == "Title with tabs and newline");
  CHECK(b.date == a.date);
  CHECK(b.source == a.source);
  CHECK(b.author.empty());
  REQUIRE(b.extra_fields.size() == 1);
  CHECK(b.extra_fields[0].second == "World");
  CHECK(b.body == a.body);
  CHECK(DecodeStoredDocument(EncodeStoredDocument(a), /*with_body=*/false).body.empty());
}

TEST_CASE("decoding garbage never throws", "[stored]") {
  CHECK_NOTHROW(DecodeStoredDocument(""));
  CHECK_NOTHROW(DecodeStoredDocument("no tab here\nx"));
  CHECK(DecodeStoredDocument("title\tT").title == "T");
}
