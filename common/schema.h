// The index schema: every term prefix, value slot and metadata key nsearch
// uses, defined once. The indexer writes these and the query tool reads them;
// nothing else in the tree spells a prefix or a slot number.
//
// Prefixes follow Xapian's termprefixes convention (S title, A author, ...),
// with X... for our own. Bump kSchemaVersion whenever the meaning of a term,
// slot or stored field changes; nsearch refuses an index of another version.
#pragma once

#include <string_view>

#include <xapian.h>

namespace nsearch::schema {

inline constexpr int kSchemaVersion = 1;

// Term prefixes.
inline constexpr std::string_view kIdPrefix = "Q";        // unique article id: re-indexing replaces
inline constexpr std::string_view kTitlePrefix = "S";     // title words (free text, positional)
inline constexpr std::string_view kAuthorPrefix = "A";    // author words (free text)
inline constexpr std::string_view kSourcePrefix = "XS";   // source/outlet words (free text)
inline constexpr std::string_view kUrlPrefix = "U";       // the whole URL, boolean
inline constexpr std::string_view kLanguagePrefix = "L";  // Snowball language name, boolean
inline constexpr std::string_view kDayPrefix = "D";       // YYYYMMDD, boolean
inline constexpr std::string_view kMonthPrefix = "M";     // YYYYMM, boolean
inline constexpr std::string_view kYearPrefix = "Y";      // YYYY, boolean

// Value slots.
enum Slot : Xapian::valueno {
  kDateSlot = 0,  // YYYYMMDD: sorting and date ranges (Xapian's DateRangeProcessor format)
};

// Database metadata keys (stored in every shard).
inline constexpr const char* kMetaSchema = "nsearch.schema";      // kSchemaVersion, decimal
inline constexpr const char* kMetaLanguage = "nsearch.language";  // the stemmer's language
inline constexpr const char* kMetaRoots = "nsearch.roots";        // indexed roots, one per line
inline constexpr const char* kMetaStopwords = "nsearch.stopwords";  // whose stopword list, or empty

// Query field names the user types, mapped to the free-text prefixes above.
struct FieldPrefix {
  std::string_view field;
  std::string_view prefix;
};
inline constexpr FieldPrefix kFreeTextFields[] = {
    {"title", kTitlePrefix},
    {"author", kAuthorPrefix},
    {"source", kSourcePrefix},
};

// Where the title, header fields and body sit relative to each other in the
// positional index: a gap stops a phrase from matching across two fields.
inline constexpr Xapian::termpos kFieldGap = 100;

// Xapian terms are limited to 245 bytes; ids longer than this are hashed.
inline constexpr std::size_t kMaxIdTermLength = 200;

}  // namespace nsearch::schema
