#include "indexer/watch.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "common/article_id.h"
#include "common/error.h"
#include "common/index_location.h"
#include "indexer/file_watch.h"
#include "indexer/live_index.h"

namespace nsearch {
namespace {

using Clock = std::chrono::steady_clock;

// How long a wait for events lasts at most, so that `stop` is seen soon
// after a signal that arrived just before the wait began.
constexpr std::chrono::milliseconds kLongestWait{200};

// The roots the first run walks, canonical: those given, else those the
// index remembers (none when there is no index: the run says so).
std::vector<std::string> WatchedRoots(const IndexerOptions& options) {
  std::vector<std::string> roots;
  if (options.roots.empty()) {
    if (!IndexExists(options.index_dir)) return roots;
    IndexerOptions read = options;
    read.rebuild = true;  // only reads what the index remembers
    const IndexState state = ReadLiveIndex(read);
    roots.assign(state.roots.begin(), state.roots.end());
    return roots;
  }
  for (const auto& root : options.roots) {
    std::error_code ec;
    const std::string path = CanonicalPath(root.string(), ec);
    if (!path.empty()) roots.push_back(path);
  }
  return roots;
}

// The paths changed and not yet indexed, with the time of their last event.
class PendingChanges {
 public:
  explicit PendingChanges(std::chrono::milliseconds quiet) : quiet_(quiet) {}

  // An event on `path`. A folder waiting to be walked waits for what is
  // being written inside it too.
  void Touch(const std::string& path, Clock::time_point now) {
    last_[path] = now;
    for (std::string dir = path; !dir.empty();) {
      const std::size_t slash = dir.rfind('/');
      dir.resize(slash == std::string::npos || slash == 0 ? 0 : slash);
      if (auto it = last_.find(dir); it != last_.end()) it->second = now;
    }
  }

  void Clear() { last_.clear(); }

  // How long until the next path is quiet (kLongestWait when none waits).
  std::chrono::milliseconds Wait(Clock::time_point now) const {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(kLongestWait);
    for (const auto& [path, last] : last_) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(last + quiet_ - now);
      wait = std::min(wait, std::max(left, std::chrono::milliseconds(0)));
    }
    return wait;
  }

  // Takes the paths quiet for the quiet period, leaving out those under
  // another one taken (walking the folder covers them).
  std::vector<std::string> TakeQuiet(Clock::time_point now) {
    std::set<std::string> quiet;
    for (auto it = last_.begin(); it != last_.end();) {
      if (it->second + quiet_ <= now) {
        quiet.insert(it->first);
        it = last_.erase(it);
      } else {
        ++it;
      }
    }
    std::vector<std::string> taken;
    for (const std::string& path : quiet) {
      bool covered = false;
      for (std::string dir = path; !covered && !dir.empty();) {
        const std::size_t slash = dir.rfind('/');
        dir.resize(slash == std::string::npos || slash == 0 ? 0 : slash);
        covered = quiet.count(dir) != 0;
      }
      if (!covered) taken.push_back(path);
    }
    return taken;
  }

 private:
  std::chrono::milliseconds quiet_;
  std::map<std::string, Clock::time_point> last_;
};

// Waits up to `wait` for events on `watch` and adds the paths they touch to
// `pending`; after an overflow every root waits instead. Returns whether
// the queue overflowed.
bool Collect(FileWatch& watch, std::chrono::milliseconds wait, const std::vector<std::string>& roots,
             PendingChanges& pending) {
  pollfd p{watch.fd(), POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(wait.count()));
  if (ready < 0 && errno != EINTR) throw IndexError(std::string("cannot wait for changes: ") + std::strerror(errno));
  if (ready <= 0) return false;
  const Clock::time_point now = Clock::now();
  if (watch.Read([&](const std::string& path) { pending.Touch(path, now); })) return false;
  pending.Clear();
  for (const std::string& root : roots) pending.Touch(root, now);
  return true;
}

}  // namespace

IndexSummary WatchIndex(Indexer& indexer, const IndexerOptions& options, IndexProgress& progress,
                        const std::atomic<bool>& stop, const WatchReporter& on_run, std::chrono::milliseconds quiet) {
  const std::vector<std::string> roots = WatchedRoots(options);
  std::unique_ptr<FileWatch> watch;
  if (!roots.empty()) watch = std::make_unique<FileWatch>(roots, options.index_dir);
  indexer.KeepLock();
  IndexSummary summary = indexer.Run(progress, stop);
  if (!watch) throw UsageError("--watch: none of the paths to index exists");
  on_run(summary, WatchRun{true, false, roots.size(), watch->folders()});
  PendingChanges pending(quiet);
  bool rescan = false;
  while (!stop && !summary.interrupted) {
    rescan = Collect(*watch, pending.Wait(Clock::now()), roots, pending) || rescan;
    const std::vector<std::string> paths = pending.TakeQuiet(Clock::now());
    if (paths.empty() || stop) continue;
    IndexProgress batch;
    summary = indexer.UpdatePaths(paths, batch, stop);
    on_run(summary, WatchRun{false, rescan, paths.size(), watch->folders()});
    rescan = false;
  }
  summary.interrupted = true;
  return summary;
}

}  // namespace nsearch
