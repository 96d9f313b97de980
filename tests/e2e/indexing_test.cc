// End-to-end tests of one nsearch-index run: re-indexing the same files, bad
// inputs skipped and named, nothing to index, a locked index, and Ctrl-C.
#include "tests/e2e/support.h"

using namespace e2e;

TEST_CASE("re-indexing the same files replaces them instead of adding duplicates", "[e2e]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  const std::string broad = "cuba OR oil OR election OR football";
  auto count = [&](const std::string& query) {
    const RunResult r = SearchIn(db, {"--format", "count", query});
    INFO("query: " << query << "\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
    return r.out;
  };
  auto index = [&](const std::vector<std::string>& inputs, const std::vector<std::string>& options) {
    const RunResult r = Index(db, inputs, options);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(count(broad) == "17\n");
    CHECK(count("\"deportation flights\"") == "2\n");
  };

  index({kNewsDir.string()}, {});
  index({kNewsDir.string()}, {});
  // The same files by other spellings of their paths, with several workers.
  index({(kNewsDir / "wire" / ".." / "wire").string(), (kNewsDir / "." / "features").string()}, {"--jobs", "4"});
  index({(kNewsDir / kCubaTalks).string()}, {"--jobs", "1"});

  const RunResult r = SearchIn(db, {"--format", "paths", "-n", "0", broad});
  const std::vector<std::string> lines = Lines(r.out);
  CHECK(lines.size() == 17);
  CHECK(std::set<std::string>(lines.begin(), lines.end()).size() == lines.size());
}

TEST_CASE("bad inputs are skipped and named on stderr, and the good files are indexed", "[e2e]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus / "loop");
  auto write = [](const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  };
  write(corpus / "good-quokka.txt", "Title: Quokka numbers recover\n\nThe quokka population on the island is growing.\n");
  write(corpus / "good-wombat.md", "Wombat burrows found\n\nRangers mapped new wombat burrows near the river.\n");
  // Invalid UTF-8 (a lone continuation byte, an overlong form, 0xFF) between valid words.
  write(corpus / "invalid-utf8.txt",
        "Title: Zoo keepers report escape\n\nThe marmoset \x80 slipped \xC0\xAF out \xFF of its enclosure overnight.\n");
  write(corpus / "empty.txt", "");
  write(corpus / "binary.txt", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0pangolin\0\0", 20) + "pangolin data\n");
  std::string big = "Title: Walrus colony\n\n";
  while (big.size() < 20000) big += "The walrus colony on the ice shelf keeps growing every year. ";
  write(corpus / "big.txt", big);
  write(corpus / "loop" / "inner.txt", "Axolotl breeding\n\nThe axolotl tank at the museum has new eggs.\n");
  fs::create_directory_symlink("..", corpus / "loop" / "again");  // loop/again/loop/again/...

  // Root can read a file whatever its mode, so the unreadable case needs another user.
  const bool check_unreadable = ::geteuid() != 0;
  if (check_unreadable) {
    write(corpus / "unreadable.txt", "Narwhal sighting\n\nA narwhal was seen in the fjord.\n");
    fs::permissions(corpus / "unreadable.txt", fs::perms::none);
  }

  const fs::path db = dir.path() / "idx";
  const RunResult r = Index(db, {corpus.string()}, {"--max-size", "4096"});
  INFO("stderr:\n" << r.err);
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);

  // Exactly one stderr line names each skipped file; none names a good one.
  const std::vector<std::string> err_lines = Lines(r.err);
  auto lines_naming = [&](const std::string& file) {
    std::size_t n = 0;
    for (const std::string& line : err_lines) n += Contains(line, "/" + file) ? 1 : 0;
    return n;
  };
  std::vector<std::string> skipped = {"empty.txt", "binary.txt", "big.txt"};
  if (check_unreadable) skipped.push_back("unreadable.txt");
  for (const std::string& file : skipped) {
    INFO("skipped file: " << file);
    CHECK(lines_naming(file) == 1);
  }
  CHECK(lines_naming("good-quokka.txt") == 0);
  CHECK(lines_naming("good-wombat.md") == 0);
  CHECK(lines_naming("inner.txt") == 0);

  auto paths = [&](const std::string& query) {
    const RunResult s = SearchIn(db, {"--format", "paths", "-n", "0", query});
    INFO("query: " << query << "\nstderr: " << s.err);
    CHECK((s.exit_code == 0 || s.exit_code == 1));
    return Lines(s.out);
  };
  using Paths = std::vector<std::string>;
  const fs::path real = fs::canonical(corpus);
  CHECK(paths("quokka") == Paths{(real / "good-quokka.txt").string()});
  CHECK(paths("wombat") == Paths{(real / "good-wombat.md").string()});
  CHECK(paths("marmoset") == Paths{(real / "invalid-utf8.txt").string()});
  CHECK(paths("enclosure") == Paths{(real / "invalid-utf8.txt").string()});
  // Indexed once, however many times the symlink loop leads back to it.
  CHECK(paths("axolotl") == Paths{(real / "loop" / "inner.txt").string()});
  CHECK(paths("pangolin").empty());
  CHECK(paths("walrus").empty());
  if (check_unreadable) CHECK(paths("narwhal").empty());
}

TEST_CASE("nsearch-index exits 2 when it can index nothing", "[e2e]") {
  TempDir dir;
  SECTION("the index cannot be created") {
    const fs::path file = dir.path() / "a-file";
    std::ofstream(file) << "not a directory\n";
    const RunResult r = Index(file / "idx", {kNewsDir.string()});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_FALSE(r.err.empty());
  }
  SECTION("the only input does not exist") {
    const fs::path missing = dir.path() / "no-such-corpus";
    const RunResult r = Index(dir.path() / "idx", {missing.string()});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(Contains(r.err, missing.string()));
  }
}

TEST_CASE("a second nsearch-index on a locked index fails at once with a clear message", "[e2e]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {(kNewsDir / kCubaTalks).string()}).exit_code == 0);
  // Hold the writer's lock as a running nsearch-index would.
  const int fd = ::open((db / "lock").c_str(), O_RDWR);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  const RunResult r = Index(db, {kNewsDir.string()});
  ::close(fd);
  CHECK(r.exit_code == 2);
  CHECK(Contains(r.err, "another nsearch-index is updating"));
  CHECK(Lines(r.err).size() == 1);
  // The index is untouched and still answers.
  CHECK(SearchIn(db, {"--format", "count", "cuba"}).out == "1\n");
}

TEST_CASE("Ctrl-C stops nsearch-index cleanly and keeps what it indexed", "[e2e]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  const fs::path db = dir.path() / "idx";
  constexpr int kArticles = 20000;
  for (int i = 0; i < kArticles; ++i) {
    const fs::path sub = corpus / ("d" + std::to_string(i % 20));
    fs::create_directories(sub);
    std::ofstream(sub / ("a" + std::to_string(i) + ".txt"))
        << "Title: Harbour report " << i << "\n\nThe harbour master logged vessel " << i
        << " arriving with cargo and crew; tides and weather were noted in the harbour log.\n";
  }
  ChildProcess index({kIndexBin, "--quiet", "--db", db.string(), corpus.string()},
                     ChildProcess::Options{.env = SandboxEnv(), .capture_output = false});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  index.Signal(SIGINT);
  const std::optional<int> status = index.Wait(kRunTimeout);
  REQUIRE(status);
  REQUIRE(index.signal() == 0);  // it exited, not killed by the signal
  // 130 when interrupted; 0 if this machine was quick enough to finish first.
  const int code = *status;
  CHECK((code == 130 || code == 0));

  // Whatever was indexed is searchable and consistent (stopped before the
  // first article, there is no index yet); a second run finishes the job.
  const RunResult partial = SearchIn(db, {"--format", "count", "harbour"});
  if (partial.exit_code == 2) {
    CHECK(code == 130);
    CHECK(Contains(partial.err, "nsearch-index"));
  } else {
    CHECK((partial.exit_code == 0 || partial.exit_code == 1));
    CHECK(std::stoi(partial.out) <= kArticles);
    if (code == 0) CHECK(std::stoi(partial.out) == kArticles);
  }
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);
  // --all: these articles differ by one number, near-duplicates that a
  // search would otherwise show (and count) once per group.
  CHECK(SearchIn(db, {"--all", "--format", "count", "harbour"}).out == std::to_string(kArticles) + "\n");
}
