#include "query/searcher.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/analyzer.h"
#include "common/article_id.h"
#include "common/error.h"
#include "common/fields.h"
#include "common/index_location.h"
#include "common/mapped_file.h"
#include "common/schema.h"
#include "common/source_state.h"
#include "common/stopwords.h"
#include "common/stored_document.h"
#include "common/text_article.h"
#include "query/date_query.h"
#include "query/field_processors.h"
#include "query/snippet.h"
#include "query/term_match.h"
#include "query/weight.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

constexpr int kMaxAttempts = 5;
constexpr std::size_t kMaxBoostPairs = 16;
constexpr std::size_t kMaxQueryWords = 1000;

// A search reads the revision of each shard it opened, and a writer that
// commits twice meanwhile discards it (DatabaseModifiedError): the search
// starts again on the new revision. A writer that commits about as fast as
// a search runs (nsearch-index --batch-size 1, or a loaded machine) can do
// that several times running, so those retries go on for a time rather
// than a number of times: at least kMaxAttempts, then until kRetryFor has
// passed. Other database errors (a generation a rebuild removed, a damaged
// file) get kMaxAttempts. The pauses between attempts grow to kMaxPause, so
// that a writer between two files lets one through, and retrying readers
// do not take the CPU the writer needs.
class ChangeRetries {
 public:
  // Whether to try again after an error, which is a change to the index
  // if `modified`; if so, it has paused first.
  bool Again(bool modified) {
    if (++attempts_ >= kMaxAttempts && (!modified || Clock::now() - start_ >= kRetryFor)) return false;
    std::this_thread::sleep_for(pause_);
    pause_ = std::clamp(pause_ * 2, kFirstPause, kMaxPause);
    return true;
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kRetryFor{10};
  static constexpr std::chrono::microseconds kFirstPause{500}, kMaxPause{50'000};

  const Clock::time_point start_ = Clock::now();
  int attempts_ = 0;
  std::chrono::microseconds pause_{0};  // none before the first retry
};

// Whether `e` says the revision being read was discarded. Xapian's
// exceptions are not polymorphic: their type is a name.
bool Modified(const Xapian::Error& e) { return std::strcmp(e.get_type(), "DatabaseModifiedError") == 0; }

// Whether the index may have changed since `db` was opened. A block that a
// writer rewrites while a search reads it can pass Xapian's revision check
// on its old header and decode into nonsense: with nsearch-index
// --batch-size 1 running, 1 batch of 300 queries in 60 failed with
// "DocNotFoundError: Document 1 not found" or std::length_error from
// basic_string::append, besides the DatabaseModifiedErrors. An error like
// that from an index that has changed is searched again, kMaxAttempts times
// at most.
bool MayHaveChanged(Xapian::Database& db) {
  try {
    return db.reopen();
  } catch (const Xapian::Error&) {  // changed in a way that Open() reports
    return true;
  }
}

// The words of `text` as the query parser sees them, roughly: runs of
// letters, digits and non-ASCII bytes.
std::size_t CountWords(const std::string& text) {
  std::size_t words = 0;
  bool in_word = false;
  for (const char c : text) {
    const bool word_byte = static_cast<unsigned char>(c) >= 0x80 || std::isalnum(static_cast<unsigned char>(c));
    words += word_byte && !in_word;
    in_word = word_byte;
  }
  return words;
}

// True when `text` is only words: no quotes, brackets, field prefixes,
// +/- marks or boolean operators. Only such queries get the adjacency boost;
// a query with syntax says exactly what it wants.
bool IsPlainWords(const std::string& text) {
  if (text.find_first_of("\"():*") != std::string::npos) return false;
  std::istringstream words(text);
  for (std::string w; words >> w;) {
    if (w[0] == '+' || w[0] == '-') return false;
    if (w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w.rfind("NEAR", 0) == 0 || w.rfind("ADJ", 0) == 0) {
      return false;
    }
  }
  return true;
}

// The words of `text` in order, lower-cased and unstemmed exactly as the
// indexer's TermGenerator makes its positional terms.
std::vector<std::string> PlainTerms(const std::string& text) {
  Xapian::TermGenerator generator;  // no stemmer: unstemmed terms with positions
  Xapian::Document scratch;
  generator.set_document(scratch);
  generator.index_text(text);
  std::map<Xapian::termpos, std::string> by_position;
  for (auto t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t) {
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) by_position[*p] = *t;
  }
  std::vector<std::string> terms;
  for (auto& [pos, term] : by_position) terms.push_back(std::move(term));
  return terms;
}

// Whether `terms` are all stopwords of `stopper` (none without one).
bool OnlyStopwords(const std::vector<std::string>& terms, const Xapian::Stopper* stopper) {
  return stopper != nullptr && !terms.empty() &&
         std::all_of(terms.begin(), terms.end(), [&](const std::string& t) { return (*stopper)(t); });
}

// Fields without positions cannot match a phrase, so `author:"jane doe"`
// becomes `author:(jane doe)`: every word, in that field, in any order.
std::string UnquoteUnpositionedFields(std::string text) {
  for (const Field& field : kFields) {
    if (field.kind != FieldKind::kFreeText || field.positional) continue;
    const std::string opening = std::string(field.name) + ":\"";
    for (std::size_t at = text.find(opening); at != std::string::npos; at = text.find(opening, at + 1)) {
      if (at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1]))) continue;
      const std::size_t quote = at + opening.size() - 1;
      text[quote] = '(';
      const std::size_t close = text.find('"', quote + 1);
      if (close == std::string::npos) {
        text += ')';
      } else {
        text[close] = ')';
      }
    }
  }
  return text;
}

