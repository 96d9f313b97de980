// End-to-end tests of nsearch-index on a changing archive: incremental runs,
// --rebuild under concurrent searches, --compact, and articles in more than
// one language. Each test copies or writes its own corpus.
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

#include "common/schema.h"
#include "tests/e2e_support.h"

using namespace e2e;

namespace {

// The file names (not paths) of what `query` finds in the index at `db`.
std::set<std::string> FileNamesFound(const fs::path& db, const std::string& query) {
  std::set<std::string> found;
  for (const std::string& line : Lines(SearchIn(db, {"--format", "paths", query}).out)) {
    found.insert(fs::path(line).filename().string());
  }
  return found;
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// The summary line of a run that was not --quiet: its counts by name.
std::map<std::string, long> SummaryCounts(const std::string& err) {
  std::map<std::string, long> counts;
  const std::string line = Lines(err).empty() ? "" : Lines(err).back();
  for (const char* name : {"added", "updated", "removed", "unchanged", "skipped"}) {
    const std::size_t at = line.find(std::string(" ") + name);
    if (at == std::string::npos) continue;
    std::size_t start = line.rfind(' ', at - 1);
    start = start == std::string::npos ? 0 : start + 1;
    counts[name] = std::stol(line.substr(start, at - start));
  }
  return counts;
}

// nsearch-index without --quiet, so that its summary line can be read.
RunResult IndexVerbose(const fs::path& db, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {kIndexBin, "--db", db.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv);
}

std::string Count(const fs::path& db, const std::string& query) {
  return SearchIn(db, {"--format", "count", query}).out;
}

}  // namespace

TEST_CASE("a second run reads only what changed and removes the articles of deleted files", "[e2e][incremental]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "news";
  fs::copy(kNewsDir, corpus, fs::copy_options::recursive);
  const fs::path db = dir.path() / "idx";

  RunResult r = IndexVerbose(db, {corpus.string()});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(SummaryCounts(r.err) ==
        std::map<std::string, long>{{"added", 26}, {"updated", 0}, {"removed", 0}, {"unchanged", 0}, {"skipped", 0}});

  // Nothing changed: nothing is read again.
  r = IndexVerbose(db, {corpus.string()});
  CHECK(r.exit_code == 0);
  CHECK(SummaryCounts(r.err)["unchanged"] == 26);
  CHECK(SummaryCounts(r.err)["added"] == 0);

  // One article edited, one deleted, one added, one only touched.
  {
    std::ofstream(corpus / kWrexham, std::ios::app) << "\nThe club also signed a quokka as its mascot.\n";
  }
  fs::remove(corpus / kSwallows);
  Write(corpus / "local" / "new-quokka-sanctuary.txt", "Title: Quokka sanctuary opens\n\nA quokka sanctuary opened.\n");
  fs::last_write_time(corpus / kOpecCut, fs::last_write_time(corpus / kOpecCut) + std::chrono::hours(1));
  CHECK(Count(db, "swallows") == "1\n");
  const std::string opec_before = Count(db, "opec");

  // No paths: the folders the index remembers.
  r = IndexVerbose(db, {});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(SummaryCounts(r.err) ==
        std::map<std::string, long>{{"added", 1}, {"updated", 1}, {"removed", 1}, {"unchanged", 24}, {"skipped", 0}});
  CHECK(Count(db, "quokka") == "2\n");
  CHECK(SearchIn(db, {"swallows"}).exit_code == 1);
  CHECK(Count(db, "opec") == opec_before);

  // The touched file's new mtime was recorded: the next run reads nothing.
  r = IndexVerbose(db, {});
  CHECK(SummaryCounts(r.err)["unchanged"] == 26);
  CHECK(Contains(r.err, "0.0 MB read"));
}

TEST_CASE("an incremental run over one folder leaves the articles of the others alone", "[e2e][incremental]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "news";
  fs::copy(kNewsDir, corpus, fs::copy_options::recursive);
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);

  fs::remove(corpus / kCubaTalks);
  const RunResult r = IndexVerbose(db, {(corpus / "features").string()});
  CHECK(r.exit_code == 0);
  CHECK(SummaryCounts(r.err)["removed"] == 0);
  CHECK(Count(db, "\"migration talks\"") == "1\n");  // wire/ was not looked at

