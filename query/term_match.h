// TermMatcher: whether articles match a query, decided from their terms
// alone. For the few articles of a near-duplicate group whose matches "+N
// similar" counts (Searcher), where running the query again, filtered to
// them, opens every posting list of the query a second time (news corpus
// x4, `month OR universe`: 80 of the search's 371 block reads): a Checker
// opens only those the answer needs, and only once for all the articles.
//
// A query decides this way when it is made of terms and of operators whose
// matches follow from their parts' matches alone: AND, OR, AND_NOT, XOR,
// AND_MAYBE, FILTER, MAX, SYNONYM, SCALE_WEIGHT, MatchAll and MatchNothing.
// Phrases and NEAR need positions, value ranges values, wildcards their
// expansion, ELITE_SET the terms' weights: those queries do not decide
// (Xapian's matcher must). Weights play no part: an article matches when
// the matcher would return it at all, with any weight.
//
// Immutable after construction; Matches may run on several threads at once
// with a Database each.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

namespace nsearch {

class TermMatcher {
 public:
  // A matcher for `query`; nullopt when the query does not decide by terms.
  static std::optional<TermMatcher> For(const Xapian::Query& query);

  // Decides for articles of one database, from the posting lists of the
  // terms the answer needs (each operator stopping as soon as its answer is
  // known), kept open from one article to the next: articles in increasing
  // order read each posting list once. With `language_slot`, the value slot
  // where every article has the name its one language term ("L" + name)
  // has (schema::kLanguageSlot), the L terms are answered by that one value
  // rather than a posting list each (a search excludes a dozen of them).
  // Reading the articles' term lists instead cost 60,000 instructions each,
  // as glass inflates a term list whole (news corpus x4, `david OR take`:
  // 1.65 M to count "+N similar"). Not thread-safe; throws what Xapian
  // throws.
  class Checker {
   public:
    Checker(const TermMatcher& matcher, const Xapian::Database& db,
            std::optional<Xapian::valueno> language_slot = std::nullopt);
    bool Matches(Xapian::docid did);

   private:
    friend class TermMatcher;
    // Whether the article `did` has terms_[term]. Asked again for the same
    // article, it reads nothing more.
    bool Has(std::size_t term, Xapian::docid did);

    const TermMatcher& matcher_;
    const Xapian::Database& db_;
    std::optional<Xapian::valueno> language_slot_;
    std::vector<Xapian::PostingIterator> postings_;  // by term
    std::vector<Xapian::docid> asked_;               // the article each was last moved to (0: not open)
    Xapian::docid language_of_ = 0;                  // the article whose language_ is read (0: none)
    std::string language_;                           // "L" + its language slot's value
  };

  // Whether the article `did` of `db` matches (a Checker for one article).
  bool Matches(const Xapian::Database& db, Xapian::docid did) const { return Checker(*this, db).Matches(did); }

 private:
  // One operator or term of the query, as Matches walks it.
  struct Node {
    enum class Kind { kTerm, kAll, kNothing, kAnd, kOr, kAndNot, kXor } kind = Kind::kNothing;
    std::size_t term = 0;                 // kTerm: its index in terms_
    std::size_t first_term = 0;           // the least index of a term below it (terms_.size(): none)
    std::vector<std::size_t> parts;       // indexes into nodes_, in the order Matches tries them: the
                                          // prefixed terms (a language: one value an article) first
    std::vector<bool> excluding;          // kAndNot: which of `parts` are the excluded side
  };
  std::size_t Add(const Xapian::Query& query);
  bool Evaluate(std::size_t node, Checker& checker, Xapian::docid did) const;

  std::vector<std::string> terms_;  // the query's terms, sorted, each once
  std::vector<Node> nodes_;
  std::size_t root_ = 0;
};

}  // namespace nsearch
