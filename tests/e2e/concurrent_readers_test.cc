// End-to-end tests of readers while a writer works: several nsearch
// processes searching while the index is updated and rebuilt, and a writer
// that waits for the searches still reading the shards it replaces.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
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

}  // namespace

TEST_CASE("searches in several processes while nsearch-index updates and rebuilds never fail nor see a partial result",
          "[e2e][crash][readers]") {
  TempDir dir;
  Corpus corpus(dir.path() / "corpus", 20221124);
  corpus.AddText(300, "churn");
  corpus.AddFeed(40, "churn");
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.root().string()}, {"--shards", "2"}).exit_code == 0);

  // What the readers ask, and the exact answers: the fixture articles never
  // change, and the churn never holds their words.
  const std::vector<std::vector<std::string>> queries = {
      {"--format", "ids", "--all", "-n", "0", "cuba"},
      {"--format", "count", "cuba OR oil OR election OR football"},
      {"--format", "ids", "-n", "3", "--sort", "oldest", "\"deportation flights\" OR opec"},
  };
  std::vector<std::string> expected;
  for (const auto& q : queries) {
    const RunResult r = SearchIn(db, q);
    REQUIRE(r.exit_code == 0);
    expected.push_back(r.out);
  }
  REQUIRE(Lines(expected[0]).size() == 6);
  REQUIRE(expected[1] == "17\n");
  // A long-lived reader: one nsearch --batch runs many queries on one open
  // index while commits overwrite what it opened.
  const fs::path batch_input = dir.path() / "batch";
  {
    std::string text;
    for (int i = 0; i < 150; ++i) text += "cuba\n\"deportation flights\"\n";
    WriteFile(batch_input, text);
  }

  // A slower one: each query lists every churn article (hundreds), so a
  // commit lands in the middle of most of them. Their number changes, so
  // only the form of the answer is known.
  const fs::path heavy_input = dir.path() / "heavy";
  {
    std::string text;
    for (int i = 0; i < 100; ++i) text += "churn OR round1 OR round2 OR round3 OR round4 OR round5 OR round6\n";
    WriteFile(heavy_input, text);
  }

  std::atomic<bool> done{false};
  std::atomic<int> searches{0}, batches{0}, heavy_batches{0};
  std::vector<std::string> failures;
  std::mutex failures_mu;
  auto fail = [&](const std::string& what) {
    std::lock_guard lock(failures_mu);
    failures.push_back(what);
  };
  std::vector<std::thread> readers;
  for (std::size_t t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      for (std::size_t i = t; !done; ++i) {
        const std::size_t k = i % queries.size();
        const RunResult r = SearchIn(db, queries[k]);
        ++searches;
        if (r.exit_code != 0 || r.out != expected[k]) {
          fail("query " + std::to_string(k) + ": exit " + std::to_string(r.exit_code) + ", out '" + r.out + "', err '" +
               r.err + "'");
        }
      }
    });
  }
  readers.emplace_back([&] {
    while (!done) {
      const RunResult r = SearchIn(db, {"--batch", batch_input.string(), "--all", "-n", "0", "--snippet-length", "0"});
      ++batches;
      const std::vector<std::string> records = Lines(r.out);
      if (r.exit_code != 0 || records.size() != 300) {
        fail("--batch: exit " + std::to_string(r.exit_code) + ", " + std::to_string(records.size()) + " records, err '" +
             r.err + "', first error record '" + FirstError(records) + "'");
        continue;
      }
      for (std::size_t i = 0; i < records.size(); ++i) {
        const json j = json::parse(records[i], nullptr, false);  // a throw here would end the test program
        const std::size_t want = i % 2 == 0 ? 6 : 2;
        if (!j.is_object() || !j.contains("hits") || j["hits"].size() != want || j["total"] != want) {
          fail("--batch record " + std::to_string(i) + ": " + records[i].substr(0, 300));
          break;
        }
      }
    }
  });

  readers.emplace_back([&] {
    while (!done) {
      // Eight jobs on this machine's cores make each query take longer.
      const RunResult r =
          SearchIn(db, {"--batch", heavy_input.string(), "--jobs", "8", "--all", "-n", "0", "--snippet-length", "0"});
      ++heavy_batches;
      const std::vector<std::string> records = Lines(r.out);
      bool whole = r.exit_code == 0 && records.size() == 100;
      for (std::size_t i = 0; whole && i < records.size(); ++i) {
        const json j = json::parse(records[i], nullptr, false);
        whole = j.is_object() && j.contains("hits") && j["total"] == j["hits"].size() && j["hits"].size() >= 300;
      }
      if (!whole) {
        fail("heavy --batch: exit " + std::to_string(r.exit_code) + ", " + std::to_string(records.size()) +
             " records, err '" + r.err + "', first error record '" + FirstError(records) + "'");
      }
    }
  });

  // The writer: incremental updates in small batches (a commit after every
  // article per shard, or every five), a --rebuild every third round, and
  // a --compact. A commit per article discards the revisions readers read
  // many times running: in those rounds the heavy batch failed when a
  // search gave up after five attempts in a row.
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
  {
    const RunResult r = Run({kIndexBin, "--quiet", "--db", db.string(), "--compact"});
    INFO("--compact: " << r.err);
    CHECK(r.exit_code == 0);
  }
  done = true;
  for (std::thread& t : readers) t.join();
  std::printf("readers: %d searches, %d batches of 300 queries and %d of 100 while the index changed\n",
              searches.load(), batches.load(), heavy_batches.load());
  INFO(failures.size() << " failures; the first: " << (failures.empty() ? "" : failures.front()));
  CHECK(failures.empty());
  CHECK(searches >= 20);
  CHECK(batches >= 2);
  CHECK(heavy_batches >= 2);
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
