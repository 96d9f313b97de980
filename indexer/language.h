// Which Snowball stemmer an article is indexed with.
//
// The article's own Language field decides when it names a language;
// otherwise Google's Compact Language Detector 2 (CLD2, Debian's libcld2)
// reads its title and the start of its body. A language Snowball cannot stem
// ("zh", "ja") is indexed unstemmed ("none") rather than with the wrong
// stemmer. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/article.h"

namespace nsearch {

// The Snowball language name ("english", "spanish", ..., or "none") for a
// Language field value such as "es", "en-US", "Spanish" or "spa"; empty when
// `given` is empty or names no language at all.
std::string LanguageFromField(std::string_view given);

// The language CLD2 reliably detects in `text` (valid UTF-8), as a Snowball
// name or "none"; empty when CLD2 is not sure.
std::string DetectLanguage(std::string_view text);

// The language `article` is stemmed with: its field, else detected, else
// `fallback` (the index's default language).
std::string ArticleLanguage(const Article& article, const std::string& fallback);

}  // namespace nsearch
