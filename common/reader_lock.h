// Searches and an updating nsearch-index, kept apart where Xapian does not.
//
// A glass shard keeps each committed revision's blocks until the next
// commit frees them; after that, the writer's next transaction may write
// over them. Xapian checks each block's revision as it reads it, but a
// block read while the writer rewrites it can keep its old header and
// pass: the search then decodes a mix of two blocks. Most such reads come
// out as errors or as nonsense that a retry catches; some read past the
// end of Xapian's own buffer (AddressSanitizer caught one in CI, in
// Document::get_value), which no retry can.
//
// So every local shard has a lock file, SHARD/nsearch.readers, and two
// byte-range locks in it (Linux open-file-description locks, which belong
// to one open file, so that two Searchers in one process are apart too):
//   byte 1, the readers' lock: every search holds it shared from opening
//     (or reopening) the shard until it has read its last document;
//   byte 0, the turnstile: a writer holds it exclusively while it waits,
//     so that new searches queue behind the writer rather than keep the
//     readers' lock busy forever.
// After each commit (and before its first write) the writer takes both
// exclusively and lets go at once (ReaderBarrier::Wait): every search still
// reading a revision older than the one just committed has ended, and a
// search that starts after it opens that one, whose blocks the writer's
// next transaction leaves alone. A search waits at the turnstile for at most
// ReadLock::kMaxTurnstileWait, then takes the readers' lock anyway, which
// still keeps the writer out: a stopped search holding it up slows new ones
// down but never stops them.
//
// Remote shards are read by their servers, out of this lock's reach.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>

namespace nsearch {

// SHARD/nsearch.readers.
std::filesystem::path ReadersLockPath(const std::filesystem::path& shard);

// Creates `shard`'s lock file when it has none, before the shard is
// published. Throws IndexError naming the file on failure.
void CreateReadersLock(const std::filesystem::path& shard);

// A search's hold on one shard.
class ReadLock {
 public:
  static constexpr std::chrono::milliseconds kMaxTurnstileWait{1000};

  // Opens `shard`'s lock file, without locking it. A shard without one
  // (the folder was removed, or no writer has made the file yet: an
  // index of an older nsearch, made on its next update) locks nothing.
  explicit ReadLock(const std::filesystem::path& shard);
  ~ReadLock();
  ReadLock(ReadLock&& other) noexcept;
  ReadLock& operator=(ReadLock&& other) noexcept;
  ReadLock(const ReadLock&) = delete;
  ReadLock& operator=(const ReadLock&) = delete;

  // Takes the readers' lock shared (no-op when held, or without a file).
  void Lock();
  // Lets go of it (no-op when not held).
  void Unlock();
  // Whether the lock is held: false after Lock() without a lock file.
  bool held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

// A writer's side of the lock on one shard.
class ReaderBarrier {
 public:
  // Called when Wait() has waited for kReportAfter, with the shard.
  using WaitReporter = std::function<void(const std::filesystem::path&)>;
  static constexpr std::chrono::seconds kReportAfter{10};

  // Creates `shard`'s lock file when it has none. Throws IndexError naming
  // the file when it can be neither opened nor created.
  explicit ReaderBarrier(const std::filesystem::path& shard, WaitReporter on_long_wait = {});
  ~ReaderBarrier();
  ReaderBarrier(const ReaderBarrier&) = delete;
  ReaderBarrier& operator=(const ReaderBarrier&) = delete;

  // Returns once every search that held the readers' lock when it was
  // called has let go of it. Throws IndexError when the lock fails.
  void Wait();

 private:
  std::filesystem::path shard_;
  WaitReporter on_long_wait_;
  int fd_ = -1;
};

}  // namespace nsearch
