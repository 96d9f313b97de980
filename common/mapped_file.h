// MappedFile: a whole file mapped read-only into memory.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

namespace nsearch {

class MappedFile {
 public:
  // The file at `path`, or nullptr when it cannot be opened or mapped, is
  // empty, or is larger than kMaxBytes. Callers fall back to another source.
  static std::shared_ptr<const MappedFile> Open(const std::filesystem::path& path);

  static constexpr std::size_t kMaxBytes = std::size_t{64} << 20;

  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, std::size_t size) : data_(data), size_(size) {}

  void* const data_;
  const std::size_t size_;
};

}  // namespace nsearch
