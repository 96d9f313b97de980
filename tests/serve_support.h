// nsearch serve run by a test: the real program on a free port of
// 127.0.0.1, started and stopped by the test (serve_e2e_test.cc and the
// other tests of nsearch_serve_e2e_tests).
#pragma once

#include <httplib.h>

#include "tests/e2e_support.h"

namespace e2e {

// nsearch serve --db DB --listen 127.0.0.1:0, started in the constructor
// (which waits for its "serving" line) and sent SIGTERM by Stop() or the
// destructor.
class Server {
 public:
  // `env`: changes to the environment it inherits, as Run takes them.
  explicit Server(const fs::path& db, std::vector<std::string> extra = {}, const EnvChanges& env = {}) {
    std::vector<std::string> argv = {kSearchBin, "serve", "--db", db.string(), "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry = *e;
      if (env.count(entry.substr(0, entry.find('='))) == 0) env_strings.push_back(entry);
    }
    for (const auto& [name, value] : env) {
      if (value) env_strings.push_back(name + "=" + *value);
    }
    std::vector<char*> envp;
    for (std::string& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    int out[2], err[2];
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(err, O_CLOEXEC) == 0);
    const std::string home = "HOME=" + SandboxHome().string();
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::dup2(err[1], STDERR_FILENO);
      ::execve(args[0], args.data(), envp.data());
      ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    out_ = out[0];
    err_ = err[0];
    // The one line it prints, within 20 s.
    std::string line;
    pollfd p{out_, POLLIN, 0};
    while (line.find('\n') == std::string::npos && ::poll(&p, 1, 20000) > 0) {
      char buf[256];
      const ssize_t n = ::read(out_, buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<std::size_t>(n));
    }
    line_ = line;
    const std::string prefix = "nsearch: serving http://127.0.0.1:";
    INFO("first line: " << line);
    REQUIRE(StartsWith(line, prefix));
    port_ = std::stoi(line.substr(prefix.size()));
    REQUIRE(line == prefix + std::to_string(port_) + "/\n");
  }
  ~Server() {
    if (pid_ > 0) Stop();
    ::close(out_);
    ::close(err_);
  }

  // SIGTERM; returns the exit status (128 + signal when killed, -1 after 10 s).
  int Stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 1000; ++i) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
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
  pid_t pid_ = -1;
  int out_ = -1, err_ = -1;
  int port_ = 0;
  std::string line_;
};

}  // namespace e2e
