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

TEST_CASE("a preview keeps the size and hash of its file, a whole body keeps neither", "[stored]") {
  Article a;
  a.id = "/c/long.txt";
  a.path = a.id;
  a.body = std::string(kPreviewBytes + 50, 'x');
  a.file_content = Article::FileContent{12345678901, 0xfedcba9876543210};
  const Article preview = DecodeStoredDocument(EncodeStoredDocument(a, /*body_in_file=*/true));
  CHECK(preview.preview);
  CHECK(preview.body.size() < a.body.size());
  REQUIRE(preview.file_content);
  CHECK(preview.file_content->size == 12345678901);
  CHECK(preview.file_content->hash == 0xfedcba9876543210);

  // The whole body is stored: nothing to check a file against.
  CHECK_FALSE(DecodeStoredDocument(EncodeStoredDocument(a, /*body_in_file=*/false)).file_content);
  // An index written before the field (or a damaged one) has none.
  CHECK_FALSE(DecodeStoredDocument("preview\t1\n\nbody").file_content);
  CHECK_FALSE(DecodeStoredDocument("file\t12 \n\nbody").file_content);
  CHECK_FALSE(DecodeStoredDocument("file\t12 zz\n\nbody").file_content);
  CHECK_FALSE(DecodeStoredDocument("file\t12\n\nbody").file_content);
  CHECK(DecodeStoredDocument("file\t12 0\n\nbody").file_content->size == 12);
}
