#include "common/utf8.h"

#include <iconv.h>
#include <uchardet/uchardet.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <type_traits>

namespace nsearch {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t ValidSequenceLength(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t len;
  std::uint32_t min;
  std::uint32_t cp;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

void AppendCodePoint(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Windows-1252 bytes 0x80..0x9F; the five undefined ones map to U+FFFD.
constexpr std::uint16_t kCp1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

bool IsUnwantedControl(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

// Whether none of the eight bytes of `w` is 0x80 or above, below 0x20
// or 0x7F: printable ASCII only (tab, newline and return are not).
bool PrintableAscii8(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const std::uint64_t below_space = (w - 0x20 * kOnes) & ~w & kHigh;  // a byte < 0x20 (given none >= 0x80)
  const std::uint64_t del = w ^ (0x7F * kOnes);
  const std::uint64_t has_del = (del - kOnes) & ~del & kHigh;  // a byte equal to 0x7F
  return ((w & kHigh) | below_space | has_del) == 0;
}

// The end of the run of bytes from `i` that SanitiseUtf8 copies as they
// are: ASCII other than the control characters it replaces.
std::size_t PlainAsciiRun(std::string_view bytes, std::size_t i) {
  for (;;) {
    std::uint64_t word;
    if (i + sizeof word <= bytes.size()) {
      std::memcpy(&word, bytes.data() + i, sizeof word);
      if (PrintableAscii8(word)) {
        i += sizeof word;
        continue;
      }
    }
    // This block of eight (or the tail) byte by byte: a tab or newline in
    // it, or the run's end.
    const std::size_t stop = std::min(i + sizeof word, bytes.size());
    for (; i < stop; ++i) {
      const auto b = static_cast<unsigned char>(bytes[i]);
      if (b >= 0x80 || IsUnwantedControl(b)) return i;
    }
    if (i == bytes.size()) return i;
  }
}

constexpr std::size_t kMaxDetectBytes = 4u << 20;
constexpr std::size_t kNoLimit = static_cast<std::size_t>(-1);

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The charset a byte order mark names, and the mark's length, which is also
// the code unit size. UTF-32LE's mark starts with UTF-16LE's: it goes first.
struct Bom {
  const char* charset;
  std::size_t length;
};
std::optional<Bom> ReadBom(std::string_view bytes) {
  if (StartsWith(bytes, std::string_view("\xFF\xFE\0\0", 4))) return Bom{"UTF-32LE", 4};
  if (StartsWith(bytes, std::string_view("\0\0\xFE\xFF", 4))) return Bom{"UTF-32BE", 4};
  if (StartsWith(bytes, "\xFF\xFE")) return Bom{"UTF-16LE", 2};
  if (StartsWith(bytes, "\xFE\xFF")) return Bom{"UTF-16BE", 2};
  return std::nullopt;
}

// Converts `bytes` from `charset` to UTF-8 with iconv. An invalid or cut-off
// sequence becomes U+FFFD and the conversion goes on one code unit (`unit`
// bytes) later; past `max_bad` of them the charset is taken to be wrong and
// nullopt returned. So is a charset iconv does not know.
std::optional<std::string> ConvertToUtf8(std::string_view bytes, const char* charset,
                                         std::size_t unit, std::size_t max_bad) {
  const iconv_t cd = ::iconv_open("UTF-8", charset);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  const std::unique_ptr<void, int (*)(iconv_t)> close(cd, ::iconv_close);

  std::size_t bad = 0;
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  char* in = const_cast<char*>(bytes.data());  // iconv's signature; it only reads
  std::size_t in_left = bytes.size();
  char buffer[16384];
  while (in_left > 0) {
    char* dst = buffer;
    std::size_t dst_left = sizeof buffer;
    const std::size_t rc = ::iconv(cd, &in, &in_left, &dst, &dst_left);
    const int err = errno;
    out.append(buffer, static_cast<std::size_t>(dst - buffer));
    if (rc != static_cast<std::size_t>(-1)) break;
    if (err == E2BIG) continue;
    if (err != EILSEQ && err != EINVAL) return std::nullopt;
    if (++bad > max_bad) return std::nullopt;
    out += "\xEF\xBF\xBD";
    const std::size_t skip = std::min(unit, in_left);
    in += skip;
    in_left -= skip;
    ::iconv(cd, nullptr, nullptr, nullptr, nullptr);  // back to the initial shift state
  }
  // Flush a stateful encoding's final shift sequence.
  char* dst = buffer;
  std::size_t dst_left = sizeof buffer;
  ::iconv(cd, nullptr, nullptr, &dst, &dst_left);
  out.append(buffer, static_cast<std::size_t>(dst - buffer));
  return out;
}

// True when UTF-8 `text` holds a C1 control character (U+0080..U+009F). No
// real text does: text that converts to one was in another charset, most
// often a Windows code page taken for its ISO 8859 look-alike.
bool HasC1Control(std::string_view text) {
  for (std::size_t i = text.find('\xC2'); i != std::string_view::npos; i = text.find('\xC2', i + 1)) {
    if (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xE0) == 0x80) return true;
  }
  return false;
}

}  // namespace

std::string DetectCharset(std::string_view bytes) {
  const std::unique_ptr<std::remove_pointer_t<uchardet_t>, void (*)(uchardet_t)> detector(
      ::uchardet_new(), ::uchardet_delete);
  if (!detector) return {};
  const std::string_view sample = bytes.substr(0, kMaxDetectBytes);
  if (::uchardet_handle_data(detector.get(), sample.data(), sample.size()) != 0) return {};
  ::uchardet_data_end(detector.get());
  const char* charset = ::uchardet_get_charset(detector.get());
  if (charset == nullptr || std::string_view(charset) == "ASCII") return {};
  return charset;
}

std::string DecodeText(std::string_view bytes) {
  if (IsValidUtf8(bytes)) return SanitiseUtf8(bytes);
  std::optional<std::string> converted;
  if (const auto bom = ReadBom(bytes)) {
    converted = ConvertToUtf8(bytes.substr(bom->length), bom->charset, bom->length, kNoLimit);
  } else {
    std::string charset = DetectCharset(bytes);
    if (charset == "ISO-8859-1") charset = "WINDOWS-1252";
    // A "UTF-8" guess for bytes that are not UTF-8 is no guess at all.
    // A guess that converts with more than a handful of bad sequences (8,
    // plus one per 100 bytes) was a wrong guess.
    if (!charset.empty() && charset != "UTF-8") {
      converted = ConvertToUtf8(bytes, charset.c_str(), 1, 8 + bytes.size() / 100);
    }
    if (converted && HasC1Control(*converted)) converted.reset();
  }
  // The converted text is valid UTF-8 already; this turns control characters
  // into spaces as for any other text.
  return SanitiseUtf8(converted ? *converted : bytes);
}

std::string DecodeTextAs(std::string_view bytes, const std::string& charset) {
  if (charset.empty()) return DecodeText(bytes);
  if (const auto converted = ConvertToUtf8(bytes, charset.c_str(), 1, kNoLimit)) return SanitiseUtf8(*converted);
  return DecodeText(bytes);
}

bool IsValidUtf8(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    // Eight ASCII bytes at a time: most text is nearly all ASCII.
    std::uint64_t word;
    if (i + sizeof word <= bytes.size()) {
      std::memcpy(&word, bytes.data() + i, sizeof word);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += sizeof word;
        continue;
      }
    }
    const std::size_t n = ValidSequenceLength(bytes, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string SanitiseUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    // Copy a run of printable ASCII (and tab, newline, return) in one go,
    // finding its end eight bytes at a time where none of them is a
    // control character (--batch of the bench queries, which sanitises
    // each hit's file again: 41 -> 25 M instructions here).
    const std::size_t run = PlainAsciiRun(bytes, i);
    if (run > i) {
      out.append(bytes.data() + i, run - i);
      i = run;
      continue;
    }
    const auto c = static_cast<unsigned char>(bytes[i]);
    const std::size_t n = ValidSequenceLength(bytes, i);
    if (n == 1) {
      out += IsUnwantedControl(c) ? ' ' : static_cast<char>(c);
    } else if (n > 1) {
      out.append(bytes.data() + i, n);
    } else {
      AppendCodePoint(out, c >= 0xA0 ? c : kCp1252High[c - 0x80]);
      i += 1;
      continue;
    }
    i += n;
  }
  return out;
}

bool LooksBinary(std::string_view bytes) {
  if (StartsWith(bytes, "\xFF\xFE") || StartsWith(bytes, "\xFE\xFF")) return false;
  return bytes.substr(0, 8192).find('\0') != std::string_view::npos;
}

std::string TruncateUtf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  const std::size_t space = text.rfind(' ', cut);
  if (space != std::string_view::npos && space > max_bytes / 2) cut = space;
  std::string out(text.substr(0, cut));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "…";
}

}  // namespace nsearch
