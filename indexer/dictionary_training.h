// The zstd dictionary a new index compresses its stored text with, trained
// on a sample of the files the first walk finds. FileSampler is used by one
// thread; TrainDictionary is a pure function of the files it reads.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "indexer/article_reader.h"

namespace nsearch {

// A fixed-size random sample of the files a walk finds (reservoir sampling,
// with a fixed seed so that the same corpus gives the same index).
class FileSampler {
 public:
  static constexpr std::size_t kMaxSamples = 4000;

  void Offer(const std::string& path);
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  std::vector<std::string> paths_;
  std::uint64_t seen_ = 0;
  std::mt19937_64 random_{20221123};
};

// Text articles are cheap for nsearch to read again from their files, so
// the index keeps only a preview of their body (stored_document.h).
bool IsTextFormat(ArticleFormat format);

// A zstd dictionary for the stored text of a new index, trained on a few MB
// of the articles in `paths`; files that cannot be read are passed over.
std::string TrainDictionary(const std::vector<std::string>& paths, std::uint64_t max_file_bytes);

}  // namespace nsearch
