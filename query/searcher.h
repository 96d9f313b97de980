// Searcher runs queries against an nsearch index and returns hits; it never
// prints (see printer.h). One Searcher per thread: it owns a Xapian database
// handle and a stemmer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "common/article.h"
#include "common/text_codec.h"

namespace nsearch {

// How the words of a query combine when no operator joins them.
enum class MatchMode {
  kAllWords,  // every word is required (the default)
  kAnyWord,   // an article with any of the words matches; more of them, and rarer ones, rank higher
};

struct SearchRequest {
  std::string query;              // as the user typed it
  MatchMode mode = MatchMode::kAllWords;
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
};

struct SearchResult {
  std::string query;
  std::string parsed;           // Xapian's description of the query run
  std::uint64_t total = 0;      // matching articles: exact when total_exact
  bool total_exact = false;
  unsigned offset = 0;
  std::vector<Hit> hits;
};

// The weighting scheme every search ranks with: DFR IneB2 (inverse expected
// document frequency, Bernoulli after-effect, length normalisation 2).
Xapian::IneB2Weight MakeWeight();

class Searcher {
 public:
  // Opens the index in `index_dir`. Throws IndexError, with a message saying
  // what to do, when there is no index there, it cannot be read, or it is of
  // another schema version.
  explicit Searcher(std::filesystem::path index_dir);

  // Runs `request`. Throws QueryError for a malformed or empty query and
  // IndexError when the index cannot be read. A concurrent update of the
  // index never fails a search: the whole search is retried on a freshly
  // opened index a bounded number of times.
  SearchResult Search(const SearchRequest& request);

  // The Xapian query `text` becomes in `mode` (exposed for tests and
  // --explain). Throws QueryError.
  Xapian::Query Parse(const std::string& text, MatchMode mode = MatchMode::kAllWords);

 private:
  // How the articles of one language are analysed.
  struct Language {
    std::string name;                          // Snowball's
    Xapian::Stem stem;
    const Xapian::Stopper* stopper = nullptr;  // the stopword list the indexer used, if any
  };

  void Open();
  SearchResult SearchOnce(const SearchRequest& request);
  Xapian::Query ParseIn(const std::string& text, MatchMode mode, const Language& language);
  const Language& LanguageNamed(const std::string& name) const;

  std::filesystem::path index_dir_;
  Xapian::Database db_;
  std::vector<Language> languages_;          // of the articles; the index's default first
  std::unique_ptr<TextDecompressor> text_;   // made on the first hit
};

}  // namespace nsearch
