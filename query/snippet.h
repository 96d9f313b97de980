// SnippetMaker: the query-biased passage shown under a hit, cut by Xapian's
// MSet::snippet with the index's stemmer, turned from Xapian's HTML-escaped
// text into plain text plus the byte ranges of the matched words.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

namespace nsearch {

struct Snippet {
  std::string text;                                             // plain UTF-8
  std::vector<std::pair<std::size_t, std::size_t>> highlights;  // [begin, end) in text
};

// A passage of about `length` characters of `text` where the terms of the
// query behind `mset` occur (phrases included). Never throws on any text.
Snippet MakeSnippet(const Xapian::MSet& mset, const std::string& text, unsigned length, const Xapian::Stem& stem);

// `stem` as a stemmer that remembers the stems it has made (up to 65,536
// words, then it starts afresh), described as `description`. MSet::snippet stems
// every word of every hit's text, and most words come back in the next hit
// and the next query of a --batch. A stemmer that does not stem
// (is_none) is returned as it is. Not thread-safe.
Xapian::Stem RememberingStem(Xapian::Stem stem, std::string description);

// Turns Xapian's snippet output into a Snippet: unescapes &amp; &lt; &gt;
// &quot; &#39; and &#NNN;, and removes the `start`/`end` highlight markers,
// recording where they were.
Snippet DecodeSnippet(std::string_view escaped, std::string_view start, std::string_view end);

}  // namespace nsearch
