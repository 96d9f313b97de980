// TabledIneB2Weight against Xapian's IneB2Weight: the same documents, in the
// same order, with the same weights to the bit, over a glass index of
// articles of many lengths (some past the table) and queries of every shape.
#include "query/weight.h"

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using Q = Xapian::Query;

TEST_CASE("the tabled IneB2 weighs every match as Xapian's IneB2 does, to the bit", "[weight]") {
  const nsearch::test::TempDir temp("nsearch-weight");
  const fs::path dir = temp.path();
  {
    Xapian::WritableDatabase w((dir / "db").string(), Xapian::DB_CREATE);
    std::mt19937 random(11);
    const std::vector<std::string> words = {"oil", "price", "cuba", "talk", "storm", "vote", "port", "rare"};
    for (int i = 0; i < 400; ++i) {
      Xapian::Document doc;
      // Lengths from 1 to past the table's 4,096: the longest articles
      // take the computed path, the rest the table.
      const int length = i % 50 == 0 ? 4000 + i * 3 : 1 + static_cast<int>(random() % 300);
      for (int k = 0; k < length; ++k) {
        const std::string& word = words[random() % (i % 7 == 0 ? words.size() : words.size() - 1)];
        doc.add_term(word, 1 + random() % 3);
      }
      doc.add_term("filler" + std::to_string(i), static_cast<Xapian::termcount>(1 + random() % 5));
      w.add_document(doc);
    }
    w.commit();
  }
  Xapian::Database db((dir / "db").string());
  const std::vector<Q> four = {Q("oil", 2), Q("price"), Q("port", 1, 3), Q("nothing")};
  const std::vector<Q> queries = {
      Q("oil"),
      Q("rare"),
      Q(Q::OP_OR, Q("oil"), Q("rare")),
      Q(Q::OP_AND, Q("cuba"), Q("talk")),
      Q(Q::OP_AND_NOT, Q("price"), Q("rare")),
      Q(Q::OP_MAX, Q("storm"), Q(Q::OP_FILTER, Q("vote"), Q("rare"))),
      Q(Q::OP_OR, four.begin(), four.end()),
      Q(Q::OP_SCALE_WEIGHT, Q(Q::OP_OR, Q("vote"), Q("talk")), 2.5),
  };
  std::size_t compared = 0;
  for (const Q& query : queries) {
    INFO("query: " << query.get_description());
    auto ranked = [&](const Xapian::Weight& weight) {
      Xapian::Enquire enquire(db);
      enquire.set_query(query);
      enquire.set_weighting_scheme(weight);
      return enquire.get_mset(0, db.get_doccount());
    };
    const Xapian::MSet xapian = ranked(Xapian::IneB2Weight(1.0));
    const Xapian::MSet tabled = ranked(nsearch::TabledIneB2Weight(1.0));
    REQUIRE(tabled.size() == xapian.size());
    CHECK(tabled.get_max_possible() == xapian.get_max_possible());
    for (Xapian::doccount i = 0; i < xapian.size(); ++i) {
      CHECK(*tabled[i] == *xapian[i]);
      CHECK(tabled[i].get_weight() == xapian[i].get_weight());  // exactly
      ++compared;
    }
  }
  CHECK(compared > 1000);
  // MakeWeight: the table for local shards, Xapian's own for remote ones.
  CHECK(nsearch::MakeWeight(false)->name() == "nsearch::TabledIneB2Weight");
  CHECK(nsearch::MakeWeight(true)->name() == "Xapian::IneB2Weight");
}
