#include "common/source_state.h"

#include <cstring>

#include <xxhash.h>

namespace nsearch {
namespace {

void PutFixed64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t GetFixed64(std::string_view in) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[static_cast<std::size_t>(i)]);
  return v;
}

}  // namespace

std::string EncodeSourceState(const SourceState& state) {
  std::string out;
  out.reserve(20 + state.path.size());
  PutFixed64(out, state.hash);
  PutFixed64(out, static_cast<std::uint64_t>(state.mtime_ns));
  std::uint64_t size = state.size;
  do {
    const auto low = static_cast<unsigned char>(size & 0x7f);
    size >>= 7;
    out.push_back(static_cast<char>(size != 0 ? (low | 0x80) : low));
  } while (size != 0);
  out += state.path;
  return out;
}

std::optional<SourceState> DecodeSourceState(std::string_view value) {
  if (value.size() < 17) return std::nullopt;
  SourceState state;
  state.hash = GetFixed64(value.substr(0, 8));
  state.mtime_ns = static_cast<std::int64_t>(GetFixed64(value.substr(8, 8)));
  std::size_t at = 16;
  for (int shift = 0;; shift += 7) {
    if (at >= value.size() || shift > 63) return std::nullopt;
    const auto byte = static_cast<unsigned char>(value[at++]);
    state.size |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  state.path.assign(value.substr(at));
  return state;
}

std::uint64_t ContentHash(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

}  // namespace nsearch
