#include "query/searcher.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/article_id.h"
#include "common/error.h"
#include "common/index_location.h"
#include "common/indexed_time.h"
#include "common/schema.h"
#include "query/change_retries.h"
#include "query/date_query.h"
#include "query/explain.h"
#include "query/facets.h"
#include "query/group_counts.h"
#include "query/hit_reader.h"
#include "query/index_snapshot.h"
#include "query/like.h"
#include "query/query_builder.h"
#include "query/snippet.h"
#include "query/weight.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

// Everything in this file runs on the client: xapian-tcpsrv runs only
// Xapian's own registered classes, so remote shards rule out a KeyMaker, a
// MatchSpy of our own or a MatchDecider. Sorting is by value slot and
// counting by ValueCountMatchSpy, which the remote protocol carries.

// Articles with a date (value slot 0 is never empty when there is one, and
// holds digits): --sort oldest puts the others last, after every date.
Xapian::Query Dated() { return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, "0"); }

// `query` limited as request.article or request.copies_of say. Throws
// NotFoundError when no article has that id.
Xapian::Query ScopedToArticles(const Xapian::Database& db, const Xapian::Query& query, const SearchRequest& request) {
  const std::string& id = request.article.empty() ? request.copies_of : request.article;
  const std::string id_term = IdTerm(id);
  Xapian::PostingIterator p = db.postlist_begin(id_term);
  if (p == db.postlist_end(id_term)) throw NotFoundError("no article has the id '" + id + "' in this index");
  if (!request.article.empty()) {
    // The article whatever the query: the query only weighs it, and its
    // words are those MSet::snippet marks.
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, Xapian::Query(id_term), query);
  }
  // Only groups of two or more articles have a key (and an XG term).
  const std::string key = db.get_document(*p).get_value(schema::kDuplicateSlot);
  if (key.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_FILTER, query,
                       Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(schema::GroupTerm(key)),
                                     Xapian::Query(id_term)));
}

// The query `request` asks for: its words (ParseQuery), or the articles like
// `like` that they match, within its dates. `suggestion` receives "did you
// mean". Throws QueryError (LikeError for `like`).
Xapian::Query RequestQuery(IndexSnapshot& index, const SearchRequest& request, std::string& suggestion) {
  Xapian::Query query;
  const bool by_id = !request.article.empty() || !request.copies_of.empty();
  if (!request.like.empty()) {
    query = LikeQuery(index.db(), request.like);
    if (!request.query.empty()) {
      query = Xapian::Query(Xapian::Query::OP_FILTER, query, ParseQuery(index, request.query, request.mode, &suggestion));
    }
  } else if ((by_id || !request.source.empty()) && request.query.empty()) {
    query = Xapian::Query::MatchAll;
  } else {
    query = ParseQuery(index, request.query, request.mode, &suggestion);
  }
  if (by_id) query = ScopedToArticles(index.db(), query, request);
  if (!request.since.empty() || !request.until.empty()) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query, DateRangeQuery({request.since, request.until}));
  }
  if (!request.indexed_since.empty()) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                          Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kIndexedSlot, request.indexed_since));
  }
  if (!request.source.empty()) {
    const Xapian::Query source(Xapian::Query::OP_VALUE_RANGE, schema::kSourceNameSlot, request.source, request.source);
    query = Xapian::Query(Xapian::Query::OP_FILTER, query, source);
  }
  return query;
}

// SearchResult::indexed_through of the shards open (each alone: the
// combined database's metadata is its first shard's).
std::string IndexedThrough(const std::vector<Xapian::Database>& shards) {
  std::optional<std::int64_t> least;
  for (const Xapian::Database& shard : shards) {
    const std::optional<std::int64_t> through = ParseIndexedStamp(shard.get_metadata(schema::kMetaIndexedThrough));
    if (through && (!least || *through < *least)) least = through;
  }
  return IndexedStamp(least.value_or(0));
}

// One MSet of a ranking, and where the page's hits start in it.
struct Part {
  Xapian::MSet mset;
  Xapian::doccount before = 0;  // matches ranked before this part
  Xapian::doccount skip = 0;    // entries of `mset` before the page starts
};

