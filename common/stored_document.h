// What the index keeps of an article besides its terms: the fields a hit is
// shown with and the body text snippets are cut from, as Xapian document data.
//
// Format (text, versioned by schema::kSchemaVersion): one "key<TAB>value"
// line per non-empty field (id, path, title, date, source, author, url,
// language, then "x-Name" for other header fields), a blank line, the body.
// Glass compresses document data with zlib, so the body costs about a third
// of its size.
#pragma once

#include <string>
#include <string_view>

#include "common/article.h"

namespace nsearch {

// Serialises `article` for Xapian::Document::set_data.
std::string EncodeStoredDocument(const Article& article);

// Parses what EncodeStoredDocument wrote. When `with_body` is false the body
// is not copied (cheaper for output that needs no snippet). Unknown keys are
// ignored; never throws on malformed data.
Article DecodeStoredDocument(std::string_view data, bool with_body = true);

}  // namespace nsearch
