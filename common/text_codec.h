// TextCodec: how the stored text of articles is compressed in the index.
//
// Glass compresses document data with zlib one document at a time, which
// does poorly on short news articles (36 MB for the 63 MB news corpus).
// zstd with a dictionary trained on the corpus itself shares what articles
// have in common (boilerplate, frequent words and phrases) across all of
// them: 31 MB, and cheaper to compress. The dictionary is trained
// once, when an index is first built, and kept in the index's metadata.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nsearch {

// A dictionary for `samples` (typical stored documents), at most `capacity`
// bytes. Returns an empty string when there is too little to train on;
// compression then works without a dictionary.
std::string TrainTextDictionary(const std::vector<std::string>& samples, std::size_t capacity);

// Compresses with the dictionary. One per thread; not thread-safe.
class TextCompressor {
 public:
  explicit TextCompressor(const std::string& dictionary);
  ~TextCompressor();
  TextCompressor(const TextCompressor&) = delete;
  TextCompressor& operator=(const TextCompressor&) = delete;

  // A zstd frame holding `text`. Throws std::runtime_error only if zstd
  // itself fails (out of memory).
  std::string Compress(std::string_view text);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Decompresses what a TextCompressor with the same dictionary wrote. One
// per thread; not thread-safe.
class TextDecompressor {
 public:
  explicit TextDecompressor(std::string dictionary);
  // With a dictionary held elsewhere (a mapped file), by `owner`, which
  // this keeps until it is destroyed.
  TextDecompressor(std::string_view dictionary, std::shared_ptr<const void> owner);
  ~TextDecompressor();
  TextDecompressor(const TextDecompressor&) = delete;
  TextDecompressor& operator=(const TextDecompressor&) = delete;

  // The text in `frame`. Throws IndexError when the frame is damaged or was
  // written with another dictionary.
  std::string Decompress(std::string_view frame);

  // Whether `frame` names this one's dictionary, or none when it has none.
  // A frame that says nothing (not a zstd frame) passes: Decompress then
  // says what is wrong with it.
  bool Reads(std::string_view frame) const;

 private:
  void Init(std::string_view dictionary);

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace nsearch