  const RunResult all = IndexVerbose(db, {});
  CHECK(SummaryCounts(all.err)["removed"] == 1);
  CHECK(SearchIn(db, {"\"migration talks\""}).exit_code == 1);
}

TEST_CASE("without paths, nsearch-index on a new index says to name them and exits 2", "[e2e][incremental]") {
  TempDir dir;
  const RunResult r = IndexVerbose(dir.path() / "idx", {});
  CHECK(r.exit_code == 2);
  CHECK(Lines(r.err).size() == 1);
  CHECK(Contains(r.err, "name the paths to index"));
  CHECK_FALSE(fs::exists(dir.path() / "idx"));
}

TEST_CASE("nsearch-index --rebuild switches to a new generation while searches keep answering", "[e2e][rebuild]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {kNewsDir.string()}).exit_code == 0);

  std::atomic<bool> done{false};
  std::atomic<int> searches{0};
  std::vector<std::string> failures;
  std::mutex failures_mu;
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        const RunResult r = SearchIn(db, {"--format", "count", "cuba OR oil OR election OR football"});
        ++searches;
        if (r.exit_code != 0 || r.out != "17\n") {
          std::lock_guard lock(failures_mu);
          failures.push_back("exit " + std::to_string(r.exit_code) + ", out '" + r.out + "', err '" + r.err + "'");
        }
      }
    });
  }
  for (int i = 0; i < 4; ++i) {
    const RunResult r = Index(db, {}, {"--rebuild"});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
  }
  done = true;
  for (std::thread& t : readers) t.join();
  INFO("first failure: " << (failures.empty() ? "" : failures.front()));
  CHECK(failures.empty());
  CHECK(searches > 0);

  // Only the live generation is left on disk.
  std::vector<std::string> generations;
  for (const auto& entry : fs::directory_iterator(db)) {
    if (StartsWith(entry.path().filename().string(), "gen-")) generations.push_back(entry.path().filename().string());
  }
  CHECK(generations == std::vector<std::string>{"gen-5"});
}

TEST_CASE("nsearch-index --compact merges the shards into one and keeps every article", "[e2e][rebuild]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {kNewsDir.string()}, {"--shards", "3"}).exit_code == 0);
  const std::string before = SearchIn(db, {"--format", "paths", "-n", "0", "cuba OR oil"}).out;

  const RunResult r = IndexVerbose(db, {"--compact"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  std::ifstream stub(db / "XAPIANDB");
  std::string stub_text((std::istreambuf_iterator<char>(stub)), std::istreambuf_iterator<char>());
  CHECK(Contains(stub_text, "glass gen-2/shard-0\n"));
  CHECK_FALSE(Contains(stub_text, "shard-1"));
  CHECK(SearchIn(db, {"--format", "paths", "-n", "0", "cuba OR oil"}).out == before);

  // Later runs still find every article in its shard.
  CHECK(IndexVerbose(db, {}).exit_code == 0);
  CHECK(SummaryCounts(IndexVerbose(db, {kNewsDir.string()}).err)["unchanged"] == 26);
}

TEST_CASE("a new index of several shards keeps all its spelling data in the first shard", "[e2e][spelling]") {
  // The second shard's thread adds half of the words beside the first
  // shard's; the first shard's compaction merges them in.
  TempDir dir;
  const fs::path one = dir.path() / "one", three = dir.path() / "three";
  REQUIRE(Index(one, {kNewsDir.string()}, {"--jobs", "1"}).exit_code == 0);
  REQUIRE(Index(three, {kNewsDir.string()}, {"--shards", "3"}).exit_code == 0);
  auto spellings = [](const fs::path& shard) {
    Xapian::Database db(shard.string());
    std::vector<std::pair<std::string, Xapian::doccount>> words;
    for (auto t = db.spellings_begin(); t != db.spellings_end(); ++t) words.emplace_back(*t, t.get_termfreq());
    return words;
  };
  const auto expected = spellings(one / "gen-1" / "shard-0");
  REQUIRE(expected.size() > 100);
  CHECK(spellings(three / "gen-1" / "shard-0") == expected);
  CHECK(spellings(three / "gen-1" / "shard-1").empty());
  CHECK(spellings(three / "gen-1" / "shard-2").empty());
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(three / "gen-1")) left.push_back(entry.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"shard-0", "shard-1", "shard-2"});
  CHECK(ParseJson(SearchIn(three, {"--json", "deportaton"}).out)["suggestion"] == "deportation");
}

