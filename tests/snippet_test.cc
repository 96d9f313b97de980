#include "query/snippet.h"

#include <bitset>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/analyzer.h"

using namespace nsearch;

TEST_CASE("Xapian's escaped snippet becomes plain text with highlight ranges", "[snippet]") {
  const auto s = DecodeSnippet("…AT&amp;T said \x01" "deportation flights\x02" " &lt;resumed&gt; &#8212; &quot;ok&quot;…",
                               "\x01", "\x02");
  CHECK(s.text == "…AT&T said deportation flights <resumed> — \"ok\"…");
  REQUIRE(s.highlights.size() == 1);
  const auto [begin, end] = s.highlights[0];
  CHECK(s.text.substr(begin, end - begin) == "deportation flights");
}

TEST_CASE("a stray ampersand is kept as text", "[snippet]") {
  CHECK(DecodeSnippet("fish & chips &bogus; &", "\x01", "\x02").text == "fish & chips &bogus; &");
}

TEST_CASE("the snippet stemmer stems only the words that begin like one of the query's stems", "[snippet]") {
  const std::vector<Xapian::Query> terms = {Xapian::Query("Zoil"), Xapian::Query("prices"), Xapian::Query("Zprice"),
                                            Xapian::Query("ZXTfoo"), Xapian::Query("Z")};
  const std::bitset<256> bytes = StemFirstBytes(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
  CHECK(bytes.count() == 3);
  CHECK(bytes['o']);
  CHECK(bytes['p']);
  CHECK(bytes['X']);

  const Xapian::Stem english = MakeStemmer("english");
  const Xapian::Stem stem = StemOnlyLike(english, bytes);
  CHECK(stem("prices") == "price");
  CHECK(stem("oils") == "oil");
  CHECK(stem("running") == "running");  // no query stem begins with r: "Zrunning" matches nothing, as "Zrun" would not
  CHECK(stem("'tis") == english("'tis"));  // English drops a leading apostrophe: always stemmed
  CHECK(stem("") == "");
  CHECK(StemOnlyLike(Xapian::Stem(), bytes).is_none());
}

TEST_CASE("English stems keep a word's first byte, which the snippet stemmer relies on, and Spanish ones do not",
          "[snippet]") {
  CHECK(StemKeepsFirstByte("english"));
  const Xapian::Stem english = MakeStemmer("english");
  // Porter2's exceptional forms, initial y, the special R1 prefixes, and
  // suffixes that are whole words.
  for (const std::string word : {"dying", "lying", "tying", "skies", "skis", "ugly", "early", "only", "idly", "gently",
                                 "singly", "youth", "yelling", "yearly", "generously", "communities", "arsenals",
                                 "ies", "ied", "ing", "sky", "news", "élite", "ōsaka"}) {
    INFO(word << " -> " << english(word));
    CHECK(english(word).front() == word.front());
  }
  CHECK_FALSE(StemKeepsFirstByte("spanish"));
  CHECK(MakeStemmer("spanish")("árboles") == "arbol");
}
