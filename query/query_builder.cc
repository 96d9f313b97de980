#include "query/query_builder.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <sstream>

#include "common/analyzer.h"
#include "common/error.h"
#include "common/fields.h"
#include "common/schema.h"
#include "query/field_processors.h"
#include "query/spelling.h"

namespace nsearch {
namespace {

constexpr std::size_t kMaxBoostPairs = 16;
constexpr std::size_t kMaxQueryWords = 1000;

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

// Terms a trailing wildcard may stand for: the most frequent ones, so that
// "mi*" stays fast and still finds the words that matter.
constexpr Xapian::termcount kMaxWildcardTerms = 200;

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

bool HasXor(const Xapian::Query& query) {
  if (query.get_type() == Xapian::Query::OP_XOR) return true;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (HasXor(query.get_subquery(i))) return true;
  }
  return false;
}

// One reading of a query in one or more languages: what the QueryParser
// made of it, and the L terms of the languages it reads.
struct Reading {
  Xapian::Query query;
  std::string description;
  std::vector<Xapian::Query> languages;  // their L terms
};

// Another language's reading that has a word no article has ("prices"
// unstemmed, in Dutch) matches nothing: it is left out, its languages
// still kept out of the first reading. The matcher would open the
// postings of its other words and its L terms for nothing (news corpus,
// "oil prices": 22 fewer page faults, 0.11 M fewer instructions). Not
// with a remote shard, where each term frequency is a request.
// The first reading excludes the other readings' languages; the others are
// filtered to theirs. `prune`: whether to leave out those that cannot match.
std::vector<Xapian::Query> FilteredReadings(const std::vector<Reading>& readings, bool prune, const Xapian::Database& db) {
  std::vector<Xapian::Query> filtered;
  for (std::size_t i = 0; i < readings.size(); ++i) {
    const Reading& r = readings[i];
    if (i == 0) {
      std::vector<Xapian::Query> others;
      for (std::size_t j = 1; j < readings.size(); ++j) {
        others.insert(others.end(), readings[j].languages.begin(), readings[j].languages.end());
      }
      filtered.push_back(others.empty() ? r.query : WithoutLanguages(r.query, others));
    } else if (!prune || !CannotMatch(r.query, db)) {
      filtered.emplace_back(Xapian::Query::OP_FILTER, r.query,
                            Xapian::Query(Xapian::Query::OP_OR, r.languages.begin(), r.languages.end()));
    }
  }
  return filtered;
}

// The QueryParser of `language` on `db`: the prefixes and fields the index
// has (common/analyzer.h, field_processors.h), and a stemmer that records
// what it stems (RecordingStemmer).
std::unique_ptr<LanguageParser> MakeParser(const Language& language, const Xapian::Database& db) {
  auto made = std::make_unique<LanguageParser>();
  Xapian::QueryParser& parser = made->parser;
  Xapian::Stem stem = language.stem;
  if (!stem.is_none()) {  // no stemming stays no stemming (the QueryParser tells them apart)
    auto* recording = new RecordingStemmer(language.stem);
    made->stems = &recording->stems_;
    stem = Xapian::Stem(recording);
  }
  ConfigureQueryParser(parser, stem, language.stopper);
  parser.set_database(db);
  AddBooleanFields(parser, made->field_error);
  parser.set_max_expansion(kMaxWildcardTerms, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  return made;
}

// `text` read in `language`, without the boost of PairBoost; `words`:
// its plain words when it is a query of plain words, else none.
Xapian::Query ParseIn(const std::string& text, const std::vector<std::string>& words, MatchMode mode,
                      Language& language, const Xapian::Database& db) {
  const Xapian::Stopper* stopper = language.stopper;
  if (!language.parser) language.parser = MakeParser(language, db);
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
Xapian::Query PairBoost(const std::vector<std::string>& words, MatchMode mode, const Language& language) {
  if (mode != MatchMode::kAllWords || OnlyStopwords(words, language.stopper)) return {};
  std::vector<Xapian::Query> pairs;
  for (std::size_t i = 0; i + 1 < words.size() && pairs.size() < kMaxBoostPairs; ++i) {
    const Xapian::Query pair[] = {Xapian::Query(words[i]), Xapian::Query(words[i + 1])};
    pairs.emplace_back(Xapian::Query::OP_PHRASE, pair, pair + 2, 2);
  }
  return pairs.empty() ? Xapian::Query() : Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end());
}

}  // namespace

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


// Articles are stemmed in their own languages, so a query is parsed once per
// language the index holds, each reading filtered to the articles of that
// language: "elección" then finds Spanish articles by the Spanish stem and
// English ones by the English stem, and neither by the other's.
// Languages whose readings come out the same share one reading,
// filtered to all of them. The reading of the default language (nearly every
// article) is not filtered to it, which made the matcher walk its long L
// posting list for each candidate: it excludes the other readings' languages
// instead. So it also reads an article in a language the index does not list
// (nsearch-index lists every one; a shard indexed apart, behind a stub, may
// have others), which a filter would have left out of every reading. Open()
// used to check with the L terms' frequencies that there was none: 6 of the
// ~210 block reads of a search of the news corpus x4, and with a remote
// shard a request, to choose the reading that found less.
Xapian::Query ParseQuery(IndexSnapshot& index, const std::string& text, MatchMode mode, std::string* suggestion) {
  std::vector<Language>& languages = index.languages();
  // Xapian's QueryParser takes time quadratic in the words it ORs together
  // (--any: 5,000 words 0.9 s, 20,000 words 18 s, 100,000 words minutes).
  if (const std::size_t words = CountWords(text); words > kMaxQueryWords) {
    throw QueryError("query of " + std::to_string(words) + " words is too long: nsearch takes up to " +
                     std::to_string(kMaxQueryWords));
  }
  if (suggestion != nullptr) *suggestion = Suggest(text, index.db(), index.spelling());
  auto boosted = [](Xapian::Query query, const Xapian::Query& boost) {
    return boost.empty() ? query : Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, boost);
  };
  // Only a query of plain words gets the boost.
  const std::vector<std::string> words = IsPlainWords(text) ? PlainTerms(text) : std::vector<std::string>();
  if (languages.size() == 1) {
    return boosted(ParseIn(text, words, mode, languages.front(), index.db()), PairBoost(words, mode, languages.front()));
  }
  // The boost is made of unstemmed words: the same in every language whose
  // reading gets it. When every reading gets it, it is added once, to the
  // readings OR-ed, rather than to each: the same score for every article
  // (the readings' language filters are disjoint), but the matcher opens
  // its words' posting and position lists once rather than once per reading
  // (news corpus, four readings of "oil prices": 315 -> 295 block reads).
  std::vector<Xapian::Query> boosts;
  for (const Language& language : languages) boosts.push_back(PairBoost(words, mode, language));
  const bool boost_once =
      std::none_of(boosts.begin(), boosts.end(), [](const Xapian::Query& b) { return b.empty(); });
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
  for (std::size_t l = 0; l < languages.size(); ++l) {
    Language& language = languages[l];
    const auto same_reading = std::find_if(parsed.begin(), parsed.end(), [&](const Parsed& p) {
      return p.language->stopper == language.stopper && !p.language->stem.is_none() && !language.stem.is_none() &&
             std::all_of(p.stems.begin(), p.stems.end(),
                         [&](const auto& stem) { return language.stem(stem.first) == stem.second; });
    });
    if (same_reading != parsed.end()) {
      readings[same_reading->reading].languages.emplace_back(std::string(schema::kLanguagePrefix) + language.name);
      continue;
    }
    Xapian::Query query = ParseIn(text, words, mode, language, index.db());
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
  const std::vector<Xapian::Query> filtered = FilteredReadings(readings, !index.AnyRemote(), index.db());
  Xapian::Query all = AnyReading(filtered, readings.front().query.get_type() == Xapian::Query::OP_OR);
  return boost_once ? boosted(std::move(all), boosts.front()) : all;
}

}  // namespace nsearch
