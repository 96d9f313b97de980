// The Searcher against an index that an update changes while it is open.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "common/index_location.h"
#include "common/reader_lock.h"
#include "indexer/indexer.h"
#include "query/searcher.h"
#include "query/weight.h"
#include "tests/support/library_index.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using namespace nsearch;

namespace {

// A temporary folder of articles and the index of it, removed at exit.
struct Archive {
  test::TempDir temp{"nsearch-searcher"};
  const fs::path dir = temp.path();
  Archive() { fs::create_directories(dir / "articles"); }

  void Write(const std::string& name, const std::string& text) { std::ofstream(dir / "articles" / name) << text; }

  // Indexes the articles folder: the first run builds the index, later ones
  // update it in place (one commit per article with batch_size 1).
  void Index(unsigned batch_size = 0) {
    test::IndexWithLibrary(dir / "index", {dir / "articles"}, [&](IndexerOptions& options) {
      if (batch_size > 0) options.batch_size = batch_size;
    });
  }
};

// The folders of the index's local shards.
std::vector<fs::path> ShardsOf(const fs::path& index_dir) {
  std::vector<fs::path> shards;
  for (const std::string& line : ReadStubLines(index_dir)) shards.push_back(LocalShardPath(index_dir, line));
  return shards;
}

std::set<std::string> Titles(Searcher& searcher, const std::string& query) {
  SearchRequest request;
  request.query = query;
  request.limit = 0;
  request.exact_total = true;
  request.snippets = false;
  const SearchResult result = searcher.Search(request);
  std::set<std::string> titles;
  for (const Hit& hit : result.hits) titles.insert(hit.article.title);
  CHECK(result.total == titles.size());
  return titles;
}

}  // namespace

// Xapian keeps a reader on the revision it opened, and once a later commit
// lands the writer may write over that revision's blocks: a search that
// read one as it changed can decode nonsense without an error. So a search
// that a commit overlapped, or followed, runs again on the index as last
// committed (Searcher::Search), and a long-lived Searcher (--batch) answers
// from the latest commit rather than from the revision it opened.
TEST_CASE("a Searcher opened before an update answers from the index as the update committed it", "[searcher]") {
  Archive archive;
  archive.Write("a.txt", "Title: Havana talks\n\nCuba and the United States met in Havana.\n");
  archive.Write("b.txt", "Title: Oil prices\n\nOil prices rose on Monday.\n");
  archive.Index();
  Searcher searcher(archive.dir / "index");
  REQUIRE(Titles(searcher, "cuba") == std::set<std::string>{"Havana talks"});

  archive.Write("c.txt", "Title: Flights to Cuba\n\nFlights to Cuba resumed.\n");
  archive.Index();
  CHECK(Titles(searcher, "cuba") == std::set<std::string>{"Havana talks", "Flights to Cuba"});

  fs::remove(archive.dir / "articles" / "a.txt");
  archive.Write("b.txt", "Title: Oil and Cuba\n\nCuba buys oil.\n");
  archive.Index(1);
  CHECK(Titles(searcher, "cuba") == std::set<std::string>{"Flights to Cuba", "Oil and Cuba"});
  CHECK(Titles(searcher, "oil").size() == 1);
}

// Each document and its weight, best first, for `query` on the index.
std::vector<std::pair<Xapian::docid, double>> Ranked(const fs::path& index_dir, const Xapian::Query& query) {
  Xapian::Database db(StubPath(index_dir).string());
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(*MakeWeight(false));
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  std::vector<std::pair<Xapian::docid, double>> ranked;
  for (auto m = mset.begin(); m != mset.end(); ++m) ranked.emplace_back(*m, m.get_weight());
  return ranked;
}

