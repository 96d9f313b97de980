// Servers on 127.0.0.1 for the tests: a port nobody listens on, a raw TCP
// socket, and a server program started on a free port and stopped again.
// Not thread-safe; each object has one owner.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace nsearch::test {

// A TCP socket for 127.0.0.1, closed on destruction. Throws
// std::runtime_error when it cannot be made or bound.
class LoopbackSocket {
 public:
  LoopbackSocket();
  ~LoopbackSocket();
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;

  int fd() const { return fd_; }
  // Binds to `port` (0: one the kernel picks) and returns the port bound.
  unsigned short Bind(unsigned short port = 0);
  // Listens: connections are then accepted by the kernel, whether or not
  // anyone reads them.
  void Listen();
  bool Connect(unsigned short port);

 private:
  int fd_;
};

// A port on 127.0.0.1 that nobody listens on right now (the kernel's pick).
unsigned short FreeLoopbackPort();

// True when a connection to 127.0.0.1:port succeeds now.
bool AcceptsConnections(unsigned short port);

// A server program listening on 127.0.0.1, started by the constructor on a
// free port and ready (accepting connections) once it returns; stopped by
// Stop() or the destructor. It runs in a process group of its own, so that
// the handlers it forks are stopped with it.
class LoopbackServer {
 public:
  // `command(port)` is the command line that serves on `port`. Another
  // process may take the port between the probe and the bind, so up to five
  // ports are tried. Its stdout and stderr go to `log` (none when empty).
  // Throws std::runtime_error naming `what` (and holding the log) when none
  // serves within `ready_within` each.
  LoopbackServer(const std::string& what, const std::function<std::vector<std::string>(unsigned short)>& command,
                 const std::filesystem::path& log = {},
                 std::chrono::milliseconds ready_within = std::chrono::seconds(10));
  ~LoopbackServer() { Stop(); }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  unsigned short port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // Kills the server and every process of its group; nothing when stopped.
  void Stop();

 private:
  std::unique_ptr<ChildProcess> process_;
  unsigned short port_ = 0;
};

}  // namespace nsearch::test
