#include "query/snippet.h"

#include <bitset>
#include <functional>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/analyzer.h"

using namespace nsearch;

TEST_CASE("Xapian's escaped snippet becomes plain text with highlight ranges", "[snippet]") {
  const auto s = DecodeSnippet("…AT&amp;T said \x01" "deportation flights\x02" " &lt;resumed&gt; &#8212; &quot;ok&quot;…",
                               "\x01", "\x02");
  CHECK(s.text == "…AT&T said deportation flights <resumed> — \"ok\"…");
  REQUIRE(s.highlights.size() == 1);
  const auto [begin, end] = s.highlights[0];
  CHECK(s.text.substr(begin, end - begin) == "deportation flights");
}

TEST_CASE("a stray ampersand is kept as text", "[snippet]") {
  CHECK(DecodeSnippet("fish & chips &bogus; &", "\x01", "\x02").text == "fish & chips &bogus; &");
}

TEST_CASE("the snippet stemmer stems only the words that begin like one of the query's stems", "[snippet]") {
  const std::vector<Xapian::Query> terms = {Xapian::Query("Zoil"), Xapian::Query("prices"), Xapian::Query("Zprice"),
                                            Xapian::Query("ZXTfoo"), Xapian::Query("Z")};
  const std::bitset<256> bytes = StemFirstBytes(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
  CHECK(bytes.count() == 3);
  CHECK(bytes['o']);
  CHECK(bytes['p']);
  CHECK(bytes['X']);

  const Xapian::Stem english = MakeStemmer("english");
  const Xapian::Stem stem = StemOnlyLike(english, bytes);
  CHECK(stem("prices") == "price");
  CHECK(stem("oils") == "oil");
  CHECK(stem("running") == "running");  // no query stem begins with r: "Zrunning" matches nothing, as "Zrun" would not
  CHECK(stem("'tis") == english("'tis"));  // English drops a leading apostrophe: always stemmed
  CHECK(stem("") == "");
  CHECK(StemOnlyLike(Xapian::Stem(), bytes).is_none());
}

TEST_CASE("the stemmers that keep a word's first byte, which the snippet stemmer relies on, keep it", "[snippet]") {
  // Porter2's exceptional forms, initial y, the special R1 prefixes, and
  // suffixes that are whole words; short words, vowels first, and words
  // that are all suffix in the other languages.
  const std::vector<std::string> words = {
      "dying", "lying",  "tying",  "skies",  "skis",   "ugly",    "early",   "only",     "idly",     "gently",
      "singly", "youth", "yelling", "yearly", "generously", "communities", "arsenals", "ies", "ied", "ing",
      "sky",   "news",   "a",      "e",      "y",      "ya",      "eu",      "ais",      "aient",    "ions",
      "ement", "amente", "idades", "ación",  "iones",  "ungen",   "heit",    "keit",     "isch",     "lijk",
      "heden", "ende",   "mente",  "ezza",   "ções",   "erne",    "heter",   "arna",     "ak",       "ekin",
      "oy",    "uy",     "qui",    "quoi",   "ieux",   "y'a",     "l'eau",   "bunu",     "bindir"};
  for (const std::string language : {"english", "spanish", "french", "german", "dutch", "italian", "portuguese",
                                     "danish", "norwegian", "swedish", "basque"}) {
    CHECK(StemKeepsFirstByte(language));
    const Xapian::Stem stem = MakeStemmer(language);
    for (const std::string& word : words) {
      const std::string stemmed = stem(word);
      INFO(language << ": " << word << " -> " << stemmed);
      CHECK((stemmed.empty() || stemmed.front() == word.front()));
    }
  }
  // Accented first letters may lose their accent: always stemmed.
  CHECK(MakeStemmer("spanish")("árboles") == "arbol");
  CHECK(MakeStemmer("spanish")("árboles").front() != std::string("árboles").front());
  CHECK(StemOnlyLike(MakeStemmer("spanish"), std::bitset<256>())("árboles") == "arbol");
  CHECK_FALSE(StemKeepsFirstByte("turkish"));
  CHECK(MakeStemmer("turkish")("bunu").front() != 'b');
}

namespace {

// Text with the forms Xapian's TermGenerator cuts in its own ways:
// initials, infixes (AT&T, don't with either apostrophe, 3.14, 1,000),
// suffixes (C++, C#, fish+chips), zero-width joiners, non-ASCII letters,
// a word over 64 bytes and bytes that are not UTF-8.
const char* const kTricky[] = {
    "U.S.A.",    "P.T.O",     "U.Sx",        "AT&T",       "M&S",      "don't",    "don\xE2\x80\x99t", "3.14",
    "1,000",     "2;3",       "C++",         "C#",         "fish+chips", "a++++",  "foo\xE2\x80\x8B" "bar",
    "caf\xC3\xA9", "na\xC3\xAFve", "\xC3\x89LITE", "\xC4\xB0stanbul", "\xE2\x84\xAA" "elvin", "x_y", "--",
    "(price)",   "\xE2\x80\x9Cquoted\xE2\x80\x9D", "\xC2\xB7", "ab\xC2\xB7" "cd", "\xFF\xFE" "bytes",
    "Prices",    "PRICES",    "prices'",     "price's",    "pricey",   "oil",      "Oil-prices",
    "wordwordwordwordwordwordwordwordwordwordwordwordwordwordwordwordwordword", "the", "and", "of", "said",
    "market",    "Reuters",   "\n\n",        "\t",         "e.g.",     "i.e.",     "O'Neill",
};

// A text of `words` pieces of kTricky chosen by `random`, spaced by one
// to three spaces or a newline.
std::string RandomText(std::mt19937& random, std::size_t words) {
  std::string text;
  std::uniform_int_distribution<std::size_t> pick(0, std::size(kTricky) - 1);
  std::uniform_int_distribution<int> gap(0, 4);
  for (std::size_t i = 0; i < words; ++i) {
    text += kTricky[pick(random)];
    const int g = gap(random);
    text += g == 0 ? "\n" : std::string(static_cast<std::size_t>(g), ' ');
  }
  return text;
}

// An in-memory database of `docs` texts of `words` RandomText pieces,
// indexed with the English stemmer, each kept as its document's data;
// `tag` (optional) adds terms to document i.
Xapian::WritableDatabase RandomTextDatabase(std::mt19937& random, int docs, std::size_t words,
                                            const std::function<void(int, Xapian::Document&)>& tag = {}) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::TermGenerator generator;
  generator.set_stemmer(MakeStemmer("english"));
  for (int i = 0; i < docs; ++i) {
    Xapian::Document doc;
    const std::string text = RandomText(random, words);
    generator.set_document(doc);
    generator.index_text(text);
    if (tag) tag(i, doc);
    doc.set_data(text);
    db.add_document(doc);
  }
  return db;
}

// A QueryParser as the search sets one up for English: stems, some.
Xapian::QueryParser EnglishParser(const Xapian::Database& db) {
  Xapian::QueryParser parser;
  parser.set_stemmer(MakeStemmer("english"));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_database(db);
  return parser;
}

// The words of `text` in order, as Xapian's TermGenerator cuts them.
std::vector<std::string> XapianTerms(const std::string& text) {
  Xapian::TermGenerator generator;
  Xapian::Document doc;
  generator.set_document(doc);
  generator.index_text(text);
  std::map<Xapian::termpos, std::string> at;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) at[*p] = *t;
  }
  std::vector<std::string> terms;
  for (auto& [pos, term] : at) terms.push_back(term);
  return terms;
}

}  // namespace

