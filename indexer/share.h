// Share: the part of an archive one index holds when several indexes (on
// several machines) each take a share of it (nsearch-index --shard-of K/N).
// An article belongs to share K of N when StableHash(its id) % N == K: the
// id as everywhere else (a file's canonical path, a JSON article's id;
// common/article_id.h), hashed with the FNV-1a of common/stable_hash.h, so
// every machine agrees without talking to the others. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nsearch {

struct Share {
  std::uint32_t k = 0;
  std::uint32_t n = 0;  // 0: the whole archive

  bool whole() const { return n == 0; }
  // True when the article with id `id` belongs to this share.
  bool Holds(std::string_view id) const;
  // Which of an index's `shards` the article with id `id` goes to:
  // StableHash(id) % shards, of the hash divided by N in a share (else every
  // article of share K of N would go to the shards k with k % N == K).
  unsigned ShardOf(std::string_view id, unsigned shards) const;
  // "K/N", or "" for the whole archive (as recorded in the index).
  std::string ToString() const;
  bool operator==(const Share&) const = default;
};

// "K/N" with 0 <= K < N, N >= 1 (1 is the whole archive); "" is the whole
// archive. Throws UsageError naming `what` (the option, or the index's
// metadata) on anything else.
Share ParseShare(const std::string& text, const std::string& what);

}  // namespace nsearch
