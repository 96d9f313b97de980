#include "indexer/index_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace fs = std::filesystem;

namespace nsearch {

IndexLock::IndexLock(const fs::path& index_dir, bool wait) {
  const fs::path path = index_dir / "lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw IndexError("cannot open " + path.string() + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  if (errno == EWOULDBLOCK && wait) {
    if (::flock(fd_, LOCK_EX) == 0) return;
  }
  const int saved = errno;
  ::close(fd_);
  if (saved == EWOULDBLOCK) {
    throw IndexError("another nsearch-index is updating " + index_dir.string() +
                     "; wait for it to finish, or pass --wait to queue behind it");
  }
  throw IndexError("cannot lock " + path.string() + ": " + std::strerror(saved));
}

IndexLock::~IndexLock() { ::close(fd_); }

}  // namespace nsearch