TEST_CASE("the snippet's word cutter finds each word where Xapian's TermGenerator cuts one, and only those",
          "[snippet]") {
  std::mt19937 random(20261125);
  const Xapian::Stem none;
  for (int round = 0; round < 40; ++round) {
    const std::string text = RandomText(random, 60);
    INFO("text: " << text);
    std::set<std::string> cut;
    for (const std::string& term : XapianTerms(text)) {
      if (term.size() > 64) continue;
      cut.insert(term);
      SnippetTerms terms;
      terms.usable = true;
      terms.terms = {term};
      terms.first_bytes.set(static_cast<unsigned char>(term.front()));
      bool matched = false;
      FirstWordSnippetWeighs(text, terms, none, nullptr, &matched);
      INFO("term: " << term);
      CHECK(matched);
    }
    // Pieces of words that Xapian keeps whole are no words of their own.
    for (const char* part : {"at", "t", "don", "c", "fish", "chips", "s", "14", "foo", "bar", "x", "y", "ab", "cd"}) {
      if (cut.count(part) != 0) continue;
      SnippetTerms terms;
      terms.usable = true;
      terms.terms = {part};
      terms.first_bytes.set(static_cast<unsigned char>(part[0]));
      bool matched = true;
      FirstWordSnippetWeighs(text, terms, none, nullptr, &matched);
      INFO("part: " << part);
      CHECK_FALSE(matched);
    }
  }
}

