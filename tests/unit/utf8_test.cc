#include "common/utf8.h"

#include <random>

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

TEST_CASE("every byte is sanitised the same wherever it falls in an eight-byte block", "[utf8]") {
  // SanitiseUtf8 skips printable ASCII eight bytes at a time: each byte
  // value at each offset of a 20-byte line must come out as it does alone.
  for (int b = 0; b < 256; ++b) {
    const std::string alone = SanitiseUtf8(std::string(1, static_cast<char>(b)));
    for (std::size_t at = 0; at < 20; ++at) {
      std::string line(20, 'x');
      line[at] = static_cast<char>(b);
      INFO("byte " << b << " at " << at);
      CHECK(SanitiseUtf8(line) == std::string(at, 'x') + alone + std::string(19 - at, 'x'));
    }
  }
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

TEST_CASE("a UTF-16 byte order mark means text, not a binary file", "[utf8]") {
  CHECK_FALSE(LooksBinary(std::string("\xFF\xFEh\0i\0", 6)));
  CHECK_FALSE(LooksBinary(std::string("\xFE\xFF\0h\0i", 6)));
}

TEST_CASE("DecodeText leaves valid UTF-8 exactly as SanitiseUtf8 does", "[utf8][charset]") {
  const std::string text = "\xEF\xBB\xBF" "Díaz-Canel — “quoted” 日本 😀\nline two\ttab";
  CHECK(DecodeText(text) == text);
  CHECK(DecodeText("") == "");
  CHECK(DecodeText(std::string("a\0b", 3)) == "a b");
}

TEST_CASE("DecodeText converts single-byte charsets uchardet recognises", "[utf8][charset]") {
  struct Case {
    const char* what;
    std::string bytes;
    std::string utf8;
  };
  const Case cases[] = {
      {"ISO-8859-1 French",
       "Le pr\xE9sident a d\xE9" "clar\xE9 que la r\xE9union aurait lieu \xE0 Paris apr\xE8s les "
       "\xE9lections r\xE9gionales.",
       "Le président a déclaré que la réunion aurait lieu à Paris après les élections régionales."},
      {"Windows-1252 Spanish with curly quotes",
       "El ni\xF1o comi\xF3 una manzana en la monta\xF1" "a. \xBFQu\xE9 pas\xF3 despu\xE9s? "
       "\x93Ma\xF1" "ana habr\xE1 m\xE1s noticias\x94, dijo.",
       "El niño comió una manzana en la montaña. ¿Qué pasó después? "
       "“Mañana habrá más noticias”, dijo."},
      {"KOI8-R Russian",
       "\xF0\xD2\xC5\xDA\xC9\xC4\xC5\xCE\xD4 \xF2\xCF\xD3\xD3\xC9\xC9 \xDA\xC1\xD1\xD7\xC9\xCC, "
       "\xDE\xD4\xCF \xD0\xC5\xD2\xC5\xC7\xCF\xD7\xCF\xD2\xD9 \xD0\xD2\xCF\xC4\xCF\xCC\xD6\xC1\xD4"
       "\xD3\xD1 \xCE\xC1 \xD3\xCC\xC5\xC4\xD5\xC0\xDD\xC5\xCA \xCE\xC5\xC4\xC5\xCC\xC5 \xD7 "
       "\xF3\xD4\xC1\xCD\xC2\xD5\xCC\xC5.",
       "Президент России заявил, что переговоры продолжатся на следующей неделе в Стамбуле."},
      {"Windows-1251 Russian",
       "\xCF\xF0\xE5\xE7\xE8\xE4\xE5\xED\xF2 \xD0\xEE\xF1\xF1\xE8\xE8 \xE7\xE0\xFF\xE2\xE8\xEB, "
       "\xF7\xF2\xEE \xEF\xE5\xF0\xE5\xE3\xEE\xE2\xEE\xF0\xFB \xEF\xF0\xEE\xE4\xEE\xEB\xE6\xE0\xF2"
       "\xF1\xFF \xED\xE0 \xF1\xEB\xE5\xE4\xF3\xFE\xF9\xE5\xE9 \xED\xE5\xE4\xE5\xEB\xE5 \xE2 "
       "\xD1\xF2\xE0\xEC\xE1\xF3\xEB\xE5.",
       "Президент России заявил, что переговоры продолжатся на следующей неделе в Стамбуле."},
  };
  for (const Case& c : cases) {
    INFO(c.what << " detected as " << DetectCharset(c.bytes));
    REQUIRE_FALSE(IsValidUtf8(c.bytes));
    CHECK(DecodeText(c.bytes) == c.utf8);
  }
}

TEST_CASE("DecodeText converts Shift-JIS Japanese", "[utf8][charset]") {
  const std::string sjis =
      "\x93\x8C\x8B\x9E\x93s\x82\xCD\x90V\x8C^\x83R\x83\x8D\x83i\x83" "E\x83" "C\x83\x8B\x83X\x82"
      "\xCC\x8A\xB4\x90\xF5\x8E\xD2\x82\xAA\x90V\x82\xBD\x82\xC9\x8Am\x94" "F\x82\xB3\x82\xEA\x82"
      "\xBD\x82\xC6\x94\xAD\x95\x5C\x82\xB5\x82\xDC\x82\xB5\x82\xBD\x81" "B\x90\xAD\x95{\x82\xCD"
      "\x91\xCE\x8D\xF4\x82\xF0\x8B\xAD\x89\xBB\x82\xB7\x82\xE9\x95\xFB\x90j\x82\xC5\x82\xB7\x81" "B";
  CHECK(DetectCharset(sjis) == "SHIFT_JIS");
  CHECK(DecodeText(sjis) ==
        "東京都は新型コロナウイルスの感染者が新たに確認されたと発表しました。政府は対策を強化する方針です。");
}

TEST_CASE("DecodeText reads UTF-16 and UTF-32 by their byte order mark", "[utf8][charset]") {
  // "Año €5\n" in each encoding, after its mark.
  CHECK(DecodeText(std::string("\xFF\xFE" "A\0\xF1\0o\0 \0\xAC\x20" "5\0\n\0", 16)) == "Año €5\n");
  CHECK(DecodeText(std::string("\xFE\xFF\0A\0\xF1\0o\0 \x20\xAC\0" "5\0\n", 16)) == "Año €5\n");
  CHECK(DecodeText(std::string("\xFF\xFE\0\0" "A\0\0\0\xF1\0\0\0", 12)) == "Añ");
  // A lone surrogate and an odd last byte each become U+FFFD; the rest survives.
  CHECK(DecodeText(std::string("\xFF\xFE" "a\0\x00\xD8" "b\0c", 9)) == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
}

TEST_CASE("DetectCharset says nothing for plain ASCII", "[utf8][charset]") {
  CHECK(DetectCharset("").empty());
  CHECK(DetectCharset("Plain ASCII news text.").empty());
}

TEST_CASE("text no charset explains falls back to SanitiseUtf8", "[utf8][charset]") {
  // Bytes undefined in Windows-1252: uchardet guesses ISO-8859-7, which would
  // read them as C1 control characters, so the guess is not taken.
  const std::string odd = "abc \x81\x8D\x8F\x90\x9D def\x81\x8D\x8F\x90\x9D\x81\x8D\x8F\x90\x9D";
  CHECK(DecodeText(odd) == SanitiseUtf8(odd));
  CHECK(DecodeText(odd).rfind("abc \xEF\xBF\xBD", 0) == 0);
}

TEST_CASE("DecodeText returns valid UTF-8 for random bytes", "[utf8][charset]") {
  std::mt19937 rng(20240501);
  for (int round = 0; round < 300; ++round) {
    std::string bytes(rng() % 3000, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
    if (round % 3 == 1 && bytes.size() >= 2) bytes[0] = '\xFF', bytes[1] = '\xFE';
    if (round % 3 == 2 && bytes.size() >= 2) bytes[0] = '\xFE', bytes[1] = '\xFF';
    const std::string out = DecodeText(bytes);
    REQUIRE(IsValidUtf8(out));
    REQUIRE(out.find('\0') == std::string::npos);
  }
}

TEST_CASE("DecodeTextAs converts from the charset it is told", "[utf8][charset]") {
  CHECK(DecodeTextAs("\xED\xCF\xD3\xCB\xD7\xC1", "koi8-r") == "Москва");
  CHECK(DecodeTextAs("\xCC\xEE\xF1\xEA\xE2\xE0", "WINDOWS-1251") == "Москва");
  // Told, not guessed: any number of bad bytes becomes U+FFFD, the rest stays.
  std::string expected = "a";
  for (int i = 0; i < 10; ++i) expected += "\xEF\xBF\xBD";
  CHECK(DecodeTextAs("a\x81\x81\x81\x81\x81\x81\x81\x81\x81\x81" "b\x80", "windows-1252") == expected + "b€");
  CHECK(DecodeTextAs("caf\xE9", "no-such-charset") == DecodeText("caf\xE9"));
  CHECK(DecodeTextAs("caf\xE9", "") == DecodeText("caf\xE9"));
}