struct Ranking {
  std::vector<Part> parts;
  Xapian::doccount wanted = 0;  // hits the page holds at most
};

// One ranking; for --sort oldest two, one after the other: the dated
// matches by date, then the undated ones by relevance (a value sort puts
// the empty values first, and a KeyMaker, which could put them last, does
// not run on a remote shard). Each counts its matches; the spies see both.
// Adds the matches each part counts to result.total (and whether that is
// exact to result.total_exact). `remote`: whether a shard of `db` is remote.
Ranking Rank(const Xapian::Database& db, bool remote, const Xapian::Query& query, const SearchRequest& request,
             const FacetSpies& spies, SearchResult& result) {
  Ranking ranked;
  const Xapian::doccount all = db.get_doccount();
  const Xapian::doccount wanted = ranked.wanted = request.limit == 0 ? all : request.limit;
  Xapian::doccount check_at_least = request.exact_total || !spies.empty() ? all : 0;
  // Collapsing leaves Xapian's counts estimates even when it saw every
  // match (its upper bound does not learn of the duplicates it dropped).
  // When it must see them all anyway, on local shards its lower bound is the
  // count: every match went through its collapser, which counts each key
  // once and each match without one. A remote shard collapses its matches
  // before they are merged, so with one the MSet keeps every match and
  // counts them (only `wanted` of them become hits): `nsearch -c the` on the
  // news corpus took 59 ms that way, 37 ms by the bound (10.5 ms since only
  // the groups of two or more carry a key).
  const bool count_groups = request.collapse && check_at_least >= all;
  const bool count_all = count_groups && remote;

  std::vector<Part>& ranking = ranked.parts;
  result.total_exact = true;
  auto run = [&](const Xapian::Query& part_query, bool by_date, Xapian::doccount first, Xapian::doccount max_items) {
    Xapian::Enquire enquire(db);
    enquire.set_query(part_query);
    enquire.set_weighting_scheme(*MakeWeight(remote));
    if (by_date) enquire.set_sort_by_value_then_relevance(schema::kDateSlot, request.sort == SortOrder::kNewest);
    if (request.collapse) enquire.set_collapse_key(schema::kDuplicateSlot);
    spies.AddTo(enquire);
    Xapian::MSet mset = enquire.get_mset(first, max_items, check_at_least);
    // The MSet keeps this Enquire's query for its snippets, which walk it
    // at every hit: what they need of it is smaller (SnippetQuery).
    if (request.snippets || request.whole_text) enquire.set_query(SnippetQuery(part_query));
    if (count_all && (mset.size() > 0 || first == 0)) {
      result.total += first + mset.size();
    } else if (count_groups && !count_all) {
      result.total += mset.get_matches_lower_bound();
    } else {
      result.total += mset.get_matches_estimated();
      result.total_exact = result.total_exact && mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    }
    return mset;
  };
  if (request.sort != SortOrder::kOldest) {
    ranking.push_back({run(query, request.sort == SortOrder::kNewest, request.offset, count_all ? all : wanted)});
  } else {
    // The dated part from its first match, so that its size is known
    // exactly when it ends before the page does.
    const Xapian::doccount page_end =
        count_all ? all : static_cast<Xapian::doccount>(std::min<std::uint64_t>(all, std::uint64_t{request.offset} + wanted));
    Xapian::MSet dated = run(Xapian::Query(Xapian::Query::OP_FILTER, query, Dated()), true, 0, page_end);
    const Xapian::doccount dated_count = dated.size();
    const Xapian::doccount dated_shown = std::min(request.offset, dated_count);
    ranking.push_back({std::move(dated), 0, dated_shown});
    const Xapian::doccount undated_offset = request.offset - dated_shown;
    const Xapian::Query undated(Xapian::Query::OP_AND_NOT, query, Dated());
    if (count_all) {
      ranking.push_back({run(undated, false, 0, all), dated_count, undated_offset});
    } else {
      // Only the count when the dated part filled the page. A whole page
      // when it did not (the hits stop at `wanted`): asked for exactly what
      // fits, Xapian cannot tell that it has seen every match.
      ranking.push_back({run(undated, false, undated_offset, dated_count < page_end ? wanted : 0), dated_count, 0});
    }
  }
  return ranked;
}