// With a stemmer that keeps first bytes, FirstWordSnippetWeighs cuts only
// the words around the bytes that may begin a word that weighs, from the
// last space before each: it must find the word that cutting every word
// finds, and with none, the same last word.
TEST_CASE("the snippet's first weighing word is the same found by its first bytes as by cutting every word",
          "[snippet]") {
  const Xapian::Stem english = MakeStemmer("english");
  std::mt19937 random(20261205);
  std::size_t found = 0, not_found = 0;
  for (const auto& query_terms : std::vector<std::vector<std::string>>
       {{"Zprice"}, {"prices", "Zprice"}, {"Zoil", "Zmarket"}, {"u.s.a"}, {"ZUS", "Zat&t"},
        {"Zcafé", "c++"}, {"Zelit"}, {"Zistanbul"}, {"Zkelvin"}, {"Zthe"}, {"Zo'neill"}, {"Znowher"},
        // the ends of words that an infix joins (at&t, don't, 3.14, 1,000,
        // foo<ZWSP>bar, ab·cd) and initials (U.S.A.), which are no words
        {"Zt"}, {"14", "000"}, {"Zs", "Za"}, {"Zbar"}, {"Zcd"}, {"Zt", "Zbar", "Zcd", "14"}}) {
    SnippetTerms terms;
    terms.usable = true;
    std::vector<Xapian::Query> leaves;
    for (const std::string& term : query_terms) {
      terms.terms.insert(term);
      terms.first_bytes.set(static_cast<unsigned char>(term.front()));
      leaves.emplace_back(term);
    }
    terms.stem_first_bytes = StemFirstBytes(Xapian::Query(Xapian::Query::OP_OR, leaves.begin(), leaves.end()));
    const Xapian::Stem stem = StemOnlyLike(english, terms.stem_first_bytes);
    for (int round = 0; round < 60; ++round) {
      std::string text = RandomText(random, static_cast<std::size_t>(round % 20) * 7);
      if (round % 4 == 1) text += "   ";
      if (round % 4 == 2) text = "  " + text + "\n";
      if (round % 5 == 3) text += "wordwordwordwordwordwordwordwordwordwordwordwordwordwordwordwordwordword";
      INFO("terms: " << query_terms.front() << ", text: " << text);
      bool every_matched = false, scan_matched = false;
      const std::size_t every = FirstWordSnippetWeighs(text, terms, stem, nullptr, &every_matched);
      const std::size_t scan = FirstWordSnippetWeighs(text, terms, stem, &terms.stem_first_bytes, &scan_matched);
      CHECK(scan == every);
      CHECK(scan_matched == every_matched);
      ++(every_matched ? found : not_found);
    }
  }
  CHECK(found > 100);  // both kinds of text were tried, many times
  CHECK(not_found > 100);
}

// MakeSnippet hands Xapian only the text from a word boundary well before
// the first word it would weigh: the passage must be exactly the one the
// whole text gives, whatever comes before, around and after the match.
TEST_CASE("a snippet cut from the text before its first match is the one the whole text gives", "[snippet]") {
  const Xapian::Stem english = MakeStemmer("english");
  std::mt19937 random(7);
  const Xapian::WritableDatabase db = RandomTextDatabase(random, 30, 80);
  Xapian::QueryParser parser = EnglishParser(db);
  std::size_t cut_short = 0;
  for (const char* text_query : {"prices", "oil prices", "\"oil prices\"", "market OR reuters", "u.s.a", "at&t",
                                 "c++", "elite", "istanbul", "nowhere"}) {
    const Xapian::Query query = parser.parse_query(text_query, Xapian::QueryParser::FLAG_DEFAULT);
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    const Xapian::MSet mset = enquire.get_mset(0, 10);
    const SnippetTerms terms = SnippetTermsOf(query);
    REQUIRE(terms.usable);
    const Xapian::Stem stem = StemOnlyLike(english, terms.stem_first_bytes);
    for (int round = 0; round < 30; ++round) {
      // Filler without the query's words, then a stretch with them, then more filler.
      std::string text;
      std::mt19937 filler(static_cast<unsigned>(round));
      while (text.size() < 100 + 150 * static_cast<std::size_t>(round)) {
        std::string piece = RandomText(filler, 1);
        if (piece.find_first_of("PpOoMmRrUuAaCcEe\xC3\xC4") == std::string::npos) text += piece;
      }
      text += RandomText(random, 30);
      text += std::string(static_cast<std::size_t>(round % 7), ' ');
      text += RandomText(random, static_cast<std::size_t>(round * 3));
      for (const unsigned length : {40u, 200u, 500u}) {
        INFO("query: " << text_query << ", length " << length << ", text: " << text);
        const Snippet whole = MakeSnippet(mset, text, length, stem);
        const Snippet cut = MakeSnippet(mset, text, length, stem, terms, &terms.stem_first_bytes);
        CHECK(cut.text == whole.text);
        CHECK(cut.highlights == whole.highlights);
        if (FirstWordSnippetWeighs(text, terms, stem, &terms.stem_first_bytes) > length + 100) ++cut_short;
      }
    }
  }
  CHECK(cut_short > 300);  // most texts were given to Xapian cut short, near the threshold too
}