// The whole body of a text article whose index record keeps only a preview
// (stored_document.h), read again from its file when that file is still the
// one indexed: the same size and content hash as stored with the preview
// (an index that stored none there: the same size, mtime and hash as its
// source state's slot says). nullopt otherwise (moved, changed, unreadable):
// the snippet then comes from the preview.
std::optional<std::string> BodyFromFile(const Article& article, const Xapian::Document& doc) {
  Article::FileContent content;
  std::optional<std::int64_t> mtime_ns;  // only as the source state has it
  if (article.file_content) {
    content = *article.file_content;
  } else {
    const std::optional<SourceState> state = DecodeSourceState(doc.get_value(schema::kSourceSlot));
    if (!state) return std::nullopt;
    content = {state->size, state->hash};
    mtime_ns = state->mtime_ns;
  }
  const int fd = ::open(article.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st;
  std::string bytes;
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) == content.size &&
            (!mtime_ns || *mtime_ns == static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
  if (ok) {
    bytes.resize(content.size);
    std::size_t got = 0;
    while (got < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    ok = got == bytes.size() && ContentHash(bytes) == content.hash;
  }
  ::close(fd);
  if (!ok) return std::nullopt;
  return ParseTextArticle(bytes, article.id, article.path).body;
}

// Terms a trailing wildcard may stand for: the most frequent ones, so that
// "mi*" stays fast and still finds the words that matter.
constexpr Xapian::termcount kMaxWildcardTerms = 200;

// Terms of an article's ESet that --like searches for.
constexpr Xapian::termcount kLikeTerms = 24;

// The QueryParser's stemmer: `stem`, noting each word it stems and the
// stem, so that Parse can tell which languages read a query the same.
class RecordingStemmer : public Xapian::StemImplementation {
 public:
  explicit RecordingStemmer(Xapian::Stem stem) : stem_(std::move(stem)) {}

  std::string operator()(const std::string& word) override {
    std::string stemmed = stem_(word);
    stems_.emplace_back(word, stemmed);
    return stemmed;
  }

  std::string get_description() const override { return stem_.get_description(); }

  std::vector<std::pair<std::string, std::string>> stems_;

 private:
  Xapian::Stem stem_;
};

// A near-duplicate group that hits of a search belong to.
struct SeenGroup {
  std::optional<Xapian::doccount> collapsed;  // Xapian's collapse count, when one hit showed the group
  std::vector<Xapian::docid> hits;            // the hits of the group
};

// The matches of `query` in each near-duplicate group of `seen` (by
// collapse key), counted exactly. Xapian's collapse count covers only the
// matches the matcher looked at, and making it look at every match cost a
// full evaluation of each (phrase checks included): 7.9 of the 17.5
// million instructions of `nsearch "oil prices"`. A group whose XG term is
// in no more articles than the hit and its collapsed ones is known already
// (most groups: one article). The rest have few articles: when the query
// decides by terms (term_match.h) and they have at most kMaxCountedByTerms,
// a TermMatcher::Checker decides for each article, from the posting lists
// of the terms it needs and the article's language value, until the count
// is known (the hit and its collapsed ones match: which they are, Xapian
// does not say); else one unweighted query filtered by their XG terms
// counts them, which visits only those articles but opens every posting
// list of the query again (news corpus x4, `month OR universe`: 80 block
// reads and 0.7 M instructions). `by_terms` is false with a remote shard,
// where each posting list is a request. A key seen twice (two parts of
// --sort oldest) is always counted.
constexpr Xapian::doccount kMaxCountedByTerms = 32;

std::map<std::string, Xapian::doccount> GroupSizes(const Xapian::Database& db, const Xapian::Query& query,
                                                   const std::map<std::string, SeenGroup>& seen, bool by_terms) {
  std::map<std::string, Xapian::doccount> sizes;
  struct Uncertain {
    const std::string* key;
    const SeenGroup* group;
    std::string term;  // its XG term
    Xapian::doccount articles;
  };
  std::vector<Uncertain> uncertain;
  Xapian::doccount articles = 0;
  for (const auto& [key, group] : seen) {
    std::string term = schema::GroupTerm(key);
    const Xapian::doccount in_group = db.get_termfreq(term);
    if (group.collapsed && in_group <= *group.collapsed + 1) {
      sizes[key] = *group.collapsed + 1;
    } else {
      uncertain.push_back({&key, &group, std::move(term), in_group});
      articles += in_group;
    }
  }
  if (uncertain.empty()) return sizes;
  std::optional<TermMatcher> matcher;
  if (by_terms && articles <= kMaxCountedByTerms) matcher = TermMatcher::For(query);
  if (matcher) {
    TermMatcher::Checker checker(*matcher, db, schema::kLanguageSlot);
    for (const Uncertain& u : uncertain) {
      // The count lies in [known, matched + unread]; read until they meet.
      const Xapian::doccount known = u.group->collapsed ? *u.group->collapsed + 1 : 0;
      Xapian::doccount matched = 0, unread = u.articles;
      for (auto member = db.postlist_begin(u.term);
           member != db.postlist_end(u.term) && std::max(known, matched) < matched + unread; ++member) {
        --unread;
        const std::vector<Xapian::docid>& hits = u.group->hits;
        if (std::find(hits.begin(), hits.end(), *member) != hits.end() || checker.Matches(*member)) ++matched;
      }
      sizes[*u.key] = std::max(known, matched);
    }
    return sizes;
  }
  std::vector<Xapian::Query> groups;
  for (const Uncertain& u : uncertain) groups.emplace_back(u.term);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                  Xapian::Query(Xapian::Query::OP_OR, groups.begin(), groups.end())));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  Xapian::ValueCountMatchSpy spy(schema::kDuplicateSlot);
  enquire.add_matchspy(&spy);
  // Every match in the MSet (only the articles of `groups` match): asking
  // for fewer than check_at_least is what XOR crashes on (WithoutXor).
  enquire.get_mset(0, db.get_doccount(), db.get_doccount());
  for (auto v = spy.values_begin(); v != spy.values_end(); ++v) sizes[*v] = v.get_termfreq();
  return sizes;
}

bool HasXor(const Xapian::Query& query) {
  if (query.get_type() == Xapian::Query::OP_XOR) return true;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (HasXor(query.get_subquery(i))) return true;
  }
  return false;
}

// `query` with each XOR written as (a OR b) AND_NOT (a AND b), which
// matches and weighs the same articles (nested pairwise for more than two:
// an article in an odd number of them matches; it then weighs only its
// last branch's terms, not all of its matching branches'). Xapian 1.4.22's
// matcher crashes (SIGSEGV) on an XOR inside an AND, FILTER or AND_NOT when
// the database has several shards and the search looks at more matches
// than it returns (check_at_least: counting, facets):
// `(cuba XOR oil) (lang:en OR lang:es) --count --all` did on the test
// corpus. Only the operators that take no parameter are rebuilt; XOR is
// found only under those.
Xapian::Query WithoutXor(const Xapian::Query& query) {
  if (!HasXor(query)) return query;
  const Xapian::Query::op type = query.get_type();
  std::vector<Xapian::Query> parts;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) parts.push_back(WithoutXor(query.get_subquery(i)));
  switch (type) {
    case Xapian::Query::OP_XOR: {
      Xapian::Query odd = parts.front();
      for (std::size_t i = 1; i < parts.size(); ++i) {
        odd = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(Xapian::Query::OP_OR, odd, parts[i]),
                            Xapian::Query(Xapian::Query::OP_AND, odd, parts[i]));
      }
      return odd;
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_MAX:
      return Xapian::Query(type, parts.begin(), parts.end());
    default:
      return query;  // a parameter (a window, a factor) could not be carried over
  }
}

