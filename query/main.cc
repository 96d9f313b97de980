// nsearch: searches the nsearch index. A thin shell: parse the command line,
// run the Searcher, print with a printer, exit like grep (0 matched, 1 no
// match, 2 error) in every mode, --batch included.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <xapian.h>

#include "common/cli.h"
#include "common/config.h"
#include "common/error.h"
#include "common/fields.h"
#include "common/index_location.h"
#include "query/batch.h"
#include "query/date_query.h"
#include "query/index_info.h"
#include "query/printer.h"
#include "query/request_names.h"
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

// What the output options ask for: --format, or one of its short forms.
// -0 ends paths (the default with it) or ids with NUL. Throws UsageError for
// two formats at once, or -0 with a format other than paths or ids.
nsearch::OutputFormat ChooseFormat(const std::string& format, bool json, bool paths, bool count, bool nul) {
  if (!format.empty() + json + paths + count > 1) {
    throw nsearch::UsageError("choose one output format: --format, --json, -l/--paths or -c/--count");
  }
  nsearch::OutputFormat output = nsearch::ParseOutputFormat(format.empty() ? "text" : format);
  if (json) output = nsearch::OutputFormat::kJson;
  if (paths) output = nsearch::OutputFormat::kPaths;
  if (count) output = nsearch::OutputFormat::kCount;
  if (nul && format.empty() && !json && !count) output = nsearch::OutputFormat::kPaths;
  if (nul && output != nsearch::OutputFormat::kPaths && output != nsearch::OutputFormat::kIds) {
    throw nsearch::UsageError("-0 ends paths or ids with NUL; it does not apply to " +
                              (json ? std::string("--json") : count ? "--count" : "--format " + format));
  }
  return output;
}

// The options the full command line and the common one (ParseCommonLine)
// share, defined once.
void AddJsonFlag(CLI::App& app, bool& json) {
  app.add_flag("--json", json, "Same as --format json (with --info: the info as JSON)");
}
void AddNullFlag(CLI::App& app, bool& nul) {
  app.add_flag("-0,--null", nul, "End each path (or id) with NUL, not newline, for xargs -0");
}
void AddQueryWords(CLI::App& app, std::vector<std::string>& words) {
  app.add_option("query", words, "The query (its words are joined with spaces)")->type_name("QUERY...");
}

// What the common command line sets.
struct CommonLine {
  std::string db_option;
  bool json = false, nul = false;
  std::vector<std::string> words;
};