TEST_CASE("a new index written by several threads is one shard that finds what an index of several shards finds",
          "[e2e][rebuild]") {
  TempDir dir;
  const fs::path merged = dir.path() / "merged", sharded = dir.path() / "sharded", single = dir.path() / "single";
  const RunResult r = IndexVerbose(merged, {"--jobs", "3", kNewsDir.string()});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.err, "(1 shard)"));
  REQUIRE(Index(sharded, {kNewsDir.string()}, {"--shards", "3"}).exit_code == 0);
  REQUIRE(Index(single, {kNewsDir.string()}, {"--jobs", "1"}).exit_code == 0);
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(merged / "gen-1")) left.push_back(entry.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"shard-0"});  // the writers' build databases are gone
  const Xapian::Database db((merged / "gen-1" / "shard-0").string());
  CHECK(db.get_doccount() == 26);
  CHECK(ParseJson(SearchIn(merged, {"--json", "deportaton"}).out)["suggestion"] == "deportation");
  // The same articles, by score, as with three shards (ties may differ).
  for (const std::string query : {"cuba OR oil", "\"deportation flights\"", "migration NOT cuba"}) {
    INFO(query);
    auto sorted = [](std::string paths) {
      std::vector<std::string> lines = Lines(paths);
      std::sort(lines.begin(), lines.end());
      return lines;
    };
    const std::vector<std::string> args = {"--format", "paths", "-n", "0", query};
    CHECK(sorted(SearchIn(merged, args).out) == sorted(SearchIn(sharded, args).out));
    CHECK(sorted(SearchIn(merged, args).out) == sorted(SearchIn(single, args).out));
  }
  // An update finds every article in the one shard.
  CHECK(SummaryCounts(IndexVerbose(merged, {kNewsDir.string()}).err)["unchanged"] == 26);
}

TEST_CASE("a new shard built in parts holds what it holds when built whole", "[e2e][rebuild]") {
  // Each part is a database of its own; the compactor merges them in order.
  // Parts of 1 article: 13 or so a shard, so the part size doubles once.
  TempDir dir;
  const fs::path whole = dir.path() / "whole", parts = dir.path() / "parts";
  REQUIRE(Index(whole, {kNewsDir.string()}, {"--shards", "2"}).exit_code == 0);
  REQUIRE(Index(parts, {kNewsDir.string()}, {"--shards", "2", "--part-size", "1"}).exit_code == 0);
  // Every document's terms, wdfs, positions and values, by docid, but when
  // it was indexed (the two runs' times differ): one stamp for a whole new
  // index, its parts included.
  std::set<std::string> stamps;
  auto contents = [&stamps](const fs::path& shard) {
    Xapian::Database db(shard.string());
    std::vector<std::string> docs;
    for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
      std::string doc = std::to_string(*d) + ":";
      for (auto t = db.termlist_begin(*d); t != db.termlist_end(*d); ++t) {
        doc += " " + *t + "/" + std::to_string(t.get_wdf());
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) doc += "," + std::to_string(*p);
      }
      const Xapian::Document document = db.get_document(*d);
      for (auto v = document.values_begin(); v != document.values_end(); ++v) {
        if (v.get_valueno() == nsearch::schema::kIndexedSlot) stamps.insert(*v);
        else doc += " #" + std::to_string(v.get_valueno()) + "=" + *v;
      }
      docs.push_back(doc);
    }
    std::vector<std::string> words;
    for (auto t = db.spellings_begin(); t != db.spellings_end(); ++t) {
      words.push_back(*t + "/" + std::to_string(t.get_termfreq()));
    }
    return std::make_pair(docs, words);
  };
  for (const char* shard : {"shard-0", "shard-1"}) {
    INFO(shard);
    stamps.clear();
    const auto expected = contents(whole / "gen-1" / shard);
    REQUIRE(expected.first.size() > 9);  // more than eight parts
    CHECK(stamps.size() == 1);
    stamps.clear();
    CHECK(contents(parts / "gen-1" / shard) == expected);
    CHECK(stamps.size() == 1);
  }
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(parts / "gen-1")) left.push_back(entry.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"shard-0", "shard-1"});
  CHECK(SearchIn(parts, {"--format", "paths", "-n", "0", "cuba OR oil"}).out ==
        SearchIn(whole, {"--format", "paths", "-n", "0", "cuba OR oil"}).out);
  CHECK(ParseJson(SearchIn(parts, {"--json", "deportaton"}).out)["suggestion"] == "deportation");
}

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

