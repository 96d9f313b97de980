// ArticleReader reads the files nsearch-index is given and turns their bytes
// into Articles, by format: text (common/text_article.h), HTML
// (html_reader.h), JSON (json_reader.h). Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/article.h"
#include "common/text_article.h"  // ParseTextArticle, TitleFromBody

namespace nsearch {

// One input file read into memory, or why it cannot be indexed.
struct LoadedFile {
  std::string bytes;
  std::string skip_kind;    // set when skipped: "unreadable", "too large", "binary", "empty"
  std::string skip_reason;  // one line, e.g. "binary file (NUL bytes)"
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint64_t hash = 0;   // ContentHash(bytes), see source_state.h
};

// Reads the file at `path` (already canonical). Files larger than
// `max_bytes`, empty or whitespace-only, binary (a NUL byte early on) or
// unreadable are skipped with a reason. Never throws.
LoadedFile LoadArticleFile(const std::filesystem::path& path, std::uint64_t max_bytes);

// How a file's articles are read, by its extension (any case).
enum class ArticleFormat {
  kText,       // .txt, .md: one article, ParseTextArticle
  kJson,       // .json: an object or an array of objects (json_reader.h)
  kJsonLines,  // .jsonl, .ndjson: one object per line (json_reader.h)
  kHtml,       // .html, .htm: one article (html_reader.h)
  kOther,      // not an article file: read as text when named explicitly
};
ArticleFormat FormatOf(const std::filesystem::path& path);

// The articles in a file's bytes, read as its extension says (FormatOf), and
// a line for each part of the file that could not be read ("line 3:
// malformed JSON ..."). Never throws.
struct ParsedFile {
  std::vector<Article> articles;
  std::vector<std::string> problems;  // "line 12: malformed JSON (...)"
};
ParsedFile ParseArticleFile(std::string_view bytes, const std::string& path);

}  // namespace nsearch
