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

// Returns `bytes` as valid UTF-8 text, whatever charset they are in. Valid
// UTF-8 comes back exactly as SanitiseUtf8 returns it. A UTF-16 or UTF-32
// byte order mark decides the charset; otherwise uchardet guesses it and
// iconv converts (ISO-8859-1 is read as its superset Windows-1252, as web
// browsers do). When there is no usable guess, iconv does not know the
// charset, or the bytes do not convert (more than a few bad sequences, or C1
// control characters: the guess was wrong), the result is SanitiseUtf8(bytes). Never
// throws on any input; thread-safe.
std::string DecodeText(std::string_view bytes);

// Returns `bytes`, which are in `charset` (a name iconv knows, in any case:
// "windows-1252", "KOI8-R"), as valid UTF-8. Sequences invalid in that
// charset become U+FFFD; control characters become spaces as in SanitiseUtf8.
// An empty or unknown charset gives DecodeText(bytes). Never throws.
std::string DecodeTextAs(std::string_view bytes, const std::string& charset);

// uchardet's guess at the charset of `bytes`, as an iconv name such as
// "WINDOWS-1252", "KOI8-R" or "SHIFT_JIS"; empty when it cannot tell or the
// bytes are plain ASCII. Looks at the first 4 MiB at most. Never throws.
std::string DetectCharset(std::string_view bytes);

// True when `bytes` is already valid UTF-8.
bool IsValidUtf8(std::string_view bytes);

// True when the start of a file looks binary rather than text: a NUL byte in
// the first 8 KiB, as grep and git decide. Text starting with a UTF-16 byte
// order mark is not binary, though most of its high bytes are NUL.
bool LooksBinary(std::string_view bytes);

// Cuts `text` to at most `max_bytes` without splitting a UTF-8 sequence,
// preferring the last space, and appends "…" when it cut.
std::string TruncateUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace nsearch
