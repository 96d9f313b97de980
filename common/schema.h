// The index schema: every term prefix, value slot and metadata key nsearch
// uses, defined once. The indexer writes these and the query tool reads them;
// nothing else in the tree spells a prefix or a slot number.
//
// Prefixes follow Xapian's termprefixes convention (S title, A author, ...),
// with X... for our own. Bump kSchemaVersion whenever the meaning of a term,
// slot or stored field changes; nsearch refuses an index of another version.
#pragma once

#include <string>
#include <string_view>

#include <xapian.h>

namespace nsearch::schema {

inline constexpr int kSchemaVersion = 5;

// Term prefixes.
inline constexpr std::string_view kIdPrefix = "Q";        // unique article id: re-indexing replaces
inline constexpr std::string_view kTitlePrefix = "S";     // title words (free text, positional)
inline constexpr std::string_view kAuthorPrefix = "A";    // author words (free text)
inline constexpr std::string_view kSourcePrefix = "XS";   // source/outlet words (free text)
inline constexpr std::string_view kUrlPrefix = "U";       // the whole URL, boolean
inline constexpr std::string_view kLanguagePrefix = "L";  // the article's Snowball language name, boolean
inline constexpr std::string_view kSitePrefix = "H";      // URL host, lower case, no "www.", and its parent domains; boolean
// The file an article came from, boolean, only when that is not its id (a
// JSON Lines file holds many articles; a file's article has the path as its
// Q term already). path:/dir: match these and the Q terms by prefix.
inline constexpr std::string_view kPathPrefix = "P";
// The near-duplicate group key (kDuplicateSlot's 8 bytes, in hex: GroupTerm),
// boolean: lets a search count the matches of the groups it shows without
// visiting every match (schema 4).
inline constexpr std::string_view kGroupPrefix = "XG";
// Dates have no terms: date:, year:, month:, --since and --until are value
// ranges on kDateSlot (schema 3 dropped the D/M/Y terms of schema 2).

// Value slots.
enum Slot : Xapian::valueno {
  // YYYYMMDDhhmmss in UTC (common/dates.h DateSlotKey; a day alone is its
  // start): sorting to the second, date ranges (query/date_query.h) and, by
  // its first 4, 6 or 8 bytes, the year, month and day facets and timeline.
  // Schema 5; schema 4 held YYYYMMDD.
  kDateSlot = 0,
  // The stored fields and text of the article (common/stored_document.h),
  // zstd-compressed with the index's dictionary (common/text_codec.h). In a
  // value slot rather than the document data because glass zlib-compresses
  // document data again, for no gain: moving it here cut indexing
  // instructions by 12% (callgrind).
  kStoredSlot = 1,
  // Where the article came from and the state of that file when it was read
  // (common/source_state.h): how a later run finds what changed.
  kSourceSlot = 2,
  // The near-duplicate group key (indexer/duplicates.h): two MinHash values
  // over word shingles of the body, 8 bytes, a function of the body alone.
  // Searches collapse on it. Every article carries it, also one alone in
  // its index: separately built indexes listed in one stub then fold their
  // copies of a story too. (Indexes built before carry it only on the
  // articles of a group of two or more: within each index the same results.)
  kDuplicateSlot = 3,
  // The source/outlet as written, spaces trimmed: --facets source.
  kSourceNameSlot = 4,
  // The article's Snowball language name (as in the L term): --facets lang,
  // and the L terms when "+N similar" is counted (query/term_match.h).
  kLanguageSlot = 5,
  // When the article was indexed as it is (common/indexed_time.h: 16-digit
  // microseconds): --new and --new-since are value ranges on it. Written by
  // nsearch-index; an article put again unchanged, or restamped, keeps it.
  // Absent in articles indexed before it was added, which count as indexed
  // at time 0 (same schema: an absent value is a valid reading).
  kIndexedSlot = 6,
};

// Database metadata keys (stored in every shard).
inline constexpr const char* kMetaSchema = "nsearch.schema";      // kSchemaVersion, decimal
inline constexpr const char* kMetaLanguage = "nsearch.language";  // default language, for undetectable articles
inline constexpr const char* kMetaLanguages = "nsearch.languages";  // languages articles are stemmed in, one per line
inline constexpr const char* kMetaRoots = "nsearch.roots";        // indexed roots, one per line
inline constexpr const char* kMetaStopwords = "nsearch.stopwords";  // whose stopword list, or empty
inline constexpr const char* kMetaTextDictionary = "nsearch.textdict";  // zstd dictionary of the stored text
// "1" while an update may have left a near-duplicate group of two or more
// with an article that lacks the kDuplicateSlot key: set with the update's
// first article, cleared when the run has marked its groups. A run that finds
// it set (a run that crashed) marks every group of the index.
inline constexpr const char* kMetaGroupsPending = "nsearch.groups-pending";
// When the last nsearch-index run that wrote the index started, ISO 8601 UTC:
// files changed before then are in the index as they were. Absent in indexes
// written before it was added (same schema: nothing reads it but --info).
inline constexpr const char* kMetaUpdated = "nsearch.updated";
// "K/N" when the index holds share K of N of an archive (nsearch-index
// --shard-of; indexer/share.h), so that later runs keep to it; absent when it
// holds all of it.
inline constexpr const char* kMetaShare = "nsearch.share";
// How many of its latest changesets each shard keeps (nsearch-index
// --changesets N, decimal), so that xapian-replicate can bring a replica up
// to date from them; later runs keep to it. Absent: none are kept.
inline constexpr const char* kMetaChangesets = "nsearch.changesets";
// The kIndexedSlot stamp of the last batch committed into this shard: every
// article the shard holds is stamped at most this, every article a later
// commit writes later (common/indexed_time.h). A --new check keeps it as its
// mark. Absent in shards no nsearch-index with it has written.
inline constexpr const char* kMetaIndexedThrough = "nsearch.indexed-through";

// The query fields that read these prefixes and slots, and their names,
// are in one table in common/fields.h.

// The positions left empty between the title, the other header fields and
// the body: a phrase never matches across two fields, nor does NEAR or ADJ
// with a window up to 16 words. (100 made the position table 2% larger.)
inline constexpr Xapian::termpos kFieldGap = 16;

// How many times each title word counts in the unprefixed (plain-query)
// terms: a title says what the article is about, so its words weigh as if
// written twice (the S-prefixed title terms count once: they only serve
// title: queries). Raised MAP and nDCG@10 on both judged collections
// (bench/relevance/README.md).
inline constexpr Xapian::termcount kTitleWdf = 2;

// The XG term of the near-duplicate group whose kDuplicateSlot value is `key`.
inline std::string GroupTerm(std::string_view key) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string term(kGroupPrefix);
  for (unsigned char c : key) {
    term += kHex[c >> 4];
    term += kHex[c & 0xF];
  }
  return term;
}

// The kDuplicateSlot value of the group whose XG term is `term`; empty when
// `term` is not one.
inline std::string GroupKey(std::string_view term) {
  if (term.substr(0, kGroupPrefix.size()) != kGroupPrefix || (term.size() - kGroupPrefix.size()) % 2 != 0) return {};
  auto nibble = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
  std::string key;
  for (std::size_t i = kGroupPrefix.size(); i < term.size(); i += 2) {
    const int high = nibble(term[i]), low = nibble(term[i + 1]);
    if (high < 0 || low < 0) return {};
    key += static_cast<char>(high << 4 | low);
  }
  return key;
}

// Xapian terms are limited to 245 bytes; an id (or another whole-value
// term) longer than this is cut and hashed (common/article_id.h).
inline constexpr std::size_t kMaxIdTermLength = 200;

}  // namespace nsearch::schema
