// End-to-end tests of crash safety and of readers while a writer works:
// nsearch-index killed (SIGKILL) at random moments, a full disk, and
// several nsearch processes searching while the index is updated and
// rebuilt.
//
// What a killed nsearch-index guarantees (docs/index-format.md):
// - a first build: no index (nsearch says so), or the whole of it;
// - --rebuild: the index of the last completed run, exactly, until the new
//   stub is renamed into place; from then on the new index, exactly;
// - an incremental run: every article of the last completed run that the
//   run did not remove or replace is still found, plus whatever batches
//   it committed, and nothing else;
// and in every case the index opens, and the next run completes and leaves
// the index a clean build of the same files would make.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <sys/mount.h>
#include <thread>

#include "tests/e2e_support.h"
#include "tests/support/skip.h"

using namespace e2e;

namespace {

using Ids = std::set<std::string>;

// A pseudo-random word of 5 to 10 letters: the synthetic articles share
// little vocabulary, so none is a near-duplicate of another.
// They start with "zq", so no stem of theirs is a word of the fixtures.
std::string Word(std::mt19937& random) {
  std::string w = "zq";
  const int length = 3 + static_cast<int>(random() % 6);
  for (int i = 0; i < length; ++i) w += static_cast<char>('a' + random() % 26);
  return w;
}

std::string Words(std::mt19937& random, int n) {
  std::string text;
  for (int i = 0; i < n; ++i) text += Word(random) + (i % 12 == 11 ? ".\n" : " ");
  return text;
}

// A corpus the test changes from run to run and knows the article ids of:
// text files (their id is their path) and JSON Lines feeds of many articles
// each (ids of their own), so that one file's articles land in several
// shards and batches.
class Corpus {
 public:
  Corpus(const fs::path& root, std::uint32_t seed) : root_(root), random_(seed) {
    fs::create_directories(root_ / "text");
    fs::create_directories(root_ / "feeds");
    root_ = fs::canonical(root_);
    fs::copy(kNewsDir, root_ / "fixtures", fs::copy_options::recursive);
    for (const auto& entry : fs::recursive_directory_iterator(root_ / "fixtures")) {
      if (entry.is_regular_file()) fixed_.insert(entry.path().string());
    }
  }

  const fs::path& root() const { return root_; }

  void AddText(int n, const std::string& marker) {
    for (int i = 0; i < n; ++i) {
      const fs::path path = root_ / "text" / ("a" + std::to_string(next_text_++) + ".txt");
      WriteText(path, marker);
      texts_.push_back(path.string());
    }
  }
  void EditText(int n, const std::string& marker) {
    for (int i = 0; i < n && !texts_.empty(); ++i) WriteText(texts_[random_() % texts_.size()], marker);
  }
  void RemoveText(int n) {
    for (int i = 0; i < n && !texts_.empty(); ++i) {
      const std::size_t k = random_() % texts_.size();
      fs::remove(texts_[k]);
      texts_.erase(texts_.begin() + static_cast<std::ptrdiff_t>(k));
    }
  }
  void AddFeed(int articles, const std::string& marker) {
    const std::string name = (root_ / "feeds" / ("f" + std::to_string(next_feed_++) + ".jsonl")).string();
    std::vector<std::string>& ids = feeds_[name];
    for (int i = 0; i < articles; ++i) ids.push_back(NewFeedId());
    WriteFeed(name, marker);
  }
  // Rewrites a feed: some articles dropped, some new, every body changed.
  void EditFeed(const std::string& marker) {
    if (feeds_.empty()) return;
    auto it = std::next(feeds_.begin(), static_cast<std::ptrdiff_t>(random_() % feeds_.size()));
    std::vector<std::string>& ids = it->second;
    for (int i = 0; i < 4 && ids.size() > 1; ++i) ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(random_() % ids.size()));
    for (int i = 0; i < 6; ++i) ids.push_back(NewFeedId());
    WriteFeed(it->first, marker);
  }

  // The ids a complete index of the corpus holds.
  Ids ExpectedIds() const {
    Ids ids(fixed_.begin(), fixed_.end());
    ids.insert(texts_.begin(), texts_.end());
    for (const auto& [name, feed] : feeds_) ids.insert(feed.begin(), feed.end());
    return ids;
  }

 private:
  std::string NewFeedId() { return "feed-" + std::to_string(next_feed_id_++); }

