// JsonReader turns a JSON or JSON Lines file of news articles into Articles.
//
// Each article is one JSON object. Its keys are matched case-insensitively:
// id (string or number), title or headline, body, text or content (the first
// present, in that order), date, source (a string, or an object with a
// "name"), url or link, author (a string or an array of strings) and
// language or lang. Every other string, number or boolean field is kept as
// an extra field under its own key. Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/article.h"

namespace nsearch {

struct JsonArticles {
  std::vector<Article> articles;
  // One line per object that gave no article, naming it: "line 3: malformed
  // JSON (column 9: ...)", "item 2: not a JSON object", "line 5: no title or
  // body", "line 7: nested deeper than 64 levels". Without the file's path.
  std::vector<std::string> problems;
};

// Parses the articles in `bytes`, read from `path`.
//
// With `json_lines` (.jsonl, .ndjson, standard input) every non-blank line is
// one object; a bad line is a problem and the other lines are still read.
// Otherwise (.json) the whole text is one object or an array of objects; if
// it is not one JSON document but reads as JSON Lines with at least one
// article, it is read as JSON Lines.
//
// Article.id is the object's id when it has one, else `path` + "#" + the
// 1-based line number (JSON Lines) or array position (an array), else `path`.
// Article.path is `path`. Dates are normalised (NormaliseDate) and dropped
// when unparseable; an article without a title takes one from its body
// (TitleFromBody). Text that is not UTF-8 is decoded (DecodeText) and every
// string is valid UTF-8. Objects nested deeper than 64 levels are refused
// before they are built, so no input makes it crash, hang or use memory out
// of proportion to its size. Never throws (but std::bad_alloc).
JsonArticles ParseJsonArticles(std::string_view bytes, const std::string& path, bool json_lines);

}  // namespace nsearch
