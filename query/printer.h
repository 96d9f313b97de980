// Printers render a SearchResult (or an IndexInfo); the searcher knows
// nothing of output. Every format is written to a FILE* so tests can capture
// it.
//
//   text   for people: rank, title, date, source, path, snippet (colour optional)
//   json   one document: {"schema", "query", "total", "total_exact", "offset", "hits": [...]}
//   jsonl  one hit object per line, each with "schema" and "query"
//   tsv    one hit per line: rank, score, date, source, title, path, tab-separated
//   paths  one path per line (or NUL-terminated), rank order
//   ids    one article id per line (or NUL-terminated), rank order
//   count  one line: the exact number of matching articles
// docs/json-output.md describes the JSON fields and the other formats;
// change it with this code (tests/json_doc_e2e_test.cc holds them together).
#pragma once

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "query/index_info.h"
#include "query/searcher.h"

namespace nsearch {

enum class OutputFormat { kText, kJson, kJsonl, kTsv, kPaths, kIds, kCount };

// Parses a --format value. Throws UsageError for an unknown one.
OutputFormat ParseOutputFormat(const std::string& name);

// The --format values, in the order --help lists them: "text, json, ...".
const char* OutputFormatNames();

// The version of the JSON output's schema, in every JSON document.
inline constexpr int kJsonSchemaVersion = 1;

struct PrintOptions {
  bool color = false;           // escape codes in text output
  bool nul_terminated = false;  // paths and ids end with '\0' rather than '\n' (for xargs -0)
};

void PrintResult(const SearchResult& result, OutputFormat format, const PrintOptions& options, std::FILE* out);

// The --json document of `result` on one line, newline included: what
// PrintResult writes for OutputFormat::kJson, for callers that send it
// elsewhere (nsearch serve).
std::string SearchJson(const SearchResult& result);

// One --batch record, newline included: the --json document of `result`
// on one line.
std::string BatchRecord(const SearchResult& result);

// One --batch record, newline included, for a query that failed: schema,
// query, error.
std::string BatchErrorRecord(const std::string& query, const std::string& error);

// --allow-partial: a warning on `err` for each shard of `missing` (a
// search's shards left out) that `warned` does not hold yet, which it then
// does: a batch warns once per shard.
void WarnMissingShards(const std::vector<MissingShard>& missing, std::set<std::string>& warned, std::FILE* err);

// The nsearch --info --json document, newline included.
std::string IndexInfoJson(const IndexInfo& info);

// nsearch --info: aligned "name: value" lines for people, or one JSON document.
void PrintIndexInfo(const IndexInfo& info, bool json, std::FILE* out);

}  // namespace nsearch