TEST_CASE("JSON, JSON Lines and non-UTF-8 text articles are indexed, and a bad line is named", "[e2e][formats]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "formats";
  fs::create_directories(corpus);
  for (const auto& entry : fs::directory_iterator(fs::path(FIXTURES_DIR) / "formats")) {
    if (entry.is_regular_file()) fs::copy(entry.path(), corpus / entry.path().filename());  // not mail/, warc/, ...
  }
  fs::remove(corpus / "README.md");  // it names the fixtures' words
  const fs::path db = dir.path() / "idx";
  const RunResult r = IndexVerbose(db, {corpus.string()});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);  // one input skipped
  CHECK(Contains(r.err, "skipped " + fs::canonical(corpus / "wire-feed.jsonl").string() + ": line 4: malformed JSON"));
  CHECK(SummaryCounts(r.err)["added"] == 7);  // 3 + 2 JSON articles, 1 HTML page, 1 Latin-1 text

  auto ids = [&](const std::string& query) {
    std::set<std::string> found;
    const json result = ParseJson(SearchIn(db, {"--json", "-n", "0", query}).out);
    for (const auto& hit : result["hits"]) {
      found.insert(hit["id"].get<std::string>());
    }
    return found;
  };
  CHECK(ids("kestrelmouth") == std::set<std::string>{"feed-0001"});
  CHECK(ids("valdemora") == std::set<std::string>{"feed-0002"});
  CHECK(ids("brannock") == std::set<std::string>{"5001", "5002"});
  CHECK(ids("récolte").size() == 1);  // the Latin-1 article, decoded
  CHECK(ids("polwenna").size() == 1);     // the HTML page
  CHECK(ids("trackingpixel").empty());   // its script is not text
  // The Spanish article is stemmed in Spanish: "lluvia" finds "lluvias".
  CHECK(ids("lluvia") == std::set<std::string>{"feed-0002"});

  // Editing the feed replaces its articles and removes the one it dropped.
  {
    std::ifstream in(corpus / "wire-feed.jsonl");
    std::string first;
    std::getline(in, first);
    std::ofstream(corpus / "wire-feed.jsonl", std::ios::trunc) << first << "\n";
  }
  const RunResult again = IndexVerbose(db, {});
  INFO("stderr: " << again.err);
  CHECK(SummaryCounts(again.err)["removed"] == 2);
  CHECK(SummaryCounts(again.err)["updated"] == 1);
  CHECK(ids("kestrelmouth") == std::set<std::string>{"feed-0001"});
  CHECK(SearchIn(db, {"valdemora"}).exit_code == 1);
}

TEST_CASE("nsearch-index - reads JSON Lines from standard input", "[e2e][formats]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  const fs::path feed = dir.path() / "feed.txt";
  Write(feed, "{\"title\": \"Walrus seen in harbour\", \"body\": \"A walrus rested on the slipway.\"}\n"
              "not json\n"
              "{\"id\": \"w2\", \"title\": \"Second walrus\", \"body\": \"Another walrus.\"}\n");
  // Run() gives the child /dev/null as stdin; a shell redirects the feed.
  const RunResult r = Run({"/bin/sh", "-c", "exec \"$0\" --db \"$1\" - < \"$2\"", kIndexBin, db.string(), feed.string()});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.err, "skipped -: line 2: malformed JSON"));
  CHECK(Count(db, "walrus") == "2\n");
  // The same feed again replaces rather than duplicates, id or not.
  CHECK(Run({"/bin/sh", "-c", "exec \"$0\" --db \"$1\" - < \"$2\"", kIndexBin, db.string(), feed.string()}).exit_code == 1);
  CHECK(Count(db, "walrus") == "2\n");
}

