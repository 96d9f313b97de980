#include "indexer/generations.h"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "common/error.h"
#include "common/index_location.h"

namespace fs = std::filesystem;

namespace nsearch {

unsigned NextGeneration(const fs::path& index_dir) {
  unsigned highest = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(index_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("gen-", 0) == 0) highest = std::max(highest, static_cast<unsigned>(std::atoi(name.c_str() + 4)));
  }
  return highest + 1;
}

void RemoveGenerationsExcept(const fs::path& index_dir, const std::set<fs::path>& keep) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(index_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("gen-", 0) == 0 && keep.count(entry.path()) == 0) fs::remove_all(entry.path(), ec);
  }
}

void LinkLiveGeneration(const fs::path& index_dir, const fs::path& generation) {
  const fs::path link = index_dir / "live";
  const fs::path target = generation.filename();
  std::error_code ec;
  if (fs::read_symlink(link, ec) == target) return;
  const fs::path fresh = index_dir / "live.new";
  fs::remove(fresh, ec);
  fs::create_directory_symlink(target, fresh, ec);
  if (!ec) fs::rename(fresh, link, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(fresh, ignored);
    throw IndexError("cannot point " + link.string() + " at " + target.string() + ": " + ec.message());
  }
}

void PublishGeneration(const fs::path& index_dir, const std::vector<std::string>& lines,
                       const fs::path& generation) {
  // The link first: when it cannot be written, nothing is published.
  LinkLiveGeneration(index_dir, generation);
  PublishStub(index_dir, lines);
  RemoveGenerationsExcept(index_dir, {generation});
}

}  // namespace nsearch