// Whether `query` matches no article of `db` whatever the rest of the index
// holds: a term no article has, under operators that need all their parts
// (AND, FILTER, phrases, the left of AND_NOT and AND_MAYBE) or any of them
// (OR and its kin). Anything it cannot judge (wildcards, value ranges) can
// match.
bool CannotMatch(const Xapian::Query& query, const Xapian::Database& db) {
  const std::size_t n = query.get_num_subqueries();
  switch (query.get_type()) {
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return true;
    case Xapian::Query::LEAF_TERM: {
      const std::string term = *query.get_terms_begin();
      return !term.empty() && db.get_termfreq(term) == 0;
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
      for (std::size_t i = 0; i < n; ++i) {
        if (CannotMatch(query.get_subquery(i), db)) return true;
      }
      return false;
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      return n > 0 && CannotMatch(query.get_subquery(0), db);
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_ELITE_SET:
    case Xapian::Query::OP_MAX:
      for (std::size_t i = 0; i < n; ++i) {
        if (!CannotMatch(query.get_subquery(i), db)) return false;
      }
      return n > 0;
    default:
      return false;
  }
}

// `query` AND_NOT any of the L terms `languages`.
Xapian::Query WithoutLanguages(const Xapian::Query& query, const std::vector<Xapian::Query>& languages) {
  return Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                       Xapian::Query(Xapian::Query::OP_OR, languages.begin(), languages.end()));
}

// The readings as one query, `first_or`: whether the first (the default
// language's) reads the words as an OR. No article matches two readings
// (their language filters are disjoint), so MAX weighs each match as OR
// does: by its one reading. They prune differently. Xapian's OR hands each
// branch the weight a hit needs less the other branches' maximum weights;
// a reading in a rare language, of rare stems, can weigh a lot, and then
// the first reading's own OR had nothing to prune by: it did not narrow to
// its rarer words (news corpus x4, `david OR take`: 13.8 -> 8.7 M
// instructions in the matcher with MAX, the same ten hits and weights).
// But MAX keeps walking a branch that can no longer reach the weight a hit
// needs, where OR leaves it: `like AND NOT investigation`, whose first
// reading weighs little beside the rare ones, took 10.2 -> 30.1 M with
// MAX, and single words 3-5% more. Hence MAX only for an OR. Xapian builds
// an OR branch of a MAX into the MAX itself (MAX of its parts: another
// weight), so then it stays an OR.
// Xapian's MaxPostList asks every branch for its position at every match,
// and nearly all matches are the first reading's: the other readings go
// into a MAX of their own, which is one branch (Xapian does not fold a MAX
// into a MAX), so each match costs two branches' visits, not one per
// reading (news corpus x4, `comp OR emphasizing`, five readings: 15.8 ->
// 15.3 M instructions a search process; the same hits and weights).
Xapian::Query AnyReading(const std::vector<Xapian::Query>& readings, bool first_or) {
  if (readings.size() == 1) return readings.front();
  const bool flattened = std::any_of(readings.begin(), readings.end(), [](const Xapian::Query& r) {
    return r.get_type() == Xapian::Query::OP_OR || r.get_type() == Xapian::Query::OP_ELITE_SET;
  });
  if (!first_or || flattened) return Xapian::Query(Xapian::Query::OP_OR, readings.begin(), readings.end());
  if (readings.size() == 2) return Xapian::Query(Xapian::Query::OP_MAX, readings.front(), readings.back());
  return Xapian::Query(Xapian::Query::OP_MAX, readings.front(),
                       Xapian::Query(Xapian::Query::OP_MAX, readings.begin() + 1, readings.end()));
}

// Everything in this file runs on the client: xapian-tcpsrv runs only
// Xapian's own registered classes, so remote shards rule out a KeyMaker, a
// MatchSpy of our own or a MatchDecider. Sorting is by value slot and
// counting by ValueCountMatchSpy, which the remote protocol carries.

// Articles with a date (value slot 0 is never empty when there is one, and
// holds digits): --sort oldest puts the others last, after every date.
Xapian::Query Dated() { return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, "0"); }

// The matches per leading `length` bytes of the date slot (4 a year, 6 a
// month, 8 a day), from a spy that counted the slot's values; `undated`
// receives the matches without a date.
std::map<std::string, std::uint64_t> DatePeriods(const Xapian::ValueCountMatchSpy& dates, std::size_t length,
                                                 std::uint64_t& undated) {
  std::map<std::string, std::uint64_t> periods;
  std::uint64_t dated = 0;
  for (auto v = dates.values_begin(); v != dates.values_end(); ++v) {
    const std::string day = *v;
    if (day.size() < length) continue;  // not a date: undated
    periods[day.substr(0, length)] += v.get_termfreq();
    dated += v.get_termfreq();
  }
  undated = dates.get_total() - dated;  // the spy counts every match, its values only those with one
  return periods;
}

// The value slot a facet counts.
Xapian::valueno FacetSlot(Facet facet) {
  switch (facet) {
    case Facet::kSource: return schema::kSourceNameSlot;
    case Facet::kLanguage: return schema::kLanguageSlot;
    case Facet::kYear:
    case Facet::kMonth: break;
  }
  return schema::kDateSlot;
}

// The leading bytes of a YYYYMMDD date that name its `period`.
std::size_t PeriodLength(Period period) { return period == Period::kYear ? 4 : period == Period::kMonth ? 6 : 8; }

// "20220420" cut to a period -> "2022-04-20", "202204" -> "2022-04".
std::string PeriodLabel(const std::string& key) {
  std::string label = key.substr(0, 4);
  if (key.size() >= 6) label += "-" + key.substr(4, 2);
  if (key.size() >= 8) label += "-" + key.substr(6, 2);
  return label;
}

// The period after `key` (YYYY, YYYYMM or YYYYMMDD).
std::string NextPeriod(const std::string& key) {
  std::tm t{};
  t.tm_year = std::stoi(key.substr(0, 4)) - 1900;
  t.tm_mon = key.size() >= 6 ? std::stoi(key.substr(4, 2)) - 1 : 0;
  t.tm_mday = key.size() >= 8 ? std::stoi(key.substr(6, 2)) : 1;
  t.tm_hour = 12;
  if (key.size() == 4) ++t.tm_year;
  else if (key.size() == 6) ++t.tm_mon;
  else ++t.tm_mday;
  std::mktime(&t);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
  return std::string(buf).substr(0, key.size());
}

// The periods from the first to the last counted, empty ones included (up
// to a bound: a chart of more bars than that shows the counted ones only).
Counts Timeline(const std::map<std::string, std::uint64_t>& counts) {
  constexpr std::size_t kMaxPeriods = 2000;
  Counts out;
  if (counts.empty()) return out;
  const bool valid = std::all_of(counts.begin(), counts.end(), [](const auto& c) {
    return std::all_of(c.first.begin(), c.first.end(), [](unsigned char ch) { return std::isdigit(ch); });
  });
  for (std::string key = counts.begin()->first; valid && out.size() <= kMaxPeriods; key = NextPeriod(key)) {
    const auto found = counts.find(key);
    out.emplace_back(PeriodLabel(key), found == counts.end() ? 0 : found->second);
    if (key >= counts.rbegin()->first) return out;
  }
  out.clear();
  for (const auto& [key, n] : counts) out.emplace_back(PeriodLabel(key), n);
  return out;
}

