// Optical character recognition through Tesseract (libtesseract-dev), for
// --ocr: the text of scanned PDF pages (rendered by poppler, pdf_reader.h)
// and of .png, .jpg and .tif images (decoded by Leptonica). Runs only in
// the parse worker (isolated_parse.h). One engine per language set, kept
// for the worker's life (loading the traineddata takes about 0.2 s); not
// thread-safe, as the worker parses one file at a time.
#pragma once

#include <string>
#include <string_view>

#include "common/article.h"
#include "indexer/article_reader.h"

namespace nsearch {

// The text of an 8-bit grey image, as Tesseract reads it. `languages` as
// Tesseract takes them ("eng+spa"); languages whose traineddata is not
// installed are left out. Sets `error` and returns "" when no engine can
// start.
std::string OcrGreyImage(const unsigned char* pixels, int width, int height, int bytes_per_line,
                         const std::string& languages, std::string& error);

// An image file (.png, .jpg, .tif) as one article: its OCR text, the
// title from its first line. A file Leptonica cannot decode, or without
// text, is a skip (`skip_kind` "malformed").
ParsedFile ParseImage(std::string_view bytes, const std::string& id, const std::string& path,
                      const ParseOptions& options);

}  // namespace nsearch
