// The messages between nsearch-index and its parse worker
// (indexer/parse_protocol.h): what is sent comes back whole, and a reply
// cut short or lying about its counts decodes to nothing.
#include "indexer/parse_protocol.h"

#include <catch2/catch.hpp>

using namespace nsearch;

namespace {

ParsedFile Sample() {
  ParsedFile parsed;
  Article a;
  a.id = "/news/bundle.zip#week/harbour.pdf";
  a.path = "/news/bundle.zip";
  a.title = "Harbour wall";
  a.date = "2023-03-14T09:30:00Z";
  a.source = "Herald";
  a.author = "Jane Rowe";
  a.url = "https://example.org/h";
  a.language = "en";
  a.body = std::string("Text with a NUL \0 inside, and ünïcödé.", 41);
  a.extra_fields = {{"Pages", "2"}, {"OCR pages", "1"}};
  parsed.articles = {a, Article()};
  parsed.problems = {"#week/broken.pdf: broken PDF (poppler cannot open it)", "damaged archive: x"};
  return parsed;
}

}  // namespace

TEST_CASE("a reply decodes to the ParsedFile that was encoded", "[parse_protocol]") {
  const ParsedFile sent = Sample();
  const std::string message = EncodeReply(sent);
  REQUIRE(DecodeLength(message) == message.size() - 8);
  const std::optional<ParsedFile> got = DecodeReply(std::string_view(message).substr(8));
  REQUIRE(got.has_value());
  REQUIRE(got->articles.size() == 2);
  const Article& a = got->articles[0];
  CHECK(a.id == sent.articles[0].id);
  CHECK(a.path == sent.articles[0].path);
  CHECK(a.title == "Harbour wall");
  CHECK(a.date == "2023-03-14T09:30:00Z");
  CHECK(a.source == "Herald");
  CHECK(a.author == "Jane Rowe");
  CHECK(a.url == "https://example.org/h");
  CHECK(a.language == "en");
  CHECK(a.body == sent.articles[0].body);
  CHECK(a.extra_fields == sent.articles[0].extra_fields);
  CHECK(got->problems == sent.problems);
  CHECK(got->skip_kind.empty());

  ParsedFile skipped;
  skipped.skip_kind = "parser failed";
  skipped.skip_reason = "parser crashed (signal 11: Segmentation fault)";
  const std::string m2 = EncodeReply(skipped);
  const std::optional<ParsedFile> got2 = DecodeReply(std::string_view(m2).substr(8));
  REQUIRE(got2.has_value());
  CHECK(got2->articles.empty());
  CHECK(got2->skip_reason == skipped.skip_reason);
}

TEST_CASE("a request decodes to its path, bytes and options", "[parse_protocol]") {
  ParseOptions options;
  options.ocr = true;
  options.ocr_languages = "eng+spa";
  options.max_member_bytes = 12345;
  const std::string bytes("%PDF-1.4\0\xff", 10);
  const std::string message = EncodeRequest("/a/b.pdf", bytes, options);
  const std::optional<ParseRequest> got = DecodeRequest(std::string_view(message).substr(8));
  REQUIRE(got.has_value());
  CHECK(got->path == "/a/b.pdf");
  CHECK(got->bytes == bytes);
  CHECK(got->options.ocr);
  CHECK(got->options.ocr_languages == "eng+spa");
  CHECK(got->options.max_member_bytes == 12345);
}

TEST_CASE("a reply cut short, with bytes to spare or with impossible counts decodes to nothing", "[parse_protocol]") {
  const std::string message = EncodeReply(Sample());
  const std::string_view body = std::string_view(message).substr(8);
  for (std::size_t n = 0; n < body.size(); n += 7) CHECK_FALSE(DecodeReply(body.substr(0, n)).has_value());
  CHECK_FALSE(DecodeReply(std::string(body) + "x").has_value());
  std::string huge(body);
  huge[7] = '\x7f';  // the article count's top byte: more articles than bytes
  CHECK_FALSE(DecodeReply(huge).has_value());
}
