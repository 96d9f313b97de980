// SnippetMaker: the query-biased passage shown under a hit, cut by Xapian's
// MSet::snippet with the index's stemmer, turned from Xapian's HTML-escaped
// text into plain text plus the byte ranges of the matched words.
#pragma once

#include <bitset>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <xapian.h>

namespace nsearch {

struct Snippet {
  std::string text;                                             // plain UTF-8
  std::vector<std::pair<std::size_t, std::size_t>> highlights;  // [begin, end) in text
};

// The terms of a query, for MakeSnippet to find where in a text its first
// match could be.
struct SnippetTerms {
  bool usable = false;  // false with a wildcard (Xapian matches it by prefix) or CJK n-grams
  std::unordered_set<std::string> terms;  // every term, phrases' included
  std::bitset<256> first_bytes;           // the bytes they begin with
  std::bitset<256> stem_first_bytes;      // StemFirstBytes of the query
};
SnippetTerms SnippetTermsOf(const Xapian::Query& query);

// What MSet::snippet needs of `query`, for the Enquire behind an MSet to
// hold once the MSet is made (Enquire::set_query): MSet::snippet walks that
// query at every call, and a search's query repeats a dozen language terms
// (L) in each reading. An OR of the query's words, phrases, NEAR and
// wildcards in the order Xapian's walk meets them, without the terms that
// no word of a text can be: those that begin with an upper-case prefix
// other than Z (languages, fields, dates, groups). The passages and
// highlights are the same.
Xapian::Query SnippetQuery(const Xapian::Query& query);

// A passage of about `length` characters of `text` where the terms of the
// query behind `mset` occur (phrases included). Never throws on any text.
// With `terms` usable, the text before what MSet::snippet would see of it
// is left out (FirstWordSnippetWeighs): the same passage, from a long text
// much sooner. `keeps_first_byte`: when `stem` keeps the first byte of what
// it stems, the first bytes of the query's stemmed terms (StemFirstBytes),
// which no other word's stem begins with.
Snippet MakeSnippet(const Xapian::MSet& mset, const std::string& text, unsigned length, const Xapian::Stem& stem,
                    const SnippetTerms& terms = {}, const std::bitset<256>* keeps_first_byte = nullptr);

// The whole of `text` with every word the query behind `mset` matches in it
// (phrases included) highlighted: MSet::snippet with a length covering the
// text, so that the words marked are exactly those a snippet would mark.
// Xapian's passage is the text from its first word to its last, as it is,
// so its highlights are moved by where it begins; a text without words has
// none.
Snippet MarkMatches(const Xapian::MSet& mset, const std::string& text, const Xapian::Stem& stem);

// Where in `text` the first word begins that Xapian's MSet::snippet would
// weigh for a query of `terms`: whose lower-case form, or "Z" and its stem
// by `stem`, is one of them. Words are cut as Xapian's TermGenerator cuts
// them (a port of its parse_terms, with Xapian's Unicode tables); `text`
// must be valid UTF-8. When none is, where the last word that snippet
// looks at begins (one of at most 64 bytes), or npos when there is none.
// `matched` (optional) says which. With `keeps_first_byte` (as for
// MakeSnippet) only the words near a byte that may begin a weighing word
// are cut, which on a long text is a fraction of them.
std::size_t FirstWordSnippetWeighs(std::string_view text, const SnippetTerms& terms, const Xapian::Stem& stem,
                                   const std::bitset<256>* keeps_first_byte, bool* matched = nullptr);

// `stem` as a stemmer that remembers the stems it has made (up to 65,536
// words, then it starts afresh), described as `description`. MSet::snippet stems
// every word of every hit's text, and most words come back in the next hit
// and the next query of a --batch. A stemmer that does not stem
// (is_none) is returned as it is. Not thread-safe.
Xapian::Stem RememberingStem(Xapian::Stem stem, std::string description);

// The bytes that the stemmed terms of `query` (its "Z" terms) begin with,
// after the Z: for StemOnlyLike.
std::bitset<256> StemFirstBytes(const Xapian::Query& query);

// `stem` for MSet::snippet, which stems each word of a text only to look
// "Z" + its stem up among the query's terms: a word whose first byte
// begins none of them (`first_bytes`, from StemFirstBytes) comes back
// unstemmed, which matches no stemmed term either. Only for a stemmer that
// keeps the first byte of every word it stems (StemKeepsFirstByte), or the
// snippet could miss a match; a word that starts with an apostrophe or
// with the byte 0xC3 is always stemmed.
Xapian::Stem StemOnlyLike(Xapian::Stem stem, const std::bitset<256>& first_bytes);

// Whether the Snowball stemmer of `language` keeps the first byte of every
// word that starts with neither an apostrophe nor the byte 0xC3 (the
// Latin-1 letters, whose accents some take off: "árboles" -> "arbol").
// Their algorithms change suffixes, in regions that never begin at the
// first letter, and take accents off; of the 211,115 lower-case words of
// the news corpus none breaks it in English, Spanish, French, German,
// Dutch, Italian, Portuguese, Danish, Norwegian, Swedish or Basque.
// Turkish does ("bunu" -> "p"); the others are not claimed.
bool StemKeepsFirstByte(const std::string& language);

// Turns Xapian's snippet output into a Snippet: unescapes &amp; &lt; &gt;
// &quot; &#39; and &#NNN;, and removes the `start`/`end` highlight markers,
// recording where they were.
Snippet DecodeSnippet(std::string_view escaped, std::string_view start, std::string_view end);

}  // namespace nsearch
