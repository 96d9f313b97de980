// SourceState records, in every indexed document, which file it came from
// and what that file looked like when it was read: enough for the next run
// to skip unchanged files without reading them (size and mtime), to confirm a
// change by content (hash), and to remove the articles of files that are gone.
//
// Kept in value slot schema::kSourceSlot, packed small (the slot costs about
// 19 bytes an article): the 64-bit XXH3 hash of the file's bytes, its mtime in
// nanoseconds, its size as a varint, then the file's path only when the
// article's id is not that path (several articles in one JSON Lines file, an
// id longer than a Xapian term).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nsearch {

struct SourceState {
  std::uint64_t hash = 0;     // XXH3-64 of the file's bytes
  std::int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
  std::uint64_t size = 0;     // bytes
  std::string path;           // the file; empty when it is the article's id

  bool SameStat(std::uint64_t other_size, std::int64_t other_mtime_ns) const {
    return size == other_size && mtime_ns == other_mtime_ns;
  }
};

std::string EncodeSourceState(const SourceState& state);

// nullopt for a value that is not an encoded SourceState.
std::optional<SourceState> DecodeSourceState(std::string_view value);

// XXH3-64 of `bytes`: the content hash a change is confirmed by.
std::uint64_t ContentHash(std::string_view bytes);

}  // namespace nsearch
