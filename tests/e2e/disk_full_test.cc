// End-to-end tests of running out of space: past a file size limit
// (ulimit -f) and on a full filesystem, indexing fails with one clear line
// and the index stays searchable.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <sys/mount.h>
#include <thread>

#include "tests/e2e/changing_corpus.h"
#include "tests/e2e/support.h"
#include "tests/support/skip.h"

using namespace e2e;

namespace {

// The largest file under `dir`, in bytes.
std::uintmax_t LargestFile(const fs::path& dir) {
  std::uintmax_t largest = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) largest = std::max(largest, entry.file_size());
  }
  return largest;
}

// Checks a run that ran out of space: status 2, one line naming what could
// not be written and why (`reason`, as strerror gives it).
void CheckOutOfSpace(const RunResult& r, const std::string& reason) {
  INFO("exit " << r.exit_code << "; stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(Lines(r.err).size() == 1);
  CHECK(StartsWith(r.err, "nsearch-index: cannot "));
  CHECK(Contains(r.err, reason));
}

// Indexes the fixtures into `db`, then fails to add a larger corpus to it,
// by an update and by a --rebuild, running the indexer through `wrap`
// (which limits its space); each time the index before stays whole and
// searchable. Then, with space again, the update completes.
void CheckFullDisk(const fs::path& db, const fs::path& work, const std::vector<std::string>& wrap,
                   const std::string& reason) {
  Corpus corpus(work / "corpus", 7);
  REQUIRE(Index(db, {corpus.root().string()}, {"--jobs", "2"}).exit_code == 0);
  const Ids before = corpus.ExpectedIds();
  CheckIds(db, corpus.root(), before);
  corpus.AddText(1500, "bulk");
  for (int i = 0; i < 5; ++i) corpus.AddFeed(100, "bulk");

  for (const std::vector<std::string>& mode : {std::vector<std::string>{}, std::vector<std::string>{"--rebuild"}}) {
    std::vector<std::string> argv = wrap;
    for (const std::string& a : {kIndexBin, std::string("--quiet"), std::string("--db"), db.string()}) argv.push_back(a);
    argv.insert(argv.end(), mode.begin(), mode.end());
    // Under LeakSanitizer, with the suppression of Xapian's own leak on a
    // failed write (tests/lsan-disk-full.supp).
    const RunResult r = Run(argv, {{"LSAN_OPTIONS", "suppressions=" LSAN_DISK_FULL_SUPP}}, std::chrono::seconds(120));
    INFO((mode.empty() ? "update" : "--rebuild"));
    CheckOutOfSpace(r, reason);
    // The update may have committed some batches first; the articles the
    // index had are all there, and only articles of the corpus.
    const std::optional<Ids> seen = IdsIn(db, corpus.root());
    REQUIRE(seen);
    CHECK(Minus(before, *seen).empty());
    CHECK(Minus(*seen, corpus.ExpectedIds()).empty());
    CHECK(SearchIn(db, {"--format", "count", "cuba"}).out == "6\n");
  }
}

}  // namespace

TEST_CASE("past a file size limit (ulimit -f) indexing fails with one clear line and the index stays searchable",
          "[e2e][crash][disk-full]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  // The limit is set once the first index exists: a little above its
  // largest file, far below what the bulk corpus needs.
  Corpus probe(dir.path() / "probe", 7);
  REQUIRE(Index(dir.path() / "probe-idx", {probe.root().string()}, {"--jobs", "2"}).exit_code == 0);
  const std::uintmax_t limit = LargestFile(dir.path() / "probe-idx") + (128 << 10);
  CheckFullDisk(db, dir.path(), {"/usr/bin/prlimit", "--fsize=" + std::to_string(limit), "--"}, "File too large");
  const RunResult r = Index(db, {});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(SearchIn(db, {"--format", "count", "bulk"}).out == "2000\n");
}

TEST_CASE("on a full filesystem indexing fails with one clear line and the index stays searchable",
          "[e2e][crash][disk-full]") {
  TempDir dir;
  const fs::path mnt = dir.path() / "small";
  fs::create_directories(mnt);
  // A 3 MB tmpfs holds the fixtures' index but not the bulk corpus's. Mounting
  // needs root (CAP_SYS_ADMIN); without it the file size limit test above
  // covers running out of space.
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=3m") != 0) {
    nsearch::test::ReportSkipped(std::string("cannot mount a small tmpfs (needs root): ") + std::strerror(errno));
    return;
  }
  struct Unmount {
    fs::path path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};
  CheckFullDisk(mnt / "idx", dir.path(), {}, "No space left on device");
}
