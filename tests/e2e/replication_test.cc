// End-to-end test of replication (docs/scaling.md, "Updates that reach the
// serving machines"), on 127.0.0.1 with Xapian's own programs: an index of
// two shards built with --changesets; xapian-replicate-server serving its
// DIR/live; one xapian-replicate per shard keeping a replica; one
// xapian-tcpsrv per replica; nsearch (fresh processes, and nsearch serve,
// which keeps its connections) searching through a stub of `remote tcp`
// lines. An article added on the indexing side, and then a --rebuild, must
// reach the searches within a bounded time, with searches running all
// along and none failing. Every server runs in a process group of its own,
// killed with it when the test ends.
#include <httplib.h>

#include <atomic>
#include <mutex>

#include "tests/e2e/support.h"
#include "tests/e2e/remote_server.h"

using namespace e2e;

namespace {

const std::string kReplicateBin = XAPIAN_REPLICATE_BIN;
const std::string kReplicateServerBin = XAPIAN_REPLICATE_SERVER_BIN;
constexpr int kShards = 2;
constexpr auto kReachWithin = std::chrono::seconds(30);

using nsearch::test::LoopbackServer;

// A program run in a process group of its own, its stdout and stderr into
// `log`; the group is killed (the program and what it forked) on destruction.
class Daemon {
 public:
  Daemon(const std::vector<std::string>& argv, const fs::path& log)
      : log_(log),
        process_(argv, ChildProcess::Options{.capture_output = false,
                                             .stdout_path = log,
                                             .stderr_path = log,
                                             .own_process_group = true}) {}
  std::string Log() const { return ReadFile(log_); }

 private:
  fs::path log_;
  ChildProcess process_;
};

// A server program on a free port of 127.0.0.1, `argv` with "PORT" in an
// argument replaced by the port, its output into `log`.
std::unique_ptr<LoopbackServer> StartServer(const std::vector<std::string>& argv, const fs::path& log) {
  return std::make_unique<LoopbackServer>(
      argv[0],
      [&](unsigned short port) {
        std::vector<std::string> args = argv;
        for (std::string& a : args) {
          if (const auto at = a.find("PORT"); at != std::string::npos) a.replace(at, 4, std::to_string(port));
        }
        return args;
      },
      log);
}

// nsearch serve on a free port, until destroyed (SIGKILL with its group).
class Serve {
 public:
  Serve(const fs::path& db, const fs::path& log)
      : server_(StartServer({kSearchBin, "serve", "--db", db.string(), "--listen", "127.0.0.1:PORT"}, log)) {}
  // The paths of the hits of `query` (all of them); nullopt with `error` set when it fails.
  std::optional<std::vector<std::string>> Paths(const std::string& query, std::string& error) const {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(30, 0);
    const std::string url = "/api/search?n=100&q=" + httplib::detail::encode_query_param(query);
    httplib::Result r = client.Get(url.c_str());
    if (!r || r->status != 200) {
      error = "serve: " + (r ? std::to_string(r->status) + " " + r->body : httplib::to_string(r.error()));
      return std::nullopt;
    }
    std::vector<std::string> paths;
    const json answer = json::parse(r->body);  // kept: a range-for over a temporary's member dangles
    for (const json& hit : answer.at("hits")) paths.push_back(hit.at("path").get<std::string>());
    return paths;
  }

