// WarcReader turns a web archive (.warc, or .warc.gz gzipped whole or record
// by record, as crawlers write them) into Articles.
//
// zlib inflates the archive; the records are framed here (ISO 28500: a
// "WARC/1.x" line, named fields, a blank line, Content-Length bytes).
// libarchive's WARC reader cannot serve: it skips records whose
// WARC-Target-URI is in angle brackets, as wget and other WARC 1.0 writers
// put it, drops the URI's scheme and host, and gives no WARC-Record-ID; and
// on a small cut-short .warc.gz it fails before returning any record.
//
// Each response record whose HTTP status is 2xx and whose payload is HTML
// (text/html, application/xhtml+xml) or plain text is one article: the page
// read by the HTML reader (main text only, html_reader.h) or the text
// reader, with the URL from WARC-Target-URI and the date from WARC-Date (the
// page's own publication date, when it differs, is kept as the extra field
// "Published"). Chunked and gzip/deflate-encoded payloads are decoded. Other
// records (requests, metadata, resources, images, redirects) give nothing.
//
// Ids: the WARC-Record-ID without its angle brackets ("urn:uuid:..."), else
// the target URI, else PATH#N for the Nth record. Every article's path is
// `path`.
//
// A cut-short or corrupt archive is a problem "#N: reason", N being the
// 1-based number of the record at which reading stopped (warcinfo and
// request records count); the records before it are kept. The archive may
// inflate to 64 times its size (at most 1 GiB) and a payload to 32 MB.
// Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "indexer/article_reader.h"

namespace nsearch {

// Reads a WARC file's bytes (gzipped or not). Never throws (but std::bad_alloc).
ParsedFile ParseWarc(std::string_view bytes, const std::string& path);

}  // namespace nsearch
