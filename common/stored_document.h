// What the index keeps of an article besides its terms: the fields a hit is
// shown with and the body text snippets are cut from. The indexer compresses
// this (common/text_codec.h) into value slot schema::kStoredSlot.
//
// Format (text, versioned by schema::kSchemaVersion): one "key<TAB>value"
// line per non-empty field (id, path, title, date, source, author, url,
// language, preview, file, then "x-Name" for other header fields), a blank
// line, the body. "path" is left out when it equals the id; "file" (the
// file's size in decimal, a space, its content hash in hex) is there only
// with a preview.
//
// The body of a text article (.txt, .md) is kept only as a preview of about
// kPreviewBytes: nsearch cuts its snippet from the file, read again when it is
// still as indexed (the size and content hash stored with the preview: the
// source state's slot holds them too, but reading a second value slot cost
// each hit a B-tree lookup), and from the preview otherwise.
// Articles that cannot be read again cheaply (HTML pages, JSON feeds,
// standard input) keep their whole body. This keeps the index smaller than
// Xapian's omindex builds for the same articles (docs/design-notes.md), while
// snippets still come from the whole text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/article.h"

namespace nsearch {

// The length of a preview, in bytes: omindex keeps a 300-character sample.
inline constexpr std::size_t kPreviewBytes = 300;

// Serialises `article`, keeping only a preview of its body when
// `body_in_file` (the file at article.path holds the rest), with
// article.file_content.
std::string EncodeStoredDocument(const Article& article, bool body_in_file = false);

// Parses what EncodeStoredDocument wrote. When `with_body` is false the body
// is not copied (cheaper for output that needs no snippet). Unknown keys are
// ignored; never throws on malformed data.
Article DecodeStoredDocument(std::string_view data, bool with_body = true);

}  // namespace nsearch