 private:
  std::unique_ptr<LoopbackServer> server_;
};

// The hits of `query` through a fresh nsearch process; nullopt with `error` set when it fails.
std::optional<std::vector<std::string>> FreshPaths(const fs::path& db, const std::string& query, std::string& error) {
  const RunResult r = SearchIn(db, {"--format", "paths", "-n", "0", query});
  if (r.exit_code > 1 || !r.err.empty()) {
    error = "nsearch exit " + std::to_string(r.exit_code) + ": " + r.err;
    return std::nullopt;
  }
  return Lines(r.out);
}

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// What a search's answer says of the article `name`: "found", "missing" or its error.
std::string Outcome(const std::optional<std::vector<std::string>>& paths, const std::string& name,
                    const std::string& error) {
  if (!paths) return error;
  return Has(*paths, name) ? "found" : "missing among " + std::to_string(paths->size()) + " hits";
}

// Searches for `query` through a fresh process and through serve until
// both list the article at `path` among their hits (or `kReachWithin` passes); returns
// the seconds it took, or -1 with `last` saying what each search found last.
double SecondsUntilBothFind(const fs::path& cluster, const Serve& serve, const std::string& query,
                            const fs::path& path, std::string& last) {
  const std::string name = fs::canonical(path).string();
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < kReachWithin) {
    std::string fresh_error, serve_error;
    const auto fresh = FreshPaths(cluster, query, fresh_error);
    const auto served = serve.Paths(query, serve_error);
    last = "nsearch: " + Outcome(fresh, name, fresh_error) + "; serve: " + Outcome(served, name, serve_error);
    if (last == "nsearch: found; serve: found") {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return -1;
}

// Searches without a pause, from a thread, through fresh processes and
// serve, until stopped; keeps every failure.
class Searching {
 public:
  Searching(const fs::path& cluster, const Serve& serve)
      : thread_([this, cluster, &serve] {
          while (!stop_) {
            std::string error;
            const bool ok = FreshPaths(cluster, "cuba", error) && serve.Paths("cuba", error);
            const std::lock_guard<std::mutex> hold(mutex_);
            ++searches_;
            if (!ok) failures_.push_back(error);
          }
        }) {}
  ~Searching() { Stop(); }

  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int searches() {
    const std::lock_guard<std::mutex> hold(mutex_);
    return searches_;
  }
  std::vector<std::string> failures() {
    const std::lock_guard<std::mutex> hold(mutex_);
    return failures_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  int searches_ = 0;
  std::vector<std::string> failures_;
  std::thread thread_;
};

// Whether every live shard of the index at `db` has a changeset file
// (glass names them changes<REVISION>).
bool KeepsChangesets(const fs::path& db) {
  for (int k = 0; k < kShards; ++k) {
    bool found = false;
    for (const auto& entry : fs::directory_iterator(db / "live" / ("shard-" + std::to_string(k)))) {
      found = found || StartsWith(entry.path().filename().string(), "changes");
    }
    if (!found) return false;
  }
  return true;
}

// The lines of the xapian-replicate logs (-v) that changed a replica.
std::string Updates(const std::vector<std::unique_ptr<Daemon>>& replicators) {
  std::string updates;
  for (const auto& replicator : replicators) {
    for (const std::string& line : Lines(replicator->Log())) {
      if (StartsWith(line, "Update complete") && !Contains(line, "no changes")) updates += line + "\n";
    }
  }
  return updates;
}

void WriteArticle(const fs::path& path, const std::string& title, const std::string& word) {
  WriteFile(path, "Title: " + title + "\nDate: 2024-03-01\nSource: Test Wire\n\n" + title +
                      ". The Cuba desk filed this report about " + word + " on the coast, and the " + word +
                      " count rose again this week.\n");
}

// The serving side of the index at `master`: xapian-replicate-server over
// its DIR/live; per shard, xapian-replicate keeping a replica (polling every
// second) and xapian-tcpsrv serving it; a stub of their addresses.
struct ServingSide {
  ServingSide(const fs::path& master, const fs::path& dir) : replicas(dir / "replicas"), cluster(dir / "cluster") {
    replicate_server = StartServer({kReplicateServerBin, "-I", "127.0.0.1", "-p", "PORT", (master / "live").string()},
                                   dir / "replicate-server.log");
    const unsigned short replication_port = replicate_server->port();
    std::string stub;
    for (int k = 0; k < kShards; ++k) {
      const std::string name = "shard-" + std::to_string(k);
      const fs::path replica = replicas / name;
      fs::create_directories(replicas);
      replicators.push_back(std::make_unique<Daemon>(
          std::vector<std::string>{kReplicateBin, "-h", "127.0.0.1", "-p", std::to_string(replication_port), "-m",
                                   name, "-i", "1", "-r", "0", "-v", replica.string()},
          dir / (name + "-replicate.log")));
      const auto deadline = std::chrono::steady_clock::now() + kReachWithin;
      while (!fs::exists(replica / "XAPIANDB") && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (!fs::exists(replica / "XAPIANDB")) throw std::runtime_error("no replica of " + name + ": " + Updates(replicators));
      // A short idle timeout: serve's connections are closed under it while
      // it waits, and it must connect again rather than fail a search.
      servers.push_back(StartServer({kTcpsrvBin, "--interface", "127.0.0.1", "--port", "PORT", "--idle-timeout",
                                     "2000", "--quiet", replica.string()},
                                    dir / (name + "-tcpsrv.log")));
      stub += "remote tcp " + servers.back()->address() + "\n";
    }
    fs::create_directories(cluster);
    WriteFile(cluster / "XAPIANDB", stub);
  }

  fs::path replicas;
  fs::path cluster;
  std::unique_ptr<LoopbackServer> replicate_server;
  std::vector<std::unique_ptr<Daemon>> replicators;
  std::vector<std::unique_ptr<LoopbackServer>> servers;
};

// Whether the hits of `query` through the stub `cluster` become those of the
// index at `master` within kReachWithin; `error` says the last failure.
bool SameHitsWithin(const fs::path& cluster, const fs::path& master, const std::string& query, std::string& error) {
  const auto local = FreshPaths(master, query, error);
  if (!local || local->empty()) return false;
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < kReachWithin) {
    if (FreshPaths(cluster, query, error) == local) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

}  // namespace

TEST_CASE("an update and a rebuild reach the replicas served by xapian-tcpsrv, with no failed search",
          "[remote][replication]") {
  TempDir dir;
  const fs::path archive = dir.path() / "archive";
  fs::copy(kNewsDir, archive, fs::copy_options::recursive);
  const fs::path master = dir.path() / "master";
  REQUIRE(Index(master, {archive.string()}, {"--shards", std::to_string(kShards), "--changesets", "20"}).exit_code == 0);
  // The stable names of the live generation's shards.
  REQUIRE(fs::read_symlink(master / "live") == "gen-1");
  for (int k = 0; k < kShards; ++k) REQUIRE(fs::exists(master / "live" / ("shard-" + std::to_string(k)) / "iamglass"));

  const ServingSide serving(master, dir.path());
  std::string error, last;
  if (!SameHitsWithin(serving.cluster, master, "cuba", error)) FAIL("the replicas did not catch up: " << error);
  const Serve serve(serving.cluster, dir.path() / "serve.log");
  Searching searching(serving.cluster, serve);

  // An update: glass keeps its changesets, and the replicas apply them.
  const fs::path one = archive / "wire" / "replication-probe-one.txt";
  WriteArticle(one, "Quokka census on the reef", "quokkas");
  REQUIRE(Index(master, {}).exit_code == 0);
  CHECK(KeepsChangesets(master));
  const double update_seconds = SecondsUntilBothFind(serving.cluster, serve, "quokkas", one, last);
  INFO("last searches: " << last << "\nreplicas: " << Updates(serving.replicators));
  REQUIRE(update_seconds >= 0);

  // Serve's connections outlive the servers' idle timeout.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));

  // A rebuild: a new generation, new databases (new UUIDs); the replicas
  // copy them whole. It takes the shard count again (one shard without
  // --shards): the same count keeps each replica following its shard.
  const std::string replica_stub = ReadFile(serving.replicas / "shard-0" / "XAPIANDB");
  const fs::path two = archive / "wire" / "replication-probe-two.txt";
  WriteArticle(two, "Wombat survey inland", "wombats");
  REQUIRE(Index(master, {}, {"--rebuild", "--shards", std::to_string(kShards)}).exit_code == 0);
  REQUIRE(fs::read_symlink(master / "live") == "gen-2");
  REQUIRE(!fs::exists(master / "gen-1"));
  const double rebuild_seconds = SecondsUntilBothFind(serving.cluster, serve, "wombats", two, last);
  INFO("last searches: " << last << "\nreplicas: " << Updates(serving.replicators));
  REQUIRE(rebuild_seconds >= 0);
  CHECK(ReadFile(serving.replicas / "shard-0" / "XAPIANDB") != replica_stub);  // switched to a full copy
  // Every replica holds its rebuilt shard: the same hits as the index itself.
  if (!SameHitsWithin(serving.cluster, master, "cuba", error)) FAIL_CHECK("the replicas differ: " << error);
  CHECK(serve.Paths("cuba", error) == FreshPaths(master, "cuba", error));

  searching.Stop();
  INFO("searches run meanwhile: " << searching.searches() << "; the update reached them in " << update_seconds
                                  << " s, the rebuild in " << rebuild_seconds << " s");
  CHECK(searching.searches() >= 10);
  CHECK(searching.failures() == std::vector<std::string>{});
  // The index records --changesets: an update after the rebuild keeps them.
  WriteArticle(archive / "wire" / "replication-probe-three.txt", "Numbat sighting", "numbats");
  REQUIRE(Index(master, {}).exit_code == 0);
  CHECK(KeepsChangesets(master));
}
