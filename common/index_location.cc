#include "common/index_location.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string_view>

#include "common/error.h"

namespace fs = std::filesystem;

namespace nsearch {

fs::path ResolveIndexDir(const std::string& option, const fs::path& configured) {
  if (!option.empty()) return fs::path(option);
  if (const char* env = std::getenv("NSEARCH_DB"); env != nullptr && *env != '\0') return fs::path(env);
  if (!configured.empty()) return configured;
  if (const char* data = std::getenv("XDG_DATA_HOME"); data != nullptr && *data == '/') {
    return fs::path(data) / "nsearch" / "index";
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    throw UsageError("no index location: pass --db DIR or set NSEARCH_DB (HOME is not set)");
  }
  return fs::path(home) / ".local" / "share" / "nsearch" / "index";
}

fs::path StubPath(const fs::path& index_dir) {
  std::error_code ec;
  if (fs::is_regular_file(index_dir, ec)) return index_dir;  // a stub file itself
  return index_dir / "XAPIANDB";
}

bool IndexExists(const fs::path& index_dir) {
  std::error_code ec;
  return fs::is_regular_file(StubPath(index_dir), ec);
}

std::vector<std::string> ReadStubLines(const fs::path& index_dir) {
  std::ifstream in(StubPath(index_dir));
  if (!in) throw IndexError("cannot read " + StubPath(index_dir).string() + ": " + std::strerror(errno));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    const auto start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    const auto end = line.find_last_not_of(" \t\r");
    lines.push_back(line.substr(start, end - start + 1));
  }
  return lines;
}

namespace {

// Writes `content` to DIR/NAME through a temporary file, synced and renamed
// over it, and syncs the directory: a reader sees the old file or the new
// one. Throws IndexError naming the file on failure.
void ReplaceFileDurably(const fs::path& dir, const std::string& name, std::string_view content) {
  const fs::path path = dir / name;
  const fs::path tmp = dir / (name + ".new");
  auto fail = [&](const fs::path& what) {
    throw IndexError("cannot write " + what.string() + ": " + std::strerror(errno));
  };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(tmp);
  const bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
                  ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (!ok) fail(tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail(path);
  // Make the rename itself durable.
  if (const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
    ::fsync(d);
    ::close(d);
  }
}

}  // namespace

void PublishStub(const fs::path& index_dir, const std::vector<std::string>& lines) {
  std::string text = "# nsearch index: the shards of the live generation (a Xapian stub database)\n";
  for (const std::string& line : lines) text += line + "\n";
  ReplaceFileDurably(index_dir, StubPath(index_dir).filename().string(), text);
}

fs::path TextDictionaryPath(const fs::path& shard) { return shard / "nsearch.textdict"; }

void WriteTextDictionary(const fs::path& shard, const std::string& dictionary) {
  const fs::path path = TextDictionaryPath(shard);
  std::error_code ec;
  if (dictionary.empty()) {
    fs::remove(path, ec);
    return;
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size == dictionary.size()) return;  // a generation's dictionary never changes
  ReplaceFileDurably(shard, path.filename().string(), dictionary);
}

fs::path LocalShardPath(const fs::path& index_dir, const std::string& line) {
  const auto space = line.find_first_of(" \t");
  if (space == std::string::npos) return {};
  const std::string type = line.substr(0, space);
  if (type != "glass" && type != "auto") return {};
  const fs::path path(line.substr(line.find_first_not_of(" \t", space)));
  return path.is_absolute() ? path : StubPath(index_dir).parent_path() / path;
}

}  // namespace nsearch
