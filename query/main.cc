// nsearch: searches the nsearch index. A thin shell: parse the command line,
// run the Searcher, print with a printer, exit like grep (0 matched, 1 no
// match, 2 error).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <xapian.h>

#include "common/cli.h"
#include "common/error.h"
#include "common/index_location.h"
#include "query/printer.h"
#include "query/searcher.h"

namespace {

bool UseColor(const std::string& when) {
  if (when == "always") return true;
  if (when == "never") return false;
  if (when != "auto") throw nsearch::UsageError("--color must be auto, always or never, not '" + when + "'");
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && (no_color == nullptr || *no_color == '\0') &&
         (term == nullptr || std::strcmp(term, "dumb") != 0);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "nsearch: search news articles indexed by nsearch-index.\n"
      "All words are required (with --any: any of them); \"...\" is an exact phrase;\n"
      "AND OR NOT XOR NEAR ADJ, (brackets), "
      "+word and -word work; title:, author: and source: search one field.\n"
      "Exit status: 0 something matched, 1 nothing matched, 2 error."};
  std::string db_option, format = "text", color = "auto";
  std::vector<std::string> words;
  nsearch::SearchRequest request;
  bool json = false, any = false;
  nsearch::cli::AddIndexOption(app, db_option);
  app.add_flag("--any", any,
               "Match articles with any of the words, not only those with all of them; articles with "
               "more of the words, and rarer ones, rank higher (for natural-language queries)");
  app.add_option("-n,--limit", request.limit, "Hits to show (default 10; 0 for all)");
  app.add_option("--offset", request.offset, "Hits to skip first (for paging)");
  app.add_option("--format", format, "Output: text, json, jsonl, paths or count (default text)");
  app.add_flag("--json", json, "Same as --format json");
  app.add_option("--color", color, "Colour: auto (on a terminal, unless NO_COLOR is set), always or never");
  app.add_option("--snippet-length", request.snippet_length, "Snippet length in characters (default 200; 0: none)");
  app.add_option("query", words, "The query (its words are joined with spaces)")->required()->type_name("QUERY...");
  app.set_version_flag("--version", "nsearch 0.1.0");
  if (const auto status = nsearch::cli::Parse(app, argc, argv)) return *status;

  return nsearch::cli::RunReportingErrors("nsearch", [&] {
    const nsearch::OutputFormat output = nsearch::ParseOutputFormat(json ? "json" : format);
    const bool use_color = UseColor(color);
    if (any) request.mode = nsearch::MatchMode::kAnyWord;
    for (const std::string& w : words) request.query += (request.query.empty() ? "" : " ") + w;
    request.snippets = request.snippet_length > 0 && output != nsearch::OutputFormat::kPaths &&
                       output != nsearch::OutputFormat::kCount;
    if (output == nsearch::OutputFormat::kCount) {
      request.exact_total = true;
      request.limit = 1;
    }

    nsearch::Searcher searcher(nsearch::ResolveIndexDir(db_option));
    const nsearch::SearchResult result = searcher.Search(request);
    nsearch::PrintResult(result, output, use_color, stdout);
    if (std::fflush(stdout) != 0) return 2;
    return result.total > 0 ? 0 : 1;
  });
}
