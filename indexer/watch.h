// WatchIndex is nsearch-index --watch: it indexes the roots as a run
// without --watch does (a first build, or an update of the live index),
// then keeps the index current as files change, until it is told to stop.
//
// The roots are watched (FileWatch) before the first run starts, so that
// nothing changed while it runs is missed. A changed path waits until it
// has had no event for the quiet period, so that a file is read once it
// has stopped changing, and the paths that became quiet together are one
// incremental update (Indexer::UpdatePaths), committed at once: searches
// see each update as a whole. When the kernel's event queue overflows,
// every root is looked at again, which the update makes cheap (unchanged
// files are only stat()ed). The index lock is held from the first run to
// the end of the watch. Runs on the calling thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>

#include "indexer/indexer.h"

namespace nsearch {

// How long a path must go without events before it is read.
inline constexpr std::chrono::milliseconds kWatchQuietPeriod{1000};

// Which run a summary is of.
struct WatchRun {
  bool first = false;       // the run over the roots at the start
  bool rescan = false;      // every root again, after the event queue overflowed
  std::size_t paths = 0;    // the files and folders an update covered
  std::size_t folders = 0;  // the folders watched after the run
};

using WatchReporter = std::function<void(const IndexSummary& summary, const WatchRun& run)>;

// Runs `indexer` (made with `options`) over its roots, then updates the index
// for every change under them until `stop` becomes true, calling `on_run`
// after each run. `progress` is the first run's. Returns the last run's
// summary with `interrupted` set (a watch ends only when stopped); what was
// indexed is committed. Throws UsageError or IndexError as Indexer::Run
// does, and IndexError when the roots cannot be watched.
IndexSummary WatchIndex(Indexer& indexer, const IndexerOptions& options, IndexProgress& progress,
                        const std::atomic<bool>& stop, const WatchReporter& on_run,
                        std::chrono::milliseconds quiet = kWatchQuietPeriod);

}  // namespace nsearch
