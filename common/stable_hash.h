// StableHash: the 64-bit FNV-1a hash nsearch uses wherever a hash must be the
// same on every run and machine (the shard of an article, the suffix of a
// shortened term, near-duplicate shingles). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace nsearch {

// FNV-1a, 64 bits: StableHash of a text is StableHashStep applied to each
// byte in turn, from StableHash("").
constexpr std::uint64_t StableHashStep(std::uint64_t hash, unsigned char byte) {
  return (hash ^ byte) * 1099511628211ULL;
}

// A stable 64-bit hash (FNV-1a) of `text`: picks the shard an article lives
// in, the same on every run and machine.
constexpr std::uint64_t StableHash(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) hash = StableHashStep(hash, c);
  return hash;
}

}  // namespace nsearch
