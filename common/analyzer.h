// The text analysis both programs share: Snowball stemming (libstemmer,
// plugged into Xapian as a StemImplementation) and the TermGenerator and
// QueryParser set-up that must agree between indexing and searching.
//
// A Xapian::Stem made here owns a libstemmer stemmer, which is not
// thread-safe: give each thread its own (MakeStemmer is cheap).
#pragma once

#include <string>
#include <string_view>

#include <xapian.h>

namespace nsearch {

// Snowball's canonical name for `language` ("english", "spanish", ...), given
// a name or an ISO 639-1/639-2 code in any case ("en", "ES", "eng", "none").
// Throws UsageError naming the language when Snowball has no stemmer for it.
std::string CanonicalLanguage(std::string_view language);

// A Xapian::Stem backed by libstemmer's UTF-8 stemmer for `language`
// (canonical name or code), or a no-op Stem for "none".
// Throws UsageError when Snowball has no stemmer for it.
Xapian::Stem MakeStemmer(std::string_view language);

// The stemming strategy used at index and query time: unstemmed terms carry
// positions (exact phrases), Z-prefixed stemmed terms do not.
inline constexpr Xapian::TermGenerator::stem_strategy kIndexStemStrategy =
    Xapian::TermGenerator::STEM_SOME;
inline constexpr Xapian::QueryParser::stem_strategy kQueryStemStrategy =
    Xapian::QueryParser::STEM_SOME;

// Sets the stemmer, stemming strategy and stopper (nullptr: none; see
// stopwords.h) on a TermGenerator.
void ConfigureTermGenerator(Xapian::TermGenerator& generator, const Xapian::Stem& stem,
                            const Xapian::Stopper* stopper);

// Sets the stemmer, strategy, stopper, default operator (AND: every word
// required) and the free-text fields of common/fields.h on a QueryParser.
void ConfigureQueryParser(Xapian::QueryParser& parser, const Xapian::Stem& stem, const Xapian::Stopper* stopper);

// The QueryParser flags nsearch parses with: phrases, boolean operators
// (AND OR NOT XOR NEAR ADJ, brackets), +love -hate, a leading NOT and trailing
// wildcards (migra*). Not FLAG_BOOLEAN_ANY_CASE: lower-case and/or/not are words.
inline constexpr unsigned kQueryParserFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_WILDCARD;

}  // namespace nsearch
