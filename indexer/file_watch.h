// FileWatch follows the folders under an index's roots with inotify and
// names the paths whose articles may have changed: article files written,
// closed, moved in or out, or removed, and folders made, moved or removed
// (a new folder is watched at once, so that what is written into it later
// is seen; what was already inside is found by walking it). Hidden names,
// editors' and downloaders' temporary files and the index's own folder are
// left out. Used by one thread; not thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nsearch {

// True for the names of files being written that are not yet what they
// will be called: hidden names (".foo.swp", ".#foo", ".~lock"), editors'
// backups and autosaves ("foo~", "#foo#"), and downloads under way (".part",
// ".crdownload", ".tmp", ".download", ".swp").
bool IsTemporaryName(const std::string& name);

class FileWatch {
 public:
  // Called with the canonical path of a file or folder that changed.
  using ChangeReporter = std::function<void(const std::string& path)>;

  // Watches every folder under `roots` (canonical paths; a root that is a
  // file: its folder, for that file alone), except hidden folders and
  // `exclude` (the index). Roots that do not exist are left out. Throws
  // IndexError when inotify cannot be set up (naming the limit to raise
  // when it is fs.inotify.max_user_watches).
  FileWatch(std::vector<std::string> roots, const std::filesystem::path& exclude);
  ~FileWatch();
  FileWatch(const FileWatch&) = delete;
  FileWatch& operator=(const FileWatch&) = delete;

  // The inotify descriptor, to poll for POLLIN.
  int fd() const { return fd_; }

  // The number of folders watched.
  std::size_t folders() const { return dirs_.size(); }

  // Reads the events queued, without waiting, and reports the paths they
  // touch to `on_change`. Returns false when the kernel's queue overflowed
  // and events were lost: the caller must look at every root again (the
  // folders are watched anew before it returns). Throws IndexError when the
  // watch fails.
  bool Read(const ChangeReporter& on_change);

 private:
  struct Folder {
    std::string path;         // canonical
    bool whole = true;        // false: watched only for the file roots in it
  };
  void Rewatch();
  // Watches `dir` and the folders below it.
  void AddTree(const std::string& dir);
  void AddFolder(const std::string& dir, bool whole);
  // Stops watching `dir` and the folders below it (moved away).
  void RemoveTree(const std::string& dir);
  void Handle(int wd, std::uint32_t mask, const std::string& name, const ChangeReporter& on_change);

  std::vector<std::string> roots_;
  std::set<std::string> file_roots_;
  std::string exclude_path_;                       // the index, canonical
  std::set<std::pair<dev_t, ino_t>> visiting_;     // the folders AddTree is in
  int fd_ = -1;
  std::unordered_map<int, Folder> dirs_;  // by watch descriptor
};

}  // namespace nsearch
