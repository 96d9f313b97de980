// PdfReader turns a PDF into one Article through poppler (libpoppler-cpp-dev):
// the title, author and date from the document's metadata (Title, Author,
// CreationDate, else ModDate), the body the text of its pages in reading
// order (as pdftotext gives it), a page a paragraph. With --ocr, a page
// without a text layer is rendered at 300 dpi and read by Tesseract (ocr.h).
// A title-less document gets one from its body (TitleFromBody). Runs in the
// parse worker (isolated_parse.h). Not thread-safe (poppler's error hook is
// global).
#pragma once

#include <string>
#include <string_view>

#include "indexer/article_reader.h"

namespace nsearch {

// One article, or a skip: an encrypted PDF (one that needs a password),
// one poppler cannot open ("broken PDF"), or one without text
// ("no text layer; see --ocr" when --ocr is off). Never throws (but
// std::bad_alloc).
ParsedFile ParsePdf(std::string_view bytes, const std::string& id, const std::string& path,
                    const ParseOptions& options);

}  // namespace nsearch
