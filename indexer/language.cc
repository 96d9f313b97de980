#include "indexer/language.h"

#include <algorithm>
#include <cctype>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include "common/analyzer.h"
#include "common/error.h"

namespace nsearch {
namespace {

// CLD2 is sure of a news story well before this much text; reading the whole
// of a long article only costs time.
constexpr std::size_t kDetectionBytes = 4096;

// CLD2 reads this much first, and the rest of kDetectionBytes only when it
// is not sure of that: its cost grows with the text, and it is sure of most
// stories after a paragraph.
constexpr std::size_t kFirstLookBytes = 1024;

// `text` cut to at most `bytes`, not inside a UTF-8 character.
std::string_view Head(std::string_view text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

// CLD2's code for a language it does not know.
constexpr std::string_view kUnknownCode = "un";

// "en-US", "pt_BR" -> "en", "pt"; lower case.
std::string PrimaryTag(std::string_view tag) {
  std::string out(tag.substr(0, tag.find_first_of("-_")));
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The Snowball name for a code or name, or "none" when Snowball has no
// stemmer for it.
std::string SnowballOrNone(const std::string& code) {
  try {
    return CanonicalLanguage(code);
  } catch (const UsageError&) {
    return "none";
  }
}

}  // namespace

std::string LanguageFromField(std::string_view given) {
  const std::string tag = PrimaryTag(given);
  if (tag.empty() || tag == kUnknownCode || tag == "und" || tag == "zxx") return {};
  return SnowballOrNone(tag);
}

std::string DetectLanguage(std::string_view text) {
  text = Head(text, kDetectionBytes);
  bool reliable = false;
  int valid_bytes = 0;  // CLD2 reads out of bounds on invalid UTF-8 unless asked to check
  const CLD2::Language language = CLD2::DetectLanguageCheckUTF8(text.data(), static_cast<int>(text.size()),
                                                                /*is_plain_text=*/true, &reliable, &valid_bytes);
  if (!reliable || language == CLD2::UNKNOWN_LANGUAGE) return {};
  const std::string code = PrimaryTag(CLD2::LanguageCode(language));
  return code == kUnknownCode ? std::string() : SnowballOrNone(code);
}

std::string ArticleLanguage(const Article& article, const std::string& fallback) {
  if (std::string language = LanguageFromField(article.language); !language.empty()) return language;
  std::string sample = article.title;
  sample += '\n';
  sample.append(article.body, 0, std::min(article.body.size(), kDetectionBytes));
  std::string language;
  if (sample.size() > kFirstLookBytes) language = DetectLanguage(Head(sample, kFirstLookBytes));
  if (language.empty()) language = DetectLanguage(sample);
  return language.empty() ? fallback : language;
}

}  // namespace nsearch
