// Searcher runs queries against an nsearch index and returns typed results;
// it knows no command line and never prints (printers and the command line
// are its callers, as --batch and the HTTP server are). One Searcher per
// thread: it owns Xapian database handles and stemmers.
//
// Its parts, each in a file of its own: index_snapshot.h (the open shards,
// their metadata, locks; change_retries.h), query_builder.h (per-language
// readings, the pair boost, XOR), spelling.h ("did you mean"), like.h (more
// like this), facets.h (facets and the timeline), group_counts.h ("+N
// similar"), explain.h, hit_reader.h (stored text, snippets).
// request_names.h names the enums below for the front ends.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "common/article.h"
#include "common/error.h"
#include "query/shards.h"

namespace nsearch {

class IndexSnapshot;     // index_snapshot.h
class StoredTextReader;  // hit_reader.h

// How the words of a query combine when no operator joins them.
enum class MatchMode {
  kAllWords,  // every word is required (the default)
  kAnyWord,   // an article with any of the words matches; more of them, and rarer ones, rank higher
};

// The order hits come in.
enum class SortOrder {
  kRelevance,  // best first (the default)
  kNewest,     // latest date and time first, then relevance; undated articles last
  kOldest,     // earliest date and time first, then relevance; undated articles last
};

// What a facet counts matches by: the values of one field.
enum class Facet {
  kSource,    // the source's name (schema::kSourceNameSlot)
  kYear,      // the year of the date
  kMonth,     // the month of the date
  kLanguage,  // the article's language
};

// The periods a timeline counts matches in.
enum class Period {
  kYear,   // 2022
  kMonth,  // 2022-04
  kDay,    // 2022-04-20
};

// request_names.h gives these enums the names the command line and the
// HTTP API use.

struct SearchRequest {
  std::string query;              // as the user typed it; may be empty with `like`
  MatchMode mode = MatchMode::kAllWords;
  SortOrder sort = SortOrder::kRelevance;
  std::string since;              // a date slot key (DateBound): only articles dated at or after it; empty: no bound
  std::string until;              // a date slot key: only articles dated at or before it
  // A kIndexedSlot stamp (common/indexed_time.h): only articles indexed at
  // or after it (--new, --new-since); empty: no bound.
  std::string indexed_since;
  // Only articles whose source is exactly this, as Facet::kSource counts it
  // (schema::kSourceNameSlot): the source facet's filter. The source: field
  // matches the source's words, so "Reuters" would also find "Reuters
  // Breakingviews". Empty: any source.
  std::string source;
  bool collapse = true;           // one hit per group of near-duplicates (schema::kDuplicateSlot)
  std::vector<Facet> facets;      // count matches per value of each, over all of them, in this order
  std::optional<Period> timeline; // count matches per period; none: no timeline
  std::string like;               // an article id or path: find articles like it (RSet/ESet)
  bool explain = false;           // fill SearchResult::terms and Hit::explain
  unsigned offset = 0;            // hits to skip
  unsigned limit = 10;            // hits to return; 0: all of them
  bool exact_total = false;       // count every match rather than estimate
  bool snippets = true;           // make a snippet per hit (needs the stored text)
  unsigned snippet_length = 200;  // characters
  // Only the article with this id, whether or not it matches `query`, which
  // (when given) only weighs it and marks its matches. For a view of one article.
  std::string article;
  // Only the other articles of the near-duplicate group of the article with
  // this id that match `query` (all of them when it is empty): the copies a
  // hit's "+N similar" folds.
  std::string copies_of;
  // Each hit's `snippet` is its whole body and `highlights` every word the
  // query matches in it (MarkMatches, snippet.h); snippet_length is ignored.
  bool whole_text = false;
};

struct Hit {
  unsigned rank = 0;  // 1-based, counting from the first match, not the offset
  double score = 0;
  Article article;    // stored fields; body left empty
  std::string snippet;  // plain text
  std::vector<std::pair<std::size_t, std::size_t>> highlights;  // [begin, end) byte ranges in snippet
  unsigned similar = 0;  // matching near-duplicates folded into this hit (collapsing)
  std::vector<std::pair<std::string, double>> explain;  // with explain: matching term, its share of score
};

// A value and how many matching articles have it.
using Counts = std::vector<std::pair<std::string, std::uint64_t>>;

struct FacetCounts {
  Facet facet;
  Counts counts;  // most frequent first, then by value; "" counts articles without one
};

struct TermStats {
  std::string term;          // a Xapian term of the parsed query
  std::uint64_t docfreq = 0;  // articles that contain it
  unsigned occurrences = 1;  // times it occurs in the query
};

struct SearchResult {
  std::string query;
  std::string parsed;           // Xapian's description of the query run
  std::uint64_t total = 0;      // matching articles: exact when total_exact
  bool total_exact = false;
  unsigned offset = 0;
  std::vector<Hit> hits;
  std::string suggestion;       // "did you mean": the query with unknown words corrected, or empty
  std::vector<FacetCounts> facets;       // as asked, in the order asked
  std::optional<Period> timeline_period;  // as asked; none when no timeline was asked for
  Counts timeline;              // per period (2022, 2022-04, 2022-04-20), in order, empty periods included
  std::uint64_t undated = 0;    // matching articles without a date (left out of the timeline)
  bool explained = false;       // explain was asked for: `terms` and each Hit::explain are filled
  std::vector<TermStats> terms;  // with explain: each term of the query
  std::vector<MissingShard> missing_shards;  // with allow_partial: remote shards left out of this search
  // The stamp every article this search could see was indexed by: the
  // least kMetaIndexedThrough of the shards that have one, "0" when none
  // has. A --new check keeps it as its mark: an article indexed later is
  // stamped later (shards ahead of the least show theirs again, never fewer).
  std::string indexed_through;
};

// The article SearchRequest::like names is not in the index, or has no
// words to search by. The message names the article, not the option that
// named it: a command line prefixes its option ("--like: ...").
class LikeError : public QueryError {
 public:
  using QueryError::QueryError;
};

class Searcher {
 public:
  // Opens the index in `index_dir`: every shard its stub lists, local or
  // remote (shards.h). Throws IndexError, with a message saying what to do,
  // when there is no index there, it cannot be read, a remote shard cannot
  // be reached (unless shards.allow_partial), or it is of another schema
  // version.
  explicit Searcher(std::filesystem::path index_dir, ShardOptions shards = {});
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Runs `request`. Throws QueryError for a malformed or empty query,
  // NotFoundError when no article has the id of `article` or `copies_of`,
  // and IndexError when the index cannot be read. Holds the local shards'
  // ReadLocks while it runs (common/reader_lock.h) and answers from their
  // latest revision. A concurrent update of the index never fails a search:
  // on an error the whole search is retried on a freshly opened index a
  // bounded number of times. A remote shard that fails or
  // stops answering during the search throws IndexError naming it; with
  // allow_partial the search runs again without it (and without it for the
  // rest of this Searcher's life).
  SearchResult Search(const SearchRequest& request);

  // The Xapian query `text` becomes in `mode` (exposed for tests and
  // --explain). Throws QueryError.
  // `suggestion`, when given, receives the query with each word the index
  // has never seen replaced by the closest word it has (or "" when there is
  // none): spelling data the indexer stored; none from remote shards.
  Xapian::Query Parse(const std::string& text, MatchMode mode = MatchMode::kAllWords,
                      std::string* suggestion = nullptr);

  // The query for articles like the one whose id or file is `reference`: the
  // terms Xapian's relevance feedback (an RSet of it, the top of its ESet)
  // finds most telling, OR-ed, the article itself left out. Throws
  // LikeError when no article has that id or path.
  Xapian::Query LikeQuery(const std::string& reference);

 private:
  SearchResult SearchOnce(const SearchRequest& request);

  std::unique_ptr<IndexSnapshot> index_;     // the shards open, and what they say of themselves
  std::unique_ptr<StoredTextReader> texts_;  // each shard's stored-text dictionary
};

}  // namespace nsearch
