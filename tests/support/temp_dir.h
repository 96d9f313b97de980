// TempDir: a fresh folder under the system's temporary directory for one
// test, removed with everything in it when the TempDir goes out of scope.
// Not thread-safe; one owner.
#pragma once

#include <filesystem>
#include <string>

namespace nsearch::test {

class TempDir {
 public:
  // Makes PREFIX-XXXXXX (mkdtemp) under $TMPDIR or /tmp; path() is canonical,
  // so it compares equal to the paths the programs print. Throws
  // std::runtime_error when the folder cannot be made.
  explicit TempDir(const std::string& prefix = "nsearch-test");
  // Removes the folder; errors (a file made unremovable by the test) are ignored.
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace nsearch::test
