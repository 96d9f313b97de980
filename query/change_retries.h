// ChangeRetries: how often, and for how long, a reader tries again when an
// update of the index discards or rewrites what it was reading. Used by
// IndexSnapshot (opening) and Searcher (searching). Not thread-safe.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include <xapian.h>

namespace nsearch {

inline constexpr int kMaxAttempts = 5;

// A search reads the revision of each shard it opened, and a writer that
// commits twice meanwhile discards it (DatabaseModifiedError): the search
// starts again on the new revision. A writer that commits about as fast as
// a search runs (nsearch-index --batch-size 1, or a loaded machine) can do
// that several times running, so those retries go on for a time rather
// than a number of times: at least kMaxAttempts, then until kRetryFor has
// passed. Other database errors (a generation a rebuild removed, a damaged
// file) get kMaxAttempts. The pauses between attempts grow to kMaxPause, so
// that a writer between two files lets one through, and retrying readers
// do not take the CPU the writer needs.
class ChangeRetries {
 public:
  // Whether to try again after an error, which is a change to the index
  // if `modified`; if so, it has paused first.
  bool Again(bool modified) {
    if (++attempts_ >= kMaxAttempts && (!modified || Clock::now() - start_ >= kRetryFor)) return false;
    std::this_thread::sleep_for(pause_);
    pause_ = std::clamp(pause_ * 2, kFirstPause, kMaxPause);
    return true;
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kRetryFor{10};
  static constexpr std::chrono::microseconds kFirstPause{500}, kMaxPause{50'000};

  const Clock::time_point start_ = Clock::now();
  int attempts_ = 0;
  std::chrono::microseconds pause_{0};  // none before the first retry
};

// Whether `e` says the revision being read was discarded. Xapian's
// exceptions are not polymorphic: their type is a name.
inline bool Modified(const Xapian::Error& e) { return std::strcmp(e.get_type(), "DatabaseModifiedError") == 0; }

// Whether the index may have changed since `db` was opened. A block that a
// writer rewrites while a search reads it can pass Xapian's revision check
// on its old header and decode into nonsense: with nsearch-index
// --batch-size 1 running, 1 batch of 300 queries in 60 failed with
// "DocNotFoundError: Document 1 not found" or std::length_error from
// basic_string::append, besides the DatabaseModifiedErrors. An error like
// that from an index that has changed is searched again, kMaxAttempts times
// at most.
inline bool MayHaveChanged(Xapian::Database& db) {
  try {
    return db.reopen();
  } catch (const Xapian::Error&) {  // changed in a way that Open() reports
    return true;
  }
}

}  // namespace nsearch