// A query is read once per language, and no article is in two readings'
// languages: MAX of the readings weighs each match as OR would, by its one
// reading, and lets Xapian prune the first reading's OR (Searcher::Parse).
TEST_CASE("the languages' readings of an OR are joined by MAX and rank and weigh as their OR would", "[searcher]") {
  Archive archive;
  archive.Write("a.txt", "Title: Oil prices\n\nOil prices rose again as Cuba bought less oil.\n");
  archive.Write("b.txt", "Title: Havana talks\n\nCuba and the United States met in Havana.\n");
  archive.Write("c.txt", "Title: Food prices\n\nFood prices fell in the spring, and prices of fuel with them.\n");
  archive.Write("d.txt", "Title: Harvest\n\nThe harvest was late this year.\n");
  archive.Write("es.txt", "Title: Precios\nLanguage: es\n\n"
                          "Los precios del azúcar subieron en Cuba, dijo el ministro de Cuba.\n");
  archive.Write("fr.txt", "Title: Prix\nLanguage: fr\n\nLes prix du sucre de Cuba ont baissé mardi.\n");
  archive.Write("tr.txt", "Title: Fiyatlar\nLanguage: tr\n\nCuba ve Havana arasında fiyatlar yükseldi.\n");
  archive.Index();
  Searcher searcher(archive.dir / "index");

  const Xapian::Query parsed = searcher.Parse("cuba OR prices");
  INFO("parsed: " << parsed.get_description());
  REQUIRE(parsed.get_type() == Xapian::Query::OP_MAX);
  // The first reading, then a MAX of the others (the matcher then visits
  // two branches at each match, not one per reading).
  REQUIRE(parsed.get_num_subqueries() == 2);
  std::vector<Xapian::Query> readings = {parsed.get_subquery(0)};
  const Xapian::Query others = parsed.get_subquery(1);
  REQUIRE(others.get_type() == Xapian::Query::OP_MAX);
  for (std::size_t i = 0; i < others.get_num_subqueries(); ++i) readings.push_back(others.get_subquery(i));
  CHECK(readings.size() == 3);  // English; Spanish and French (the same stems); Turkish
  const Xapian::Query ored(Xapian::Query::OP_OR, readings.begin(), readings.end());
  const auto by_max = Ranked(archive.dir / "index", parsed);
  const auto by_or = Ranked(archive.dir / "index", ored);
  REQUIRE(by_max.size() == by_or.size());
  for (std::size_t i = 0; i < by_max.size(); ++i) {
    CHECK(by_max[i].first == by_or[i].first);
    CHECK(by_max[i].second == Approx(by_or[i].second).epsilon(1e-12));
  }
  CHECK(Titles(searcher, "cuba OR prices") ==
        std::set<std::string>{"Oil prices", "Havana talks", "Food prices", "Precios", "Prix", "Fiyatlar"});

  // A first reading that is not an OR keeps the OR of the readings: MAX
  // would walk its long posting list after it could no longer place a hit.
  CHECK(searcher.Parse("cuba").get_type() == Xapian::Query::OP_OR);
}

// A writer waits for the searches holding a shard (common/reader_lock.h):
// a Searcher that kept its locks between searches would hold up every
// update for as long as a --batch waits for its next query.
TEST_CASE("a Searcher holds its shards' locks only while it opens and searches", "[searcher]") {
  Archive archive;
  archive.Write("a.txt", "Title: Havana talks\n\nCuba and the United States met in Havana.\n");
  archive.Index();
  auto searcher = std::make_unique<Searcher>(archive.dir / "index");
  const std::vector<fs::path> shards = ShardsOf(archive.dir / "index");
  REQUIRE(shards.size() == 1);
  ReaderBarrier barrier(shards.front());
  for (int search = 0; search < 2; ++search) {
    std::future<void> waited = std::async(std::launch::async, [&] { barrier.Wait(); });
    const bool free = waited.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    if (!free) searcher.reset();  // lets the writer through, so that the test ends
    REQUIRE(free);
    waited.get();
    CHECK(Titles(*searcher, "cuba") == std::set<std::string>{"Havana talks"});
  }
}

TEST_CASE("an index without the readers' lock file gets one from its next update, and is searched meanwhile",
          "[searcher]") {
  // An index of an nsearch before the locks: its shards have no
  // nsearch.readers, and a search re-runs when a commit overlapped it.
  Archive archive;
  archive.Write("a.txt", "Title: Havana talks\n\nCuba and the United States met in Havana.\n");
  archive.Index();
  const fs::path lock_file = ReadersLockPath(ShardsOf(archive.dir / "index").front());
  REQUIRE(fs::remove(lock_file));
  Searcher searcher(archive.dir / "index");
  CHECK(Titles(searcher, "cuba") == std::set<std::string>{"Havana talks"});
  archive.Write("b.txt", "Title: Flights to Cuba\n\nFlights to Cuba resumed.\n");
  archive.Index(1);
  CHECK(fs::exists(lock_file));
  CHECK(Titles(searcher, "cuba") == std::set<std::string>{"Havana talks", "Flights to Cuba"});
}
