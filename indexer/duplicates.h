// Near-duplicate detection for wire stories: a MinHash group key over word
// shingles. Articles whose bodies are the same, or nearly (a changed
// sentence, another dateline), usually get the same key; unrelated articles
// practically never do. The key goes into schema::kDuplicateSlot and nsearch
// collapses hits on it. Thread-safe (pure functions).
#pragma once

#include <string>
#include <string_view>

namespace nsearch {

// Words per shingle: long enough that unrelated texts share few shingles,
// short enough that one edit changes few of them.
inline constexpr std::size_t kShingleWords = 5;

// The group key of `body`: 8 bytes, two 32-bit minimum hashes (each under its
// own hash function) over the text's 5-word shingles, after lower-casing and
// dropping punctuation. Two texts share the key with probability about J²,
// J the Jaccard similarity of their shingle sets (0.9 -> 0.81, 0.3 -> 0.09,
// unrelated -> ~0); identical texts always. Empty for a body with no words.
std::string DuplicateKey(std::string_view body);

}  // namespace nsearch
