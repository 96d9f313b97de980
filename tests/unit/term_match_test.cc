// TermMatcher against Xapian's own matcher: for every article of a small
// real index and every query of a table, the posting lists (and the
// language values) must give the answer the matcher gives.
#include "query/term_match.h"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using nsearch::TermMatcher;
using Q = Xapian::Query;

namespace {

constexpr Xapian::valueno kLanguageSlot = 5;

// A glass database of a few articles, each a set of terms, removed at exit.
struct SmallIndex {
  nsearch::test::TempDir temp{"nsearch-term-match"};
  const fs::path dir = temp.path();
  Xapian::Database db;
  SmallIndex() {
    Xapian::WritableDatabase w((dir / "db").string(), Xapian::DB_CREATE);
    const std::vector<std::vector<std::string>> articles = {
        {"Lenglish", "Zoil", "Zprice", "oil", "prices", "XGaa"},
        {"Lenglish", "Zoil", "oil", "XGaa"},
        {"Lspanish", "Zpetrol", "Zprecio", "petróleo", "precios", "XGaa"},
        {"Lnone", "oil", "opec"},
        {"Lenglish", "Zcuba", "Ztalk", "cuba", "talks", "XGbb"},
        {"Lenglish", "Zcuba", "Zoil", "Zprice", "cuba", "oil", "price", "XGbb"},
        {"Lenglish"},  // an article with no words
    };
    for (const auto& terms : articles) {
      Xapian::Document doc;
      for (const std::string& t : terms) {
        doc.add_term(t);
        // As nsearch-index writes it: the language's name in its own slot too.
        if (t[0] == 'L') doc.add_value(kLanguageSlot, t.substr(1));
      }
      w.add_document(doc);
    }
    w.commit();
    db = Xapian::Database((dir / "db").string());
  }

  // The articles Xapian's matcher returns for `query`, with any weight.
  std::set<Xapian::docid> XapianMatches(const Q& query) const {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    std::set<Xapian::docid> matches;
    for (auto it = mset.begin(); it != mset.end(); ++it) matches.insert(*it);
    return matches;
  }
};

Q Op(Q::op op, const std::vector<Q>& parts) { return Q(op, parts.begin(), parts.end()); }

}  // namespace

TEST_CASE("TermMatcher decides as Xapian's matcher does, article by article", "[term_match]") {
  SmallIndex index;
  const Q oil("Zoil"), price("Zprice"), cuba("Zcuba"), none("Lnone"), spanish("Lspanish"), raw_oil("oil");
  const std::vector<std::pair<std::string, Q>> queries = {
      {"a term", oil},
      {"a term no article has", Q("Zmissing")},
      {"AND", Q(Q::OP_AND, oil, price)},
      {"OR", Q(Q::OP_OR, cuba, price)},
      {"AND_NOT of several", Op(Q::OP_AND_NOT, {raw_oil, none, spanish})},
      {"XOR of three", Op(Q::OP_XOR, {oil, price, cuba})},
      {"AND_MAYBE", Q(Q::OP_AND_MAYBE, cuba, oil)},
      {"FILTER", Q(Q::OP_FILTER, raw_oil, none)},
      {"MAX", Q(Q::OP_MAX, Q(Q::OP_AND, oil, price), Q(Q::OP_FILTER, Q("precios"), spanish))},
      {"SYNONYM", Q(Q::OP_SYNONYM, Q("prices"), Q("price"))},
      {"SCALE_WEIGHT", Q(Q::OP_SCALE_WEIGHT, cuba, 0.0)},
      {"MatchAll", Q::MatchAll},
      {"MatchAll AND_NOT", Q(Q::OP_AND_NOT, Q::MatchAll, oil)},
      {"MatchNothing OR a term", Q(Q::OP_OR, Q::MatchNothing, cuba)},
      {"readings as nsearch joins them",
       Q(Q::OP_MAX, Q(Q::OP_AND_NOT, Q(Q::OP_OR, oil, price), Op(Q::OP_OR, {Q("Lnone"), Q("Lspanish")})),
         Q(Q::OP_MAX, Q(Q::OP_FILTER, Q(Q::OP_OR, Q("Zpetrol"), Q("Zprecio")), spanish),
           Q(Q::OP_FILTER, Q(Q::OP_OR, Q("oil"), Q("prices")), none)))},
      {"nested", Q(Q::OP_AND_NOT, Q(Q::OP_OR, Q(Q::OP_AND, oil, Q("XGaa")), Q(Q::OP_XOR, cuba, price)),
                   Q(Q::OP_AND, Q("Ztalk"), cuba))},
  };
  for (const auto& [name, query] : queries) {
    INFO(name << ": " << query.get_description());
    const std::optional<TermMatcher> matcher = TermMatcher::For(query);
    REQUIRE(matcher);
    const std::set<Xapian::docid> expected = index.XapianMatches(query);
    std::set<Xapian::docid> got;
    for (Xapian::docid did = 1; did <= index.db.get_lastdocid(); ++did) {
      if (matcher->Matches(index.db, did)) got.insert(did);
    }
    CHECK(got == expected);
    // One Checker for all articles keeps its posting lists open from one to
    // the next: forward, backward, and each article twice in a row.
    TermMatcher::Checker checker(*matcher, index.db);
    std::set<Xapian::docid> forward, backward, twice;
    for (Xapian::docid did = 1; did <= index.db.get_lastdocid(); ++did) {
      if (checker.Matches(did)) forward.insert(did);
    }
    for (Xapian::docid did = index.db.get_lastdocid(); did >= 1; --did) {
      if (checker.Matches(did)) backward.insert(did);
    }
    for (Xapian::docid did = 1; did <= index.db.get_lastdocid(); ++did) {
      if (checker.Matches(did) && checker.Matches(did)) twice.insert(did);
    }
    CHECK(forward == expected);
    CHECK(backward == expected);
    CHECK(twice == expected);
    // The L terms answered by the language value instead.
    TermMatcher::Checker by_value(*matcher, index.db, kLanguageSlot);
    std::set<Xapian::docid> with_values;
    for (Xapian::docid did = index.db.get_lastdocid(); did >= 1; --did) {
      if (by_value.Matches(did)) with_values.insert(did);
    }
    CHECK(with_values == expected);
  }
}

TEST_CASE("TermMatcher leaves to the matcher what terms cannot decide", "[term_match]") {
  const Q oil("oil"), prices("prices");
  CHECK_FALSE(TermMatcher::For(Q(Q::OP_PHRASE, oil, prices)));
  CHECK_FALSE(TermMatcher::For(Q(Q::OP_NEAR, oil, prices)));
  CHECK_FALSE(TermMatcher::For(Q(Q::OP_ELITE_SET, oil, prices)));
  CHECK_FALSE(TermMatcher::For(Q(Q::OP_WILDCARD, "oi")));
  CHECK_FALSE(TermMatcher::For(Q(Q::OP_VALUE_RANGE, 0, "2022", "2023")));
  CHECK_FALSE(TermMatcher::For(Q(Q::OP_VALUE_GE, 0, "2022")));
  // Anywhere in the query, however deep.
  CHECK_FALSE(TermMatcher::For(Q(Q::OP_OR, oil, Q(Q::OP_AND_NOT, prices, Q(Q::OP_PHRASE, oil, prices)))));
  CHECK(TermMatcher::For(Q(Q::OP_OR, oil, Q(Q::OP_AND_NOT, prices, Q(Q::OP_AND, oil, prices)))));
}