TEST_CASE("snippets come from the whole text: the file when unchanged, else what the index keeps",
          "[e2e][snippets]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  std::string filler;
  for (int i = 0; i < 40; ++i) filler += "The council met again to discuss the harbour budget. ";
  const std::string text_article = "Title: Harbour budget\n\n" + filler + "Late in the meeting a narwhal was sighted.\n";
  Write(corpus / "long.txt", text_article);
  Write(corpus / "feed.jsonl",
        "{\"id\": \"j1\", \"title\": \"Feed budget\", \"body\": \"" + filler + "At the end an ocelot escaped.\"}\n");
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);

  auto snippet = [&](const std::string& query) {
    const RunResult r = SearchIn(db, {"--json", query});
    INFO("query: " << query << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    const json result = ParseJson(r.out);
    REQUIRE(result["hits"].size() == 1);
    return result["hits"][0]["snippet"].get<std::string>();
  };
  // The index keeps a preview of the text file; the snippet is cut from the file.
  CHECK(Contains(snippet("narwhal"), "narwhal was sighted"));
  // A JSON feed's article keeps its whole text in the index.
  CHECK(Contains(snippet("ocelot"), "ocelot escaped"));

  // Touched since (a new mtime, the same text): still cut from the file.
  fs::last_write_time(corpus / "long.txt", fs::last_write_time(corpus / "long.txt") + std::chrono::hours(1));
  CHECK(Contains(snippet("narwhal"), "narwhal was sighted"));
  // Other text of the same size: from the preview.
  std::string same_size = text_article;
  same_size.replace(same_size.find("sighted"), 7, "spotted");
  Write(corpus / "long.txt", same_size);
  CHECK_FALSE(Contains(snippet("narwhal"), "spotted"));
  CHECK(Contains(snippet("narwhal"), "harbour budget"));

  // The text file changed since it was indexed: the hit stays, its snippet
  // comes from the preview, never from the new text.
  Write(corpus / "long.txt", "Title: Harbour budget\n\nSomething else entirely.\n");
  const std::string from_preview = snippet("narwhal");
  CHECK_FALSE(Contains(from_preview, "Something else"));
  CHECK(Contains(from_preview, "harbour budget"));
  fs::remove(corpus / "feed.jsonl");
  CHECK(Contains(snippet("ocelot"), "ocelot escaped"));
}

TEST_CASE("nsearch-index --rebuild with paths indexes and remembers only those paths", "[e2e][rebuild]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  const fs::path wire = kNewsDir / "wire", features = kNewsDir / "features";
  REQUIRE(Index(db, {wire.string(), features.string()}).exit_code == 0);
  CHECK(Count(db, "cuba") == "6\n");

  REQUIRE(Index(db, {wire.string()}, {"--rebuild"}).exit_code == 0);
  const std::string wire_only = Count(db, "cuba");
  CHECK(wire_only == "4\n");
  // A later run without paths updates the wire folder alone.
  const RunResult r = IndexVerbose(db, {});
  CHECK(r.exit_code == 0);
  CHECK(SummaryCounts(r.err)["added"] == 0);
  CHECK(Count(db, "cuba") == wire_only);
}

