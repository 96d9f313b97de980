// ArticleReader turns the bytes of one article file into an Article.
//
// A text article (.txt, .md) may start with a header block of "Field: value"
// lines ended by a blank line (Title, Date, Source, Author, URL, Language;
// other fields are kept as extra fields). Without one, the title is the first
// non-empty line. Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/article.h"

namespace nsearch {

// Parses a text article. Text that is not UTF-8 is converted from its
// detected charset (see DecodeText), a BOM and CR line ends are accepted. `id` and `path` are copied into the result.
// Never throws on any input.
Article ParseTextArticle(std::string_view bytes, const std::string& id, const std::string& path);

// The title of an article that gives none: the first non-empty line of its
// body, trimmed and shortened to about 200 bytes (see TruncateUtf8). Every
// reader uses it, so a title-less article looks the same in any format.
std::string TitleFromBody(std::string_view body);

// The outcome of reading one file: an article, or why it was skipped.
struct ReadOutcome {
  std::optional<Article> article;
  std::string skip_reason;  // set when article is empty: "empty file", "binary file", ...
  std::uint64_t bytes = 0;  // bytes read
};

// Reads and parses the file at `path` (already canonical). Files larger than
// `max_bytes`, empty or whitespace-only, binary (a NUL byte early on) or
// unreadable are skipped with a reason. Never throws.
ReadOutcome ReadArticleFile(const std::filesystem::path& path, std::uint64_t max_bytes);

}  // namespace nsearch
