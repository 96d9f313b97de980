#include "tests/support/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

namespace nsearch::test {

namespace {

sockaddr_in Loopback(unsigned short port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

LoopbackSocket::LoopbackSocket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
}

LoopbackSocket::~LoopbackSocket() { ::close(fd_); }

unsigned short LoopbackSocket::Bind(unsigned short port) {
  sockaddr_in address = Loopback(port);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("bind 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno));
  }
  socklen_t length = sizeof address;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

void LoopbackSocket::Listen() {
  if (::listen(fd_, 16) != 0) throw std::runtime_error(std::string("listen: ") + std::strerror(errno));
}

bool LoopbackSocket::Connect(unsigned short port) {
  const sockaddr_in address = Loopback(port);
  return ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

unsigned short FreeLoopbackPort() {
  LoopbackSocket probe;
  return probe.Bind(0);
}

bool AcceptsConnections(unsigned short port) {
  LoopbackSocket client;
  return client.Connect(port);
}

LoopbackServer::LoopbackServer(const std::string& what,
                               const std::function<std::vector<std::string>(unsigned short)>& command,
                               const std::filesystem::path& log, std::chrono::milliseconds ready_within) {
  ChildProcess::Options options;
  options.capture_output = false;
  options.stdout_path = options.stderr_path = log;
  options.own_process_group = true;
  for (int attempt = 0; attempt < 5 && !process_; ++attempt) {
    port_ = FreeLoopbackPort();
    process_ = std::make_unique<ChildProcess>(command(port_), options);
    const auto deadline = std::chrono::steady_clock::now() + ready_within;
    bool ready = false;
    // Ready at the first connection; not when it exits first (port taken).
    while (!ready && std::chrono::steady_clock::now() < deadline && !process_->Wait(std::chrono::milliseconds(0))) {
      ready = AcceptsConnections(port_);
      if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!ready) process_.reset();
  }
  if (!process_) {
    std::string said;
    if (!log.empty()) {
      std::ifstream in(log);
      said.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    throw std::runtime_error(what + " did not start serving on 127.0.0.1" + (said.empty() ? "" : ": " + said));
  }
}

void LoopbackServer::Stop() { process_.reset(); }

}  // namespace nsearch::test