Counts SortedCounts(const std::map<std::string, std::uint64_t>& counts) {
  Counts out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

// Accepts the plain stemmed terms (Z + a word) for --like; or, in an index
// that does not stem, the plain words. Not words no other article has:
// with one article in the RSet those would top the ESet and find nothing.
class LikeTermDecider : public Xapian::ExpandDecider {
 public:
  LikeTermDecider(const Xapian::Database& db, bool stemmed) : db_(db), stemmed_(stemmed) {}
  bool operator()(const std::string& term) const override {
    if (term.empty() || db_.get_termfreq(term) < 2) return false;
    const bool has_prefix = term[0] >= 'A' && term[0] <= 'Z';
    if (!stemmed_) return !has_prefix && term.find_first_not_of("0123456789") != std::string::npos;
    return term.size() > 1 && term[0] == 'Z' && !(term[1] >= 'A' && term[1] <= 'Z') &&
           term.find_first_not_of("0123456789", 1) != std::string::npos;
  }

 private:
  const Xapian::Database& db_;
  bool stemmed_;
};

// The parts of `query` whose weights add up to a match's score: the
// branches of AND, OR, XOR, MAX and AND_MAYBE, the left side of AND_NOT and
// FILTER (the rest only filter), down to terms and to what weighs its parts
// together (a phrase, a wildcard's synonym). Each part comes with the
// conditions under which it counts (`ExplainPart::counted`): its AND
// siblings must match, an AND_MAYBE's optional side needs the required one,
// and AND_NOT and FILTER keep their right side. So a term that two
// languages' readings share counts only in the reading its article is in,
// and the parts listed for a hit add up to its score.
void AdditiveParts(const Xapian::Query& query, const std::vector<std::pair<Xapian::Query::op, Xapian::Query>>& context,
                   std::vector<ExplainPart>& parts) {
  auto descend = [&](const Xapian::Query& sub, std::vector<std::pair<Xapian::Query::op, Xapian::Query>> more) {
    more.insert(more.begin(), context.begin(), context.end());
    AdditiveParts(sub, more, parts);
  };
  const std::size_t n = query.get_num_subqueries();
  switch (query.get_type()) {
    case Xapian::Query::OP_AND:
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::pair<Xapian::Query::op, Xapian::Query>> siblings;
        for (std::size_t j = 0; j < n; ++j) {
          if (j != i) siblings.emplace_back(Xapian::Query::OP_FILTER, query.get_subquery(j));
        }
        descend(query.get_subquery(i), std::move(siblings));
      }
      return;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_MAX:  // of readings: an article matches one at most
      for (std::size_t i = 0; i < n; ++i) descend(query.get_subquery(i), {});
      return;
    case Xapian::Query::OP_AND_MAYBE:
      descend(query.get_subquery(0), {});
      for (std::size_t i = 1; i < n; ++i) descend(query.get_subquery(i), {{Xapian::Query::OP_FILTER, query.get_subquery(0)}});
      return;
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_FILTER: {
      std::vector<std::pair<Xapian::Query::op, Xapian::Query>> rest;
      for (std::size_t i = 1; i < n; ++i) rest.emplace_back(query.get_type(), query.get_subquery(i));
      descend(query.get_subquery(0), std::move(rest));
      return;
    }
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return;  // no weight
    default: {
      Xapian::Query counted = query;
      for (const auto& [op, condition] : context) counted = Xapian::Query(op, counted, condition);
      parts.push_back({query, std::move(counted)});
    }
  }
}

// A part as --explain names it: a term as it is, else Xapian's description.
std::string PartLabel(const Xapian::Query& part) {
  if (part.get_type() == Xapian::Query::LEAF_TERM) return *part.get_terms_begin();
  std::string text = part.get_description();
  if (text.rfind("Query(", 0) == 0 && text.back() == ')') text = text.substr(6, text.size() - 7);
  return text;
}

// The unique id term (Q...) of `doc`, as the indexer made it.
std::string IdTermOf(const Xapian::Document& doc) {
  Xapian::TermIterator t = doc.termlist_begin();
  t.skip_to(std::string(schema::kIdPrefix));
  return t != doc.termlist_end() && (*t).rfind(schema::kIdPrefix, 0) == 0 ? *t : std::string();
}

}  // namespace

Searcher::Searcher(fs::path index_dir, ShardOptions shards)
    : index_dir_(std::move(index_dir)), shard_options_(shards) {
  Open();
  UnlockShards();  // a writer must not wait for a Searcher that is not searching
}

void Searcher::LockShards() {
  for (ReadLock& lock : locks_) lock.Lock();
}

void Searcher::UnlockShards() {
  for (ReadLock& lock : locks_) lock.Unlock();
}

void Searcher::Open() {
  // An update that commits twice while the metadata is read discards the
  // revision opened (DatabaseModifiedError): start again from the stub.
  for (ChangeRetries retries;;) {
    try {
      OpenOnce();
      return;
    } catch (const Xapian::DatabaseError& e) {
      if (!retries.Again(Modified(e))) {
        throw IndexError("the index at " + index_dir_.string() + " kept changing while it was opened: " +
                         e.get_description());
      }
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot open the index at " + index_dir_.string() + ": " + e.get_description());
    }
  }
}

void Searcher::OpenOnce() {
  if (!IndexExists(index_dir_)) {
    throw IndexError("no index at " + index_dir_.string() + "; build one first with: nsearch-index --db " +
                     index_dir_.string() + " PATH...");
  }
  // A rebuild or --compact may remove the generation the stub named just
  // before Xapian opened it, and an update may discard the revision being
  // opened: read the stub again.
  for (ChangeRetries retries;;) {
    try {
      // Held while OpenShards waits for a writer, the old locks would keep
      // that writer waiting for this search: a deadlock until the search's
      // wait at the turnstile ends (common/reader_lock.h).
      UnlockShards();
      OpenedShards opened = OpenShards(index_dir_, shard_options_, failed_);
      db_ = std::move(opened.all);
      spelling_ = std::move(opened.local);
      shards_ = std::move(opened.shards);
      shard_dbs_ = std::move(opened.each);
      missing_ = std::move(opened.missing);
      locks_ = std::move(opened.locks);  // the old ones are let go of
      break;
    } catch (const Xapian::DatabaseError& e) {
      if (!retries.Again(Modified(e))) {
        throw IndexError("cannot open the index at " + index_dir_.string() + ": " + e.get_description());
      }
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot open the index at " + index_dir_.string() + ": " + e.get_description());
    }
  }
  ReadShardMetadata();
}

