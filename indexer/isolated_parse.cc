#include "indexer/isolated_parse.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <new>
#include <optional>
#include <thread>
#include <vector>

#include "indexer/parse_protocol.h"

extern char** environ;

namespace nsearch {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

// The worker program (isolated_parse.h says where it is looked for).
std::string WorkerProgram() {
  if (const char* env = std::getenv("NSEARCH_PARSE_WORKER"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "nsearch-parse";
  for (const fs::path& candidate : {self.parent_path() / "nsearch-parse",
                                    self.parent_path() / NSEARCH_LIBEXEC_FROM_BIN / "nsearch-parse"}) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return (self.parent_path() / "nsearch-parse").string();
}

// The wall-clock time a file may take: kParseWallSeconds, or
// $NSEARCH_PARSE_TIMEOUT seconds when set.
unsigned WallSeconds() {
  static const unsigned seconds = [] {
    const char* env = std::getenv("NSEARCH_PARSE_TIMEOUT");
    const long n = env != nullptr ? std::strtol(env, nullptr, 10) : 0;
    return n > 0 ? static_cast<unsigned>(n) : kParseWallSeconds;
  }();
  return seconds;
}

// Waits until `fd` is ready for `events` or `deadline` passes.
bool Wait(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    // Rounded up, so that "no time left" means the deadline has passed
    // and the caller's own check of the clock agrees: a timeout.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000000)));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
}

// Writes or reads all of `n` bytes before `deadline`; false on an error,
// end of file or timeout (`timed_out` says which).
bool SendAll(int fd, const char* data, std::size_t n, Clock::time_point deadline, bool& timed_out) {
  while (n > 0) {
    if (!Wait(fd, POLLOUT, deadline)) return timed_out = Clock::now() >= deadline, false;
    const ssize_t k = ::send(fd, data, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (k < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (k <= 0) return false;
    data += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

bool ReceiveAll(int fd, char* data, std::size_t n, Clock::time_point deadline, bool& timed_out) {
  while (n > 0) {
    if (!Wait(fd, POLLIN, deadline)) return timed_out = Clock::now() >= deadline, false;
    const ssize_t k = ::recv(fd, data, n, MSG_DONTWAIT);
    if (k < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (k <= 0) return false;
    data += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

struct Worker {
  pid_t pid = -1;
  int fd = -1;
};

// What became of a worker that stopped answering, as a skip reason.
std::string Reap(Worker& w, bool timed_out) {
  ::close(w.fd);
  int status = 0;
  pid_t got = 0;
  if (!timed_out) {  // it closed its end: give it a moment to finish dying
    for (int i = 0; i < 200 && (got = ::waitpid(w.pid, &status, WNOHANG)) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  if (got == 0 || timed_out) {
    ::kill(w.pid, SIGKILL);
    got = ::waitpid(w.pid, &status, 0);
  }
  if (timed_out) return "parser timed out (" + std::to_string(WallSeconds()) + " s)";
  if (got > 0 && WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGXCPU) return "parser ran out of CPU time (" + std::to_string(kParseCpuSeconds) + " s)";
    return "parser crashed (signal " + std::to_string(sig) + ": " + strsignal(sig) + ")";
  }
  if (got > 0 && WIFEXITED(status)) return "parser worker exited (status " + std::to_string(WEXITSTATUS(status)) + ")";
  return "parser worker lost";
}

std::optional<Worker> Spawn(std::string& error) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    error = std::string("cannot start the parse worker: ") + std::strerror(errno);
    return std::nullopt;
  }
  const std::string program = WorkerProgram();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  // Libraries print warnings on stderr; what matters comes back in the reply.
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  // Nothing else of nsearch-index's (the index lock, the shards) stays open in the worker.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  // A process group of its own: Ctrl-C stops nsearch-index, which then closes the
  // worker's socket, instead of killing the worker under a file it is parsing.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>("--serve"), nullptr};
  Worker w;
  const int rc = ::posix_spawn(&w.pid, program.c_str(), &actions, &attr, argv, environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    error = "cannot start the parse worker " + program + ": " + std::strerror(rc);
    return std::nullopt;
  }
  w.fd = fds[0];
  return w;
}

class WorkerPool {
 public:
  ~WorkerPool() {
    for (Worker& w : idle_) {  // end of input: each worker exits
      ::close(w.fd);
      ::waitpid(w.pid, nullptr, 0);
    }
  }

  ParsedFile Parse(std::string_view bytes, const std::string& path, const ParseOptions& options) {
    ParsedFile failed;
    failed.skip_kind = "parser failed";
    std::optional<Worker> w = Take(failed.skip_reason);
    if (!w) return failed;
    const std::string request = EncodeRequest(path, bytes, options);
    const auto deadline = Clock::now() + std::chrono::seconds(WallSeconds());
    bool timed_out = false;
    char head[8];
    if (SendAll(w->fd, request.data(), request.size(), deadline, timed_out) &&
        ReceiveAll(w->fd, head, sizeof head, deadline, timed_out) &&
        DecodeLength(std::string_view(head, 8)) <= kParseMemoryBytes) {  // a worker cannot send more
      std::string reply(DecodeLength(std::string_view(head, 8)), '\0');
      if (ReceiveAll(w->fd, reply.data(), reply.size(), deadline, timed_out)) {
        if (std::optional<ParsedFile> parsed = DecodeReply(reply)) {
          Give(*w);
          return std::move(*parsed);
        }
      }
    }
    failed.skip_reason = Reap(*w, timed_out);
    return failed;
  }

 private:
  std::optional<Worker> Take(std::string& error) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        Worker w = idle_.back();
        idle_.pop_back();
        return w;
      }
    }
    return Spawn(error);
  }
  void Give(Worker w) {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(w);
  }

  std::mutex mutex_;
  std::vector<Worker> idle_;
};

// Limits the worker's memory and, before each request, its CPU time.
void LimitMemory() {
#if !defined(__SANITIZE_ADDRESS__) && !defined(NSEARCH_NO_MEMORY_LIMIT)
  rlimit memory{kParseMemoryBytes, kParseMemoryBytes};
  ::setrlimit(RLIMIT_AS, &memory);
#endif
}

void LimitCpuForOneRequest() {
  rusage used;
  ::getrusage(RUSAGE_SELF, &used);
  const rlim_t soft = static_cast<rlim_t>(used.ru_utime.tv_sec + used.ru_stime.tv_sec) + kParseCpuSeconds;
  rlimit cpu{soft, soft + 5};
  ::setrlimit(RLIMIT_CPU, &cpu);
}

bool ReadFully(int fd, char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t k = ::read(fd, data, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    data += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

bool WriteFully(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t k = ::write(fd, data, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    data += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

}  // namespace

ParsedFile ParseInWorker(std::string_view bytes, const std::string& path, const ParseOptions& options) {
  static WorkerPool pool;
  return pool.Parse(bytes, path, options);
}

int ServeParseRequests(int in_fd, int out_fd,
                       ParsedFile (*parse)(std::string_view bytes, const std::string& path, const ParseOptions&)) {
  LimitMemory();
  for (;;) {
    char head[8];
    if (!ReadFully(in_fd, head, sizeof head)) return 0;  // nsearch-index is done
    std::string message(DecodeLength(std::string_view(head, 8)), '\0');
    if (!ReadFully(in_fd, message.data(), message.size())) return 1;
    std::optional<ParseRequest> request = DecodeRequest(message);
    if (!request) return 1;
    message = std::string();
    LimitCpuForOneRequest();
    ParsedFile parsed;
    try {
      parsed = parse(request->bytes, request->path, request->options);
    } catch (const std::bad_alloc&) {
      parsed = ParsedFile();
      parsed.skip_kind = "parser failed";
      parsed.skip_reason = "parser ran out of memory (limit " + std::to_string(kParseMemoryBytes >> 20) + " MB)";
    } catch (const std::exception& e) {
      parsed = ParsedFile();
      parsed.skip_kind = "parser failed";
      parsed.skip_reason = std::string("parser failed: ") + e.what();
    }
    const std::string reply = EncodeReply(parsed);
    if (!WriteFully(out_fd, reply.data(), reply.size())) return 1;
  }
}

}  // namespace nsearch
