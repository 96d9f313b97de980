// End-to-end tests of near-duplicate groups across runs and shards.
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