// Each shard says what it is (nsearch-index writes the same metadata into
// every shard of an index), and a stub may list shards of separately built
// indexes, while Database::get_metadata reads only the first shard. So the
// schema version is checked in every shard, and the languages (and those
// with stopwords) are those of any shard; the default language is the
// first shard's.
void Searcher::ReadShardMetadata() {
  const std::string wanted = std::to_string(schema::kSchemaVersion);
  // The default language first, then every other language articles are in.
  std::vector<std::string> names = {shard_dbs_.front().get_metadata(schema::kMetaLanguage)};
  std::set<std::string> with_stopwords;
  for (std::size_t i = 0; i < shard_dbs_.size(); ++i) {
    const Xapian::Database& shard = shard_dbs_[i];
    if (const std::string version = shard.get_metadata(schema::kMetaSchema); version != wanted) {
      const std::string which = i == 0 ? "the index at " + index_dir_.string()
                                       : "the shard " + shards_[i].Name() + " of the index at " + index_dir_.string();
      throw IndexError(which + " has schema version '" + version + "', this nsearch reads version " + wanted +
                       "; rebuild it with: nsearch-index --db " + (i == 0 ? index_dir_.string() : "DIR") +
                       " --rebuild");
    }
    std::istringstream lines(shard.get_metadata(schema::kMetaLanguages));
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && std::find(names.begin(), names.end(), line) == names.end()) names.push_back(line);
    }
    std::istringstream stopwords(shard.get_metadata(schema::kMetaStopwords));
    for (std::string line; std::getline(stopwords, line);) with_stopwords.insert(line);
  }
  bool same = names.size() == languages_.size();
  for (std::size_t i = 0; same && i < names.size(); ++i) same = languages_[i].name == names[i];
  if (!same) {
    languages_.clear();
    try {
      for (const std::string& name : names) {
        languages_.push_back({name, RememberingStem(MakeStemmer(name), "snowball:" + name),
                              with_stopwords.count(name) ? StopperFor(name) : nullptr, nullptr});
      }
    } catch (const UsageError& e) {
      throw IndexError("the index at " + index_dir_.string() + " needs a stemmer this nsearch lacks: " + e.what());
    }
  } else {
    for (Language& l : languages_) {
      l.stopper = with_stopwords.count(l.name) ? StopperFor(l.name) : nullptr;
      l.parser.reset();  // it names the shards opened before
    }
  }
  shard_text_.assign(shards_.size(), nullptr);
}

bool Searcher::AnyRemote() const {
  return std::any_of(shards_.begin(), shards_.end(), [](const StubShard& s) { return s.remote(); });
}

const Searcher::Language& Searcher::LanguageNamed(const std::string& name) const {
  for (const Language& l : languages_) {
    if (l.name == name) return l;
  }
  return languages_.front();
}

// Articles are stemmed in their own languages, so a query is parsed once per
// language the index holds, each reading filtered to the articles of that
// language: "elección" then finds Spanish articles by the Spanish stem and
// English ones by the English stem, and neither by the other's.
// Xapian's QueryParser (FLAG_SPELLING_CORRECTION) also "corrects" words the
// index has, when a more frequent word is near ("economy" -> "economic"), so
// the words are checked here: only a word no article has gets a suggestion.
// Words of field:value tokens (site:reuters.com) and wildcards are left as
// they are. The spelling data lives in the index's first shard; it is read
// from the local shards only, as Xapian's remote protocol does not carry it:
// when the first shard is remote there is no suggestion.
std::string Searcher::Suggest(const std::string& text) {
  static const std::set<std::string> kOperators = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
  std::string out;
  bool changed = false;
  try {
    for (std::size_t i = 0; i < text.size();) {
      if (std::isspace(static_cast<unsigned char>(text[i]))) {
        out += text[i++];
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
      const std::string token = text.substr(i, end - i);
      i = end;
      const std::string bare = token.substr(0, token.find('/'));
      if (token.find(':') != std::string::npos || token.back() == '*' || kOperators.count(bare) > 0) {
        out += token;
        continue;
      }
      for (std::size_t j = 0; j < token.size();) {
        const auto is_word = [](unsigned char c) { return c >= 0x80 || std::isalpha(c); };
        if (!is_word(static_cast<unsigned char>(token[j]))) {
          out += token[j++];
          continue;
        }
        std::size_t k = j;
        while (k < token.size() && (is_word(static_cast<unsigned char>(token[k])) ||
                                    std::isdigit(static_cast<unsigned char>(token[k])))) {
          ++k;
        }
        const std::string word = token.substr(j, k - j);
        const std::string lower = Xapian::Unicode::tolower(word);
        std::string suggestion;
        if (lower.find_first_of("0123456789") == std::string::npos && !db_.term_exists(lower)) {
          suggestion = spelling_.get_spelling_suggestion(lower);
        }
        if (!suggestion.empty() && suggestion != lower) {
          out += suggestion;
          changed = true;
        } else {
          out += word;
        }
        j = k;
      }
    }
  } catch (const Xapian::UnimplementedError&) {  // a backend without spelling data
    return {};
  }
  return changed ? out : std::string();
}

// Parse: languages whose readings come out the same share one reading,
// filtered to all of them. The reading of the default language (nearly every
// article) is not filtered to it, which made the matcher walk its long L
// posting list for each candidate: it excludes the other readings' languages
// instead. So it also reads an article in a language the index does not list
// (nsearch-index lists every one; a shard indexed apart, behind a stub, may
// have others), which a filter would have left out of every reading. Open()
// used to check with the L terms' frequencies that there was none: 6 of the
// ~210 block reads of a search of the news corpus x4, and with a remote
// shard a request, to choose the reading that found less.
Xapian::Query Searcher::Parse(const std::string& text, MatchMode mode, std::string* suggestion) {
  // Xapian's QueryParser takes time quadratic in the words it ORs together
  // (--any: 5,000 words 0.9 s, 20,000 words 18 s, 100,000 words minutes).
  if (const std::size_t words = CountWords(text); words > kMaxQueryWords) {
    throw QueryError("query of " + std::to_string(words) + " words is too long: nsearch takes up to " +
                     std::to_string(kMaxQueryWords));
  }
  if (suggestion != nullptr) *suggestion = Suggest(text);
  auto boosted = [](Xapian::Query query, const Xapian::Query& boost) {
    return boost.empty() ? query : Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, boost);
  };
  // Only a query of plain words gets the boost.
  const std::vector<std::string> words = IsPlainWords(text) ? PlainTerms(text) : std::vector<std::string>();
  if (languages_.size() == 1) {
    return boosted(ParseIn(text, words, mode, languages_.front()), PairBoost(words, mode, languages_.front()));
  }
  // The boost is made of unstemmed words: the same in every language whose
  // reading gets it. When every reading gets it, it is added once, to the
  // readings OR-ed, rather than to each: the same score for every article
  // (the readings' language filters are disjoint), but the matcher opens
  // its words' posting and position lists once rather than once per reading
  // (news corpus, four readings of "oil prices": 315 -> 295 block reads).
  std::vector<Xapian::Query> boosts;
  for (const Language& language : languages_) boosts.push_back(PairBoost(words, mode, language));
  const bool boost_once =
      std::none_of(boosts.begin(), boosts.end(), [](const Xapian::Query& b) { return b.empty(); });
  struct Reading {
    Xapian::Query query;
    std::string description;
    std::vector<Xapian::Query> languages;  // their L terms
  };
  std::vector<Reading> readings;
  // A language whose stemmer stems each word that an earlier language's
  // parse stemmed as that one did, with the same stopwords (and neither
  // without a stemmer), reads the query the same: the QueryParser's output
  // depends on the language only through them. Its L term joins that
  // reading without a parse of its own (13 languages read "oil prices" in
  // four ways; --batch of the bench queries: Parse 76.6 -> 39.4 M
  // instructions, of which the parses themselves 56.9 -> 15.9 M).
  struct Parsed {
    const Language* language;
    std::vector<std::pair<std::string, std::string>> stems;
    std::size_t reading;
  };
  std::vector<Parsed> parsed;
  for (std::size_t l = 0; l < languages_.size(); ++l) {
    Language& language = languages_[l];
    const auto same_reading = std::find_if(parsed.begin(), parsed.end(), [&](const Parsed& p) {
      return p.language->stopper == language.stopper && !p.language->stem.is_none() && !language.stem.is_none() &&
             std::all_of(p.stems.begin(), p.stems.end(),
                         [&](const auto& stem) { return language.stem(stem.first) == stem.second; });
    });
    if (same_reading != parsed.end()) {
      readings[same_reading->reading].languages.emplace_back(std::string(schema::kLanguagePrefix) + language.name);
      continue;
    }
    Xapian::Query query = ParseIn(text, words, mode, language);
    std::vector<std::pair<std::string, std::string>> stems;
    if (language.parser->stems != nullptr) stems = *language.parser->stems;
    if (!boost_once) query = boosted(std::move(query), boosts[l]);
    std::string description = query.get_description();
    Xapian::Query term(std::string(schema::kLanguagePrefix) + language.name);
    auto same = std::find_if(readings.begin(), readings.end(),
                             [&](const Reading& r) { return r.description == description; });
    const std::size_t reading = static_cast<std::size_t>(same - readings.begin());
    if (same == readings.end()) {
      readings.push_back({std::move(query), std::move(description), {std::move(term)}});
    } else {
      same->languages.push_back(std::move(term));
    }
    parsed.push_back({&language, std::move(stems), reading});
  }
  // Another language's reading that has a word no article has ("prices"
  // unstemmed, in Dutch) matches nothing: it is left out, its languages
  // still kept out of the first reading. The matcher would open the
  // postings of its other words and its L terms for nothing (news corpus,
  // "oil prices": 22 fewer page faults, 0.11 M fewer instructions). Not
  // with a remote shard, where each term frequency is a request.
  const bool prune = !AnyRemote();
  std::vector<Xapian::Query> filtered;
  for (std::size_t i = 0; i < readings.size(); ++i) {
    Reading& r = readings[i];
    if (i == 0) {
      std::vector<Xapian::Query> others;
      for (std::size_t j = 1; j < readings.size(); ++j) {
        others.insert(others.end(), readings[j].languages.begin(), readings[j].languages.end());
      }
      filtered.push_back(others.empty() ? r.query : WithoutLanguages(r.query, others));
    } else if (!prune || !CannotMatch(r.query, db_)) {
      filtered.emplace_back(Xapian::Query::OP_FILTER, r.query,
                            Xapian::Query(Xapian::Query::OP_OR, r.languages.begin(), r.languages.end()));
    }
  }
  Xapian::Query all = AnyReading(filtered, readings.front().query.get_type() == Xapian::Query::OP_OR);
  return boost_once ? boosted(std::move(all), boosts.front()) : all;
}

