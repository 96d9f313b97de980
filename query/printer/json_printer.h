// --json (--format json): the whole result as one JSON document on one
// line (docs/json-output.md). SearchJson is that document as a string, for
// every front end that answers in JSON (--batch's records, an HTTP API), so
// that they write the same bytes as nsearch --json by construction.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "query/printer/printer.h"

namespace nsearch {

// The version of the JSON output's schema, in every JSON document.
inline constexpr int kJsonSchemaVersion = 1;

// The document nsearch --json prints for `result`, its newline included.
std::string SearchJson(const SearchResult& result);

// The document of a query that could not run, newline included: schema,
// query and error (the error record of --batch).
std::string SearchErrorJson(const std::string& query, const std::string& error);

// One hit's object, as in the document's "hits" and in each JSON Lines
// record; with `explain`, its "explain" array too.
nlohmann::json HitJson(const Hit& hit, bool explain);

class JsonPrinter : public Printer {
 public:
  void Print(const SearchResult& result, Output& out) const override;
};

}  // namespace nsearch
