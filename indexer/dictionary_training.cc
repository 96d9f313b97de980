#include "indexer/dictionary_training.h"

#include <optional>

#include "common/source_state.h"
#include "common/stored_document.h"
#include "common/text_codec.h"

namespace nsearch {

void FileSampler::Offer(const std::string& path) {
  ++seen_;
  if (paths_.size() < kMaxSamples) {
    paths_.push_back(path);
  } else if (const std::uint64_t slot = random_() % seen_; slot < kMaxSamples) {
    paths_[slot] = path;
  }
}

bool IsTextFormat(ArticleFormat format) { return format == ArticleFormat::kText || format == ArticleFormat::kOther; }

std::string TrainDictionary(const std::vector<std::string>& paths, std::uint64_t max_file_bytes) {
  constexpr std::size_t kDictionarySampleBytes = 3 << 20;
  constexpr std::size_t kDictionaryBytes = 256 << 10;
  std::vector<std::string> samples;
  std::size_t total = 0;
  for (std::size_t i = 0; i < paths.size() && total < kDictionarySampleBytes; ++i) {
    const LoadedFile file = LoadArticleFile(paths[i], max_file_bytes);
    if (!file.skip_kind.empty()) continue;
    const bool text = IsTextFormat(FormatOf(paths[i]));
    std::optional<Article::FileContent> content;  // as DocumentBuilder::Build stores it
    if (text) content = Article::FileContent{file.bytes.size(), ContentHash(file.bytes)};
    for (Article& article : ParseArticleFile(file.bytes, paths[i]).articles) {
      article.file_content = content;
      samples.push_back(EncodeStoredDocument(article, text));
      total += samples.back().size();
      if (total >= kDictionarySampleBytes) break;
    }
  }
  return TrainTextDictionary(samples, kDictionaryBytes);
}

}  // namespace nsearch
