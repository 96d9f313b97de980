// End-to-end tests of articles in more than one language: each stemmed in
// its own, the default for a language the index does not list, document
// ids, and a query read once per language.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <numeric>
#include <thread>
#include <utility>
#include <vector>

#include <xapian.h>

#include "tests/e2e/support.h"
#include "tests/e2e/indexer_support.h"

using namespace e2e;

TEST_CASE("each article is stemmed in its own language, given or detected", "[e2e][language]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  Write(corpus / "es-given.txt",
        "Title: Elecciones en México\nLanguage: es\n\n"
        "Las elecciones presidenciales se celebrarán el próximo domingo en todo el país.\n");
  Write(corpus / "es-detected.txt",
        "Title: Resultados de las elecciones municipales\n\n"
        "Los ciudadanos acudieron a las urnas y las elecciones municipales terminaron sin incidentes, "
        "según informaron las autoridades electorales del estado.\n");
  Write(corpus / "en.txt",
        "Title: Election results\n\nVoters went to the polls and the elections ended without incident, "
        "officials said.\n");
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);

  // "elección" has the Spanish stem of "elecciones"; in English it has none.
  CHECK(FileNamesFound(db, "elección") == std::set<std::string>{"es-given.txt", "es-detected.txt"});
  // "election" has the English stem of "elections"; Spanish articles do not have it.
  CHECK(FileNamesFound(db, "election") == std::set<std::string>{"en.txt"});

  const json hit = ParseJson(SearchIn(db, {"--json", "elección"}).out)["hits"][0];
  CHECK(Contains(hit.dump(), "lecciones"));  // the snippet is cut with the Spanish stemmer
}

TEST_CASE("an article in a language the index does not list is read as the default language", "[e2e][language]") {
  // nsearch takes the list of languages from the first shard. A stub may
  // join a shard indexed apart, whose articles are in others: the default
  // language's reading takes those, rather than no reading at all.
  TempDir dir;
  const fs::path first = dir.path() / "first", second = dir.path() / "second";
  Write(first / "corpus" / "en.txt", "Title: Harbour report\n\nThe harbour reopened on Monday after the storm.\n");
  Write(first / "corpus" / "fr.txt", "Title: Rapport du port\nLanguage: fr\n\nLe port a rouvert lundi.\n");
  Write(second / "corpus" / "es.txt",
        "Title: Informe del puerto\nLanguage: es\n\nEl puerto de Valencia reabrió el lunes tras la tormenta.\n");
  REQUIRE(Index(first / "idx", {(first / "corpus").string()}).exit_code == 0);
  REQUIRE(Index(second / "idx", {(second / "corpus").string()}).exit_code == 0);
  std::string stub;
  for (const fs::path& idx : {first / "idx", second / "idx"}) {
    std::ifstream in(idx / "XAPIANDB");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("glass ", 0) == 0) stub += "glass " + (idx / line.substr(6)).string() + "\n";
    }
  }
  const fs::path both = dir.path() / "both";
  Write(both / "XAPIANDB", stub);

  CHECK(FileNamesFound(both, "Valencia") == std::set<std::string>{"es.txt"});
  CHECK(FileNamesFound(both, "\"puerto de Valencia\"") == std::set<std::string>{"es.txt"});
  CHECK(FileNamesFound(both, "harbour") == std::set<std::string>{"en.txt"});
  CHECK(FileNamesFound(both, "port") == std::set<std::string>{"fr.txt"});
}

