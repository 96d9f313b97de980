#include "indexer/progress.h"

#include <chrono>
#include <cstdio>

namespace nsearch {

ProgressLine::ProgressLine(const IndexProgress& progress, bool enabled)
    : progress_(progress), enabled_(enabled) {
  if (enabled_) thread_ = std::thread(&ProgressLine::Loop, this);
}

ProgressLine::~ProgressLine() {
  if (!enabled_) return;
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
  Clear();
}

void ProgressLine::Clear() {
  if (!enabled_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
}

void ProgressLine::Loop() {
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [&] { return done_; })) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double files = static_cast<double>(progress_.files_done.load());
    const double total = static_cast<double>(progress_.files_total.load());
    const double rate = elapsed > 0 ? static_cast<double>(progress_.articles_done.load()) / elapsed : 0;
    const double mb = static_cast<double>(progress_.bytes_done.load()) / 1e6;
    const double mb_total = static_cast<double>(progress_.bytes_total.load()) / 1e6;
    if (progress_.compacting) {
      std::fprintf(stderr, "\r\033[K%.0f files, %.1f MB indexed; compacting the index...", files, mb);
    } else {
      const double left = (rate > 0 && total > files) ? (total - files) / rate : 0;
      std::fprintf(stderr, "\r\033[K%.0f/%.0f files, %.1f/%.1f MB, %.0f articles/s, %d:%02d left",
                   files, total, mb, mb_total, rate, static_cast<int>(left) / 60, static_cast<int>(left) % 60);
    }
    std::fflush(stderr);
  }
}

}  // namespace nsearch
