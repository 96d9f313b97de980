#include "query/snippet.h"

#include <catch2/catch.hpp>

using nsearch::DecodeSnippet;

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
