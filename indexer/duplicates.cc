#include "indexer/duplicates.h"

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "indexer/document_builder.h"  // StableHash

namespace nsearch {
namespace {

// SplitMix64's finaliser: a cheap, well-mixing 64-bit permutation. Seeded by
// XOR, it serves as a family of hash functions for MinHash.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

constexpr std::array<std::uint64_t, 2> kSeeds = {0x243F6A8885A308D3ULL, 0x13198A2E03707344ULL};

// The hashes of the words of `text`: runs of ASCII letters and digits and
// of non-ASCII bytes (so any UTF-8 letter is part of a word), ASCII
// lower-cased. Each is StableHash of the word, computed as the word is read.
std::vector<std::uint64_t> WordHashes(std::string_view text) {
  constexpr std::uint64_t kEmpty = StableHash("");
  std::vector<std::uint64_t> words;
  std::uint64_t hash = kEmpty;
  bool in_word = false;
  for (unsigned char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
      hash = StableHashStep(hash, c);
      in_word = true;
    } else if (in_word) {
      words.push_back(hash);
      hash = kEmpty;
      in_word = false;
    }
  }
  if (in_word) words.push_back(hash);
  return words;
}

}  // namespace

std::string DuplicateKey(std::string_view body) {
  const std::vector<std::uint64_t> words = WordHashes(body);
  if (words.empty()) return {};
  std::array<std::uint64_t, kSeeds.size()> minimum;
  minimum.fill(std::numeric_limits<std::uint64_t>::max());
  const std::size_t shingles = words.size() < kShingleWords ? 1 : words.size() - kShingleWords + 1;
  for (std::size_t i = 0; i < shingles; ++i) {
    std::uint64_t shingle = 0;
    for (std::size_t j = i; j < i + kShingleWords && j < words.size(); ++j) shingle = Mix(shingle ^ words[j]);
    for (std::size_t k = 0; k < kSeeds.size(); ++k) {
      const std::uint64_t h = Mix(shingle ^ kSeeds[k]);
      if (h < minimum[k]) minimum[k] = h;
    }
  }
  std::string key;
  for (std::uint64_t m : minimum) {
    for (int shift = 56; shift >= 32; shift -= 8) key += static_cast<char>((m >> shift) & 0xFF);
  }
  return key;
}

}  // namespace nsearch