// The search hands the Enquire behind its MSet SnippetQuery once the MSet
// is made: every snippet must be what the whole query gives.
TEST_CASE("snippets are the same from an Enquire holding SnippetQuery as from the whole query", "[snippet]") {
  const Xapian::Stem english = MakeStemmer("english");
  std::mt19937 random(5);
  const Xapian::WritableDatabase db = RandomTextDatabase(random, 40, 60, [](int i, Xapian::Document& doc) {
    doc.add_boolean_term(i % 3 == 0 ? "Lspanish" : "Lenglish");
    doc.add_boolean_term(i % 2 == 0 ? "XSreuters" : "XSbbc");
  });
  Xapian::QueryParser parser = EnglishParser(db);
  const Xapian::Query others(Xapian::Query::OP_OR, Xapian::Query("Lspanish"), Xapian::Query("Lgerman"));
  for (const char* text_query : {"prices", "oil prices", "\"oil prices\"", "market OR reuters", "u.s.a", "at&t",
                                 "c++", "pri*", "oil NEAR market", "prices -oil", "nowhere"}) {
    const Xapian::Query words =
        parser.parse_query(text_query, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD);
    // Readings as a search builds them: the default one without the other
    // languages, another language's filtered to it, and a field filter.
    const Xapian::Query query(
        Xapian::Query::OP_FILTER,
        Xapian::Query(Xapian::Query::OP_MAX, Xapian::Query(Xapian::Query::OP_AND_NOT, words, others),
                      Xapian::Query(Xapian::Query::OP_FILTER, words, others)),
        Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("XSreuters"), Xapian::Query("XSbbc")));
    const Xapian::Query for_snippets = SnippetQuery(query);
    for (auto t = for_snippets.get_terms_begin(); t != for_snippets.get_terms_end(); ++t) {
      CHECK((*t).rfind("L", 0) != 0);
      CHECK((*t).rfind("XS", 0) != 0);
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    const Xapian::MSet mset = enquire.get_mset(0, 40);
    std::vector<Snippet> whole;
    for (auto hit = mset.begin(); hit != mset.end(); ++hit) {
      whole.push_back(MakeSnippet(mset, hit.get_document().get_data(), 60, english));
    }
    enquire.set_query(for_snippets);  // the same MSet, as Searcher does it
    std::size_t i = 0;
    for (auto hit = mset.begin(); hit != mset.end(); ++hit, ++i) {
      INFO("query: " << text_query << ", text: " << hit.get_document().get_data());
      const Snippet now = MakeSnippet(mset, hit.get_document().get_data(), 60, english);
      CHECK(now.text == whole[i].text);
      CHECK(now.highlights == whole[i].highlights);
    }
  }
}

TEST_CASE("a query with a wildcard keeps the whole text for its snippets", "[snippet]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::QueryParser parser;
  parser.set_database(db);
  CHECK_FALSE(SnippetTermsOf(parser.parse_query("pri*", Xapian::QueryParser::FLAG_WILDCARD)).usable);
  CHECK(SnippetTermsOf(parser.parse_query("prices", Xapian::QueryParser::FLAG_WILDCARD)).usable);
}
