// Support for the end-to-end tests: running the real binaries in a sandbox,
// the fixture corpus and its index, and reading their output. Shared by every
// e2e_*_test.cc file of the nsearch_e2e_tests program.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

extern char** environ;

namespace e2e {

namespace fs = std::filesystem;
using nlohmann::json;


inline const std::string kIndexBin = NSEARCH_INDEX_BIN;
inline const std::string kSearchBin = NSEARCH_BIN;
inline const fs::path kNewsDir = fs::path(FIXTURES_DIR) / "news";

// The articles of tests/fixtures/news, as paths relative to it.
using Names = std::set<std::string>;
inline const std::string kCubaTalks = "wire/reuters-cuba-migration-talks.txt";
inline const std::string kCubaFlights = "wire/ap-cuba-deportation-flights-resume.txt";
inline const std::string kNicaraguaRoute = "features/bbc-cubans-nicaragua-route.txt";
inline const std::string kFloridaFamilies = "features/guardian-florida-cuban-families.md";
inline const std::string kCourtBacklog = "wire/ap-immigration-court-backlog.txt";
inline const std::string kOpecCut = "wire/reuters-opec-output-cut.txt";
inline const std::string kOilBelowZero = "wire/ap-oil-prices-below-zero.txt";
inline const std::string kVenezuelaOil = "wire/reuters-venezuela-oil-cuba.txt";
inline const std::string kWindfallTax = "features/guardian-north-sea-windfall-tax.txt";
inline const std::string kWrexham = "features/bbc-wrexham-promotion.txt";
inline const std::string kWorldCup = "wire/ap-world-cup-final-penalties.txt";
inline const std::string kLionesses = "features/guardian-lionesses-euro-final.md";
inline const std::string kVillageClub = "local/village-football-club-saves-ground.txt";
inline const std::string kBrazilElection = "wire/reuters-brazil-election-second-round.txt";
inline const std::string kUkElection = "features/bbc-uk-general-election-result.txt";
inline const std::string kMidterms = "wire/ap-midterm-elections-results.txt";
inline const std::string kCouncilRecount = "local/council-election-recount.txt";
inline const std::string kUsChipControls = "wire/reuters-us-chip-export-controls.txt";
inline const std::string kDutchChipControls = "features/bbc-dutch-chip-export-controls.txt";
inline const std::string kArizonaPlant = "wire/ap-taiwan-chip-plant-arizona.txt";
inline const std::string kChipShortage = "features/guardian-carmakers-chips-shortage.txt";
inline const std::string kStormEunice = "features/bbc-storm-eunice-flights-cancelled.txt";
inline const std::string kStormCiaran = "local/storm-ciaran-porthleven-harbour.txt";
inline const std::string kNorfolkErosion = "features/guardian-norfolk-coastal-erosion.txt";
inline const std::string kOuterBanks = "wire/ap-outer-banks-house-collapse.txt";
inline const std::string kSwallows = "features/bbc-mild-autumn-swallows.txt";

inline const Names kAllArticles = {
    kCubaTalks,      kCubaFlights,     kNicaraguaRoute,    kFloridaFamilies, kCourtBacklog,
    kOpecCut,        kOilBelowZero,    kVenezuelaOil,      kWindfallTax,     kWrexham,
    kWorldCup,       kLionesses,       kVillageClub,       kBrazilElection,  kUkElection,
    kMidterms,       kCouncilRecount,  kUsChipControls,    kDutchChipControls, kArizonaPlant,
    kChipShortage,   kStormEunice,     kStormCiaran,       kNorfolkErosion,  kOuterBanks,
    kSwallows,
};
inline const Names kCubaArticles = {kCubaTalks,       kCubaFlights,  kNicaraguaRoute,
                             kFloridaFamilies, kCourtBacklog, kVenezuelaOil};
inline const Names kOilArticles = {kOpecCut, kOilBelowZero, kVenezuelaOil, kWindfallTax};
inline const Names kElectionArticles = {kBrazilElection, kUkElection, kMidterms, kCouncilRecount};
inline const Names kFootballArticles = {kWrexham, kWorldCup, kLionesses, kVillageClub};

// ---------------------------------------------------------------------------
// Temporary directories and running a program.

// A fresh directory from mkdtemp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "nsearch-e2e-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Every child runs with HOME, XDG_DATA_HOME and XDG_CONFIG_HOME in this
// directory and without NSEARCH_DB or NO_COLOR, so that a test can never read
// or write the user's own index, nor depend on their config file or colour
// setting.
inline const fs::path& SandboxHome() {
  static const TempDir home;
  return home.path();
}

struct RunResult {
  int exit_code = -1;  // the exit status, or 128 + the signal that killed it
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Changes to the child's environment: a value sets the variable, nullopt
// removes it. They apply on top of the sandbox (see SandboxHome); everything
// else is inherited.
using EnvChanges = std::map<std::string, std::optional<std::string>>;

inline constexpr std::chrono::seconds kRunTimeout{60};

// Runs argv[0] (a path, no shell and no PATH lookup) with `argv`, stdin read
// from `stdin_path`, and captures stdout and stderr separately. A child still
// running after `timeout` is killed (SIGKILL) and reported as timed out.
// Throws std::runtime_error when the child cannot be started.
inline RunResult Run(const std::vector<std::string>& argv, const EnvChanges& env = {},
                     std::chrono::milliseconds timeout = kRunTimeout, const fs::path& stdin_path = "/dev/null") {
  // Everything the child needs is built before fork(): the child only calls
  // async-signal-safe functions.
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  EnvChanges changes = {{"HOME", SandboxHome().string()},
                        {"XDG_DATA_HOME", (SandboxHome() / "data").string()},
                        {"XDG_CONFIG_HOME", (SandboxHome() / "config").string()},
                        {"NSEARCH_DB", std::nullopt},
                        {"NO_COLOR", std::nullopt}};
  for (const auto& [name, value] : env) changes[name] = value;
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    if (changes.count(entry.substr(0, entry.find('='))) == 0) env_strings.push_back(entry);
  }
  for (const auto& [name, value] : changes) {
    if (value) env_strings.push_back(name + "=" + *value);
  }
  std::vector<char*> envp;
  for (const std::string& e : env_strings) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    const int in_fd = ::open(stdin_path.c_str(), O_RDONLY);
    if (in_fd >= 0) ::dup2(in_fd, STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::execve(args[0], args.data(), envp.data());
    static const char kMessage[] = "e2e_test: execve failed\n";
    [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);

  RunResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 && !result.timed_out) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);  // the pipes close when it dies
    }
    const int ready = ::poll(fds, 2, result.timed_out ? 1000 : static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buf[8192];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (const pollfd& p : fds) {
    if (p.fd >= 0) ::close(p.fd);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  return result;
}

// The lines of `text`, without their '\n'. A final line without '\n' counts.
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) {
      lines.push_back(text.substr(pos));
      break;
    }
    lines.push_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return lines;
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Writes `text` to `path`, replacing it. Throws std::runtime_error on failure.
inline void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

