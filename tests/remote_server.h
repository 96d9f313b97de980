// RemoteShardServer: a real xapian-tcpsrv serving one database on
// 127.0.0.1, on a free port, for the end-to-end tests of remote shards.
//
// Every server runs in a process group of its own and is killed, with the
// connection handlers it forked, when its RemoteShardServer goes out of
// scope: a failed REQUIRE, an exception or a crash of the test code leaves
// no server behind (only a SIGKILL of the test program itself could).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <thread>

#include "tests/e2e_support.h"

namespace e2e {

inline const std::string kTcpsrvBin = XAPIAN_TCPSRV_BIN;

// A TCP socket on 127.0.0.1. Closed on destruction.
class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // Binds to `port` (0: one the kernel picks) and returns the port bound.
  unsigned short Bind(unsigned short port) {
    sockaddr_in address = Loopback(port);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error(std::string("bind: ") + std::strerror(errno));
    }
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
  }
  void Listen() { ::listen(fd_, 16); }
  bool Connect(unsigned short port) {
    const sockaddr_in address = Loopback(port);
    return ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  }

 private:
  static sockaddr_in Loopback(unsigned short port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
  }
  int fd_;
};

// A port no one listens on right now (the kernel's pick for port 0).
inline unsigned short FreePort() {
  Socket probe;
  return probe.Bind(0);
}

// xapian-tcpsrv serving one shard on 127.0.0.1, started on a free port and
// ready to accept connections once constructed; stopped (with every
// process of its group) by Stop() or on destruction.
class RemoteShardServer {
 public:
  explicit RemoteShardServer(const fs::path& shard) {
    // Another process may take the port between the probe and the bind:
    // then the server exits at once, and another port is tried.
    for (int attempt = 0; attempt < 5 && pid_ < 0; ++attempt) {
      port_ = FreePort();
      Start(shard);
      if (!WaitUntilAccepting()) Stop();
    }
    if (pid_ < 0) throw std::runtime_error("xapian-tcpsrv did not start serving " + shard.string());
  }
  ~RemoteShardServer() { Stop(); }
  RemoteShardServer(const RemoteShardServer&) = delete;
  RemoteShardServer& operator=(const RemoteShardServer&) = delete;

  unsigned short port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  void Stop() {
    if (pid_ < 0) return;
    ::kill(-pid_, SIGKILL);  // the server and the connection handlers it forked
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

 private:
  void Start(const fs::path& shard) {
    const std::vector<std::string> argv = {kTcpsrvBin, "--interface", "127.0.0.1", "--port", std::to_string(port_),
                                           "--quiet", shard.string()};
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      ::setpgid(0, 0);
      const int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, STDIN_FILENO);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here: the group exists before Stop() can signal it
    pid_ = pid;
  }

  // True once a connection succeeds; false when the server exits first or
  // 10 s pass.
  bool WaitUntilAccepting() const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return false;
      Socket client;
      if (client.Connect(port_)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

}  // namespace e2e