  void WriteText(const std::string& path, const std::string& marker) {
    WriteFile(path, "Title: " + Words(random_, 6) + "\n\n" + marker + " " + Words(random_, 150));
  }
  void WriteFeed(const std::string& path, const std::string& marker) {
    std::string text;
    for (const std::string& id : feeds_[path]) {
      text += json{{"id", id}, {"title", Words(random_, 5)}, {"body", marker + " " + Words(random_, 120)}}.dump() + "\n";
    }
    WriteFile(path, text);
  }

  fs::path root_;
  std::mt19937 random_;
  std::set<std::string> fixed_;
  std::vector<std::string> texts_;
  std::map<std::string, std::vector<std::string>> feeds_;
  int next_text_ = 0, next_feed_ = 0, next_feed_id_ = 0;
};

// Every article id in the index at `db` under `root`: nsearch opens it and
// lists all of them (dir: matches every file's articles). nullopt, with the
// error in `err`, when nsearch fails.
std::optional<Ids> IdsIn(const fs::path& db, const fs::path& root, std::string* err = nullptr,
                         const std::string& query = "") {
  const std::string q = "dir:" + root.string() + (query.empty() ? "" : " " + query);
  const RunResult r = SearchIn(db, {"--format", "ids", "--all", "-n", "0", q});
  if (r.exit_code != 0 && !(r.exit_code == 1 && r.out.empty())) {
    if (err) *err = "exit " + std::to_string(r.exit_code) + ": " + r.err;
    return std::nullopt;
  }
  const std::vector<std::string> lines = Lines(r.out);
  return Ids(lines.begin(), lines.end());
}

std::vector<std::string> Generations(const fs::path& db) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(db)) {
    const std::string name = entry.path().filename().string();
    if (StartsWith(name, "gen-") || StartsWith(name, "XAPIANDB.")) names.push_back(name);
  }
  return names;
}

std::string Describe(const Ids& ids) {
  std::string out = std::to_string(ids.size()) + " ids";
  int shown = 0;
  for (const std::string& id : ids) {
    if (shown++ == 5) break;
    out += (shown == 1 ? ": " : ", ") + id;
  }
  return out;
}

Ids Minus(const Ids& a, const Ids& b) {
  Ids out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

// Checks that the index at `db` opens and holds exactly `expected` under
// `root`, saying what differs when not.
void CheckIds(const fs::path& db, const fs::path& root, const Ids& expected, const std::string& query = "") {
  std::string err;
  const std::optional<Ids> seen = IdsIn(db, root, &err, query);
  INFO("nsearch: " << err);
  REQUIRE(seen);
  INFO("missing: " << Describe(Minus(expected, *seen)) << "; unexpected: " << Describe(Minus(*seen, expected)));
  CHECK(*seen == expected);
}

}  // namespace

