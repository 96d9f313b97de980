// The query fields: every NAME: a user may type in a query, with the term
// prefix and value slot (schema.h) it reads, whether it is free text or a
// filter, and a line of help. This one table sets up Xapian's QueryParser
// (ConfigureQueryParser adds the free-text fields, query/field_processors.h
// the filters and dates), writes the field list of nsearch --help, and is
// checked against docs/query-syntax.md and the shell completions by
// tests/fields_test.cc. A new field is a new row here. Constant; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <xapian.h>

#include "common/schema.h"

namespace nsearch {

enum class FieldKind {
  kFreeText,  // words under a prefix, stemmed like the body (QueryParser::add_prefix)
  kFilter,    // one boolean term (or a few) read from the value (add_boolean_prefix): no weight
  kDate,      // a range of the date slot (add_boolean_prefix with a date processor)
};

// How a filter's value becomes its query (query/field_processors.h).
enum class FieldReader {
  kWords,     // free text: the QueryParser's own
  kHost,      // a host or URL -> the site term of the host
  kLanguage,  // a language name or code -> the language term
  kPath,      // a file or folder -> its article(s) by id or file term
  kId,        // an article id -> its id term (common/article_id.h)
  kDate,      // 2022-04-20, 2022-04, 2022, or a range of them
  kYear,      // 2022 or 2019..2020
  kMonth,     // 2022-04 or 2022-04..2022-06
};

struct Field {
  std::string_view name;    // as typed before ':'
  FieldKind kind;
  FieldReader reader;
  std::string_view prefix;  // the term prefix it looks up (schema.h); "" for none
  Xapian::valueno slot;     // the value slot of the field (schema.h); Xapian::BAD_VALUENO for none
  // Free text: whether the words keep positions (title:"a b" is a phrase);
  // author and source words are matched as a set, which is what such short
  // fields need and keeps the index smaller.
  bool positional;
  // Filters of one group are one filter: path:a dir:b matches either. ""
  // for a group of its own (two values of one field match either anyway).
  std::string_view group;
  std::string_view help;     // what it matches, as docs/query-syntax.md says it
  std::string_view example;  // the date fields' forms, for --help; "" for the others
};

inline constexpr Field kFields[] = {
    {"title", FieldKind::kFreeText, FieldReader::kWords, schema::kTitlePrefix, Xapian::BAD_VALUENO, true, "",
     "a word or phrase in the title", ""},
    {"author", FieldKind::kFreeText, FieldReader::kWords, schema::kAuthorPrefix, Xapian::BAD_VALUENO, false, "",
     "words of the author field", ""},
    {"source", FieldKind::kFreeText, FieldReader::kWords, schema::kSourcePrefix, schema::kSourceNameSlot, false, "",
     "words of the source field", ""},
    {"site", FieldKind::kFilter, FieldReader::kHost, schema::kSitePrefix, Xapian::BAD_VALUENO, false, "",
     "the URL's host, or any host below it; a whole URL works too", ""},
    {"lang", FieldKind::kFilter, FieldReader::kLanguage, schema::kLanguagePrefix, schema::kLanguageSlot, false, "",
     "the language the article was stemmed in", ""},
    {"path", FieldKind::kFilter, FieldReader::kPath, schema::kPathPrefix, Xapian::BAD_VALUENO, false, "path",
     "that file's article, or every article below the folder (relative paths are taken from the current directory)",
     ""},
    {"dir", FieldKind::kFilter, FieldReader::kPath, schema::kPathPrefix, Xapian::BAD_VALUENO, false, "path",
     "that file's article, or every article below the folder (relative paths are taken from the current directory)",
     ""},
    {"id", FieldKind::kFilter, FieldReader::kId, schema::kIdPrefix, Xapian::BAD_VALUENO, false, "",
     "the article with that id (for a file, its canonical path)", ""},
    {"date", FieldKind::kDate, FieldReader::kDate, "", schema::kDateSlot, false, "",
     "dated in that range, ends included", "date:2022-01-01..2022-06-30 (either end open), date:2022-04-20"},
    {"year", FieldKind::kDate, FieldReader::kYear, "", schema::kDateSlot, false, "", "a year or a range of years",
     "year:2022"},
    {"month", FieldKind::kDate, FieldReader::kMonth, "", schema::kDateSlot, false, "",
     "a month or a range of months", "month:2022-04"},
};

// The field called `name`, or nullptr.
const Field* FindField(std::string_view name);

// Whether terms under `prefix` carry positions: the free-text fields say;
// every other term (the unprefixed body words) does.
bool IsPositional(std::string_view prefix);

// The lines of nsearch --help that name the fields: "Fields: title: ...;"
// (every field but the dates) and "dates: " with the date fields' examples,
// each ending in a newline.
std::string FieldsHelp();

}  // namespace nsearch
