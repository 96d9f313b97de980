// End-to-end tests of readers while a writer works: several nsearch
// processes searching while the index is updated and rebuilt, and a writer
// that waits for the searches still reading the shards it replaces.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "tests/e2e/changing_corpus.h"
#include "tests/e2e/support.h"

using namespace e2e;

namespace {

// The first record of a --batch that says a query failed (they say why in
// their own record, not on stderr), or "".
std::string FirstError(const std::vector<std::string>& records) {
  for (const std::string& record : records) {
    if (record.find("\"error\"") != std::string::npos) return record.substr(0, 400);
  }
  return "";
}

// What the readers ask one query per nsearch, and whose exact answers the
// test knows: the fixture articles never change, and the churn never holds
// their words.
const std::vector<std::vector<std::string>> kFixedQueries = {
    {"--format", "ids", "--all", "-n", "0", "cuba"},
    {"--format", "count", "cuba OR oil OR election OR football"},
    {"--format", "ids", "-n", "3", "--sort", "oldest", "\"deportation flights\" OR opec"},
};

// How many queries each --batch input holds.
constexpr std::size_t kBatchQueries = 300, kHeavyQueries = 100;

// What the readers beside the writer count, and the failures they saw. They
// record failures here rather than assert: Catch2's assertions are not
// thread-safe.
struct ReaderTally {
  std::atomic<bool> done{false};
  std::atomic<int> searches{0}, batches{0}, heavy_batches{0};
  std::mutex failures_mu;
  std::vector<std::string> failures;

  void Fail(const std::string& what) {
    std::lock_guard lock(failures_mu);
    failures.push_back(what);
  }
};

// Short-lived reader `t`: one nsearch per query of kFixedQueries in turn,
// from the t-th, each answer compared with `expected`, until done.
void SearchFixedQueries(const fs::path& db, const std::vector<std::string>& expected, std::size_t t,
                        ReaderTally& tally) {
  for (std::size_t i = t; !tally.done; ++i) {
    const std::size_t k = i % kFixedQueries.size();
    const RunResult r = SearchIn(db, kFixedQueries[k]);
    ++tally.searches;
    if (r.exit_code != 0 || r.out != expected[k]) {
      tally.Fail("query " + std::to_string(k) + ": exit " + std::to_string(r.exit_code) + ", out '" + r.out +
                 "', err '" + r.err + "'");
    }
  }
}

// The input of the long-lived reader: kBatchQueries queries whose answers
// the test knows.
void WriteBatchInput(const fs::path& path) {
  std::string text;
  for (std::size_t i = 0; i < kBatchQueries / 2; ++i) text += "cuba\n\"deportation flights\"\n";
  WriteFile(path, text);
}

// A long-lived reader: one nsearch --batch runs many queries on one open
// index while commits overwrite what it opened; every answer is exact.
void SearchInBatches(const fs::path& db, const fs::path& input, ReaderTally& tally) {
  while (!tally.done) {
    const RunResult r = SearchIn(db, {"--batch", input.string(), "--all", "-n", "0", "--snippet-length", "0"});
    ++tally.batches;
    const std::vector<std::string> records = Lines(r.out);
    if (r.exit_code != 0 || records.size() != kBatchQueries) {
      tally.Fail("--batch: exit " + std::to_string(r.exit_code) + ", " + std::to_string(records.size()) +
                 " records, err '" + r.err + "', first error record '" + FirstError(records) + "'");
      continue;
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
      const json j = json::parse(records[i], nullptr, false);  // a throw here would end the test program
      const std::size_t want = i % 2 == 0 ? 6 : 2;
      if (!j.is_object() || !j.contains("hits") || j["hits"].size() != want || j["total"] != want) {
        tally.Fail("--batch record " + std::to_string(i) + ": " + records[i].substr(0, 300));
        break;
      }
    }
  }
}

// The input of the slower reader: each query lists every churn article
// (hundreds), so a commit lands in the middle of most of them.
void WriteHeavyInput(const fs::path& path) {
  std::string text;
  for (std::size_t i = 0; i < kHeavyQueries; ++i) {
    text += "churn OR round1 OR round2 OR round3 OR round4 OR round5 OR round6\n";
  }
  WriteFile(path, text);
}

// The slower reader. The number of churn articles changes, so only the form
// of each answer is known: whole, and at least 300 hits.
void SearchHeavyBatches(const fs::path& db, const fs::path& input, ReaderTally& tally) {
  while (!tally.done) {
    // Eight jobs on this machine's cores make each query take longer.
    const RunResult r =
        SearchIn(db, {"--batch", input.string(), "--jobs", "8", "--all", "-n", "0", "--snippet-length", "0"});
    ++tally.heavy_batches;
    const std::vector<std::string> records = Lines(r.out);
    bool whole = r.exit_code == 0 && records.size() == kHeavyQueries;
    for (std::size_t i = 0; whole && i < records.size(); ++i) {
      const json j = json::parse(records[i], nullptr, false);
      whole = j.is_object() && j.contains("hits") && j["total"] == j["hits"].size() && j["hits"].size() >= 300;
    }
    if (!whole) {
      tally.Fail("heavy --batch: exit " + std::to_string(r.exit_code) + ", " + std::to_string(records.size()) +
                 " records, err '" + r.err + "', first error record '" + FirstError(records) + "'");
    }
  }
}

// The writer: incremental updates in small batches (a commit after every
// article per shard, or every five), a --rebuild every third round, and
// a --compact. A commit per article discards the revisions readers read
// many times running: in those rounds the heavy batch failed when a
// search gave up after five attempts in a row.
void UpdateRebuildAndCompact(Corpus& corpus, const fs::path& db) {
  for (int round = 1; round <= 6; ++round) {
    const std::string marker = "round" + std::to_string(round);
    corpus.AddText(120, marker);
    corpus.EditText(100, marker);
    corpus.RemoveText(60);
    corpus.EditFeed(marker);
    const RunResult r = Index(db, {}, round % 3 == 0 ? std::vector<std::string>{"--rebuild"}
                                                     : std::vector<std::string>{"--batch-size", round % 3 == 1 ? "1" : "5"});
    INFO("round " << round << ": " << r.err);
    CHECK(r.exit_code == 0);
  }
  const RunResult r = Run({kIndexBin, "--quiet", "--db", db.string(), "--compact"});
  INFO("--compact: " << r.err);
  CHECK(r.exit_code == 0);
}

}  // namespace