TEST_CASE("a new index gives the articles in other languages than the default the first document ids",
          "[e2e][language]") {
  // Searches exclude the other languages from the default language's
  // reading, and Xapian drops that exclusion once its postings end: with
  // those articles first, it ends early (indexer/new_shard_writer.h).
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  for (int i = 0; i < 6; ++i) {
    const std::string n = std::to_string(i);
    Write(corpus / ("a" + n + "-en.txt"), "Title: Port news " + n + "\n\nThe port said traffic rose by " + n +
                                              " percent as ships returned after the strike.\n");
    Write(corpus / ("b" + n + "-es.txt"), "Title: Noticias " + n + "\nLanguage: es\n\nEl puerto dijo que el tráfico "
                                              "subió tras la huelga de los estibadores.\n");
    if (i % 2 == 0) {
      Write(corpus / ("c" + n + "-fr.txt"), "Title: Nouvelles " + n + "\nLanguage: fr\n\nLe port a dit que le trafic "
                                                "a augmenté après la grève des dockers.\n");
    }
  }
  auto other_languages_first = [](const fs::path& shard) {
    const Xapian::Database db(shard.string());
    Xapian::docid last_other = 0, first_default = 0;
    for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
      const bool other = db.get_document(*d).get_value(5) != "english";  // kLanguageSlot
      if (other) last_other = *d;
      if (!other && first_default == 0) first_default = *d;
    }
    INFO("last other-language article " << last_other << ", first English one " << first_default);
    return db.get_doccount() == 15 && last_other == 9 && first_default == 10;
  };
  const fs::path merged = dir.path() / "merged", parts = dir.path() / "parts";
  REQUIRE(Index(merged, {corpus.string()}, {"--jobs", "2"}).exit_code == 0);
  CHECK(other_languages_first(merged / "gen-1" / "shard-0"));
  // Built in parts of one article, which the other languages' parts are too.
  REQUIRE(Index(parts, {corpus.string()}, {"--jobs", "2", "--part-size", "1"}).exit_code == 0);
  CHECK(other_languages_first(parts / "gen-1" / "shard-0"));
  // Each language's reading finds its articles, near-duplicates shown
  // (--all): "port" is English and French, "trafic" the French word and the
  // Spanish stem of "tráfico".
  for (const auto& [query, found] : std::vector<std::pair<std::string, std::size_t>>{
           {"port", 9}, {"puerto OR port", 15}, {"trafic", 9}, {"tráfico", 6}, {"strike NOT ships", 0}}) {
    INFO(query);
    const std::vector<std::string> args = {"--all", "--format", "paths", "-n", "0", query};
    CHECK(Lines(SearchIn(merged, args).out).size() == found);
    CHECK(SearchIn(parts, args).out == SearchIn(merged, args).out);
  }
}

TEST_CASE("languages that stem a query's words differently each read it their own way", "[e2e][language]") {
  // Neither French nor Spanish has stopwords here, so only their stems set
  // them apart: Spanish stems "economía" to econom (as "económicos"),
  // French leaves it; French stems "gouvernements" to gouvern (as
  // "gouvernement"), Spanish leaves it. A query read once for both would
  // miss one of the two articles.
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  Write(corpus / "es.txt",
        "Title: Indicadores\nLanguage: es\n\nLos indicadores económicos del país mejoraron durante el verano.\n");
  Write(corpus / "fr.txt",
        "Title: Annonce\nLanguage: fr\n\nLe gouvernement a présenté son projet de loi au parlement mardi.\n");
  Write(corpus / "en.txt", "Title: Report\n\nThe report was published on Tuesday by the ministry.\n");
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);
  CHECK(FileNamesFound(db, "economía") == std::set<std::string>{"es.txt"});
  CHECK(FileNamesFound(db, "gouvernements") == std::set<std::string>{"fr.txt"});
}

TEST_CASE("another language's reading with a word no article has is left out and its articles stay out of the first",
          "[e2e][language]") {
  // English stems "petroleums" to petroleum, which the Spanish article has
  // (Spanish leaves "petroleum" as it is); Spanish leaves "petroleums",
  // which no article has. The Spanish reading matches nothing and is left
  // out of the query, but the Spanish article must still not be found by
  // the English reading.
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  Write(corpus / "en.txt", "Title: Exports\n\nPetroleum exports rose on Tuesday.\n");
  Write(corpus / "es.txt",
        "Title: Exportaciones\nLanguage: es\n\nLas exportaciones de petroleum subieron el martes, dijo el ministro.\n");
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);
  CHECK(FileNamesFound(db, "petroleums") == std::set<std::string>{"en.txt"});
  CHECK(FileNamesFound(db, "petroleum") == std::set<std::string>{"en.txt", "es.txt"});
  const std::string explained = SearchIn(db, {"--explain", "petroleums"}).out;
  CHECK(Contains(explained, "Parsed query: Query((Zpetroleum@1 AND_NOT Lspanish))\n"));
  // Both readings stay when both can match.
  CHECK(Contains(SearchIn(db, {"--explain", "exportaciones"}).out, "FILTER Lspanish"));
}
