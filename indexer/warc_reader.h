// WarcReader turns a web archive (.warc, or .warc.gz gzipped whole or record
// by record, as crawlers write them) into Articles, through libarchive's
// WARC reader and gzip filter.
//
// Each response record whose HTTP status is 2xx and whose payload is HTML
// (text/html, application/xhtml+xml) or plain text is one article: the page
// read by the HTML reader (main text only, html_reader.h) or the text
// reader, with the URL from WARC-Target-URI and the date from WARC-Date (the
// page's own publication date, when it differs, is kept as the extra field
// "Published"). Chunked and gzip/deflate-encoded payloads are decoded. Other
// records (requests, metadata, images, redirects) give nothing.
//
// Ids: libarchive gives a record its target URI, not its WARC-Record-ID, so
// an article's id is its URL; a URL captured twice in one file is one
// article, the later capture. A record without a URI gets PATH#N. Every
// article's path is `path`.
//
// A truncated or corrupt archive is a problem "#N: reason", N being the
// 1-based number of the response record at which reading stopped; the
// records before it are kept. Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "indexer/article_reader.h"

namespace nsearch {

// Reads a WARC file's bytes (gzipped or not). Never throws (but std::bad_alloc).
ParsedFile ParseWarc(std::string_view bytes, const std::string& path);

}  // namespace nsearch
