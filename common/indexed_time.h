// When an article was indexed: the value of schema::kIndexedSlot and of the
// shard metadata schema::kMetaIndexedThrough. Microseconds since the Unix
// epoch (UTC), written as 16 decimal digits, so that Xapian's value ranges,
// which compare bytes, compare times. An article without the value counts
// as indexed at time 0 (indexes written before it was added).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nsearch {

inline constexpr std::size_t kIndexedStampDigits = 16;

// `micros` as a stamp: 16 digits, zero-padded (negative counts as 0).
std::string IndexedStamp(std::int64_t micros);

// The microseconds of `stamp`; nullopt unless it is 1 to 16 digits.
std::optional<std::int64_t> ParseIndexedStamp(std::string_view stamp);

// The time now in microseconds since the epoch.
std::int64_t NowMicros();

// The stamp the next batch written into a shard carries: the time now, and
// always later than `previous` (the shard's kMetaIndexedThrough; empty or
// malformed counts as 0), so that a reader that saw `previous` committed
// sees every later article as later.
std::string NextIndexedStamp(std::string_view previous, std::int64_t now_micros);

}  // namespace nsearch
