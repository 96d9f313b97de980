#include "common/reader_lock.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "common/error.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

constexpr off_t kTurnstile = 0;
constexpr off_t kReaders = 1;

// Sets (F_RDLCK, F_WRLCK) or clears (F_UNLCK) the lock on `length` bytes
// from `start`: waiting for it with F_OFD_SETLKW, else trying once. Returns
// 0 or an errno (EAGAIN: held by another).
int SetLock(int fd, short type, off_t start, off_t length, bool wait) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = start;
  lock.l_len = length;
  lock.l_pid = 0;  // open-file-description locks require it
  while (::fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &lock) != 0) {
    if (errno != EINTR) return errno == EACCES ? EAGAIN : errno;
  }
  return 0;
}

// Pauses that grow from a few microseconds, for as short a wait as a
// search's end allows, to a few milliseconds.
class Backoff {
 public:
  void Pause() {
    std::this_thread::sleep_for(pause_);
    pause_ = std::min(pause_ * 2, std::chrono::microseconds(2000));
  }

 private:
  std::chrono::microseconds pause_{20};
};

// `shard`'s lock file, opened for the writer (made when missing). Throws
// IndexError naming it.
int OpenForWriter(const fs::path& shard) {
  const fs::path path = ReadersLockPath(shard);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw IndexError("cannot open " + path.string() + ": " + std::strerror(errno));
  return fd;
}

}  // namespace

fs::path ReadersLockPath(const fs::path& shard) { return shard / "nsearch.readers"; }

void CreateReadersLock(const fs::path& shard) { ::close(OpenForWriter(shard)); }

ReadLock::ReadLock(const fs::path& shard) {
  fd_ = ::open(ReadersLockPath(shard).c_str(), O_RDONLY | O_CLOEXEC);
}

ReadLock::~ReadLock() {
  if (fd_ >= 0) ::close(fd_);  // lets go of the lock too
}

ReadLock::ReadLock(ReadLock&& other) noexcept : fd_(other.fd_), held_(other.held_) {
  other.fd_ = -1;
  other.held_ = false;
}

ReadLock& ReadLock::operator=(ReadLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    held_ = other.held_;
    other.fd_ = -1;
    other.held_ = false;
  }
  return *this;
}

void ReadLock::Lock() {
  if (fd_ < 0 || held_) return;
  // Through the turnstile, unless a writer has been holding it for long.
  const auto give_up = std::chrono::steady_clock::now() + kMaxTurnstileWait;
  bool through = false;
  for (Backoff backoff;;) {
    const int error = SetLock(fd_, F_RDLCK, kTurnstile, 1, /*wait=*/false);
    through = error == 0;
    // Another error (a file system without these locks) will not pass.
    if (error != EAGAIN || std::chrono::steady_clock::now() >= give_up) break;
    backoff.Pause();
  }
  // A writer takes the readers' lock only from inside the turnstile, and
  // lets go at once: this wait is short. An error leaves the search
  // unlocked, as an index without the file is: Searcher still retries
  // what fails.
  held_ = SetLock(fd_, F_RDLCK, kReaders, 1, /*wait=*/true) == 0;
  if (through) SetLock(fd_, F_UNLCK, kTurnstile, 1, /*wait=*/false);
}

void ReadLock::Unlock() {
  if (!held_) return;
  SetLock(fd_, F_UNLCK, kReaders, 1, /*wait=*/false);
  held_ = false;
}

ReaderBarrier::ReaderBarrier(const fs::path& shard, WaitReporter on_long_wait)
    : shard_(shard), on_long_wait_(std::move(on_long_wait)), fd_(OpenForWriter(shard)) {}

ReaderBarrier::~ReaderBarrier() {
  if (fd_ >= 0) ::close(fd_);
}

void ReaderBarrier::Wait() {
  auto fail = [&](int error) {
    SetLock(fd_, F_UNLCK, kTurnstile, 2, /*wait=*/false);
    throw IndexError("cannot lock " + ReadersLockPath(shard_).string() + ": " + std::strerror(error));
  };
  // Searches pass the turnstile in a moment; holding it, new ones wait.
  if (const int error = SetLock(fd_, F_WRLCK, kTurnstile, 1, /*wait=*/true); error != 0) fail(error);
  const auto report_at = std::chrono::steady_clock::now() + kReportAfter;
  bool reported = false;
  for (Backoff backoff;;) {
    const int error = SetLock(fd_, F_WRLCK, kReaders, 1, /*wait=*/false);
    if (error == 0) break;
    if (error != EAGAIN) fail(error);
    if (!reported && on_long_wait_ && std::chrono::steady_clock::now() >= report_at) {
      on_long_wait_(shard_);
      reported = true;
    }
    backoff.Pause();
  }
  SetLock(fd_, F_UNLCK, kTurnstile, 2, /*wait=*/false);
}

}  // namespace nsearch