// The matches in each near-duplicate group of the hits of `ranking`
// (GroupSizes).
std::map<std::string, Xapian::doccount> GroupSizesOfHits(const Xapian::Database& db, const Xapian::Query& query,
                                                         const Ranking& ranking, bool remote) {
  std::map<std::string, SeenGroup> seen;
  Xapian::doccount hits = 0;
  for (const Part& part : ranking.parts) {
    for (Xapian::doccount i = part.skip; i < part.mset.size() && hits < ranking.wanted; ++i, ++hits) {
      const Xapian::MSetIterator hit = part.mset[i];
      if (std::string key = hit.get_collapse_key(); !key.empty()) {
        const auto [entry, first] = seen.try_emplace(std::move(key), SeenGroup{hit.get_collapse_count(), {}});
        if (!first) entry->second.collapsed.reset();
        entry->second.hits.push_back(*hit);
      }
    }
  }
  return GroupSizes(db, query, seen, !remote);
}

// What every hit of a search is read with.
struct HitContext {
  const IndexSnapshot& index;
  StoredTextReader& texts;
  const SearchRequest& request;
  const std::vector<ExplainPart>& parts;                        // with explain
  const std::map<std::string, Xapian::doccount>& group_sizes;  // by collapse key
  const SnippetTerms& snippet_terms;                            // SnippetTermsOf the query the MSets ran
};

// One hit of `mset`, the entry `it`, ranked after `before` others.
void AddHit(const HitContext& context, const Xapian::MSet& mset, const Xapian::MSetIterator& it,
            Xapian::doccount before, SearchResult& result) {
  Hit hit;
  hit.rank = before + it.get_rank() + 1;
  hit.score = it.get_weight();
  if (auto group = context.group_sizes.find(it.get_collapse_key()); group != context.group_sizes.end()) {
    hit.similar = group->second - 1;
  }
  const Xapian::Document doc = it.get_document();
  ReadHitArticle(context.index, context.texts, mset, it, doc, context.request, context.snippet_terms, hit);
  if (context.request.explain) {
    hit.explain = ExplainHit(context.index.db(), doc, context.parts, context.index.AnyRemote());
  }
  result.hits.push_back(std::move(hit));
}

}  // namespace

Searcher::Searcher(fs::path index_dir, ShardOptions shards)
    : index_(std::make_unique<IndexSnapshot>(std::move(index_dir), shards)),
      texts_(std::make_unique<StoredTextReader>()) {}

Searcher::~Searcher() = default;

Xapian::Query Searcher::Parse(const std::string& text, MatchMode mode, std::string* suggestion) {
  return ParseQuery(*index_, text, mode, suggestion);
}

Xapian::Query Searcher::LikeQuery(const std::string& reference) { return nsearch::LikeQuery(index_->db(), reference); }

