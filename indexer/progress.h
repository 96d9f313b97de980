// ProgressLine draws a live, self-overwriting status line on a terminal while
// nsearch-index runs: files, MB, articles per second and time left. It runs
// its own thread and only ever reads IndexProgress.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "indexer/indexer.h"

namespace nsearch {

class ProgressLine {
 public:
  // Starts drawing to stderr every quarter second. Does nothing at all when
  // `enabled` is false (not a terminal, or --quiet).
  ProgressLine(const IndexProgress& progress, bool enabled);
  // Stops and erases the line.
  ~ProgressLine();

  // Erases the line so that a message can be printed; the next tick redraws it.
  void Clear();

 private:
  void Loop();
  void Draw();

  const IndexProgress& progress_;
  bool enabled_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace nsearch
