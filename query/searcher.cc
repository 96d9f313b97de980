#include "query/searcher.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "common/analyzer.h"
#include "common/source_state.h"
#include "common/text_article.h"
#include "common/error.h"
#include "common/index_location.h"
#include "common/schema.h"
#include "common/stopwords.h"
#include "common/stored_document.h"
#include "query/snippet.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

constexpr int kMaxAttempts = 5;
constexpr std::size_t kMaxBoostPairs = 16;

// True when `text` is only words: no quotes, brackets, field prefixes,
// +/- marks or boolean operators. Only such queries get the adjacency boost;
// a query with syntax says exactly what it wants.
bool IsPlainWords(const std::string& text) {
  if (text.find_first_of("\"():") != std::string::npos) return false;
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

// Fields without positions cannot match a phrase, so `author:"jane doe"`
// becomes `author:(jane doe)`: every word, in that field, in any order.
std::string UnquoteUnpositionedFields(std::string text) {
  for (const schema::FieldPrefix& field : schema::kFreeTextFields) {
    if (field.positional) continue;
    const std::string opening = std::string(field.field) + ":\"";
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
// one indexed: same size and mtime, and the same content hash. nullopt
// otherwise (moved, changed, unreadable): the snippet then comes from the
// preview.
std::optional<std::string> BodyFromFile(const Article& article, const Xapian::Document& doc) {
  const std::optional<SourceState> state = DecodeSourceState(doc.get_value(schema::kSourceSlot));
  if (!state) return std::nullopt;
  const int fd = ::open(article.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st;
  std::string bytes;
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            state->SameStat(static_cast<std::uint64_t>(st.st_size),
                            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
  if (ok) {
    bytes.resize(state->size);
    std::size_t got = 0;
    while (got < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    ok = got == bytes.size() && ContentHash(bytes) == state->hash;
  }
  ::close(fd);
  if (!ok) return std::nullopt;
  return ParseTextArticle(bytes, article.id, article.path).body;
}

}  // namespace

Xapian::IneB2Weight MakeWeight() {
  // DFR IneB2 with its standard c = 1 beat BM25 (Xapian's k1 1, b 0.5, and
  // the textbook k1 1.2, b 0.75), BM25+, PL2, DPH, DLH, InL2, IfB2 and BB2 on
  // both judged collections (bench/relevance/README.md).
  return Xapian::IneB2Weight(1.0);
}

Searcher::Searcher(fs::path index_dir) : index_dir_(std::move(index_dir)) { Open(); }

void Searcher::Open() {
  if (!IndexExists(index_dir_)) {
    throw IndexError("no index at " + index_dir_.string() + "; build one first with: nsearch-index --db " +
                     index_dir_.string() + " PATH...");
  }
  // A rebuild or --compact may remove the generation the stub named just
  // before Xapian opened it: read the stub again.
  for (int attempt = 1;; ++attempt) {
    try {
      db_ = Xapian::Database(index_dir_.string());
      break;
    } catch (const Xapian::DatabaseOpeningError& e) {
      if (attempt == kMaxAttempts) {
        throw IndexError("cannot open the index at " + index_dir_.string() + ": " + e.get_description());
      }
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot open the index at " + index_dir_.string() + ": " + e.get_description());
    }
  }
  const std::string version = db_.get_metadata(schema::kMetaSchema);
  if (version != std::to_string(schema::kSchemaVersion)) {
    throw IndexError("the index at " + index_dir_.string() + " has schema version '" + version +
                     "', this nsearch reads version " + std::to_string(schema::kSchemaVersion) +
                     "; rebuild it with nsearch-index");
  }
  // The default language first, then every other language articles are in.
  std::vector<std::string> names = {db_.get_metadata(schema::kMetaLanguage)};
  std::set<std::string> with_stopwords;
  std::istringstream lines(db_.get_metadata(schema::kMetaLanguages)), stopwords(db_.get_metadata(schema::kMetaStopwords));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line != names.front()) names.push_back(line);
  }
  for (std::string line; std::getline(stopwords, line);) with_stopwords.insert(line);
  bool same = names.size() == languages_.size();
  for (std::size_t i = 0; same && i < names.size(); ++i) same = languages_[i].name == names[i];
  if (!same) {
    languages_.clear();
    try {
      for (const std::string& name : names) {
        languages_.push_back({name, MakeStemmer(name), with_stopwords.count(name) ? StopperFor(name) : nullptr});
      }
    } catch (const UsageError& e) {
      throw IndexError("the index at " + index_dir_.string() + " needs a stemmer this nsearch lacks: " + e.what());
    }
  } else {
    for (Language& l : languages_) l.stopper = with_stopwords.count(l.name) ? StopperFor(l.name) : nullptr;
  }
  text_.reset();
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
Xapian::Query Searcher::Parse(const std::string& text, MatchMode mode) {
  if (languages_.size() == 1) return ParseIn(text, mode, languages_.front());
  std::vector<Xapian::Query> readings;
  for (const Language& language : languages_) {
    readings.emplace_back(Xapian::Query::OP_FILTER, ParseIn(text, mode, language),
                          Xapian::Query(std::string(schema::kLanguagePrefix) + language.name));
  }
  return Xapian::Query(Xapian::Query::OP_OR, readings.begin(), readings.end());
}

Xapian::Query Searcher::ParseIn(const std::string& text, MatchMode mode, const Language& language) {
  const Xapian::Stopper* stopper = language.stopper;
  Xapian::QueryParser parser;
  ConfigureQueryParser(parser, language.stem, stopper);
  // Explicit operators, phrases and +/- keep their meaning in either mode;
  // only words that no operator joins are OR-ed rather than AND-ed.
  if (mode == MatchMode::kAnyWord) parser.set_default_op(Xapian::Query::OP_OR);
  parser.set_database(db_);
  const bool plain = IsPlainWords(text);
  const std::vector<std::string> terms = plain ? PlainTerms(text) : std::vector<std::string>();
  // Stopwords have no stemmed terms in the index, so a query of nothing but
  // stopwords ("the who") is run as the phrase it must be meant as.
  const bool only_stopwords = stopper != nullptr && !terms.empty() &&
                              std::all_of(terms.begin(), terms.end(), [&](const std::string& t) { return (*stopper)(t); });
  Xapian::Query query;
  try {
    query = parser.parse_query(only_stopwords ? "\"" + text + "\"" : UnquoteUnpositionedFields(text),
                               kQueryParserFlags);
  } catch (const Xapian::QueryParserError& e) {
    throw QueryError("malformed query '" + text + "': " + e.get_msg());
  }
  if (query.empty()) throw QueryError("query '" + text + "' has no words to search for");

  // Rank articles where the words also stand next to each other higher:
  // each adjacent pair of query words as an optional phrase. Not with --any:
  // on natural-language queries the boost lowered MAP on both judged
  // collections, at every weight tried (bench/relevance/README.md).
  if (plain && !only_stopwords && mode == MatchMode::kAllWords) {
    std::vector<Xapian::Query> pairs;
    for (std::size_t i = 0; i + 1 < terms.size() && pairs.size() < kMaxBoostPairs; ++i) {
      const Xapian::Query pair[] = {Xapian::Query(terms[i]), Xapian::Query(terms[i + 1])};
      pairs.emplace_back(Xapian::Query::OP_PHRASE, pair, pair + 2, 2);
    }
    if (!pairs.empty()) {
      query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                            Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end()));
    }
  }
  return query;
}

SearchResult Searcher::Search(const SearchRequest& request) {
  for (int attempt = 1;; ++attempt) {
    try {
      return SearchOnce(request);
    } catch (const Xapian::DatabaseError& e) {
      // Modified under us (an update committed twice since we opened it), or
      // a file of a generation that a rebuild removed: reopen, which reads
      // the stub again, and run the whole search again.
      if (attempt == kMaxAttempts) {
        throw IndexError("the index at " + index_dir_.string() + " kept changing during the search: " +
                         e.get_description());
      }
      Open();
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot search the index at " + index_dir_.string() + ": " + e.get_description());
    }
  }
}

SearchResult Searcher::SearchOnce(const SearchRequest& request) {
  SearchResult result;
  result.query = request.query;
  result.offset = request.offset;
  const Xapian::Query query = Parse(request.query, request.mode);
  result.parsed = query.get_description();

  Xapian::Enquire enquire(db_);
  enquire.set_query(query);
  enquire.set_weighting_scheme(MakeWeight());
  const Xapian::doccount all = db_.get_doccount();
  const Xapian::doccount wanted = request.limit == 0 ? all : request.limit;
  const Xapian::doccount check_at_least = request.exact_total ? all : 0;
  const Xapian::MSet mset = enquire.get_mset(request.offset, wanted, check_at_least);

  result.total = mset.get_matches_estimated();
  result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  result.hits.reserve(mset.size());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    Hit hit;
    hit.rank = it.get_rank() + 1;
    hit.score = it.get_weight();
    const Xapian::Document doc = it.get_document();
    if (!text_) text_ = std::make_unique<TextDecompressor>(db_.get_metadata(schema::kMetaTextDictionary));
    hit.article = DecodeStoredDocument(text_->Decompress(doc.get_value(schema::kStoredSlot)), request.snippets);
    if (request.snippets && hit.article.preview) {
      if (std::optional<std::string> body = BodyFromFile(hit.article, doc)) hit.article.body = std::move(*body);
    }
    if (request.snippets) {
      const std::string& text = hit.article.body.empty() ? hit.article.title : hit.article.body;
      Snippet snippet = MakeSnippet(mset, text, request.snippet_length, LanguageNamed(hit.article.language).stem);
      hit.snippet = std::move(snippet.text);
      hit.highlights = std::move(snippet.highlights);
      hit.article.body.clear();
      hit.article.body.shrink_to_fit();
    }
    result.hits.push_back(std::move(hit));
  }
  return result;
}

}  // namespace nsearch
