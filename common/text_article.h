// Text articles (.txt, .md): the format nsearch-index reads most, parsed
// here in common/ because nsearch re-reads them too, to cut snippets from the
// whole text (see StoredDocument's preview).
//
// A text article may start with a header block of "Field: value" lines ended
// by a blank line (Title, Date, Source, Author, URL, Language; other fields
// are kept as extra fields). Without one, the title is the first non-empty
// line. Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/article.h"

namespace nsearch {

// Parses a text article. Text that is not UTF-8 is converted from its
// detected charset (see DecodeText); a BOM and CR line ends are accepted.
// `id` and `path` are copied into the result. Never throws on any input.
Article ParseTextArticle(std::string_view bytes, const std::string& id, const std::string& path);

// The title of an article that gives none: the first non-empty line of its
// body, trimmed and shortened to about 200 bytes (see TruncateUtf8). Every
// reader uses it, so a title-less article looks the same in any format.
std::string TitleFromBody(std::string_view body);

}  // namespace nsearch
