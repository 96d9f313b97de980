// IndexLock holds DIR/lock, so that only one nsearch-index writes an index
// at a time. Owned by the run that took it; not thread-safe.
#pragma once

#include <filesystem>

namespace nsearch {

class IndexLock {
 public:
  // Takes the lock (flock), waiting for it when `wait`. Throws IndexError
  // when another process holds it (and `wait` is false), or when the lock
  // file cannot be opened.
  IndexLock(const std::filesystem::path& index_dir, bool wait);
  ~IndexLock();
  IndexLock(const IndexLock&) = delete;
  IndexLock& operator=(const IndexLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace nsearch
