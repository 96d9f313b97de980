#include "indexer/pending_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace fs = std::filesystem;

namespace nsearch {

PendingFiles::PendingFiles(const fs::path& index_dir) : path_(index_dir / "pending") {
  std::ifstream in(path_);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) paths_.insert(line);
  }
}

PendingFiles::~PendingFiles() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> PendingFiles::Add(const std::string& path) {
  if (!paths_.insert(path).second) return std::nullopt;
  if (fd_ < 0) fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const std::string line = path + "\n";
  if (fd_ < 0 || ::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
      ::fdatasync(fd_) != 0) {
    paths_.erase(path);
    return "cannot write " + path_.string() + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

void PendingFiles::Clear() {
  std::error_code ec;
  fs::remove(path_, ec);
  paths_.clear();
}

}  // namespace nsearch