// The contents of the file at `path` ("" when it cannot be read).
inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The long options `program --help` lists: the first word of each option
// line ("  -n,--limit UINT   Hits to show" gives "--limit").
inline std::set<std::string> HelpLongOptions(const std::string& program) {
  const RunResult r = Run({program, "--help"});
  REQUIRE(r.exit_code == 0);
  static const std::regex option_line(R"(^\s+(?:-\w,)?(--[\w-]+))");
  std::set<std::string> options;
  for (const std::string& line : Lines(r.out)) {
    std::smatch m;
    if (std::regex_search(line, m, option_line)) options.insert(m[1]);
  }
  return options;
}

// ---------------------------------------------------------------------------
// Indexes.

// Runs nsearch-index --quiet --db `db` on `inputs` and returns the result.
inline RunResult Index(const fs::path& db, const std::vector<std::string>& inputs,
                const std::vector<std::string>& options = {}, const EnvChanges& env = {}) {
  std::vector<std::string> argv = {kIndexBin, "--quiet", "--db", db.string()};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  return Run(argv, env);
}

// The fixture corpus, indexed on first use and removed at process exit.
class FixtureIndex {
 public:
  static const fs::path& Db() {
    static const FixtureIndex index;
    return index.db_;
  }

 private:
  FixtureIndex() : db_(dir_.path() / "idx") {
    const RunResult r = Index(db_, {kNewsDir.string()});
    if (r.exit_code != 0) {
      throw std::runtime_error("nsearch-index failed on the fixtures (exit " + std::to_string(r.exit_code) +
                               "): " + r.err);
    }
  }

