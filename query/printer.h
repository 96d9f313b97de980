// Printers render a SearchResult; the searcher knows nothing of output.
// Every format is written to a FILE* so tests can capture it.
//
//   text   for people: rank, title, date, source, path, snippet (colour optional)
//   json   one document: {"schema", "query", "total", "total_exact", "offset", "hits": [...]}
//   jsonl  one hit object per line, each with "schema" and "query"
//   paths  one path per line, rank order
//   count  one line: the exact number of matching articles
// docs/json-output.md describes the JSON fields; change it with this code.
#pragma once

#include <cstdio>
#include <string>

#include "query/searcher.h"

namespace nsearch {

enum class OutputFormat { kText, kJson, kJsonl, kPaths, kCount };

// Parses a --format value. Throws UsageError for an unknown one.
OutputFormat ParseOutputFormat(const std::string& name);

// The version of the JSON output's schema, in every JSON document.
inline constexpr int kJsonSchemaVersion = 1;

void PrintResult(const SearchResult& result, OutputFormat format, bool color, std::FILE* out);

}  // namespace nsearch
