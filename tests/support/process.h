// Child processes for the tests: run a program to its end and capture what
// it wrote (RunProcess), or keep one running in the background, talk to it
// and stop it (ChildProcess).
//
// A program is named by its path (argv[0]; no shell and no PATH lookup) and
// started with posix_spawn. An exit status is the program's exit code, or
// 128 + the number of the signal that ended it, as a shell reports it.
// Neither is thread-safe; a ChildProcess has one owner.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nsearch::test {

// Changes to a child's environment: a value sets the variable, nullopt
// removes it.
using EnvChanges = std::map<std::string, std::optional<std::string>>;

struct ProcessResult {
  int exit_code = -1;      // the exit status (see above)
  int signal = 0;          // the signal that ended it; 0 when it exited
  bool timed_out = false;  // killed (SIGKILL) at the time limit
  std::string out;
  std::string err;
};

inline constexpr std::chrono::milliseconds kDefaultTimeout{60000};

struct ProcessOptions {
  EnvChanges env;                    // applied on top of the inherited environment
  bool inherit_environment = true;   // false: the child's environment is `env` alone
  std::filesystem::path stdin_path = "/dev/null";
  std::optional<std::string> stdin_text;  // set: written to a pipe, then closed (stdin_path unused)
  bool stdout_on_terminal = false;   // stdout on a pseudo-terminal (isatty), read from its master
  std::chrono::milliseconds timeout = kDefaultTimeout;
};

// Runs `argv` to its end (or the time limit, then SIGKILL) and returns its
// status and its stdout and stderr, captured apart. A program that closes
// its output but keeps running is waited for up to the same limit. Throws
// std::runtime_error when the program cannot be started (argv[0] missing or
// not executable) or stdin_path cannot be opened.
ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// A program running beside the test: started by the constructor, killed
// (SIGKILL, its whole group when it has one) and reaped by the destructor
// if still running, so a failed REQUIRE or an exception leaves no process
// behind.
class ChildProcess {
 public:
  struct Options {
    EnvChanges env{};                 // as in ProcessOptions
    bool inherit_environment = true;
    bool pipe_stdin = false;          // true: Write() feeds stdin; false: /dev/null
    // false: stdout and stderr go to stdout_path and stderr_path (created or
    // truncated; /dev/null when empty; one file when the two are the same),
    // which the test may read meanwhile.
    bool capture_output = true;
    std::filesystem::path stdout_path{}, stderr_path{};
    bool own_process_group = false;   // true: signals reach the processes it forks too
  };

  // Throws std::runtime_error when the program cannot be started.
  ChildProcess(const std::vector<std::string>& argv, const Options& options);
  explicit ChildProcess(const std::vector<std::string>& argv) : ChildProcess(argv, Options{}) {}
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Writes all of `text` to its stdin. Throws std::runtime_error when stdin
  // is not piped or the program closed it.
  void Write(std::string_view text);
  void CloseStdin();

  // The next line of its stdout, without '\n'; nullopt when none is complete
  // within `timeout` or stdout ended. stderr is read meanwhile (err()).
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);
  // What it wrote to stderr so far.
  const std::string& err() const { return err_; }

  // Sends `signal` (to the group with own_process_group); nothing once reaped.
  // SIGSTOP returns once the program has stopped (waitpid WUNTRACED).
  void Signal(int signal);
  // Its exit status once it ends within `timeout`; nullopt while it runs.
  // Output keeps being read meanwhile, so a chatty program cannot block.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // SIGKILL (the group too) and the exit status; the status if already ended.
  int Kill();
  // The signal that ended it; 0 while it runs or when it exited.
  int signal() const { return signal_; }

  // Closes stdin, reads stdout and stderr to their end and waits for the
  // exit, within `timeout` (then SIGKILL, timed_out). `out` holds what
  // ReadLine has not returned.
  ProcessResult Finish(std::chrono::milliseconds timeout = kDefaultTimeout);

 private:
  // Reads what is ready on stdout and stderr, waiting up to `wait`; false
  // when both have ended.
  bool Pump(std::chrono::milliseconds wait);
  bool Reap(int flags);

  pid_t pid_ = -1;
  bool own_group_ = false;
  std::optional<int> status_;
  int signal_ = 0;
  int in_ = -1, out_ = -1, err_fd_ = -1;
  std::string out_buffer_;
  std::string err_;
};

}  // namespace nsearch::test
