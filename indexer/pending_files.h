// PendingFiles is DIR/pending, the journal of the files an update is
// rewriting whose articles are more than one document (JSON and JSON Lines:
// several articles, ids of their own), one canonical path a line.
//
// Shards commit on their own, so a run killed or stopped part way may leave
// such a file's articles half replaced, with new source states beside old
// ones; the next run would then take the file as unchanged. So each such
// file is listed here, durably, before any of its changes is queued, and
// read again by every run until one completes (which removes the list).
//
// Used by the thread that reads the inputs; not thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>

namespace nsearch {

class PendingFiles {
 public:
  // Reads the list, if there is one.
  explicit PendingFiles(const std::filesystem::path& index_dir);
  ~PendingFiles();
  PendingFiles(const PendingFiles&) = delete;
  PendingFiles& operator=(const PendingFiles&) = delete;

  bool Contains(const std::string& path) const { return paths_.count(path) != 0; }

  // Lists `path` (synced) unless it is listed. Returns the error, naming
  // the list, when it cannot be written.
  std::optional<std::string> Add(const std::string& path);

  // Every listed file is indexed as it is now: the list goes.
  void Clear();

 private:
  std::filesystem::path path_;
  std::set<std::string> paths_;
  int fd_ = -1;
};

}  // namespace nsearch
