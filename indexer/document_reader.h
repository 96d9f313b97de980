// DocumentReader is the parse worker's dispatch (isolated_parse.h): the
// bytes of a file or of a container's member, read as its name's format
// says (FormatOf): PDF (pdf_reader.h), Office files and EPUB
// (office_reader.h), images with --ocr (ocr.h), containers
// (archive_reader.h), mail (mail_reader.h), web archives (warc_reader.h),
// feeds (feed_reader.h) and, for members, text, HTML and JSON
// (ParseTextFormats). Not thread-safe (see pdf_reader.h).
#pragma once

#include <string>
#include <string_view>

#include "indexer/archive_reader.h"
#include "indexer/article_reader.h"

namespace nsearch {

// A whole file, as the worker gets it: ids are `path` (or PATH#N, PATH#MEMBER).
ParsedFile ParseDocument(std::string_view bytes, const std::string& path, const ParseOptions& options);

// One file or member of `format`, with id `id`, inside `path`, `depth`
// containers deep.
ParsedFile ParseDocumentAs(std::string_view bytes, ArticleFormat format, const std::string& id,
                           const std::string& path, const ParseOptions& options, int depth,
                           ExpansionBudget& budget);

}  // namespace nsearch