TEST_CASE("nsearch-index killed at random moments loses nothing it committed, and the next run completes",
          "[e2e][crash]") {
  std::uint32_t seed = std::random_device{}();
  if (const char* s = std::getenv("NSEARCH_KILL_SEED")) seed = static_cast<std::uint32_t>(std::stoul(s));
  // Printed whether the test passes or fails: NSEARCH_KILL_SEED=... replays it.
  std::printf("kill test seed: %u (NSEARCH_KILL_SEED)\n", seed);
  INFO("seed " << seed << " (rerun with NSEARCH_KILL_SEED=" << seed << ")");
  std::mt19937 random(seed);

  TempDir dir;
  Corpus corpus(dir.path() / "corpus", seed);
  corpus.AddText(1200, "rev0");
  for (int i = 0; i < 12; ++i) corpus.AddFeed(40, "rev0");
  const fs::path db = dir.path() / "idx";
  // Small batches and two shards: many commits, each shard on its own.
  const std::vector<std::string> options = {"--batch-size", "25", "--shards", "2"};
  auto index_argv = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {kIndexBin, "--quiet", "--db", db.string()};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  };

  // A first build killed at once or part way: no index yet, or all of it.
  {
    const RunResult killed = Run(index_argv({corpus.root().string()}), {}, std::chrono::milliseconds(300));
    std::string err;
    const std::optional<Ids> seen = IdsIn(db, corpus.root(), &err);
    INFO("first build, killed: " << killed.timed_out << "; nsearch: " << err);
    if (seen) {
      CHECK(*seen == corpus.ExpectedIds());
    } else {
      CHECK(Contains(err, "no index at"));
    }
  }
  auto completed_run = [&](const std::vector<std::string>& extra) {
    const auto started = std::chrono::steady_clock::now();
    const RunResult r = Run(index_argv(extra), {}, std::chrono::seconds(300));
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  };
  completed_run({corpus.root().string()});
  Ids committed = corpus.ExpectedIds();
  CheckIds(db, corpus.root(), committed);

  // How long each kind of run takes here, so that kills fall anywhere in one:
  // a rebuild, and an update with as much to do as each trial's.
  auto change = [&](const std::string& marker, bool new_feed) {
    corpus.AddText(150, marker);
    corpus.EditText(120, marker);
    corpus.RemoveText(60);
    corpus.EditFeed(marker);
    corpus.EditFeed(marker);
    if (new_feed) corpus.AddFeed(30, marker);
  };
  std::chrono::milliseconds rebuild_time = completed_run({"--rebuild"});
  change("rev0", true);
  std::chrono::milliseconds update_time = completed_run({});
  committed = corpus.ExpectedIds();
  CheckIds(db, corpus.root(), committed);
  std::printf("kill test: a rebuild takes %lld ms, an update %lld ms\n", static_cast<long long>(rebuild_time.count()),
              static_cast<long long>(update_time.count()));

  // Trials until 20 runs were killed part way (a run that completes before
  // its kill time makes the next kill of its kind come sooner: the machine's
  // load changes run times), at most kMaxTrials.
  constexpr int kKilledRuns = 20, kMaxTrials = 60;
  int killed_runs = 0, trials = 0;
  for (int trial = 1; trial <= kMaxTrials && killed_runs < kKilledRuns; ++trial) {
    trials = trial;
    const bool rebuild = trial % 2 == 0;
    const std::string marker = "rev" + std::to_string(trial);
    change(marker, trial % 4 == 1);
    const Ids expected = corpus.ExpectedIds();

    const std::chrono::milliseconds span = rebuild ? rebuild_time : update_time;
    const auto kill_after = std::chrono::milliseconds(random() % static_cast<std::uint32_t>(span.count() * 11 / 10 + 1));
    const auto started = std::chrono::steady_clock::now();
    const RunResult r = Run(index_argv(rebuild ? std::vector<std::string>{"--rebuild"} : std::vector<std::string>{}), {},
                            kill_after);
    killed_runs += r.timed_out;
    if (!r.timed_out) {
      const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
      (rebuild ? rebuild_time : update_time) = took;
    }
    std::printf("trial %2d: %-11s killed after %5lld ms: %s\n", trial, rebuild ? "--rebuild" : "incremental",
                static_cast<long long>(kill_after.count()), r.timed_out ? "killed" : "had completed");
    INFO("trial " << trial << (rebuild ? " (--rebuild)" : " (incremental)") << ", killed after " << kill_after.count()
                  << " ms: " << (r.timed_out ? "killed" : "completed, exit " + std::to_string(r.exit_code))
                  << "; stderr: " << r.err);
    if (!r.timed_out) CHECK(r.exit_code == 0);

    // The index opens and holds what the guarantee says.
    std::string err;
    const std::optional<Ids> seen = IdsIn(db, corpus.root(), &err);
    INFO("nsearch: " << err);
    REQUIRE(seen);
    if (rebuild || !r.timed_out) {
      // All of the old index or all of the new one.
      INFO("missing from the old index: " << Describe(Minus(committed, *seen)) << "; missing from the new one: "
                                          << Describe(Minus(expected, *seen)));
      CHECK((*seen == committed || *seen == expected));
    } else {
      Ids kept;  // the old articles this run had no reason to touch
      std::set_intersection(committed.begin(), committed.end(), expected.begin(), expected.end(),
                            std::inserter(kept, kept.end()));
      Ids either = committed;
      either.insert(expected.begin(), expected.end());
      INFO("lost: " << Describe(Minus(kept, *seen)) << "; unknown: " << Describe(Minus(*seen, either)));
      CHECK(Minus(kept, *seen).empty());
      CHECK(Minus(*seen, either).empty());
    }

    // The next run completes (no stale lock, no leftovers in its way) and
    // leaves exactly the corpus, and one generation.
    completed_run(trial % 4 == 0 ? std::vector<std::string>{"--rebuild"} : std::vector<std::string>{});
    committed = expected;
    CheckIds(db, corpus.root(), expected);
    CHECK(Generations(db).size() == 1);
  }
  std::printf("kill test: %d trials, %d runs killed\n", trials, killed_runs);
  CHECK(killed_runs >= kKilledRuns);  // the kills fell inside the runs, not after them

  // The index equals a clean build of the same files, article for article
  // and version for version.
  const fs::path clean = dir.path() / "clean";
  REQUIRE(Index(clean, {corpus.root().string()}).exit_code == 0);
  const std::optional<Ids> clean_ids = IdsIn(clean, corpus.root());
  REQUIRE(clean_ids);
  CHECK(*clean_ids == corpus.ExpectedIds());
  CheckIds(db, corpus.root(), *clean_ids);
  for (int trial = 0; trial <= trials; ++trial) {
    const std::string marker = "rev" + std::to_string(trial);
    INFO("articles with " << marker);
    const std::optional<Ids> clean_marked = IdsIn(clean, corpus.root(), nullptr, marker);
    REQUIRE(clean_marked);
    CheckIds(db, corpus.root(), *clean_marked, marker);
  }
}

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