// The common command line, `[--db DIR] [--json] [-0] QUERY...` with no
// config file to apply, parsed by a CLI::App of those options alone: adding
// all of nsearch's options to an App cost 0.4 M instructions, and a fresh
// search 2.5% of its time (bench/README.md, fifteenth session). Any
// other command line (another option, --help, --version, an error) and any
// with a config file is nullopt, for the full App to parse from the start.
// ("-0" is here because CLI11 reads "-0" as a query word when no option has
// that name.)
std::optional<CommonLine> ParseCommonLine(int argc, char** argv) {
  // Anything at the config file's path (or a path that cannot be looked
  // at) is for the full App, which reads the file or says why it cannot.
  const std::filesystem::path config = nsearch::DefaultConfigPath();
  std::error_code unused;  // set for a path that is not there, too
  if (!config.empty() &&
      std::filesystem::symlink_status(config, unused).type() != std::filesystem::file_type::not_found) {
    return std::nullopt;
  }
  CommonLine line;
  CLI::App app;
  app.set_help_flag();  // --help is the full App's
  nsearch::cli::AddIndexOption(app, line.db_option);
  AddJsonFlag(app, line.json);
  AddNullFlag(app, line.nul);
  AddQueryWords(app, line.words);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Error&) {
    return std::nullopt;
  }
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_option, format, color = "auto", batch;
  std::vector<std::string> words;
  nsearch::SearchRequest request;
  bool json = false, any = false, paths = false, nul = false, count = false, info = false, all = false, explain_flag = false;
  std::string sort = "relevance", since, until, facets, like;
  std::optional<std::string> timeline;
  unsigned jobs = 0;
  nsearch::ShardOptions shard_options;
  // Every option of nsearch, bound to the variables above: for any command
  // line but the common one (ParseCommonLine).
  auto full_app = [&] {
    auto app = std::make_unique<CLI::App>(
        "nsearch: search news articles indexed by nsearch-index.\n"
        "All words are required (with --any: any of them); \"...\" is an exact phrase;\n"
        "AND OR NOT XOR NEAR ADJ, NEAR/n ADJ/n, (brackets), +word, -word and trailing wildcards (migra*)\n"
        "work; lower-case and/or/not are words. " + nsearch::FieldsHelp() +
        "Near-duplicate articles show once, as the best of their group with \"+N similar\" (--all: each).\n"
        "docs/query-syntax.md explains every form.\n"
        "An index may list remote shards (docs/scaling.md): one that cannot be reached is an error,\n"
        "unless --allow-partial.\n"
        "Exit status: 0 something matched, 1 nothing matched, 2 error (with --batch: 2 when any\n"
        "query failed, else 0 when any matched, else 1).");
    nsearch::cli::AddIndexOption(*app, db_option);
    nsearch::cli::AddConfigOption(*app);
    app->add_flag("--any", any,
                  "Match articles with any of the words, not only those with all of them; articles with "
                  "more of the words, and rarer ones, rank higher (for natural-language queries)");
    app->add_option("-n,--limit", request.limit, "Hits to show (default 10; 0 for all)");
    app->add_option("--offset", request.offset, "Hits to skip first (for paging)");
    app->add_option("--format", format, std::string("Output: ") + nsearch::OutputFormatNames() + " (default text)")
        ->type_name("FORMAT");
    AddJsonFlag(*app, json);
    app->add_flag("-l,--paths", paths, "Same as --format paths: one path per line");
    app->add_flag("-c,--count", count, "Same as --format count: the number of matches");
    AddNullFlag(*app, nul);
    app->add_option("--color", color, "Colour: auto (on a terminal, unless NO_COLOR is set), always or never")
        ->type_name("WHEN");
    app->add_option("--snippet-length", request.snippet_length, "Snippet length in characters (default 200; 0: none)");
    app->add_option("--batch", batch,
                    "Run each line of FILE (- for standard input) as a query; print one JSON Lines record "
                    "per query, in order")
        ->type_name("FILE");
    app->add_option("-j,--jobs", jobs,
                    "With --batch: queries to run at once (default: one per CPU, up to " +
                        std::to_string(nsearch::kMaxDefaultBatchJobs) + "); the records keep the input's order")
        ->check(CLI::Range(1u, 64u));
    app->add_option("--sort", sort, "Order: relevance (default), newest or oldest (then by relevance)")
        ->type_name("ORDER");
    app->add_option("--since", since, "Only articles dated on or after DATE: 2022-04-20, 2022-04, 2022, or ago: 30d, 2w, 6m, 1y")
        ->type_name("DATE");
    app->add_option("--until", until, "Only articles dated on or before DATE (same forms as --since)")->type_name("DATE");
    app->add_flag("--all", all, "Show every near-duplicate article, not one per group with \"+N similar\"");
    app->add_option("--facets", facets, "Count all matches per value of each FIELD: source, year, month, lang (comma-separated)")
        ->type_name("FIELD,...");
    app->add_option("--timeline", timeline, "Chart all matches per period: year, month (default) or day")
        ->type_name("UNIT")
        ->expected(0, 1);
    app->add_option("--like", like, "Find articles like the one with this id or file (query words, if any, filter them)")
        ->type_name("ID|PATH");
    app->add_flag("--explain", explain_flag, "Show the parsed query, each term's document frequency and its weight in each hit");
    app->add_option("--remote-timeout", shard_options.remote_timeout_ms,
                    "Milliseconds a remote shard may take to connect, and to answer each request, before it counts "
                    "as unreachable (default " + std::to_string(nsearch::kDefaultRemoteTimeoutMs) + ")")
        ->type_name("MS")
        ->check(CLI::Range(1u, 3600000u));
    app->add_flag("--allow-partial", shard_options.allow_partial,
                  "Search the shards that answer when a remote shard cannot be reached (a warning names it) "
                  "rather than fail");
    app->add_flag("--info", info, "Show what the index holds: articles, terms, roots, size, last update");
    AddQueryWords(*app, words);
    app->set_version_flag("--version", "nsearch 0.1.0");
    return app;
  };
  std::unique_ptr<CLI::App> full;
  if (std::optional<CommonLine> line = ParseCommonLine(argc, argv)) {
    db_option = std::move(line->db_option);
    json = line->json;
    nul = line->nul;
    words = std::move(line->words);
  } else {
    full = full_app();
    if (const auto status = nsearch::cli::Parse(*full, argc, argv)) return *status;
  }

  return nsearch::cli::RunReportingErrors("nsearch", [&] {
    const nsearch::Config config = full ? nsearch::cli::LoadConfig(*full) : nsearch::Config{};
    const std::filesystem::path index_dir = nsearch::ResolveIndexDir(db_option, config.db);
    const nsearch::OutputFormat output = ChooseFormat(format, json, paths, count, nul);
    if (jobs > 0 && batch.empty()) throw nsearch::UsageError("--jobs applies to --batch only");
    if (info) {
      if (!words.empty() || !batch.empty() || nul ||
          (output != nsearch::OutputFormat::kText && output != nsearch::OutputFormat::kJson)) {
        throw nsearch::UsageError("--info takes no query, --batch or output format other than --json");
      }
      nsearch::PrintIndexInfo(nsearch::ReadIndexInfo(index_dir, shard_options.remote_timeout_ms),
                              output == nsearch::OutputFormat::kJson, stdout);
      return std::fflush(stdout) == 0 ? 0 : 2;
    }
    if (!batch.empty() && (!words.empty() || !format.empty() || json || paths || count || nul)) {
      throw nsearch::UsageError("--batch reads the queries from its file and prints JSON Lines; "
                                "it takes no query words and no output format option");
    }
    if (batch.empty() && words.empty() && like.empty()) {
      throw nsearch::UsageError("no query given (nsearch QUERY..., nsearch --batch FILE or nsearch --info; see --help)");
    }
    const nsearch::PrintOptions print{UseColor(color), nul};
    if (any) request.mode = nsearch::MatchMode::kAnyWord;
    if (const auto order = nsearch::SortOrderNamed(sort)) {
      request.sort = *order;
    } else {
      throw nsearch::UsageError("--sort must be relevance, newest or oldest, not '" + sort + "'");
    }
    if (!since.empty() || !until.empty()) {
      // Only relative dates (30d) need today, and reading the local time
      // zone costs every query seven system calls.
      const std::tm today = nsearch::Today();
      if (!since.empty()) request.since = nsearch::DateBound(since, false, today, "--since");
      if (!until.empty()) request.until = nsearch::DateBound(until, true, today, "--until");
    }
    request.collapse = !all;
    for (std::size_t start = 0; start < facets.size();) {
      const std::size_t comma = std::min(facets.find(',', start), facets.size());
      const std::string name = facets.substr(start, comma - start);
      const std::optional<nsearch::Facet> facet = nsearch::FacetNamed(name);
      if (!facet) throw nsearch::UsageError("--facets: no facet '" + name + "' (source, year, month, lang)");
      request.facets.push_back(*facet);
      start = comma + 1;
    }
    if (timeline) {
      const std::string name = timeline->empty() ? "month" : *timeline;
      request.timeline = nsearch::PeriodNamed(name);
      if (!request.timeline) throw nsearch::UsageError("--timeline must be year, month or day, not '" + name + "'");
    }
    request.like = like;
    request.explain = explain_flag;
    if (!like.empty() && !batch.empty()) throw nsearch::UsageError("--like takes no --batch");
    for (const std::string& w : words) request.query += (request.query.empty() ? "" : " ") + w;
    request.snippets = request.snippet_length > 0 &&
                       (output == nsearch::OutputFormat::kText || output == nsearch::OutputFormat::kJson ||
                        output == nsearch::OutputFormat::kJsonl);
    if (output == nsearch::OutputFormat::kCount) {
      request.exact_total = true;
      request.limit = 1;
    }

    if (!batch.empty()) {
      request.snippets = request.snippet_length > 0;
      const auto open = [&] { return std::make_unique<nsearch::Searcher>(index_dir, shard_options); };
      nsearch::BatchOptions options;
      options.jobs = jobs > 0 ? jobs : nsearch::DefaultBatchJobs();
      if (batch == "-") {
        options.input_name = "standard input";
        return nsearch::RunBatch(open, request, std::cin, options, stdout);
      }
      std::ifstream in(batch);
      if (!in) throw nsearch::UsageError("cannot read --batch file " + batch + ": " + std::strerror(errno));
      options.input_name = "file " + batch;
      return nsearch::RunBatch(open, request, in, options, stdout);
    }
    nsearch::Searcher searcher(index_dir, shard_options);
    nsearch::SearchResult result;
    try {
      result = searcher.Search(request);
    } catch (const nsearch::LikeError& e) {
      throw nsearch::QueryError(std::string("--like: ") + e.what());
    }
    std::set<std::string> warned;
    nsearch::WarnMissingShards(result.missing_shards, warned, stderr);
    nsearch::PrintResult(result, output, print, stdout);
    if (std::fflush(stdout) != 0) return 2;
    return result.total > 0 ? 0 : 1;
  });
}