Xapian::Query Searcher::ParseIn(const std::string& text, const std::vector<std::string>& words, MatchMode mode,
                                Language& language) {
  const Xapian::Stopper* stopper = language.stopper;
  if (!language.parser) {
    language.parser = std::make_unique<Parser>();
    Xapian::QueryParser& parser = language.parser->parser;
    Xapian::Stem stem = language.stem;
    if (!stem.is_none()) {  // no stemming stays no stemming (the QueryParser tells them apart)
      auto* recording = new RecordingStemmer(language.stem);
      language.parser->stems = &recording->stems_;
      stem = Xapian::Stem(recording);
    }
    ConfigureQueryParser(parser, stem, stopper);
    parser.set_database(db_);
    AddBooleanFields(parser, language.parser->field_error);
    parser.set_max_expansion(kMaxWildcardTerms, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  }
  Xapian::QueryParser& parser = language.parser->parser;
  std::string& field_error = language.parser->field_error;
  field_error.clear();
  if (language.parser->stems != nullptr) language.parser->stems->clear();
  // Explicit operators, phrases and +/- keep their meaning in either mode;
  // only words that no operator joins are OR-ed rather than AND-ed.
  parser.set_default_op(mode == MatchMode::kAnyWord ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
  // Stopwords have no stemmed terms in the index, so a query of nothing but
  // stopwords ("the who") is run as the phrase it must be meant as.
  const bool only_stopwords = OnlyStopwords(words, stopper);
  const std::string input = only_stopwords ? "\"" + text + "\"" : UnquoteUnpositionedFields(text);
  Xapian::Query query;
  try {
    query = parser.parse_query(input, kQueryParserFlags);
    if (!field_error.empty()) throw Xapian::QueryParserError(field_error);
  } catch (const Xapian::QueryParserError& e) {
    throw QueryError("malformed query '" + text + "': " + e.get_msg());
  } catch (const Xapian::WildcardError& e) {
    throw QueryError("query '" + text + "': " + e.get_msg());
  }
  if (query.empty()) throw QueryError("query '" + text + "' has no words to search for");
  return query;
}

// Rank articles where the words also stand next to each other higher: each
// adjacent pair of query words as an optional phrase. Not with --any: on
// natural-language queries the boost lowered MAP on both judged collections,
// at every weight tried (bench/relevance/README.md). Nor for a query of
// stopwords alone, which is already that phrase.
Xapian::Query Searcher::PairBoost(const std::vector<std::string>& words, MatchMode mode,
                                  const Language& language) const {
  if (mode != MatchMode::kAllWords || OnlyStopwords(words, language.stopper)) return {};
  std::vector<Xapian::Query> pairs;
  for (std::size_t i = 0; i + 1 < words.size() && pairs.size() < kMaxBoostPairs; ++i) {
    const Xapian::Query pair[] = {Xapian::Query(words[i]), Xapian::Query(words[i + 1])};
    pairs.emplace_back(Xapian::Query::OP_PHRASE, pair, pair + 2, 2);
  }
  return pairs.empty() ? Xapian::Query() : Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end());
}

SearchResult Searcher::Search(const SearchRequest& request) {
  // Once an update commits, its next transaction may write over blocks of
  // the revision before, and a search reading them gets a mix of two
  // blocks (common/reader_lock.h). So the local shards' ReadLocks are held
  // from before the revision to read is opened until the last hit is read,
  // and an updating nsearch-index waits for them after each commit.
  struct Unlocker {
    Searcher& searcher;
    ~Unlocker() { searcher.UnlockShards(); }
  } unlocker{*this};
  LockShards();
  // The latest revision: a long-lived Searcher (--batch) may have opened
  // an older one, whose blocks a writer may since have written over. Cost:
  // one read of each local shard's version file a search.
  if (MayHaveChanged(spelling_)) Open();
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
      // test in e2e_crash_test.cc saw a --batch query for "cuba" answer 0
      // matches with no error in 2 of 22 runs of one build.)
      const bool all_locked = std::all_of(locks_.begin(), locks_.end(), [](const ReadLock& l) { return l.held(); });
      if (!all_locked && ++unsettled < kMaxAttempts && MayHaveChanged(spelling_)) {
        Open();
        continue;
      }
      result.missing_shards = missing_;
      return result;
    } catch (const Xapian::NetworkError& e) {
      // A remote shard went away or stopped answering after it was opened.
      const StubShard* shard = ShardOfError(shards_, e);
      if (shard == nullptr) {
        throw IndexError("a remote shard of the index at " + index_dir_.string() + " failed: " + e.get_description());
      }
      const std::string why = NetworkFailure(e, shard_options_.remote_timeout_ms);
      if (!shard_options_.allow_partial || attempt == kMaxAttempts) {
        throw IndexError("index shard " + shard->Name() + " (" + StubPath(index_dir_).string() +
                         ") failed during the search: " + why +
                         (shard_options_.allow_partial ? "" : "; --allow-partial searches the other shards"));
      }
      failed_.push_back({shard->Name(), why});
      Open();
    } catch (const Xapian::DatabaseError& e) {
      // Modified under us (an update committed twice since we opened it), or
      // a file of a generation that a rebuild removed: reopen, which reads
      // the stub again, and run the whole search again.
      if (!change_retries.Again(Modified(e))) {
        throw IndexError("the index at " + index_dir_.string() + " kept changing during the search: " +
                         e.get_description());
      }
      Open();
    } catch (const Xapian::Error& e) {
      if (!MayHaveChanged(db_) || !change_retries.Again(false)) {
        throw IndexError("cannot search the index at " + index_dir_.string() + ": " + e.get_description());
      }
      Open();
    } catch (const std::logic_error&) {
      if (!MayHaveChanged(db_) || !change_retries.Again(false)) throw;
      Open();
    }
  }
}

