#include "indexer/generations.h"

#include <algorithm>
#include <cstdlib>
#include <system_error>

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

void PublishGeneration(const fs::path& index_dir, const std::vector<std::string>& lines,
                       const fs::path& generation) {
  PublishStub(index_dir, lines);
  RemoveGenerationsExcept(index_dir, {generation});
}

}  // namespace nsearch