  TempDir dir_;
  fs::path db_;
};

// Runs nsearch --db `db` with `args`.
inline RunResult SearchIn(const fs::path& db, const std::vector<std::string>& args, const EnvChanges& env = {}) {
  std::vector<std::string> argv = {kSearchBin, "--db", db.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, env);
}

// Runs nsearch on the fixture index with `args`.
inline RunResult Search(const std::vector<std::string>& args) { return SearchIn(FixtureIndex::Db(), args); }

// The name of an article relative to the news folder, or `path` itself when
// it lies outside it (so that it shows up in a failed comparison).
inline std::string NameOf(const std::string& path) {
  static const fs::path news = fs::canonical(kNewsDir);
  const fs::path relative = fs::path(path).lexically_relative(news);
  if (relative.empty() || StartsWith(relative.string(), "..")) return path;
  return relative.string();
}

// All hits of `query` on the fixture index, in rank order, as article names.
// Checks the exit status agrees with the hits (0 with hits, 1 without).
inline std::vector<std::string> RankedHits(const std::string& query) {
  const RunResult r = Search({"--format", "paths", "-n", "0", query});
  INFO("query: " << query << "\nstderr: " << r.err);
  std::vector<std::string> names;
  for (const std::string& line : Lines(r.out)) names.push_back(NameOf(line));
  CHECK(r.exit_code == (names.empty() ? 1 : 0));
  return names;
}

inline Names Hits(const std::string& query) {
  const std::vector<std::string> ranked = RankedHits(query);
  const Names names(ranked.begin(), ranked.end());
  INFO("query: " << query);
  CHECK(names.size() == ranked.size());  // no article twice
  return names;
}

inline Names Union(Names a, const Names& b) {
  a.insert(b.begin(), b.end());
  return a;
}

struct QueryCase {
  std::string query;
  Names expected;
};

inline void CheckCases(const std::vector<QueryCase>& cases) {
  for (const QueryCase& c : cases) {
    INFO("query: " << c.query);
    CHECK(Hits(c.query) == c.expected);
  }
}

inline json ParseJson(const std::string& text) {
  INFO("output: " << text);
  json j;
  REQUIRE_NOTHROW(j = json::parse(text));
  return j;
}

// nsearch --batch - as a conversation: queries written to its standard
// input one at a time, records read as they come. The child is killed, if
// still running, on destruction.
class BatchSession {
 public:
  explicit BatchSession(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
      throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      ::dup2(err[1], STDERR_FILENO);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    in_ = in[1];
    out_ = out[0];
    err_ = err[0];
  }
  ~BatchSession() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    for (int fd : {in_, out_, err_}) {
      if (fd >= 0) ::close(fd);
    }
  }
  BatchSession(const BatchSession&) = delete;
  BatchSession& operator=(const BatchSession&) = delete;

  void Send(const std::string& text) {
    if (::write(in_, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      throw std::runtime_error("cannot write to nsearch --batch");
    }
  }

  // The next line of standard output, without its newline; "" when none
  // comes within 30 s.
  std::string ReadLine() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (buffer_.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::read(out_, chunk, sizeof chunk);
      if (n <= 0) break;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    const std::size_t eol = buffer_.find('\n');
    if (eol == std::string::npos) return "";
    const std::string line = buffer_.substr(0, eol);
    buffer_.erase(0, eol + 1);
    return line;
  }

  // Closes standard input and waits (up to 30 s) for the exit: the lines
  // read before (`earlier`), the rest of the output, stderr and the status.
  RunResult Finish(const std::string& earlier) {
    ::close(in_);
    in_ = -1;
    RunResult r;
    r.out = earlier.empty() ? "" : earlier + "\n";
    for (std::string line = ReadLine(); !line.empty(); line = ReadLine()) r.out += line + "\n";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        r.timed_out = true;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
    char chunk[4096];
    for (ssize_t n; (n = ::read(err_, chunk, sizeof chunk)) > 0;) r.err.append(chunk, static_cast<std::size_t>(n));
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
  }

 private:
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::string buffer_;
};

}  // namespace e2e
