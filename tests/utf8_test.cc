#include "common/utf8.h"

#include <catch2/catch.hpp>

using namespace nsearch;

TEST_CASE("valid UTF-8 passes through SanitiseUtf8 unchanged", "[utf8]") {
  const std::string text = "Díaz-Canel — “quoted” 日本 😀";
  CHECK(IsValidUtf8(text));
  CHECK(SanitiseUtf8(text) == text);
}

TEST_CASE("stray bytes are read as Windows-1252", "[utf8]") {
  CHECK(SanitiseUtf8("\x93quoted\x94") == "“quoted”");
  CHECK(SanitiseUtf8("\xA3" "5") == "£5");
  CHECK(SanitiseUtf8("\x81") == "\xEF\xBF\xBD");  // undefined in 1252: U+FFFD
}

TEST_CASE("overlong, surrogate and truncated sequences are not valid", "[utf8]") {
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // UTF-16 surrogate
  CHECK_FALSE(IsValidUtf8("abc\xE2\x82"));       // cut short
  CHECK(IsValidUtf8(SanitiseUtf8("abc\xE2\x82")));
  CHECK(IsValidUtf8(SanitiseUtf8("\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80")));
}

TEST_CASE("control characters become spaces, tabs and newlines stay", "[utf8]") {
  CHECK(SanitiseUtf8(std::string("a\0b\x01" "c\td\ne\x7f", 10)) == "a b c\td\ne ");
}

TEST_CASE("a NUL byte early on marks a file as binary", "[utf8]") {
  CHECK(LooksBinary(std::string("PK\x03\x04\0\0", 6)));
  CHECK_FALSE(LooksBinary("plain text"));
  std::string late(9000, 'a');
  late += '\0';
  CHECK_FALSE(LooksBinary(late));
}

TEST_CASE("TruncateUtf8 never splits a character", "[utf8]") {
  const std::string s = "ééééé ééééé";
  const std::string t = TruncateUtf8(s, 7);
  CHECK(IsValidUtf8(t));
  CHECK(t == "ééé…");
  CHECK(TruncateUtf8("short", 10) == "short");
}
