// ArticleReader reads the files nsearch-index is given and turns their bytes
// into Articles, by format: text (common/text_article.h), HTML
// (html_reader.h), JSON (json_reader.h) in this process; PDF, Office files,
// EPUB, images, containers (document_reader.h), mail (mail_reader.h), web
// archives (warc_reader.h) and feeds (feed_reader.h) in a worker process
// (isolated_parse.h), so that a crash inside a third-party parser costs one
// file. Thread-safe.
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
// `max_bytes` (for a container or a PDF: its size on disk), empty or
// whitespace-only, binary (a NUL byte early on; only for the text formats,
// see IsBinaryFormat: web archives hold images and may be gzipped) or
// unreadable are skipped with a reason. Never throws.
LoadedFile LoadArticleFile(const std::filesystem::path& path, std::uint64_t max_bytes);

// How a file's articles are read, by its extension (any case).
enum class ArticleFormat {
  kText,       // .txt, .md: one article, ParseTextArticle
  kJson,       // .json: an object or an array of objects (json_reader.h)
  kJsonLines,  // .jsonl, .ndjson: one object per line (json_reader.h)
  kHtml,       // .html, .htm: one article (html_reader.h)
  kPdf,        // .pdf: one article (pdf_reader.h)
  kOffice,     // .docx, .odt, .epub: one article (office_reader.h)
  kImage,      // .png, .jpg, .jpeg, .tif, .tiff: one article with --ocr (ocr.h), else skipped
  kContainer,  // .zip, .tar, .tar.gz, .tgz: an article per member (archive_reader.h)
  kMbox,       // .mbox: one article per message (mail_reader.h)
  kEml,        // .eml: one message (mail_reader.h)
  kWarc,       // .warc, .warc.gz: one article per HTML or text response (warc_reader.h)
  kFeed,       // .rss, .atom, .xml: one article per item or entry (feed_reader.h)
  kOther,      // not an article file: read as text when named explicitly
};
ArticleFormat FormatOf(const std::filesystem::path& path);

// Formats whose files are binary: NUL bytes are no reason to skip them.
bool IsBinaryFormat(ArticleFormat format);

// Formats whose file can hold several articles with ids of their own
// (PATH#N, PATH#MEMBER; JSON, containers, mail, web archives, feeds): an
// update replaces them under the DIR/pending journal (change_scan.cc,
// PendingFiles) and removes those the file lost.
bool HoldsManyArticles(ArticleFormat format);

// Formats parsed in a worker process (isolated_parse.h). A reader built on
// a third-party parser of hostile input joins this list.
bool ParsedInWorker(ArticleFormat format);

// How the binary formats are read (isolated_parse.h, document_reader.h).
struct ParseOptions {
  bool ocr = false;                        // --ocr: images and PDF pages without text through Tesseract
  std::string ocr_languages = "eng";       // Tesseract languages, "eng+spa"
  std::uint64_t max_member_bytes = 16 << 20;  // --max-size, applied to a member's expanded size
};

// Tesseract's language code of a Snowball language name ("spanish" ->
// "spa"), or "" when there is none.
std::string TesseractLanguage(const std::string& snowball);

// The articles in a file's bytes, read as its extension says (FormatOf), and
// a line for each part of the file that could not be read. A problem starts
// with where it is: "line 3: malformed JSON ..." (JSON), or a place written
// right after the file's name, ":12: reason" (a line) or "#3: reason" (a
// record or a container's member), which ProblemInput joins to the path.
// When the whole file could not be read (an encrypted PDF, a parser that crashed or ran out of
// time) `skip_kind` and `skip_reason` say why and there are no articles:
// what an earlier run indexed from it stays. Never throws.
struct ParsedFile {
  std::vector<Article> articles;
  std::vector<std::string> problems;  // "line 12: malformed JSON (...)", "#a/b.pdf: encrypted PDF"
  std::string skip_kind;              // "malformed", "parser failed"
  std::string skip_reason;            // "encrypted PDF", "parser crashed (signal 11)"
};
ParsedFile ParseArticleFile(std::string_view bytes, const std::string& path, const ParseOptions& options = {});

// ParseArticleFile of the formats read in this process (text, HTML, JSON),
// with ids `id`, `id#1`, ... and `path` as the articles' path: also what
// the worker calls for a container's members of these formats.
ParsedFile ParseTextFormats(std::string_view bytes, ArticleFormat format, const std::string& id, const std::string& path);

// The report of a problem of the file at `path`: "FILE:12" and "reason" for
// ":12: reason", "FILE#3" for "#3: ...", else FILE and the problem.
SkippedInput ProblemInput(const std::string& path, const std::string& problem);

}  // namespace nsearch
