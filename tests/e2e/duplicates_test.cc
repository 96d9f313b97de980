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

namespace {

const std::string kStory =
    "The port authority said on Tuesday that container traffic through the northern terminal fell by a fifth "
    "in March, as shipping lines rerouted vessels around the strike. Dock workers have walked out three times "
    "this year over pay and shift patterns, and talks with the operators broke down last week.";

fs::path CopyPath(const fs::path& corpus, int copy) {
  return corpus / ("copy-" + std::to_string(copy) + ".txt");
}

// The story, and an unrelated article that shares its word "port".
void WriteStoryAndBudget(const fs::path& corpus) {
  fs::create_directories(corpus);
  WriteFile(corpus / "original.txt", "Title: Port traffic falls\n\n" + kStory + "\n");
  WriteFile(corpus / "budget.txt", "Title: Council budget\n\nThe council approved its budget for the port.\n");
}

// Five copies of the story under headlines of their own.
void WriteCopies(const fs::path& corpus) {
  for (int copy = 1; copy <= 5; ++copy) {
    WriteFile(CopyPath(corpus, copy), "Title: Port traffic falls (" + std::to_string(copy) + ")\n\n" + kStory + "\n");
  }
}

void RemoveCopies(const fs::path& corpus) {
  for (int copy = 1; copy <= 5; ++copy) fs::remove(CopyPath(corpus, copy));
}

std::vector<fs::path> ShardsOf(const fs::path& generation) {
  std::vector<fs::path> shards;
  for (const auto& entry : fs::directory_iterator(generation)) shards.push_back(entry.path());
  return shards;
}

// The articles with a group key, in each shard.
std::vector<Xapian::doccount> KeyedPerShard(const std::vector<fs::path>& shards) {
  std::vector<Xapian::doccount> counts;
  for (const fs::path& shard : shards) {
    const Xapian::Database d(shard.string());
    Xapian::doccount n = 0;
    for (auto v = d.valuestream_begin(3); v != d.valuestream_end(3); ++v) ++n;
    counts.push_back(n);
  }
  return counts;
}

Xapian::doccount Total(const std::vector<Xapian::doccount>& counts) {
  return std::accumulate(counts.begin(), counts.end(), Xapian::doccount{0});
}

json Grouped(const fs::path& db) { return ParseJson(SearchIn(db, {"--json", "port", "traffic"}).out); }

// Checks the story and its copies show as one hit with `similar` others.
void CheckStoryFolded(const fs::path& db, int similar) {
  const json g = Grouped(db);
  CHECK(g["total"] == 1);
  REQUIRE(g["hits"].size() == 1);
  CHECK(g["hits"][0]["similar"] == similar);
}

// The first shard from `from` on that holds the story or a copy of it.
std::size_t ShardWithStory(const std::vector<fs::path>& shards, std::size_t from) {
  std::size_t k = from;
  while (k < shards.size() && Xapian::Database(shards[k].string()).get_termfreq("traffic") == 0) ++k;
  REQUIRE(k < shards.size());
  return k;
}

// What a run leaves that died after writing a copy to `shard` and
// before marking its group: the copy without the key, the pending mark set.
void UnmarkOne(const fs::path& shard) {
  Xapian::WritableDatabase w(shard.string(), Xapian::DB_OPEN);
  const Xapian::docid did = *w.postlist_begin("traffic");  // a copy of the story
  Xapian::Document doc = w.get_document(did);
  doc.remove_value(3);
  w.replace_document(did, doc);
  w.set_metadata("nsearch.groups-pending", "1");
  w.commit();
}

void CheckNoGroupsPending(const std::vector<fs::path>& shards) {
  for (const fs::path& shard : shards) {
    CHECK(Xapian::Database(shard.string()).get_metadata("nsearch.groups-pending").empty());
  }
}

// The damage of UnmarkOne in a shard other than the first, then --compact:
// the merged shard keeps the mark (Xapian's compactor keeps every shard's
// metadata key, the first shard's value where two have one), and the next
// run gives the key again.
void CheckPendingMarkSurvivesCompact(const fs::path& db, const std::vector<fs::path>& shards) {
  UnmarkOne(shards[ShardWithStory(shards, 1)]);
  REQUIRE(Index(db, {}, {"--compact"}).exit_code == 0);
  CHECK(Grouped(db)["total"] == 2);
  REQUIRE(Index(db, {}).exit_code == 0);
  CheckStoryFolded(db, 5);
  const std::vector<fs::path> merged = {db / "gen-2" / "shard-0"};
  CHECK(Total(KeyedPerShard(merged)) == 7);
  CheckNoGroupsPending(merged);
}

}  // namespace

// Every article with words carries its near-duplicate key (value slot 3),
// which searches collapse on, so copies added by a later run fold with the
// article indexed before them, in whichever shard each lives; a run that
// finds the mark a run left when it died before marking its groups gives
// the key again to any member of a group that lacks it (as an index built
// when only groups of two or more carried it does).
TEST_CASE("copies added by a later run collapse with the article indexed before them in any shard", "[e2e][duplicates]") {
  for (const std::string shards : {"1", "3"}) {
    INFO("--shards " << shards);
    TempDir dir;
    const fs::path corpus = dir.path() / "corpus", db = dir.path() / "idx";
    WriteStoryAndBudget(corpus);
    REQUIRE(Index(db, {corpus.string()}, {"--shards", shards}).exit_code == 0);
    const std::vector<fs::path> shard_paths = ShardsOf(db / "gen-1");
    REQUIRE(shard_paths.size() == std::stoul(shards));
    CHECK(Total(KeyedPerShard(shard_paths)) == 2);  // each article, alone in its group

    WriteCopies(corpus);
    REQUIRE(Index(db, {}).exit_code == 0);
    const std::vector<Xapian::doccount> after_copies = KeyedPerShard(shard_paths);
    CHECK(Total(after_copies) == 7);
    if (shards == "3") {  // the group spans shards, else this checks nothing more than one shard
      CHECK(std::count_if(after_copies.begin(), after_copies.end(), [](Xapian::doccount n) { return n > 0; }) >= 2);
    }
    CheckStoryFolded(db, 5);
    CHECK(SearchIn(db, {"-c", "port"}).out == "2\n");
    CHECK(SearchIn(db, {"--all", "-c", "port"}).out == "7\n");

    // A run that died before marking its group: the next run mends it.
    UnmarkOne(shard_paths[ShardWithStory(shard_paths, 0)]);
    CHECK(Grouped(db)["total"] == 2);  // the copy stands alone now
    REQUIRE(Index(db, {}).exit_code == 0);  // nothing changed on disk
    CheckStoryFolded(db, 5);
    CHECK(Total(KeyedPerShard(shard_paths)) == 7);
    CheckNoGroupsPending(shard_paths);

    if (shards == "3") CheckPendingMarkSurvivesCompact(db, shard_paths);

    // The copies gone, the original stands alone (its key is harmless).
    RemoveCopies(corpus);
    REQUIRE(Index(db, {}).exit_code == 0);
    CheckStoryFolded(db, 0);
    CHECK(SearchIn(db, {"-c", "port"}).out == "2\n");
  }
}
