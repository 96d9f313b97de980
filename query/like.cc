#include "query/like.h"

#include <limits>
#include <vector>

#include "common/article_id.h"
#include "common/schema.h"
#include "query/searcher.h"


namespace nsearch {
namespace {

// Terms of an article's ESet that --like searches for.
constexpr Xapian::termcount kLikeTerms = 24;

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

}  // namespace

Xapian::Query LikeQuery(const Xapian::Database& db, const std::string& reference) {
  // An id as given, else a file's canonical path (the id of a file's article).
  std::vector<std::string> candidates = {reference};
  std::error_code ec;
  const std::string path = CanonicalPath(reference, ec);
  if (!ec) candidates.push_back(path);
  Xapian::docid did = 0;
  std::string id_term;
  for (const std::string& id : candidates) {
    std::string term = IdTerm(id);
    Xapian::PostingIterator p = db.postlist_begin(term);
    if (p != db.postlist_end(term)) {
      did = *p;
      id_term = std::move(term);
      break;
    }
  }
  if (did == 0) throw LikeError("no article has the id or path '" + reference + "' in this index");
  Xapian::Enquire enquire(db);
  Xapian::RSet rset;
  rset.add_document(did);
  const LikeTermDecider stemmed(db, true), words(db, false);
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

}  // namespace nsearch
