#include "common/analyzer.h"

#include <catch2/catch.hpp>

#include "common/error.h"
#include "common/stopwords.h"

using namespace nsearch;

TEST_CASE("the Snowball stemmer gives Snowball's own outputs", "[analyzer]") {
  // Expected stems from Snowball's English (Porter2) and Spanish vocabularies.
  Xapian::Stem english = MakeStemmer("english");
  CHECK(english("migrants") == "migrant");
  CHECK(english("migration") == "migrat");
  CHECK(english("flights") == "flight");
  CHECK(english("running") == "run");
  CHECK(english("generously") == "generous");
  CHECK(english("deportation") == "deport");
  Xapian::Stem spanish = MakeStemmer("es");
  CHECK(spanish("migraciones") == "migracion");
  CHECK(spanish("presidentes") == "president");
  CHECK(english.get_description() == "Xapian::Stem(snowball:english)");
}

TEST_CASE("stemming is the same through Xapian's TermGenerator", "[analyzer]") {
  Xapian::TermGenerator generator;
  ConfigureTermGenerator(generator, MakeStemmer("english"), StopperFor("english"));
  Xapian::Document doc;
  generator.set_document(doc);
  generator.index_text("Deportation of the flights");
  std::vector<std::string> terms(doc.termlist_begin(), doc.termlist_end());
  // Stopwords keep their positional term for phrases but get no stem.
  CHECK(terms == std::vector<std::string>{"Zdeport", "Zflight", "deportation", "flights", "of", "the"});
}

TEST_CASE("languages are named by Snowball name or ISO code", "[analyzer]") {
  CHECK(CanonicalLanguage("English") == "english");
  CHECK(CanonicalLanguage("es") == "spanish");
  CHECK(CanonicalLanguage("fra") == "french");
  CHECK(CanonicalLanguage("none") == "none");
  CHECK_THROWS_AS(CanonicalLanguage("klingon"), UsageError);
  CHECK(MakeStemmer("none")("flights") == "flights");
}