namespace {

// The largest file under `dir`, in bytes.
std::uintmax_t LargestFile(const fs::path& dir) {
  std::uintmax_t largest = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) largest = std::max(largest, entry.file_size());
  }
  return largest;
}

// Checks a run that ran out of space: status 2, one line naming what could
// not be written and why (`reason`, as strerror gives it).
void CheckOutOfSpace(const RunResult& r, const std::string& reason) {
  INFO("exit " << r.exit_code << "; stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(Lines(r.err).size() == 1);
  CHECK(StartsWith(r.err, "nsearch-index: cannot "));
  CHECK(Contains(r.err, reason));
}

// Indexes the fixtures into `db`, then fails to add a larger corpus to it,
// by an update and by a --rebuild, running the indexer through `wrap`
// (which limits its space); each time the index before stays whole and
// searchable. Then, with space again, the update completes.
void CheckFullDisk(const fs::path& db, const fs::path& work, const std::vector<std::string>& wrap,
                   const std::string& reason) {
  Corpus corpus(work / "corpus", 7);
  REQUIRE(Index(db, {corpus.root().string()}, {"--jobs", "2"}).exit_code == 0);
  const Ids before = corpus.ExpectedIds();
  CheckIds(db, corpus.root(), before);
  corpus.AddText(1500, "bulk");
  for (int i = 0; i < 5; ++i) corpus.AddFeed(100, "bulk");

  for (const std::vector<std::string>& mode : {std::vector<std::string>{}, std::vector<std::string>{"--rebuild"}}) {
    std::vector<std::string> argv = wrap;
    for (const std::string& a : {kIndexBin, std::string("--quiet"), std::string("--db"), db.string()}) argv.push_back(a);
    argv.insert(argv.end(), mode.begin(), mode.end());
    // Under LeakSanitizer, with the suppression of Xapian's own leak on a
    // failed write (tests/lsan-disk-full.supp).
    const RunResult r = Run(argv, {{"LSAN_OPTIONS", "suppressions=" LSAN_DISK_FULL_SUPP}}, std::chrono::seconds(120));
    INFO((mode.empty() ? "update" : "--rebuild"));
    CheckOutOfSpace(r, reason);
    // The update may have committed some batches first; the articles the
    // index had are all there, and only articles of the corpus.
    const std::optional<Ids> seen = IdsIn(db, corpus.root());
    REQUIRE(seen);
    CHECK(Minus(before, *seen).empty());
    CHECK(Minus(*seen, corpus.ExpectedIds()).empty());
    CHECK(SearchIn(db, {"--format", "count", "cuba"}).out == "6\n");
  }
}

}  // namespace

TEST_CASE("past a file size limit (ulimit -f) indexing fails with one clear line and the index stays searchable",
          "[e2e][crash][disk-full]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  // The limit is set once the first index exists: a little above its
  // largest file, far below what the bulk corpus needs.
  Corpus probe(dir.path() / "probe", 7);
  REQUIRE(Index(dir.path() / "probe-idx", {probe.root().string()}, {"--jobs", "2"}).exit_code == 0);
  const std::uintmax_t limit = LargestFile(dir.path() / "probe-idx") + (128 << 10);
  CheckFullDisk(db, dir.path(), {"/usr/bin/prlimit", "--fsize=" + std::to_string(limit), "--"}, "File too large");
  const RunResult r = Index(db, {});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(SearchIn(db, {"--format", "count", "bulk"}).out == "2000\n");
}

TEST_CASE("on a full filesystem indexing fails with one clear line and the index stays searchable",
          "[e2e][crash][disk-full]") {
  TempDir dir;
  const fs::path mnt = dir.path() / "small";
  fs::create_directories(mnt);
  // A 3 MB tmpfs holds the fixtures' index but not the bulk corpus's. Mounting
  // needs root (CAP_SYS_ADMIN); without it the file size limit test above
  // covers running out of space.
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=3m") != 0) {
    nsearch::test::ReportSkipped(std::string("cannot mount a small tmpfs (needs root): ") + std::strerror(errno));
    return;
  }
  struct Unmount {
    fs::path path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};
  CheckFullDisk(mnt / "idx", dir.path(), {}, "No space left on device");
}
