// What the index keeps of an article besides its terms: the fields a hit is
// shown with and the body text snippets are cut from. The indexer compresses
// this (common/text_codec.h) into value slot schema::kStoredSlot.
//
// Format (text, versioned by schema::kSchemaVersion): one "key<TAB>value"
// line per non-empty field (id, path, title, date, source, author, url,
// language, then "x-Name" for other header fields), a blank line, the body.
#pragma once

#include <string>
#include <string_view>

#include "common/article.h"

namespace nsearch {

// Serialises `article`.
std::string EncodeStoredDocument(const Article& article);

// Parses what EncodeStoredDocument wrote. When `with_body` is false the body
// is not copied (cheaper for output that needs no snippet). Unknown keys are
// ignored; never throws on malformed data.
Article DecodeStoredDocument(std::string_view data, bool with_body = true);

}  // namespace nsearch