TEST_CASE("searches in several processes while nsearch-index updates and rebuilds never fail nor see a partial result",
          "[e2e][crash][readers]") {
  TempDir dir;
  Corpus corpus(dir.path() / "corpus", 20221124);
  corpus.AddText(300, "churn");
  corpus.AddFeed(40, "churn");
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.root().string()}, {"--shards", "2"}).exit_code == 0);

  std::vector<std::string> expected;
  for (const auto& q : kFixedQueries) {
    const RunResult r = SearchIn(db, q);
    REQUIRE(r.exit_code == 0);
    expected.push_back(r.out);
  }
  REQUIRE(Lines(expected[0]).size() == 6);
  REQUIRE(expected[1] == "17\n");
  const fs::path batch_input = dir.path() / "batch", heavy_input = dir.path() / "heavy";
  WriteBatchInput(batch_input);
  WriteHeavyInput(heavy_input);

  ReaderTally tally;
  std::vector<std::thread> readers;
  for (std::size_t t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] { SearchFixedQueries(db, expected, t, tally); });
  }
  readers.emplace_back([&] { SearchInBatches(db, batch_input, tally); });
  readers.emplace_back([&] { SearchHeavyBatches(db, heavy_input, tally); });

  UpdateRebuildAndCompact(corpus, db);
  tally.done = true;
  for (std::thread& t : readers) t.join();
  std::printf("readers: %d searches, %d batches of %zu queries and %d of %zu while the index changed\n",
              tally.searches.load(), tally.batches.load(), kBatchQueries, tally.heavy_batches.load(), kHeavyQueries);
  INFO(tally.failures.size() << " failures; the first: " << (tally.failures.empty() ? "" : tally.failures.front()));
  CHECK(tally.failures.empty());
  CHECK(tally.searches >= 20);
  CHECK(tally.batches >= 2);
  CHECK(tally.heavy_batches >= 2);
  CheckIds(db, corpus.root(), corpus.ExpectedIds());
}

TEST_CASE("nsearch-index waits for the searches still reading the index before it writes into it",
          "[e2e][crash][readers]") {
  // Once an update commits, its next transaction may write over the blocks
  // of the revision before, which a search may still be reading
  // (common/reader_lock.h). This test is such a search: it holds byte 1 of
  // the shard's nsearch.readers shared, as docs/index-format.md describes.
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  for (const auto& entry : fs::directory_iterator(kNewsDir)) fs::copy(entry.path(), corpus / entry.path().filename());
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);
  std::string shard_line;
  for (const std::string& line : Lines(ReadFile(db / "XAPIANDB"))) {
    if (StartsWith(line, "glass ")) shard_line = line.substr(6);
  }
  REQUIRE(!shard_line.empty());
  const fs::path lock_file = db / shard_line / "nsearch.readers";
  const int fd = ::open(lock_file.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  struct flock lock {};
  lock.l_type = F_RDLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = 1;
  lock.l_len = 1;
  REQUIRE(::fcntl(fd, F_OFD_SETLK, &lock) == 0);

  WriteFile(corpus / "late.txt", "Title: Late news\nDate: 2022-06-01\n\nThe zanzibarite report came in late.\n");
  std::atomic<bool> finished{false};
  RunResult update;
  std::thread writer([&] {
    update = Index(db, {});
    finished = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK_FALSE(finished);
  // A search that starts meanwhile waits behind the writer for at most a
  // second, then answers from the index as it was.
  const RunResult during = SearchIn(db, {"--format", "count", "zanzibarite"});
  CHECK(during.exit_code == 1);
  CHECK(during.out == "0\n");
  CHECK(SearchIn(db, {"--format", "count", "cuba"}).out == "6\n");
  CHECK_FALSE(finished);

  ::close(fd);  // the search ends
  writer.join();
  INFO(update.err);
  CHECK(update.exit_code == 0);
  CHECK(SearchIn(db, {"--format", "count", "zanzibarite"}).out == "1\n");
}
