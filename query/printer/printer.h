// A Printer renders a SearchResult in one output format; the Searcher knows
// nothing of output. One format per file, each behind this interface:
//
//   text   text_printer.h   for people: rank, title, date, source, path, snippet (colour optional)
//   json   json_printer.h   one document: {"schema", "query", "total", "total_exact", "offset", "hits": [...]}
//   jsonl  jsonl_printer.h  one hit object per line, each with "schema" and "query"
//   tsv    tsv_printer.h    one hit per line: rank, score, date, source, title, path, tab-separated
//   paths  list_printer.h   one path per line (or NUL-terminated), rank order
//   ids    list_printer.h   one article id per line (or NUL-terminated), rank order
//   count  count_printer.h  one line: the number of matching articles
//
// --info has its own (info_printer.h). docs/json-output.md describes the
// JSON fields and the other formats; change it with this code
// (tests/e2e/json_doc_test.cc holds them together).
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "query/printer/output.h"
#include "query/searcher.h"

namespace nsearch {

class Printer {
 public:
  virtual ~Printer() = default;
  // Writes `result` to `out`. Never throws for the content of a result.
  virtual void Print(const SearchResult& result, Output& out) const = 0;
};

enum class OutputFormat { kText, kJson, kJsonl, kTsv, kPaths, kIds, kCount };

// Every format, in the order --help lists them.
inline constexpr OutputFormat kOutputFormats[] = {OutputFormat::kText,  OutputFormat::kJson, OutputFormat::kJsonl,
                                                  OutputFormat::kTsv,   OutputFormat::kPaths, OutputFormat::kIds,
                                                  OutputFormat::kCount};

// "text", "json", "jsonl", "tsv", "paths", "ids", "count".
std::string_view OutputFormatName(OutputFormat format);
// The format of that name; nullopt for any other text.
std::optional<OutputFormat> OutputFormatNamed(std::string_view name);
// Every name, in kOutputFormats' order: "text, json, ..., count".
std::string OutputFormatNames();

// Whether `format` shows snippets (so that a search need not make them
// for the others).
bool ShowsSnippets(OutputFormat format);

struct PrintOptions {
  bool color = false;           // escape codes in text output
  bool nul_terminated = false;  // paths and ids end with '\0' rather than '\n' (for xargs -0)
};

// The printer of `format`.
std::unique_ptr<Printer> MakePrinter(OutputFormat format, const PrintOptions& options);

// --allow-partial: a warning on `err` for each shard of `missing` (a
// search's shards left out) that `warned` does not hold yet, which it then
// does: a batch warns once per shard.
void WarnMissingShards(const std::vector<MissingShard>& missing, std::set<std::string>& warned, std::FILE* err);

}  // namespace nsearch
