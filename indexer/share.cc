#include "indexer/share.h"

#include <charconv>

#include "common/error.h"
#include "common/stable_hash.h"

namespace nsearch {

bool Share::Holds(std::string_view id) const { return n <= 1 || StableHash(id) % n == k; }

unsigned Share::ShardOf(std::string_view id, unsigned shards) const {
  const std::uint64_t hash = StableHash(id);
  return static_cast<unsigned>((n <= 1 ? hash : hash / n) % shards);
}

std::string Share::ToString() const { return n <= 1 ? "" : std::to_string(k) + "/" + std::to_string(n); }

Share ParseShare(const std::string& text, const std::string& what) {
  if (text.empty()) return {};
  const std::size_t slash = text.find('/');
  Share share;
  auto number = [&](std::string_view digits, std::uint32_t& out) {
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return !digits.empty() && error == std::errc() && end == digits.data() + digits.size();
  };
  const std::string_view all(text);
  if (slash == std::string::npos || !number(all.substr(0, slash), share.k) || !number(all.substr(slash + 1), share.n) ||
      share.n == 0 || share.k >= share.n) {
    throw UsageError(what + ": not a share K/N with 0 <= K < N: '" + text + "' (for example 0/3)");
  }
  if (share.n == 1) return {};
  return share;
}

}  // namespace nsearch
