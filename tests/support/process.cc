#include "tests/support/process.h"

#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace nsearch::test {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

[[noreturn]] void Fail(const std::string& what, int error = errno) {
  throw std::runtime_error(what + ": " + std::strerror(error));
}

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

struct Pipe {
  int read = -1, write = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) Fail("pipe");
    read = fds[0];
    write = fds[1];
  }
};

// The environment of the child: this process's (unless not inherited) with
// `changes` applied.
std::vector<std::string> Environment(const EnvChanges& changes, bool inherit) {
  std::vector<std::string> env;
  if (inherit) {
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry = *e;
      if (changes.count(entry.substr(0, entry.find('='))) == 0) env.push_back(entry);
    }
  }
  for (const auto& [name, value] : changes) {
    if (value) env.push_back(name + "=" + *value);
  }
  return env;
}

std::vector<char*> Pointers(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const std::string& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

// Starts `argv` with fds 0, 1 and 2 on `fds`, the signal mask cleared and
// SIGPIPE at its default (the test may ignore it; an ignored signal would be
// inherited), in a group of its own when asked. Throws on failure.
pid_t Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const int (&fds)[3],
            bool own_group) {
  if (argv.empty()) throw std::runtime_error("spawn: no program");
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  for (int target = 0; target < 3; ++target) posix_spawn_file_actions_adddup2(&actions, fds[target], target);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (own_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attr, 0);
  }
  posix_spawnattr_setflags(&attr, flags);
  std::vector<char*> args = Pointers(argv);
  std::vector<char*> envp = Pointers(env);
  pid_t pid = -1;
  const int error = ::posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (error != 0) Fail("cannot start " + argv[0], error);
  return pid;
}

// The exit status as a shell reports it; `*signal` is the signal that ended
// the program, 0 when it exited.
int StatusOf(int wait_status, int* signal) {
  *signal = WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) : 0;
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

