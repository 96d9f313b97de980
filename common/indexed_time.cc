#include "common/indexed_time.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace nsearch {

std::string IndexedStamp(std::int64_t micros) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016lld", static_cast<long long>(std::max<std::int64_t>(micros, 0)));
  return buf;
}

std::optional<std::int64_t> ParseIndexedStamp(std::string_view stamp) {
  if (stamp.empty() || stamp.size() > kIndexedStampDigits) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : stamp) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string NextIndexedStamp(std::string_view previous, std::int64_t now_micros) {
  const std::int64_t before = ParseIndexedStamp(previous).value_or(0);
  return IndexedStamp(std::max(now_micros, before + 1));
}

}  // namespace nsearch
