// Byte-level text hygiene for articles read from disk: nothing that is not
// valid UTF-8 reaches Xapian, the stored text or JSON output.
#pragma once

#include <string>
#include <string_view>

namespace nsearch {

// Returns `bytes` as valid UTF-8. Valid sequences are kept; every byte that is
// not part of one is taken as Windows-1252 (the usual culprit in news text,
// a superset of Latin-1 for printable characters) and re-encoded. NUL and
// other C0 control characters except tab, newline and carriage return become
// spaces. Never throws on any input.
std::string SanitiseUtf8(std::string_view bytes);

// True when `bytes` is already valid UTF-8.
bool IsValidUtf8(std::string_view bytes);

// True when the start of a file looks binary rather than text: a NUL byte in
// the first 8 KiB, as grep and git decide.
bool LooksBinary(std::string_view bytes);

// Cuts `text` to at most `max_bytes` without splitting a UTF-8 sequence,
// preferring the last space, and appends "…" when it cut.
std::string TruncateUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace nsearch