namespace {

// A JSON Lines feed of `n` articles of news-like sentences, enough text for
// nsearch-index to train a dictionary (the fixture corpus is too small, and
// of a text file only a preview is stored), written to `path`. Different
// `seed`s give different words, and so different dictionaries.
void WriteFeed(const fs::path& path, int n, unsigned seed) {
  static const char* const kWords[] = {
      "government", "minister", "said",     "market",  "prices",   "oil",     "shares",   "rose",
      "fell",       "percent",  "election", "voters",  "council",  "storm",   "flights",  "cancelled",
      "talks",      "agreement", "trade",   "exports", "football", "club",    "season",   "final",
      "the",        "of",       "and",      "in",      "a",        "on",      "after",    "week"};
  std::uint32_t state = seed;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  std::string feed;
  for (int i = 0; i < n; ++i) {
    std::string body;
    for (int w = 0; w < 400; ++w) {
      body += kWords[(next() + seed) % std::size(kWords)];
      body += w % 15 == 14 ? ". " : " ";
    }
    feed += json{{"id", "s" + std::to_string(seed) + "-" + std::to_string(i)},
                 {"title", "Report " + std::to_string(i)},
                 {"source", "Wire"},
                 {"body", body}}
                .dump() +
            "\n";
  }
  Write(path, feed);
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("the stored text's dictionary is a file in each shard and a search that cannot use it reads the metadata's",
          "[e2e][rebuild]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx", other = dir.path() / "other";
  WriteFeed(dir.path() / "news" / "feed.jsonl", 80, 1);
  WriteFeed(dir.path() / "more" / "feed.jsonl", 80, 7);
  REQUIRE(Index(db, {(dir.path() / "news").string()}, {"--shards", "2"}).exit_code == 0);
  REQUIRE(Index(other, {(dir.path() / "more").string()}, {"--jobs", "1"}).exit_code == 0);

  const std::string metadata = Xapian::Database((db / "gen-1" / "shard-0").string()).get_metadata("nsearch.textdict");
  REQUIRE(metadata.size() > 4096);
  for (const char* shard : {"shard-0", "shard-1"}) {
    INFO(shard);
    CHECK(ReadAll(db / "gen-1" / shard / "nsearch.textdict") == metadata);
  }
  // Also the one shard that two writers' shards are merged into.
  const fs::path merged = dir.path() / "merged";
  REQUIRE(Index(merged, {(dir.path() / "news").string()}, {"--jobs", "2"}).exit_code == 0);
  CHECK_FALSE(fs::exists(merged / "gen-1" / "shard-1"));
  CHECK(ReadAll(merged / "gen-1" / "shard-0" / "nsearch.textdict") ==
        Xapian::Database((merged / "gen-1" / "shard-0").string()).get_metadata("nsearch.textdict"));
  const fs::path file = db / "gen-1" / "shard-0" / "nsearch.textdict";
  const std::string foreign = ReadAll(other / "gen-1" / "shard-0" / "nsearch.textdict");
  REQUIRE(!foreign.empty());
  REQUIRE(foreign != metadata);

  // Snippets and JSON come from the stored text of hits of both shards.
  const std::vector<std::string> query = {"--json", "-n", "8", "--snippet-length", "120", "storm flights"};
  const RunResult expected = SearchIn(db, query);
  REQUIRE(expected.exit_code == 0);
  const json hits = ParseJson(expected.out)["hits"];
  REQUIRE(hits.size() == 8);
  for (const json& hit : hits) {
    const std::string snippet = hit["snippet"].get<std::string>();
    CHECK((Contains(snippet, "storm") || Contains(snippet, "flights")));
  }

  // Another index's dictionary, a damaged file, or none: the same answer.
  Write(file, foreign);
  CHECK(SearchIn(db, query).out == expected.out);
  Write(file, "not a zstd dictionary at all");
  CHECK(SearchIn(db, query).out == expected.out);
  fs::remove(file);
  CHECK(SearchIn(db, query).out == expected.out);

  // An update puts the file back; --compact writes one beside its shard.
  CHECK(Index(db, {}).exit_code == 0);
  CHECK(ReadAll(file) == metadata);
  CHECK(Index(db, {}, {"--compact"}).exit_code == 0);
  CHECK(ReadAll(db / "gen-2" / "shard-0" / "nsearch.textdict") == metadata);
  CHECK(ParseJson(SearchIn(db, query).out)["hits"].size() == 8);
}

// Every article with words carries its near-duplicate key (value slot 3),
// which searches collapse on, so copies added by a later run fold with the
// article indexed before them, in whichever shard each lives; a run that
// finds the mark a run left when it died before marking its groups gives
// the key again to any member of a group that lacks it (as an index built
// when only groups of two or more carried it does).
TEST_CASE("copies added by a later run collapse with the article indexed before them in any shard", "[e2e][duplicates]") {
  const std::string story =
      "The port authority said on Tuesday that container traffic through the northern terminal fell by a fifth "
      "in March, as shipping lines rerouted vessels around the strike. Dock workers have walked out three times "
      "this year over pay and shift patterns, and talks with the operators broke down last week.";
  for (const std::string shards : {"1", "3"}) {
    INFO("--shards " << shards);
    TempDir dir;
    const fs::path corpus = dir.path() / "corpus", db = dir.path() / "idx";
    fs::create_directories(corpus);
    WriteFile(corpus / "original.txt", "Title: Port traffic falls\n\n" + story + "\n");
    WriteFile(corpus / "budget.txt", "Title: Council budget\n\nThe council approved its budget for the port.\n");
    REQUIRE(Index(db, {corpus.string()}, {"--shards", shards}).exit_code == 0);

    std::vector<fs::path> shard_paths;
    for (const auto& entry : fs::directory_iterator(db / "gen-1")) shard_paths.push_back(entry.path());
    REQUIRE(shard_paths.size() == std::stoul(shards));
    // The articles with a group key, in each shard.
    auto keyed = [&] {
      std::vector<Xapian::doccount> counts;
      for (const fs::path& shard : shard_paths) {
        const Xapian::Database d(shard.string());
        Xapian::doccount n = 0;
        for (auto v = d.valuestream_begin(3); v != d.valuestream_end(3); ++v) ++n;
        counts.push_back(n);
      }
      return counts;
    };
    auto total = [](const std::vector<Xapian::doccount>& counts) {
      return std::accumulate(counts.begin(), counts.end(), Xapian::doccount{0});
    };
    CHECK(total(keyed()) == 2);  // each article, alone in its group

    for (int copy = 1; copy <= 5; ++copy) {
      WriteFile(corpus / ("copy-" + std::to_string(copy) + ".txt"),
                "Title: Port traffic falls (" + std::to_string(copy) + ")\n\n" + story + "\n");
    }
    REQUIRE(Index(db, {}).exit_code == 0);
    const std::vector<Xapian::doccount> after_copies = keyed();
    CHECK(total(after_copies) == 7);
    if (shards == "3") {  // the group spans shards, else this checks nothing more than one shard
      CHECK(std::count_if(after_copies.begin(), after_copies.end(), [](Xapian::doccount n) { return n > 0; }) >= 2);
    }
    auto grouped = [&] { return ParseJson(SearchIn(db, {"--json", "port", "traffic"}).out); };
    json g = grouped();
    CHECK(g["total"] == 1);
    REQUIRE(g["hits"].size() == 1);
    CHECK(g["hits"][0]["similar"] == 5);
    CHECK(SearchIn(db, {"-c", "port"}).out == "2\n");
    CHECK(SearchIn(db, {"--all", "-c", "port"}).out == "7\n");

    // What a run leaves that died after writing a copy to `shard` and
    // before marking its group: the copy without the key, the pending mark set.
    auto unmark_one = [](const fs::path& shard) {
      Xapian::WritableDatabase w(shard.string(), Xapian::DB_OPEN);
      const Xapian::docid did = *w.postlist_begin("traffic");  // a copy of the story
      Xapian::Document doc = w.get_document(did);
      doc.remove_value(3);
      w.replace_document(did, doc);
      w.set_metadata("nsearch.groups-pending", "1");
      w.commit();
    };
    std::size_t first_keyed = 0;
    while (Xapian::Database(shard_paths[first_keyed].string()).get_termfreq("traffic") == 0) ++first_keyed;
    unmark_one(shard_paths[first_keyed]);
    CHECK(grouped()["total"] == 2);  // the copy stands alone now
    REQUIRE(Index(db, {}).exit_code == 0);  // nothing changed on disk
    g = grouped();
    CHECK(g["total"] == 1);
    CHECK(g["hits"][0]["similar"] == 5);
    CHECK(total(keyed()) == 7);
    for (const fs::path& shard : shard_paths) {
      CHECK(Xapian::Database(shard.string()).get_metadata("nsearch.groups-pending").empty());
    }

    if (shards == "3") {
      // The same damage in a shard other than the first, then --compact:
      // the merged shard keeps the mark (Xapian's compactor keeps every
      // shard's metadata key, the first shard's value where two have one).
      std::size_t k = 1;
      while (k < shard_paths.size() && Xapian::Database(shard_paths[k].string()).get_termfreq("traffic") == 0) ++k;
      REQUIRE(k < shard_paths.size());
      unmark_one(shard_paths[k]);
      REQUIRE(Index(db, {}, {"--compact"}).exit_code == 0);
      CHECK(grouped()["total"] == 2);
      REQUIRE(Index(db, {}).exit_code == 0);
      g = grouped();
      CHECK(g["total"] == 1);
      CHECK(g["hits"][0]["similar"] == 5);
      shard_paths = {db / "gen-2" / "shard-0"};
      CHECK(total(keyed()) == 7);
      CHECK(Xapian::Database(shard_paths[0].string()).get_metadata("nsearch.groups-pending").empty());
    }

    // The copies gone, the original stands alone (its key is harmless).
    for (int copy = 1; copy <= 5; ++copy) fs::remove(corpus / ("copy-" + std::to_string(copy) + ".txt"));
    REQUIRE(Index(db, {}).exit_code == 0);
    g = grouped();
    CHECK(g["total"] == 1);
    REQUIRE(g["hits"].size() == 1);
    CHECK(g["hits"][0]["similar"] == 0);
    CHECK(SearchIn(db, {"-c", "port"}).out == "2\n");
  }
}
