// End-to-end tests of nsearch-index --watch: the real programs, with files
// written, grown, renamed, moved and removed while the watch runs and
// searches run beside it; a restart after SIGKILL; an overflowed event
// queue; nsearch serve following the updates; --new checks beside it. Every wait is a poll with a
// generous bound (the machine may be loaded), never a fixed sleep.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/e2e/serve_support.h"
#include "tests/e2e/support.h"

namespace {

using namespace e2e;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kBound{30};

// Polls `ready` every 50 ms until it holds or `bound` has passed; returns
// whether it held.
template <typename Ready>
bool Eventually(Ready ready, std::chrono::seconds bound = kBound) {
  const auto deadline = Clock::now() + bound;
  while (!ready()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// nsearch-index --db DB --watch ARGS... in the sandbox, started in the
// constructor, its stderr written to a file beside the index; killed
// (SIGKILL), if still running, on destruction.
class Watcher {
 public:
  Watcher(const fs::path& db, const std::vector<std::string>& args)
      : err_path_(db.string() + ".watch-stderr"),
        process_(Argv(db, args),
                 ChildProcess::Options{.env = SandboxEnv(), .capture_output = false, .stderr_path = err_path_}) {}

  std::string Stderr() const { return ReadFile(err_path_); }

  // Waits for `text` on its stderr; false after `bound`, or when it ended.
  bool WaitFor(const std::string& text, std::chrono::seconds bound = kBound) {
    Eventually([&] { return Contains(Stderr(), text) || Ended(); }, bound);
    return Contains(Stderr(), text);
  }

  // Sends `sig`; SIGSTOP returns once it has stopped (ChildProcess::Signal),
  // so that it reads nothing the caller does next.
  void Signal(int sig) { process_.Signal(sig); }

  // Its exit status (128 + the signal that killed it), or -1 when it is
  // still running after `bound`.
  int Wait(std::chrono::seconds bound = kBound) { return process_.Wait(bound).value_or(-1); }

 private:
  static std::vector<std::string> Argv(const fs::path& db, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kIndexBin, "--db", db.string(), "--watch"};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  bool Ended() { return process_.Wait(std::chrono::milliseconds(0)).has_value(); }

  fs::path err_path_;
  ChildProcess process_;
};

// The paths of every hit of `query` in `db` ({} when none, or on an error).
std::set<std::string> HitPaths(const fs::path& db, const std::string& query) {
  const RunResult r = SearchIn(db, {"--format", "paths", "-n", "0", query});
  const std::vector<std::string> lines = Lines(r.out);
  return r.exit_code == 0 ? std::set<std::string>(lines.begin(), lines.end()) : std::set<std::string>{};
}

// Waits until `query`'s hits in `db` are `expected`; false after the bound.
bool HitsBecome(const fs::path& db, const std::string& query, const std::set<std::string>& expected) {
  return Eventually([&] { return HitPaths(db, query) == expected; });
}

std::string Article(const std::string& title, const std::string& body) {
  return "Title: " + title + "\nDate: 2024-03-01\nSource: Test\n\n" + body + "\n";
}

// Searches in a loop on another thread until stopped; counts those that
// failed (an exit status but 0, or anything on stderr).
class SearchesBeside {
 public:
  SearchesBeside(fs::path db, std::string query)
      : thread_([this, db = std::move(db), query = std::move(query)] {
          while (!stop_) {
            const RunResult r = SearchIn(db, {"--format", "paths", query});
            ++runs_;
            if (r.exit_code != 0 || !r.err.empty()) {
              std::lock_guard<std::mutex> lock(mu_);
              failures_.push_back("exit " + std::to_string(r.exit_code) + ": " + r.err);
            }
          }
        }) {}
  ~SearchesBeside() { Stop(); }

  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int runs() const { return runs_; }
  std::vector<std::string> failures() {
    std::lock_guard<std::mutex> lock(mu_);
    return failures_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> runs_{0};
  std::mutex mu_;
  std::vector<std::string> failures_;
  std::thread thread_;
};

std::string Canonical(const fs::path& p) { return fs::weakly_canonical(p).string(); }

// Writes an article to `path` in three parts, 300 ms apart, then closes it.
void WriteInParts(const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  out << Article("Lighthouse keeper", "The keeper of the lighthouse began his log.") << std::flush;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  out << "He wrote of a passing albatross.\n" << std::flush;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  out << "Then came the fog, thick as wool.\n";
}

// Moves into `news` a folder made in `staging` with files already in it
// (wires/), and makes a new folder there written into at once
// (fresh/deeper/). Returns the paths of their narwhal articles.
std::set<std::string> AddFoldersWithFiles(const fs::path& staging, const fs::path& news) {
  fs::create_directories(staging / "inner");
  WriteFile(staging / "one.txt", Article("Wire one", "A narwhal surfaced near the quay."));
  WriteFile(staging / "inner" / "two.txt", Article("Wire two", "A second narwhal followed."));
  fs::rename(staging, news / "wires");
  fs::create_directories(news / "fresh" / "deeper");
  WriteFile(news / "fresh" / "deeper" / "three.txt", Article("Fresh", "A third narwhal, in a new folder."));
  return {Canonical(news / "wires" / "one.txt"), Canonical(news / "wires" / "inner" / "two.txt"),
          Canonical(news / "fresh" / "deeper" / "three.txt")};
}

// Writes into `news` the temporary files of downloads, editors and
// uploads, all about a wombat, which a watch never reads.
void WriteTemporaryFiles(const fs::path& news) {
  WriteFile(news / "draft.txt.part", Article("Part", "The wombat download."));
  WriteFile(news / "draft.txt.crdownload", Article("Part", "The wombat download."));
  WriteFile(news / ".draft.txt.swp", Article("Swap", "The wombat swap."));
  WriteFile(news / "notes.txt~", Article("Backup", "The wombat backup."));
  WriteFile(news / "upload.tmp", Article("Tmp", "The wombat upload."));
}

}  // namespace

TEST_CASE("a watched folder stays current as files appear, grow, move and go, with searches beside it",
          "[watch][e2e]") {
  TempDir dir;
  const fs::path news = dir.path() / "news", db = dir.path() / "idx";
  fs::create_directories(news / "desk");
  WriteFile(news / "base.txt", Article("Harbour walls", "The harbour walls of Porthleven held in the storm."));
  Watcher watch(db, {news.string()});
  REQUIRE(watch.WaitFor("watching"));
  INFO("watch stderr: " << watch.Stderr());
  REQUIRE(HitPaths(db, "porthleven") == std::set<std::string>{Canonical(news / "base.txt")});
  SearchesBeside searches(db, "porthleven");

  // A new file: the time from its close to its first hit.
  const fs::path appeared = news / "appeared.txt";
  WriteFile(appeared, Article("Quokka census", "Rangers counted every quokka on the island."));
  const auto closed = Clock::now();
  REQUIRE(HitsBecome(db, "quokka", {Canonical(appeared)}));
  const double seconds = std::chrono::duration<double>(Clock::now() - closed).count();
  std::printf("nsearch-index --watch: %.2f s from a new file's close to its first hit\n", seconds);
  std::fflush(stdout);

  // A file written in parts, with pauses: found whole once it is done.
  const fs::path grown = news / "grown.txt";
  WriteInParts(grown);
  REQUIRE(HitsBecome(db, "albatross fog lighthouse", {Canonical(grown)}));

  // Renamed, then moved to another folder: found at its new path only.
  fs::rename(appeared, news / "renamed.txt");
  REQUIRE(HitsBecome(db, "quokka", {Canonical(news / "renamed.txt")}));
  fs::rename(news / "renamed.txt", news / "desk" / "moved.txt");
  REQUIRE(HitsBecome(db, "quokka", {Canonical(news / "desk" / "moved.txt")}));

  // Removed: gone.
  fs::remove(grown);
  REQUIRE(HitsBecome(db, "albatross", {}));

  // A folder made with files already in it (moved in), and a new folder
  // written into at once.
  REQUIRE(HitsBecome(db, "narwhal", AddFoldersWithFiles(dir.path() / "staging" / "wires", news)));
  // Files later written into the moved-in folder are seen too.
  WriteFile(news / "wires" / "inner" / "four.txt", Article("Wire four", "A fourth narwhal."));
  REQUIRE(HitsBecome(db, "fourth narwhal", {Canonical(news / "wires" / "inner" / "four.txt")}));

  // Temporary files are never read: written before a marker that is found.
  WriteTemporaryFiles(news);
  WriteFile(news / "marker.txt", Article("Marker", "The marker kestrel."));
  REQUIRE(HitsBecome(db, "kestrel", {Canonical(news / "marker.txt")}));
  CHECK(HitPaths(db, "wombat").empty());

  // The index lock is held for the life of the watch.
  const RunResult second = Index(db, {news.string()});
  CHECK(second.exit_code == 2);
  CHECK(Contains(second.err, "another nsearch-index is updating"));

  searches.Stop();
  CHECK(searches.runs() > 0);
  CHECK(searches.failures() == std::vector<std::string>{});

  // Ctrl-C: stops with 130, everything indexed kept.
  watch.Signal(SIGINT);
  CHECK(watch.Wait() == 130);
  CHECK(Contains(watch.Stderr(), "stopped watching"));
  CHECK(HitPaths(db, "quokka") == std::set<std::string>{Canonical(news / "desk" / "moved.txt")});
  CHECK(HitPaths(db, "narwhal").size() == 4);
}

TEST_CASE("a watch restarted after SIGKILL catches up with what changed meanwhile", "[watch][e2e]") {
  TempDir dir;
  const fs::path news = dir.path() / "news", db = dir.path() / "idx";
  fs::create_directories(news);
  WriteFile(news / "kept.txt", Article("Kept", "The pelican stays."));
  WriteFile(news / "doomed.txt", Article("Doomed", "The dodo goes."));
  {
    Watcher watch(db, {news.string()});
    REQUIRE(watch.WaitFor("watching"));
    WriteFile(news / "live.txt", Article("Live", "An ibis arrives live."));
    REQUIRE(HitsBecome(db, "ibis", {Canonical(news / "live.txt")}));
    watch.Signal(SIGKILL);
    REQUIRE(watch.Wait() == 128 + SIGKILL);
  }
  WriteFile(news / "while-down.txt", Article("Meanwhile", "A heron came while nobody watched."));
  WriteFile(news / "kept.txt", Article("Kept", "The pelican stays, and a flamingo joins it."));
  fs::remove(news / "doomed.txt");

  // No paths: the folders the index remembers.
  Watcher watch(db, {});
  REQUIRE(watch.WaitFor("watching"));
  INFO("watch stderr: " << watch.Stderr());
  CHECK(HitPaths(db, "heron") == std::set<std::string>{Canonical(news / "while-down.txt")});
  CHECK(HitPaths(db, "flamingo") == std::set<std::string>{Canonical(news / "kept.txt")});
  CHECK(HitPaths(db, "dodo").empty());
  WriteFile(news / "after.txt", Article("After", "A stork, after the restart."));
  CHECK(HitsBecome(db, "stork", {Canonical(news / "after.txt")}));
  watch.Signal(SIGTERM);
  CHECK(watch.Wait() == 130);
}

TEST_CASE("a watch whose event queue overflows looks at every file again", "[watch][e2e]") {
  TempDir dir;
  const fs::path news = dir.path() / "news", db = dir.path() / "idx";
  fs::create_directories(news);
  WriteFile(news / "first.txt", Article("First", "The first gannet."));
  Watcher watch(db, {news.string()});
  REQUIRE(watch.WaitFor("watching"));
  INFO("watch stderr: " << watch.Stderr());

  // Stopped, it reads no events: more than the kernel queues are made,
  // alternating between two files so that none merge, then a new file
  // whose events are lost.
  long queued = 16384;
  if (std::FILE* f = std::fopen("/proc/sys/fs/inotify/max_queued_events", "r")) {
    if (std::fscanf(f, "%ld", &queued) != 1) queued = 16384;
    std::fclose(f);
  }
  watch.Signal(SIGSTOP);
  {
    const int a = ::open((news / ".flood-a").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    const int b = ::open((news / ".flood-b").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    REQUIRE(a >= 0);
    REQUIRE(b >= 0);
    for (long i = 0; i < queued + 100; ++i) REQUIRE(::write(i % 2 == 0 ? a : b, "x", 1) == 1);
    ::close(a);
    ::close(b);
  }
  WriteFile(news / "lost.txt", Article("Lost", "A puffin whose events were lost."));
  watch.Signal(SIGCONT);
  CHECK(HitsBecome(db, "puffin", {Canonical(news / "lost.txt")}));
  // The line comes after the commit that made the hit visible.
  CHECK(watch.WaitFor("rescan"));
  // And the watch goes on.
  WriteFile(news / "later.txt", Article("Later", "A later skua."));
  CHECK(HitsBecome(db, "skua", {Canonical(news / "later.txt")}));
  watch.Signal(SIGINT);
  CHECK(watch.Wait() == 130);
}

TEST_CASE("nsearch serve sees each update of a watch", "[watch][e2e]") {
  TempDir dir;
  const fs::path news = dir.path() / "news", db = dir.path() / "idx";
  fs::create_directories(news);
  WriteFile(news / "first.txt", Article("First", "The first osprey."));
  Watcher watch(db, {news.string()});
  REQUIRE(watch.WaitFor("watching"));
  INFO("watch stderr: " << watch.Stderr());

  const Server serve(db);
  httplib::Client client = serve.Client();
  auto total = [&](const std::string& word) {
    const auto r = client.Get(("/api/search?q=" + word).c_str());
    return r && r->status == 200 ? json::parse(r->body).value("total", -1) : -1;
  };
  REQUIRE(total("osprey") == 1);
  CHECK(total("cormorant") == 0);
  WriteFile(news / "second.txt", Article("Second", "A cormorant dives."));
  CHECK(Eventually([&] { return total("cormorant") == 1; }));
  fs::remove(news / "first.txt");
  CHECK(Eventually([&] { return total("osprey") == 0; }));
  watch.Signal(SIGINT);
  CHECK(watch.Wait() == 130);
}

TEST_CASE("a --new check beside a watch shows each new file's article once", "[watch][e2e][saved]") {
  TempDir dir;
  const fs::path news = dir.path() / "news", db = dir.path() / "idx";
  const EnvChanges env = {{"XDG_CONFIG_HOME", (dir.path() / "config").string()},
                          {"XDG_STATE_HOME", (dir.path() / "state").string()}};
  fs::create_directories(news);
  WriteFile(news / "walls.txt", Article("Harbour walls", "The harbour walls of Porthleven held in the storm."));
  Watcher watch(db, {news.string()});
  REQUIRE(watch.WaitFor("watching"));
  INFO("watch stderr: " << watch.Stderr());
  REQUIRE(Run({kSearchBin, "--db", db.string(), "--save", "harbour", "--paths", "harbour"}, env).exit_code == 0);
  const auto check = [&] { return Run({kSearchBin, "--new", "@harbour"}, env); };
  RunResult r = check();
  CHECK(r.exit_code == 0);
  CHECK(r.out == Canonical(news / "walls.txt") + "\n");
  CHECK(check().exit_code == 1);

  WriteFile(news / "repairs.txt", Article("Harbour repairs", "Masons began repairs to the harbour."));
  REQUIRE(HitsBecome(db, "harbour", {Canonical(news / "walls.txt"), Canonical(news / "repairs.txt")}));
  r = check();
  CHECK(r.exit_code == 0);
  CHECK(r.out == Canonical(news / "repairs.txt") + "\n");
  r = check();
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
}
