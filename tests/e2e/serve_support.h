// nsearch serve run by a test: the real program on a free port of
// 127.0.0.1, started and stopped by the test (tests/e2e/serve_test.cc and the
// other tests of nsearch_serve_e2e_tests).
#pragma once

#include <csignal>
#include <optional>

#include <httplib.h>

#include "tests/e2e/support.h"

namespace e2e {

// nsearch serve --db DB --listen 127.0.0.1:0, started in the constructor
// (which waits for its "serving" line) and sent SIGTERM by Stop() or the
// destructor.
class Server {
 public:
  // `env`: changes to the sandbox environment it runs in, as Run takes them.
  explicit Server(const fs::path& db, std::vector<std::string> extra = {}, const EnvChanges& env = {})
      : process_(Argv(db, extra), ChildProcess::Options{.env = SandboxEnv(env)}) {
    // The one line it prints, within 20 s.
    const std::string line = process_.ReadLine(std::chrono::seconds(20)).value_or("");
    const std::string prefix = "nsearch: serving http://127.0.0.1:";
    INFO("first line: " << line << "\nstderr: " << process_.err());
    REQUIRE(StartsWith(line, prefix));
    port_ = std::stoi(line.substr(prefix.size()));
    REQUIRE(line == prefix + std::to_string(port_) + "/");
  }
  ~Server() {
    if (!stopped_) Stop();
  }

  // SIGTERM; returns the exit status (128 + signal when killed, -1 after 10 s).
  int Stop() {
    stopped_ = true;
    process_.Signal(SIGTERM);
    const std::optional<int> status = process_.Wait(std::chrono::seconds(10));
    if (status) return *status;
    process_.Kill();
    return -1;
  }

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(30, 0);
    return client;
  }

  // GET `path` (already encoded); fails the test when no answer comes.
  httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) const {
    httplib::Client client = Client();
    httplib::Result r = client.Get(path.c_str(), headers);
    INFO("GET " << path);
    REQUIRE(r);
    return r;
  }

 private:
  static std::vector<std::string> Argv(const fs::path& db, const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {kSearchBin, "serve", "--db", db.string(), "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  ChildProcess process_;
  bool stopped_ = false;
  int port_ = 0;
};

}  // namespace e2e
