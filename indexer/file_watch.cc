#include "indexer/file_watch.h"

#include <dirent.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "common/article_id.h"
#include "common/error.h"
#include "indexer/file_walker.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

// What a folder is watched for: files written and closed, made, changed
// (size, mtime), moved and removed, and the folder itself going.
constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_CREATE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO |
                                IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// True when `path` is `dir` or lies below it.
bool IsUnder(const std::string& path, const std::string& dir) {
  if (path.size() < dir.size() || path.compare(0, dir.size(), dir) != 0) return false;
  return path.size() == dir.size() || path[dir.size()] == '/' || dir == "/";
}

std::string Child(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

int NewInotify() {
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    throw IndexError(std::string("cannot watch for changes: inotify: ") + std::strerror(errno) +
                     (errno == EMFILE ? " (raise fs.inotify.max_user_instances)" : ""));
  }
  return fd;
}

}  // namespace

bool IsTemporaryName(const std::string& name) {
  if (name.empty() || name[0] == '.' || name.back() == '~') return true;
  if (name.size() > 1 && name.front() == '#' && name.back() == '#') return true;
  for (const char* suffix : {".part", ".crdownload", ".tmp", ".download", ".swp"}) {
    if (EndsWith(name, suffix)) return true;
  }
  return false;
}

FileWatch::FileWatch(std::vector<std::string> roots, const fs::path& exclude) : roots_(std::move(roots)) {
  std::error_code ec;
  exclude_path_ = CanonicalPath(exclude.string(), ec);
  fd_ = NewInotify();
  Rewatch();
}

FileWatch::~FileWatch() {
  if (fd_ >= 0) ::close(fd_);
}

void FileWatch::Rewatch() {
  dirs_.clear();
  file_roots_.clear();
  for (const std::string& root : roots_) {
    struct stat st;
    if (::stat(root.c_str(), &st) != 0) continue;  // reported by the walk
    if (S_ISDIR(st.st_mode)) {
      AddTree(root);
    } else {
      file_roots_.insert(root);
      AddFolder(fs::path(root).parent_path().string(), false);
    }
  }
}

void FileWatch::AddTree(const std::string& dir) {
  std::error_code ec;
  const std::string canonical = fs::canonical(dir, ec).string();
  if (ec || IsUnder(canonical, exclude_path_)) return;
  struct stat st;
  if (::stat(canonical.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return;
  if (!visiting_.insert({st.st_dev, st.st_ino}).second) return;  // a symlink loop
  AddFolder(canonical, true);
  if (DIR* d = ::opendir(canonical.c_str())) {
    std::vector<std::string> subdirs;
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name[0] == '.') continue;  // ".", ".." and hidden folders, which the walk skips too
      if (e->d_type == DT_DIR || e->d_type == DT_LNK || e->d_type == DT_UNKNOWN) subdirs.push_back(name);
    }
    ::closedir(d);
    for (const std::string& name : subdirs) AddTree(Child(canonical, name));
  }
  visiting_.erase({st.st_dev, st.st_ino});
}

void FileWatch::AddFolder(const std::string& dir, bool whole) {
  const int wd = ::inotify_add_watch(fd_, dir.c_str(), kMask);
  if (wd < 0) {
    if (errno == ENOSPC) {
      throw IndexError("cannot watch " + dir + ": the limit of inotify watches is reached "
                       "(raise fs.inotify.max_user_watches)");
    }
    return;  // unreadable or gone: the walk reports what it cannot read
  }
  // The same folder twice (a file root beside a folder root) is one watch.
  auto [it, added] = dirs_.try_emplace(wd, Folder{dir, whole});
  if (!added) {
    it->second.path = dir;
    it->second.whole = it->second.whole || whole;
  }
}

void FileWatch::RemoveTree(const std::string& dir) {
  for (auto it = dirs_.begin(); it != dirs_.end();) {
    if (IsUnder(it->second.path, dir)) {
      ::inotify_rm_watch(fd_, it->first);
      it = dirs_.erase(it);
    } else {
      ++it;
    }
  }
}

bool FileWatch::Read(const ChangeReporter& on_change) {
  alignas(inotify_event) char buffer[64 * 1024];
  bool overflowed = false;
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    if (n < 0) throw IndexError(std::string("cannot read the changes watched: inotify: ") + std::strerror(errno));
    if (n == 0) break;
    for (const char* p = buffer; p < buffer + n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(p);
      p += sizeof(inotify_event) + event->len;
      if (event->mask & IN_Q_OVERFLOW) {
        overflowed = true;
        continue;
      }
      Handle(event->wd, event->mask, event->len > 0 ? std::string(event->name) : std::string(), on_change);
    }
  }
  if (overflowed) {
    // Events were lost, new folders among them: watch everything anew, on a
    // new queue, before the caller looks at every root again.
    ::close(fd_);
    fd_ = -1;
    fd_ = NewInotify();
    Rewatch();
  }
  return !overflowed;
}

void FileWatch::Handle(int wd, std::uint32_t mask, const std::string& name, const ChangeReporter& on_change) {
  const auto it = dirs_.find(wd);
  if (it == dirs_.end()) return;  // a folder no longer watched
  if (mask & IN_IGNORED) {
    dirs_.erase(it);
    return;
  }
  const Folder folder = it->second;  // AddTree and RemoveTree change dirs_
  if (mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
    // The folder's parent reports it, unless it is a root.
    for (const std::string& root : roots_) {
      if (root == folder.path) on_change(root);
    }
    if (mask & IN_MOVE_SELF) RemoveTree(folder.path);
    return;
  }
  if (name.empty()) return;
  const std::string path = Child(folder.path, name);
  if (!folder.whole) {
    if (file_roots_.count(path) != 0) on_change(path);
    return;
  }
  if (name[0] == '.' || IsUnder(path, exclude_path_)) return;
  if (mask & IN_ISDIR) {
    if (mask & IN_MOVED_FROM) RemoveTree(path);
    if (mask & (IN_CREATE | IN_MOVED_TO)) AddTree(path);
    if (mask & (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)) on_change(path);
    return;
  }
  if (IsTemporaryName(name) || !IsArticleExtension(name)) return;
  on_change(path);
}

}  // namespace nsearch
