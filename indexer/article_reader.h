// ArticleReader reads the files nsearch-index is given and turns their bytes
// into Articles, by format: text (common/text_article.h), HTML
// (html_reader.h), JSON (json_reader.h), mail (mail_reader.h), web archives
// (warc_reader.h) and feeds (feed_reader.h). Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/article.h"
#include "common/text_article.h"  // ParseTextArticle, TitleFromBody
#include "indexer/file_walker.h"   // SkippedInput

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
// `max_bytes`, empty or whitespace-only, binary (a NUL byte early on; but
// web archives, which hold images and may be gzipped) or unreadable are
// skipped with a reason. Never throws.
LoadedFile LoadArticleFile(const std::filesystem::path& path, std::uint64_t max_bytes);

// How a file's articles are read, by its extension (any case).
enum class ArticleFormat {
  kText,       // .txt, .md: one article, ParseTextArticle
  kJson,       // .json: an object or an array of objects (json_reader.h)
  kJsonLines,  // .jsonl, .ndjson: one object per line (json_reader.h)
  kHtml,       // .html, .htm: one article (html_reader.h)
  kMbox,       // .mbox: one article per message (mail_reader.h)
  kEml,        // .eml: one message (mail_reader.h)
  kWarc,       // .warc, .warc.gz: one article per HTML or text response (warc_reader.h)
  kFeed,       // .rss, .atom, .xml: one article per item or entry (feed_reader.h)
  kOther,      // not an article file: read as text when named explicitly
};
ArticleFormat FormatOf(const std::filesystem::path& path);

// True for the formats whose file may hold many articles, each with an id
// of its own (JSON, mail, web archives, feeds): an update replaces them
// one by one, so the indexer journals the file in DIR/pending meanwhile.
bool HoldsManyArticles(ArticleFormat format);

// The articles in a file's bytes, read as its extension says (FormatOf), and
// a line for each part of the file that could not be read. A problem starts
// with where it is: "line 3: malformed JSON ..." (JSON), or a place written
// right after the file's name, ":12: reason" (a line) or "#3: reason" (a
// record or member), which ProblemInput joins to the path. Never throws.
struct ParsedFile {
  std::vector<Article> articles;
  std::vector<std::string> problems;  // "line 12: malformed JSON (...)", ":40: ...", "#3: ..."
};
ParsedFile ParseArticleFile(std::string_view bytes, const std::string& path);

// The report of a problem of the file at `path`: "FILE:12" and "reason" for
// ":12: reason", "FILE#3" for "#3: ...", else FILE and the problem.
SkippedInput ProblemInput(const std::string& path, const std::string& problem);

}  // namespace nsearch