Xapian::Query Searcher::LikeQuery(const std::string& reference) {
  // An id as given, else a file's canonical path (the id of a file's article).
  std::vector<std::string> candidates = {reference};
  std::error_code ec;
  const std::string path = CanonicalPath(reference, ec);
  if (!ec) candidates.push_back(path);
  Xapian::docid did = 0;
  std::string id_term;
  for (const std::string& id : candidates) {
    id_term = IdTerm(id);
    Xapian::PostingIterator p = db_.postlist_begin(id_term);
    if (p != db_.postlist_end(id_term)) {
      did = *p;
      break;
    }
  }
  if (did == 0) throw LikeError("no article has the id or path '" + reference + "' in this index");
  Xapian::Enquire enquire(db_);
  Xapian::RSet rset;
  rset.add_document(did);
  const LikeTermDecider stemmed(db_, true), words(db_, false);
  Xapian::ESet eset = enquire.get_eset(kLikeTerms, rset, 0, &stemmed);
  if (eset.empty()) eset = enquire.get_eset(kLikeTerms, rset, 0, &words);  // an unstemmed index
  // In a tiny index every shared term may weigh less than nothing: take
  // the best of them anyway.
  if (eset.empty()) eset = enquire.get_eset(kLikeTerms, rset, 0, &stemmed, -std::numeric_limits<double>::max());
  if (eset.empty()) eset = enquire.get_eset(kLikeTerms, rset, 0, &words, -std::numeric_limits<double>::max());
  if (eset.empty()) throw LikeError("the article '" + reference + "' has no words to search for");
  std::vector<Xapian::Query> terms;
  for (auto t = eset.begin(); t != eset.end(); ++t) terms.emplace_back(*t);
  return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                       Xapian::Query(id_term));
}

SearchResult Searcher::SearchOnce(const SearchRequest& request) {
  SearchResult result;
  result.query = request.query;
  result.offset = request.offset;
  Xapian::Query query;
  if (!request.like.empty()) {
    query = LikeQuery(request.like);
    if (!request.query.empty()) {
      query = Xapian::Query(Xapian::Query::OP_FILTER, query, Parse(request.query, request.mode, &result.suggestion));
    }
  } else {
    query = Parse(request.query, request.mode, &result.suggestion);
  }
  if (!request.since.empty() || !request.until.empty()) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query, DateRangeQuery({request.since, request.until}));
  }
  result.parsed = query.get_description();
  query = WithoutXor(query);

  // Facets and the timeline count every match, so the matcher must see them
  // all. One spy per value slot: year, month and the timeline share the date's.
  std::map<Xapian::valueno, std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  auto spy_on = [&](Xapian::valueno slot) {
    if (spies.count(slot) == 0) spies[slot] = std::make_unique<Xapian::ValueCountMatchSpy>(slot);
  };
  for (const Facet facet : request.facets) spy_on(FacetSlot(facet));
  if (request.timeline) spy_on(schema::kDateSlot);

  const Xapian::doccount all = db_.get_doccount();
  const Xapian::doccount wanted = request.limit == 0 ? all : request.limit;
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
  const bool count_all = count_groups && AnyRemote();

  // One ranking; for --sort oldest two, one after the other: the dated
  // matches by date, then the undated ones by relevance (a value sort puts
  // the empty values first, and a KeyMaker, which could put them last, does
  // not run on a remote shard). Each counts its matches; the spies see both.
  struct Part {
    Xapian::MSet mset;
    Xapian::doccount before = 0;  // matches ranked before this part
    Xapian::doccount skip = 0;    // entries of `mset` before the page starts
  };
  std::vector<Part> ranking;
  result.total_exact = true;
  auto run = [&](const Xapian::Query& part_query, bool by_date, Xapian::doccount first, Xapian::doccount max_items) {
    Xapian::Enquire enquire(db_);
    enquire.set_query(part_query);
    enquire.set_weighting_scheme(*MakeWeight(AnyRemote()));
    if (by_date) enquire.set_sort_by_value_then_relevance(schema::kDateSlot, request.sort == SortOrder::kNewest);
    if (request.collapse) enquire.set_collapse_key(schema::kDuplicateSlot);
    for (const auto& [slot, spy] : spies) enquire.add_matchspy(spy.get());
    Xapian::MSet mset = enquire.get_mset(first, max_items, check_at_least);
    // The MSet keeps this Enquire's query for its snippets, which walk it
    // at every hit: what they need of it is smaller (SnippetQuery).
    if (request.snippets) enquire.set_query(SnippetQuery(part_query));
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

  for (const Facet name : request.facets) {
    FacetCounts facet{name, {}};
    std::map<std::string, std::uint64_t> counts;
    if (name == Facet::kYear || name == Facet::kMonth) {
      std::uint64_t undated = 0;
      for (const auto& [period, n] : DatePeriods(*spies.at(schema::kDateSlot), name == Facet::kYear ? 4 : 6, undated)) {
        counts[PeriodLabel(period)] = n;
      }
      if (undated > 0) counts[""] = undated;
    } else {
      const Xapian::ValueCountMatchSpy& values = *spies.at(FacetSlot(name));
      for (auto v = values.values_begin(); v != values.values_end(); ++v) counts[*v] = v.get_termfreq();
      // Articles without a value are not seen by the spy: count them as "".
      std::uint64_t with = 0;
      for (const auto& c : counts) with += c.second;
      if (values.get_total() > with) counts[""] += values.get_total() - with;
    }
    facet.counts = SortedCounts(counts);
    result.facets.push_back(std::move(facet));
  }
  if (request.timeline) {
    result.timeline_period = request.timeline;
    result.timeline = Timeline(DatePeriods(*spies.at(schema::kDateSlot), PeriodLength(*request.timeline), result.undated));
  }
  result.explained = request.explain;
  if (request.explain) {
    std::map<std::string, unsigned> occurrences;
    for (auto t = query.get_terms_begin(); t != query.get_terms_end(); ++t) ++occurrences[*t];
    for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
      result.terms.push_back({*t, db_.get_termfreq(*t), std::max(1u, occurrences[*t])});
    }
  }
  std::vector<ExplainPart> parts;
  if (request.explain) AdditiveParts(query, {}, parts);

  // The near-duplicate groups of the hits, and how many matches each has.
  std::map<std::string, Xapian::doccount> group_sizes;
  if (request.collapse) {
    std::map<std::string, SeenGroup> seen;
    Xapian::doccount hits = 0;
    for (const Part& part : ranking) {
      for (Xapian::doccount i = part.skip; i < part.mset.size() && hits < wanted; ++i, ++hits) {
        const Xapian::MSetIterator hit = part.mset[i];
        if (std::string key = hit.get_collapse_key(); !key.empty()) {
          const auto [entry, first] = seen.try_emplace(std::move(key), SeenGroup{hit.get_collapse_count(), {}});
          if (!first) entry->second.collapsed.reset();
          entry->second.hits.push_back(*hit);
        }
      }
    }
    group_sizes = GroupSizes(db_, query, seen, !AnyRemote());
  }
  // The parts' queries add a date filter to `query`, no term.
  const SnippetTerms snippet_terms = request.snippets ? SnippetTermsOf(query) : SnippetTerms();
  for (const Part& part : ranking) {
    const Xapian::MSet& mset = part.mset;
    for (Xapian::doccount i = part.skip; i < mset.size() && result.hits.size() < wanted; ++i) {
      AddHit(mset, mset[i], part.before, request, parts, group_sizes, snippet_terms, result);
    }
  }
  return result;
}

