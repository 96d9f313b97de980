// Searcher runs queries against an nsearch index and returns hits; it never
// prints (see printer.h). One Searcher per thread: it owns a Xapian database
// handle and a stemmer.
#pragma once

#include <bitset>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "common/article.h"
#include "common/error.h"
#include "common/text_codec.h"
#include "query/shards.h"
#include "query/snippet.h"

namespace nsearch {

// How the words of a query combine when no operator joins them.
enum class MatchMode {
  kAllWords,  // every word is required (the default)
  kAnyWord,   // an article with any of the words matches; more of them, and rarer ones, rank higher
};

// The order hits come in.
enum class SortOrder {
  kRelevance,  // best first (the default)
  kNewest,     // latest date first, relevance among articles of one day; undated articles last
  kOldest,     // earliest date first, then relevance; undated articles last
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
  std::string since;              // YYYYMMDD: only articles dated on or after it; empty: no bound
  std::string until;              // YYYYMMDD: only articles dated on or before it
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
};

// One additive part of a query for --explain: the part as it is named, and
// the part under the conditions it counts in (searcher.cc: AdditiveParts).
struct ExplainPart {
  Xapian::Query part;
  Xapian::Query counted;
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

  // Runs `request`. Throws QueryError for a malformed or empty query and
  // IndexError when the index cannot be read. Holds the local shards'
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
  // How the articles of one language are analysed.
  // A QueryParser set up for one language and the open shards, kept from
  // query to query: setting one up (prefixes, field and range processors)
  // cost as much as the parse itself (--batch of the bench queries: 75 of
  // 126 M instructions of parsing in 13 languages).
  struct Parser {
    Xapian::QueryParser parser;
    std::string field_error;  // what a field processor could not read (AddBooleanFields)
    // The words the last parse stemmed, and their stems (the parser's
    // stemmer records them; the parser owns it).
    std::vector<std::pair<std::string, std::string>>* stems = nullptr;
  };
  struct Language {
    std::string name;                          // Snowball's
    Xapian::Stem stem;
    const Xapian::Stopper* stopper = nullptr;  // the stopword list the indexer used, if any
    std::unique_ptr<Parser> parser;            // made on the first parse after Open()
  };

  // Opens the index and reads what it says about itself, again from the
  // stub when an update discards the revision it opened meanwhile, a
  // bounded number of times. Throws IndexError.
  void Open();
  void OpenOnce();  // the same, once: Xapian errors escape
  SearchResult SearchOnce(const SearchRequest& request);
  // The decompressor of the stored text `frame` of document `did`, with the
  // dictionary of the shard that holds it. Throws Xapian errors.
  TextDecompressor& TextOf(Xapian::docid did, std::string_view frame);
  std::shared_ptr<TextDecompressor> OpenTextDecompressor(std::size_t shard, std::string_view frame);
  // Reads what the shards say of themselves: schema version, languages and
  // their stopwords. Throws IndexError.
  void ReadShardMetadata();
  // `snippet_terms`: SnippetTermsOf the query the MSet ran (snippet.h).
  void AddHit(const Xapian::MSet& mset, const Xapian::MSetIterator& it, Xapian::doccount before,
              const SearchRequest& request, const std::vector<ExplainPart>& parts,
              const std::map<std::string, Xapian::doccount>& group_sizes, const SnippetTerms& snippet_terms,
              SearchResult& result);
  // `text` read in `language`, without the boost of PairBoost; `words`:
  // its plain words when it is a query of plain words, else none.
  Xapian::Query ParseIn(const std::string& text, const std::vector<std::string>& words, MatchMode mode,
                        Language& language);
  // The optional phrases that rank articles with the query's `words` (those
  // of a query of plain words) side by side higher; an empty query when
  // there are none.
  Xapian::Query PairBoost(const std::vector<std::string>& words, MatchMode mode, const Language& language) const;
  std::string Suggest(const std::string& text);
  // Take and let go of the local shards' ReadLocks (common/reader_lock.h).
  void LockShards();
  void UnlockShards();
  const Language& LanguageNamed(const std::string& name) const;
  bool AnyRemote() const;  // whether a shard of db_ is remote

  std::filesystem::path index_dir_;
  ShardOptions shard_options_;
  Xapian::Database db_;                      // every shard that answers, as one
  Xapian::Database spelling_;                // the local shards: spelling data (remote ones have none), revision
  std::vector<StubShard> shards_;            // those of db_
  std::vector<Xapian::Database> shard_dbs_;  // each of shards_ alone
  std::vector<ReadLock> locks_;              // of its local shards: held while Open() and Search() run
  std::vector<MissingShard> missing_;        // left out (allow_partial)
  std::vector<MissingShard> failed_;         // failed during a search: left out from then on
  std::vector<Language> languages_;          // of the articles; the index's default first
  // The stored text's decompressor of each of shards_, made on its first
  // hit; shards whose dictionaries are the same share one.
  std::vector<std::shared_ptr<TextDecompressor>> shard_text_;
};

}  // namespace nsearch