SearchResult Searcher::Search(const SearchRequest& request) {
  // Once an update commits, its next transaction may write over blocks of
  // the revision before, and a search reading them gets a mix of two
  // blocks (common/reader_lock.h). So the local shards' ReadLocks are held
  // from before the revision to read is opened until the last hit is read,
  // and an updating nsearch-index waits for them after each commit.
  struct Unlocker {
    IndexSnapshot& index;
    ~Unlocker() { index.Unlock(); }
  } unlocker{*index_};
  index_->Lock();
  // The latest revision: a long-lived Searcher (--batch, serve) may have
  // opened an older one (IndexSnapshot::Refresh).
  const std::uint64_t opened = index_->generation();
  index_->Refresh();
  // Connections kept from an earlier search, which their server may have
  // closed since (xapian-tcpsrv --idle-timeout, a restart): connected again
  // once before a shard counts as failed.
  bool kept_connections = index_->generation() == opened;
  ChangeRetries change_retries;
  int unsettled = 0;  // searches that a commit overlapped
  for (int attempt = 1;; ++attempt) {
    try {
      SearchResult result = SearchOnce(request);
      // A shard without its lock file (an index of an older nsearch, until
      // its next update makes one) is not kept apart from the writer: when
      // it has a newer revision after the search, the search may have read
      // nonsense that decodes as valid data (MayHaveChanged: some decodes
      // into errors), and it runs again on the index opened anew,
      // kMaxAttempts times at most. (Before the locks, the readers stress
      // test in tests/e2e/concurrent_readers_test.cc saw a --batch query for "cuba" answer 0
      // matches with no error in 2 of 22 runs of one build.)
      if (!index_->AllLocked() && ++unsettled < kMaxAttempts && MayHaveChanged(index_->spelling())) {
        index_->Open();
        continue;
      }
      result.missing_shards = index_->missing();
      return result;
    } catch (const Xapian::NetworkError& e) {
      // A remote shard went away or stopped answering after it was opened.
      const StubShard* shard = ShardOfError(index_->shards(), e);
      if (shard == nullptr) {
        throw IndexError("a remote shard of the index at " + index_->dir().string() + " failed: " + e.get_description());
      }
      if (std::exchange(kept_connections, false) && std::string_view(e.get_type()) != "NetworkTimeoutError") {
        index_->Open();  // throws IndexError naming a shard that cannot be reached now
        continue;
      }
      const std::string why = NetworkFailure(e, index_->options().remote_timeout_ms);
      if (!index_->options().allow_partial || attempt == kMaxAttempts) {
        throw IndexError("index shard " + shard->Name() + " (" + StubPath(index_->dir()).string() +
                         ") failed during the search: " + why +
                         (index_->options().allow_partial ? "" : "; --allow-partial searches the other shards"));
      }
      index_->LeaveOut({shard->Name(), why});
      index_->Open();
    } catch (const Xapian::DatabaseError& e) {
      // Modified under us (an update committed twice since we opened it), or
      // a file of a generation that a rebuild removed: reopen, which reads
      // the stub again, and run the whole search again.
      if (!change_retries.Again(Modified(e))) {
        throw IndexError("the index at " + index_->dir().string() + " kept changing during the search: " +
                         e.get_description());
      }
      index_->Open();
    } catch (const Xapian::Error& e) {
      if (!MayHaveChanged(index_->db()) || !change_retries.Again(false)) {
        throw IndexError("cannot search the index at " + index_->dir().string() + ": " + e.get_description());
      }
      index_->Open();
    } catch (const std::logic_error&) {
      if (!MayHaveChanged(index_->db()) || !change_retries.Again(false)) throw;
      index_->Open();
    }
  }
}

SearchResult Searcher::SearchOnce(const SearchRequest& request) {
  SearchResult result;
  result.query = request.query;
  result.offset = request.offset;
  // Before the match, from the revision it reads.
  result.indexed_through = IndexedThrough(index_->shard_dbs());
  Xapian::Query query = RequestQuery(*index_, request, result.suggestion);
  result.parsed = query.get_description();
  query = WithoutXor(query);

  const bool remote = index_->AnyRemote();
  const FacetSpies spies(request);
  const Ranking ranking = Rank(index_->db(), remote, query, request, spies, result);
  spies.Fill(request, result);
  result.explained = request.explain;
  if (request.explain) result.terms = QueryTermStats(query, index_->db());
  std::vector<ExplainPart> parts;
  if (request.explain) AdditiveParts(query, {}, parts);

  // The near-duplicate groups of the hits, and how many matches each has.
  std::map<std::string, Xapian::doccount> group_sizes;
  if (request.collapse) group_sizes = GroupSizesOfHits(index_->db(), query, ranking, remote);
  // The parts' queries add a date filter to `query`, no term.
  const SnippetTerms snippet_terms = request.snippets ? SnippetTermsOf(query) : SnippetTerms();
  const HitContext context{*index_, *texts_, request, parts, group_sizes, snippet_terms};
  for (const Part& part : ranking.parts) {
    const Xapian::MSet& mset = part.mset;
    for (Xapian::doccount i = part.skip; i < mset.size() && result.hits.size() < ranking.wanted; ++i) {
      AddHit(context, mset, mset[i], part.before, result);
    }
  }
  return result;
}

}  // namespace nsearch