// Each shard's stored text is read with its own dictionary: a stub may
// list shards of separately built indexes, each with a dictionary of its
// own. zstd names a trained dictionary by a hash of its content, which each
// frame carries, so shards whose frames name one dictionary share one
// decompressor (one mapped file for the shards of one index).
TextDecompressor& Searcher::TextOf(Xapian::docid did, std::string_view frame) {
  const std::size_t shard = ShardOfDocument(did, shards_.size());
  std::shared_ptr<TextDecompressor>& text = shard_text_[shard];
  if (text && text->Reads(frame)) return *text;
  const auto same = std::find_if(shard_text_.begin(), shard_text_.end(),
                                 [&](const auto& other) { return other && other->Reads(frame); });
  text = same != shard_text_.end() ? *same : OpenTextDecompressor(shard, frame);
  return *text;
}

// The dictionary of the stored text of `shard`, from the file beside it when
// it is local (nsearch-index writes one beside each), mapped: reading it
// from the metadata, 256 KB through Xapian and copied, was 22 block reads and
// 82 page faults of a 200-read, 480-fault search, and 0.2 ms of its 3.6. For
// a remote shard, from a local shard's file that is the dictionary `frame`
// names (a stub mixing local and remote shards of one index). Else, and when
// no file is the dictionary `frame` names (an older index, a damaged file),
// from the shard's metadata.
std::shared_ptr<TextDecompressor> Searcher::OpenTextDecompressor(std::size_t shard, std::string_view frame) {
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    if (shards_[i].remote() || (i != shard && !shards_[shard].remote())) continue;
    if (std::shared_ptr<const MappedFile> file = MappedFile::Open(TextDictionaryPath(shards_[i].path))) {
      const std::string_view dictionary = file->bytes();
      auto text = std::make_shared<TextDecompressor>(dictionary, std::move(file));
      if (text->Reads(frame)) return text;
    }
  }
  return std::make_shared<TextDecompressor>(shard_dbs_[shard].get_metadata(schema::kMetaTextDictionary));
}

// One hit of `mset`, the entry `it`, ranked after `before` others.
void Searcher::AddHit(const Xapian::MSet& mset, const Xapian::MSetIterator& it, Xapian::doccount before,
                      const SearchRequest& request, const std::vector<ExplainPart>& parts,
                      const std::map<std::string, Xapian::doccount>& group_sizes, const SnippetTerms& snippet_terms,
                      SearchResult& result) {
  Hit hit;
  hit.rank = before + it.get_rank() + 1;
  hit.score = it.get_weight();
  if (auto group = group_sizes.find(it.get_collapse_key()); group != group_sizes.end()) hit.similar = group->second - 1;
  const Xapian::Document doc = it.get_document();
  const std::string stored = doc.get_value(schema::kStoredSlot);
  hit.article = DecodeStoredDocument(TextOf(*it, stored).Decompress(stored), request.snippets);
  if (request.snippets && hit.article.preview) {
    if (std::optional<std::string> body = BodyFromFile(hit.article, doc)) hit.article.body = std::move(*body);
  }
  if (request.snippets) {
    const std::string& text = hit.article.body.empty() ? hit.article.title : hit.article.body;
    const Language& language = LanguageNamed(hit.article.language);
    const std::bitset<256>* keeps_first_byte =
        StemKeepsFirstByte(language.name) ? &snippet_terms.stem_first_bytes : nullptr;
    const Xapian::Stem stem = keeps_first_byte != nullptr ? StemOnlyLike(language.stem, *keeps_first_byte) : language.stem;
    Snippet snippet = MakeSnippet(mset, text, request.snippet_length, stem, snippet_terms, keeps_first_byte);
    hit.snippet = std::move(snippet.text);
    hit.highlights = std::move(snippet.highlights);
    hit.article.body.clear();
    hit.article.body.shrink_to_fit();
  }
  if (request.explain) {
    // Each additive part's weight in this article alone, as the whole
    // query weighs it (the same statistics); parts that do not match it
    // (a phrase whose words are apart) add nothing and are left out.
    const Xapian::Query this_article(IdTermOf(doc));
    for (const ExplainPart& part : parts) {
      Xapian::Enquire single(db_);
      single.set_query(Xapian::Query(Xapian::Query::OP_FILTER, part.counted, this_article));
      single.set_weighting_scheme(*MakeWeight(AnyRemote()));
      const Xapian::MSet one = single.get_mset(0, 1);
      if (!one.empty()) hit.explain.emplace_back(PartLabel(part.part), one.begin().get_weight());
    }
  }
  result.hits.push_back(std::move(hit));
}

}  // namespace nsearch