// Waits for `pid` until `deadline`, then kills it (SIGKILL) and reaps it;
// true when it had to be killed.
bool WaitOrKill(pid_t pid, std::chrono::steady_clock::time_point deadline, int* wait_status) {
  bool killed = false;
  for (;;) {
    const pid_t got = ::waitpid(pid, wait_status, killed ? 0 : WNOHANG);
    if (got == pid || (got < 0 && errno != EINTR)) return killed;
    if (got == 0 && std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      killed = true;
    } else if (got == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

int OpenOrFail(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) Fail("open " + path);
  return fd;
}

// write() that reports EPIPE instead of raising SIGPIPE in the test: the
// signal is blocked in this thread and a pending one taken back.
ssize_t WriteWithoutSigpipe(int fd, std::string_view data) {
  sigset_t pipe_signal, before;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &before);
  const ssize_t n = ::write(fd, data.data(), data.size());
  const int error = errno;
  if (n < 0 && error == EPIPE) {
    const timespec now{0, 0};
    ::sigtimedwait(&pipe_signal, nullptr, &now);
  }
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  errno = error;
  return n;
}

// One round of moving data: writes what it can of `pending` to `*in` (closed
// when all is written or the reader is gone), appends what is ready on `*out`
// and `*err` (each closed at its end) to `out_text` and `err_text`, waiting up
// to `timeout_ms` for something to happen. False once out and err have ended.
bool PumpOnce(int* in, std::string_view* pending, int* out, std::string* out_text, int* err, std::string* err_text,
              int timeout_ms) {
  pollfd fds[3] = {{in != nullptr ? *in : -1, POLLOUT, 0}, {*out, POLLIN, 0}, {*err, POLLIN, 0}};
  if (fds[1].fd < 0 && fds[2].fd < 0) return false;
  if (::poll(fds, 3, timeout_ms) < 0) return errno == EINTR;
  if (fds[0].fd >= 0 && fds[0].revents != 0) {
    const ssize_t n = WriteWithoutSigpipe(*in, *pending);
    if (n > 0) pending->remove_prefix(static_cast<std::size_t>(n));
    if ((n < 0 && errno != EINTR && errno != EAGAIN) || pending->empty()) CloseFd(*in);
  }
  int* sources[2] = {out, err};
  std::string* sinks[2] = {out_text, err_text};
  for (int i = 0; i < 2; ++i) {
    if (fds[i + 1].fd < 0 || fds[i + 1].revents == 0) continue;
    char buffer[8192];
    const ssize_t n = ::read(*sources[i], buffer, sizeof buffer);
    if (n > 0) {
      sinks[i]->append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
      CloseFd(*sources[i]);  // the end; EIO from a terminal whose other side closed
    }
  }
  return *out >= 0 || *err >= 0;
}

int MillisecondsUntil(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// A pseudo-terminal: the master, read by the test, and the slave, the
// child's stdout. Throws when none can be made.
void OpenTerminal(int* master, int* slave) {
  *master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (*master < 0 || ::grantpt(*master) != 0 || ::unlockpt(*master) != 0) Fail("posix_openpt");
  const char* name = ::ptsname(*master);
  if (name == nullptr) Fail("ptsname");
  *slave = OpenOrFail(name, O_RDWR | O_NOCTTY);
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  int in_read = -1, in_write = -1, out_read = -1, out_write = -1;
  if (options.stdin_text) {
    Pipe in;
    in_read = in.read;
    in_write = in.write;
    ::fcntl(in_write, F_SETFL, O_NONBLOCK);
  } else {
    in_read = OpenOrFail(options.stdin_path.string(), O_RDONLY);
  }
  if (options.stdout_on_terminal) {
    OpenTerminal(&out_read, &out_write);
  } else {
    Pipe out;
    out_read = out.read;
    out_write = out.write;
  }
  Pipe err;
  const int fds[3] = {in_read, out_write, err.write};
  pid_t pid = -1;
  try {
    pid = Spawn(argv, Environment(options.env, options.inherit_environment), fds, false);
  } catch (...) {
    for (int fd : {in_read, in_write, out_read, out_write, err.read, err.write}) ::close(fd);
    throw;
  }
  for (int fd : {in_read, out_write, err.write}) ::close(fd);

  ProcessResult result;
  std::string_view pending = options.stdin_text ? std::string_view(*options.stdin_text) : std::string_view();
  if (pending.empty()) CloseFd(in_write);
  int err_read = err.read;
  const auto deadline = Clock::now() + options.timeout;
  // After a kill, programs it started may still hold the pipes for a while.
  auto give_up = Clock::time_point::max();
  while (Clock::now() < give_up) {
    if (!result.timed_out && Clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      give_up = Clock::now() + std::chrono::seconds(10);
    }
    const int wait = result.timed_out ? 100 : MillisecondsUntil(deadline);
    if (!PumpOnce(&in_write, &pending, &out_read, &result.out, &err_read, &result.err, wait)) break;
  }
  for (int* fd : {&in_write, &out_read, &err_read}) CloseFd(*fd);
  int status = 0;
  if (WaitOrKill(pid, deadline, &status)) result.timed_out = true;
  result.exit_code = StatusOf(status, &result.signal);
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const Options& options)
    : own_group_(options.own_process_group) {
  int fds[3] = {-1, -1, -1};
  std::vector<int> close_after;  // the child's ends, closed here once it runs
  if (options.pipe_stdin) {
    Pipe in;
    fds[0] = in.read;
    in_ = in.write;
  } else {
    fds[0] = OpenOrFail("/dev/null", O_RDONLY);
  }
  close_after.push_back(fds[0]);
  if (options.capture_output) {
    Pipe out, err;
    fds[1] = out.write;
    fds[2] = err.write;
    out_ = out.read;
    err_fd_ = err.read;
    close_after.insert(close_after.end(), {fds[1], fds[2]});
  } else {
    const int output_flags = O_WRONLY | O_CREAT | O_TRUNC;
    fds[1] = OpenOrFail(options.stdout_path.empty() ? "/dev/null" : options.stdout_path.string(), output_flags);
    // One path for both: one file description, so neither overwrites the other.
    fds[2] = !options.stderr_path.empty() && options.stderr_path == options.stdout_path
                 ? ::fcntl(fds[1], F_DUPFD_CLOEXEC, 0)
                 : OpenOrFail(options.stderr_path.empty() ? "/dev/null" : options.stderr_path.string(), output_flags);
    close_after.insert(close_after.end(), {fds[1], fds[2]});
  }
  try {
    pid_ = Spawn(argv, Environment(options.env, options.inherit_environment), fds, own_group_);
  } catch (...) {
    for (int fd : close_after) ::close(fd);
    for (int* fd : {&in_, &out_, &err_fd_}) CloseFd(*fd);
    throw;
  }
  for (int fd : close_after) ::close(fd);
}

ChildProcess::~ChildProcess() {
  if (!status_) Kill();
  for (int* fd : {&in_, &out_, &err_fd_}) CloseFd(*fd);
}

void ChildProcess::Write(std::string_view text) {
  if (in_ < 0) throw std::runtime_error("write to a child's stdin: not open");
  while (!text.empty()) {
    const ssize_t n = WriteWithoutSigpipe(in_, text);
    const int error = errno;
    if (n < 0 && error == EINTR) continue;
    if (n <= 0) Fail("write to a child's stdin", error);
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void ChildProcess::CloseStdin() { CloseFd(in_); }

bool ChildProcess::Pump(milliseconds wait) {
  return PumpOnce(nullptr, nullptr, &out_, &out_buffer_, &err_fd_, &err_, static_cast<int>(wait.count()));
}

std::optional<std::string> ChildProcess::ReadLine(milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (out_buffer_.find('\n') == std::string::npos && out_ >= 0 && Clock::now() < deadline) {
    Pump(milliseconds(MillisecondsUntil(deadline)));
  }
  const std::size_t eol = out_buffer_.find('\n');
  if (eol == std::string::npos) return std::nullopt;
  std::string line = out_buffer_.substr(0, eol);
  out_buffer_.erase(0, eol + 1);
  return line;
}

bool ChildProcess::Reap(int flags) {
  if (status_) return true;
  int status = 0;
  pid_t got;
  while ((got = ::waitpid(pid_, &status, flags)) < 0 && errno == EINTR) {
  }
  if (got != pid_) return false;
  status_ = StatusOf(status, &signal_);
  return true;
}

void ChildProcess::Signal(int signal) {
  if (status_) return;  // reaped: the pid may be another process's now
  ::kill(own_group_ ? -pid_ : pid_, signal);
  if (signal != SIGSTOP) return;
  // Returns once it has stopped, so it reads nothing the caller does next.
  int status = 0;
  pid_t got;
  while ((got = ::waitpid(pid_, &status, WUNTRACED)) < 0 && errno == EINTR) {
  }
  if (got == pid_ && !WIFSTOPPED(status)) status_ = StatusOf(status, &signal_);
}

std::optional<int> ChildProcess::Wait(milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!Reap(WNOHANG)) {
    if (Clock::now() >= deadline) return std::nullopt;
    // Reading keeps the pipes from filling up; with both ended, just sleep.
    if (!Pump(milliseconds(10))) std::this_thread::sleep_for(milliseconds(10));
  }
  return status_;
}

int ChildProcess::Kill() {
  Signal(SIGKILL);  // with own_process_group, what it forked too
  Reap(0);
  return status_.value_or(-1);
}

ProcessResult ChildProcess::Finish(milliseconds timeout) {
  CloseStdin();
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline && Pump(milliseconds(MillisecondsUntil(deadline)))) {
  }
  ProcessResult result;
  const std::optional<int> status = Wait(milliseconds(MillisecondsUntil(deadline)));
  result.timed_out = !status;
  result.exit_code = status ? *status : Kill();
  result.out = std::move(out_buffer_);
  result.err = std::move(err_);
  out_buffer_.clear();
  err_.clear();
  return result;
}

}  // namespace nsearch::test
