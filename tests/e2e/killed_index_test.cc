// End-to-end tests of crash safety: nsearch-index killed (SIGKILL) at random
// moments.
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
#include <thread>

#include "tests/e2e/changing_corpus.h"
#include "tests/e2e/support.h"

using namespace e2e;

namespace {

// Checks that the index at `db` opens and holds what a killed run
// guarantees: with `whole`, exactly the `committed` ids or exactly the
// `expected` ones; else every committed id the run had no reason to touch,
// and no id that is in neither.
void CheckKilledRun(const fs::path& db, const fs::path& root, const Ids& committed, const Ids& expected, bool whole) {
  std::string err;
  const std::optional<Ids> seen = IdsIn(db, root, &err);
  INFO("nsearch: " << err);
  REQUIRE(seen);
  if (whole) {
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
}

// Checks that the index at `db` equals a clean build of `root` (made in
// `clean`), article for article and, for each marker rev0..rev`trials`,
// version for version.
void CheckEqualsCleanBuild(const fs::path& db, const fs::path& root, const fs::path& clean, const Ids& expected,
                           int trials) {
  REQUIRE(Index(clean, {root.string()}).exit_code == 0);
  const std::optional<Ids> clean_ids = IdsIn(clean, root);
  REQUIRE(clean_ids);
  CHECK(*clean_ids == expected);
  CheckIds(db, root, *clean_ids);
  for (int trial = 0; trial <= trials; ++trial) {
    const std::string marker = "rev" + std::to_string(trial);
    INFO("articles with " << marker);
    const std::optional<Ids> clean_marked = IdsIn(clean, root, nullptr, marker);
    REQUIRE(clean_marked);
    CheckIds(db, root, *clean_marked, marker);
  }
}

// The seed of the kills and the corpus: random, or NSEARCH_KILL_SEED's. It
// is printed whether the test passes or fails, so that the seed replays it.
std::uint32_t KillSeed() {
  std::uint32_t seed = std::random_device{}();
  if (const char* s = std::getenv("NSEARCH_KILL_SEED")) seed = static_cast<std::uint32_t>(std::stoul(s));
  std::printf("kill test seed: %u (NSEARCH_KILL_SEED)\n", seed);
  return seed;
}

// A changing corpus and its index, and the nsearch-index runs made on it.
struct IndexUnderKill {
  explicit IndexUnderKill(std::uint32_t seed) : corpus(dir.path() / "corpus", seed), db(dir.path() / "idx") {}

  // nsearch-index on `db` with `extra`. Small batches and two shards: many
  // commits, each shard on its own.
  std::vector<std::string> IndexArgv(const std::vector<std::string>& extra) const {
    std::vector<std::string> argv = {kIndexBin, "--quiet", "--db", db.string(), "--batch-size", "25", "--shards", "2"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  // Runs nsearch-index with `extra` to its end, which must be a success;
  // returns how long it took.
  std::chrono::milliseconds CompletedRun(const std::vector<std::string>& extra) const {
    const auto started = std::chrono::steady_clock::now();
    const RunResult r = Run(IndexArgv(extra), {}, std::chrono::seconds(300));
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  }

  // The changes between two runs, marked `marker`.
  void Change(const std::string& marker, bool new_feed) {
    corpus.AddText(150, marker);
    corpus.EditText(120, marker);
    corpus.RemoveText(60);
    corpus.EditFeed(marker);
    corpus.EditFeed(marker);
    if (new_feed) corpus.AddFeed(30, marker);
  }

  TempDir dir;
  Corpus corpus;
  fs::path db;
};

// How long each kind of run takes here, so that kills fall anywhere in one.
struct RunTimes {
  std::chrono::milliseconds rebuild, update;
};

// A first build killed at once or part way: no index yet, or all of it.
void CheckKilledFirstBuild(const IndexUnderKill& index) {
  const RunResult killed = Run(index.IndexArgv({index.corpus.root().string()}), {}, std::chrono::milliseconds(300));
  std::string err;
  const std::optional<Ids> seen = IdsIn(index.db, index.corpus.root(), &err);
  INFO("first build, killed: " << killed.timed_out << "; nsearch: " << err);
  if (seen) {
    CHECK(*seen == index.corpus.ExpectedIds());
  } else {
    CHECK(Contains(err, "no index at"));
  }
}

// Trial `trial`: changes the corpus, runs nsearch-index (--rebuild on even
// trials) and kills it at a random moment up to 1.1 times such a run's time,
// checks what it left against the `committed` ids, then completes the next
// run. Returns whether the kill fell inside the run; a run that had
// completed updates `times`, and `committed` becomes the corpus's ids.
bool KillAndRecover(IndexUnderKill& index, int trial, std::mt19937& random, RunTimes& times, Ids& committed) {
  const bool rebuild = trial % 2 == 0;
  const std::string marker = "rev" + std::to_string(trial);
  index.Change(marker, trial % 4 == 1);
  const Ids expected = index.corpus.ExpectedIds();

  std::chrono::milliseconds& span = rebuild ? times.rebuild : times.update;
  const auto kill_after = std::chrono::milliseconds(random() % static_cast<std::uint32_t>(span.count() * 11 / 10 + 1));
  const auto started = std::chrono::steady_clock::now();
  const RunResult r =
      Run(index.IndexArgv(rebuild ? std::vector<std::string>{"--rebuild"} : std::vector<std::string>{}), {}, kill_after);
  if (!r.timed_out) {
    span = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  }
  std::printf("trial %2d: %-11s killed after %5lld ms: %s\n", trial, rebuild ? "--rebuild" : "incremental",
              static_cast<long long>(kill_after.count()), r.timed_out ? "killed" : "had completed");
  INFO("trial " << trial << (rebuild ? " (--rebuild)" : " (incremental)") << ", killed after " << kill_after.count()
                << " ms: " << (r.timed_out ? "killed" : "completed, exit " + std::to_string(r.exit_code))
                << "; stderr: " << r.err);
  if (!r.timed_out) CHECK(r.exit_code == 0);

  CheckKilledRun(index.db, index.corpus.root(), committed, expected, rebuild || !r.timed_out);

  // The next run completes (no stale lock, no leftovers in its way) and
  // leaves exactly the corpus, and one generation.
  index.CompletedRun(trial % 4 == 0 ? std::vector<std::string>{"--rebuild"} : std::vector<std::string>{});
  committed = expected;
  CheckIds(index.db, index.corpus.root(), expected);
  CHECK(Generations(index.db).size() == 1);
  return r.timed_out;
}

}  // namespace

TEST_CASE("nsearch-index killed at random moments loses nothing it committed, and the next run completes",
          "[e2e][crash]") {
  const std::uint32_t seed = KillSeed();
  INFO("seed " << seed << " (rerun with NSEARCH_KILL_SEED=" << seed << ")");
  std::mt19937 random(seed);

  IndexUnderKill index(seed);
  index.corpus.AddText(1200, "rev0");
  for (int i = 0; i < 12; ++i) index.corpus.AddFeed(40, "rev0");
  CheckKilledFirstBuild(index);
  index.CompletedRun({index.corpus.root().string()});
  Ids committed = index.corpus.ExpectedIds();
  CheckIds(index.db, index.corpus.root(), committed);

  // The times of a rebuild, and of an update with as much to do as each
  // trial's.
  RunTimes times{};
  times.rebuild = index.CompletedRun({"--rebuild"});
  index.Change("rev0", true);
  times.update = index.CompletedRun({});
  committed = index.corpus.ExpectedIds();
  CheckIds(index.db, index.corpus.root(), committed);
  std::printf("kill test: a rebuild takes %lld ms, an update %lld ms\n", static_cast<long long>(times.rebuild.count()),
              static_cast<long long>(times.update.count()));

  // Trials until 20 runs were killed part way (a run that completes before
  // its kill time makes the next kill of its kind come sooner: the machine's
  // load changes run times), at most kMaxTrials.
  constexpr int kKilledRuns = 20, kMaxTrials = 60;
  int killed_runs = 0, trials = 0;
  for (int trial = 1; trial <= kMaxTrials && killed_runs < kKilledRuns; ++trial) {
    trials = trial;
    killed_runs += KillAndRecover(index, trial, random, times, committed);
  }
  std::printf("kill test: %d trials, %d runs killed\n", trials, killed_runs);
  CHECK(killed_runs >= kKilledRuns);  // the kills fell inside the runs, not after them

  // The index equals a clean build of the same files, article for article
  // and version for version.
  CheckEqualsCleanBuild(index.db, index.corpus.root(), index.dir.path() / "clean", index.corpus.ExpectedIds(), trials);
}
