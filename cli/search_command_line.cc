#include "cli/search_command_line.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <cstring>
#include <system_error>

#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "cli/config.h"
#include "common/error.h"
#include "common/fields.h"
#include "common/index_location.h"
#include "query/batch.h"
#include "query/date_query.h"
#include "query/request_names.h"

namespace nsearch::cli {
namespace {

// The fields' lines come from the field table (common/fields.h).
std::string Description() {
  return "nsearch: search news articles indexed by nsearch-index.\n"
         "All words are required (with --any: any of them); \"...\" is an exact phrase;\n"
         "AND OR NOT XOR NEAR ADJ, NEAR/n ADJ/n, (brackets), +word, -word and trailing wildcards (migra*)\n"
         "work; lower-case and/or/not are words. " + FieldsHelp() +
         "Near-duplicate articles show once, as the best of their group with \"+N similar\" (--all: each).\n"
         "docs/query-syntax.md explains every form.\n"
         "An index may list remote shards (docs/scaling.md): one that cannot be reached is an error,\n"
         "unless --allow-partial.\n"
         "Exit status: 0 something matched, 1 nothing matched, 2 error (with --batch: 2 when any\n"
         "query failed, else 0 when any matched, else 1).";
}

bool UseColor(const std::string& when) {
  if (when == "always") return true;
  if (when == "never") return false;
  if (when != "auto") throw UsageError("--color must be auto, always or never, not '" + when + "'");
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && (no_color == nullptr || *no_color == '\0') &&
         (term == nullptr || std::strcmp(term, "dumb") != 0);
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

// --facets FIELD,...: each name, in order. Throws UsageError for a name
// that is not a facet's.
std::vector<Facet> FacetsNamed(const std::string& names) {
  std::vector<Facet> facets;
  for (std::size_t start = 0; start < names.size();) {
    const std::size_t comma = std::min(names.find(',', start), names.size());
    const std::string name = names.substr(start, comma - start);
    const std::optional<Facet> facet = FacetNamed(name);
    if (!facet) throw UsageError("--facets: no facet '" + name + "' (source, year, month, lang)");
    facets.push_back(*facet);
    start = comma + 1;
  }
  return facets;
}

}  // namespace

SearchCommandLine::SearchCommandLine() = default;
SearchCommandLine::~SearchCommandLine() = default;

std::optional<int> SearchCommandLine::Parse(int argc, char** argv) {
  if (ParseCommonLine(argc, argv)) return std::nullopt;
  options_ = Options{};
  full_ = FullApp();
  return cli::Parse(*full_, argc, argv);
}

// The common command line, `[--db DIR] [--json] [-0] QUERY...` with no
// config file to apply, parsed by a CLI::App of those options alone: adding
// all of nsearch's options to an App costs a fresh search measurably more
// start-up time. Any other command line (another option, --help, --version,
// an error) and any with a config file is left to the full App, which
// parses it from the start. ("-0" is here because CLI11 reads "-0" as a
// query word when no option has that name.)
bool SearchCommandLine::ParseCommonLine(int argc, char** argv) {
  // Anything at the config file's path (or a path that cannot be looked
  // at) is for the full App, which reads the file or says why it cannot.
  const std::filesystem::path config = DefaultConfigPath();
  std::error_code unused;  // set for a path that is not there, too
  if (!config.empty() &&
      std::filesystem::symlink_status(config, unused).type() != std::filesystem::file_type::not_found) {
    return false;
  }
  CLI::App app;
  app.set_help_flag();  // --help is the full App's
  AddIndexOption(app, options_.db);
  AddJsonFlag(app, options_.json);
  AddNullFlag(app, options_.nul);
  AddQueryWords(app, options_.words);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Error&) {
    return false;
  }
  return true;
}

// Every option of nsearch, bound to options_: for any command line but the
// common one (ParseCommonLine).
std::unique_ptr<CLI::App> SearchCommandLine::FullApp() {
  Options& o = options_;
  auto app = std::make_unique<CLI::App>(Description());
  AddIndexOption(*app, o.db);
  AddConfigOption(*app);
  app->add_flag("--any", o.any,
                "Match articles with any of the words, not only those with all of them; articles with "
                "more of the words, and rarer ones, rank higher (for natural-language queries)");
  app->add_option("-n,--limit", o.request.limit, "Hits to show (default 10; 0 for all)");
  app->add_option("--offset", o.request.offset, "Hits to skip first (for paging)");
  app->add_option("--format", o.format, "Output: " + OutputFormatNames() + " (default text)")->type_name("FORMAT");
  AddJsonFlag(*app, o.json);
  app->add_flag("-l,--paths", o.paths, "Same as --format paths: one path per line");
  app->add_flag("-c,--count", o.count, "Same as --format count: the number of matches");
  AddNullFlag(*app, o.nul);
  app->add_option("--color", o.color, "Colour: auto (on a terminal, unless NO_COLOR is set), always or never")
      ->type_name("WHEN");
  app->add_option("--snippet-length", o.request.snippet_length, "Snippet length in characters (default 200; 0: none)");
  app->add_option("--batch", o.batch,
                  "Run each line of FILE (- for standard input) as a query; print one JSON Lines record "
                  "per query, in order")
      ->type_name("FILE");
  app->add_option("-j,--jobs", o.jobs,
                  "With --batch: queries to run at once (default: one per CPU, up to " +
                      std::to_string(kMaxDefaultBatchJobs) + "); the records keep the input's order")
      ->check(CLI::Range(1u, 64u));
  app->add_option("--sort", o.sort, "Order: relevance (default), newest or oldest (then by relevance)")
      ->type_name("ORDER");
  app->add_option("--since", o.since, "Only articles dated on or after DATE: 2022-04-20, 2022-04, 2022, 2022-04-20T10:00, or ago: 2h, 90m, 30d, 2w, 6mo, 1y")
      ->type_name("DATE");
  app->add_option("--until", o.until, "Only articles dated on or before DATE (same forms as --since)")->type_name("DATE");
  app->add_flag("--all", o.all, "Show every near-duplicate article, not one per group with \"+N similar\"");
  app->add_option("--facets", o.facets, "Count all matches per value of each FIELD: source, year, month, lang (comma-separated)")
      ->type_name("FIELD,...");
  app->add_option("--timeline", o.timeline, "Chart all matches per period: year, month (default) or day")
      ->type_name("UNIT")
      ->expected(0, 1);
  app->add_option("--like", o.like, "Find articles like the one with this id or file (query words, if any, filter them)")
      ->type_name("ID|PATH");
  app->add_flag("--explain", o.explain, "Show the parsed query, each term's document frequency and its weight in each hit");
  app->add_option("--remote-timeout", o.shards.remote_timeout_ms,
                  "Milliseconds a remote shard may take to connect, and to answer each request, before it counts "
                  "as unreachable (default " + std::to_string(kDefaultRemoteTimeoutMs) + ")")
      ->type_name("MS")
      ->check(CLI::Range(1u, 3600000u));
  app->add_flag("--allow-partial", o.shards.allow_partial,
                "Search the shards that answer when a remote shard cannot be reached (a warning names it) "
                "rather than fail");
  app->add_flag("--info", o.info, "Show what the index holds: articles, terms, roots, size, last update");
  AddQueryWords(*app, o.words);
  app->set_version_flag("--version", "nsearch 0.1.0");
  return app;
}

// What the output options ask for: --format, or one of its short forms.
// -0 ends paths (the default with it) or ids with NUL. Throws UsageError for
// two formats at once, or -0 with a format other than paths or ids.
OutputFormat SearchCommandLine::ChooseFormat() const {
  const Options& o = options_;
  if (!o.format.empty() + o.json + o.paths + o.count > 1) {
    throw UsageError("choose one output format: --format, --json, -l/--paths or -c/--count");
  }
  const std::string name = o.format.empty() ? "text" : o.format;
  const std::optional<OutputFormat> named = OutputFormatNamed(name);
  if (!named) throw UsageError("unknown --format '" + name + "' (" + OutputFormatNames() + ")");
  OutputFormat output = *named;
  if (o.json) output = OutputFormat::kJson;
  if (o.paths) output = OutputFormat::kPaths;
  if (o.count) output = OutputFormat::kCount;
  if (o.nul && o.format.empty() && !o.json && !o.count) output = OutputFormat::kPaths;
  if (o.nul && output != OutputFormat::kPaths && output != OutputFormat::kIds) {
    throw UsageError("-0 ends paths or ids with NUL; it does not apply to " +
                     (o.json ? std::string("--json") : o.count ? "--count" : "--format " + o.format));
  }
  return output;
}

// The request's fields that come from options with names: --any, --sort,
// --since, --until, --all, --facets, --timeline, --like, --explain.
void SearchCommandLine::MapRequest(SearchRequest& request) const {
  const Options& o = options_;
  if (o.any) request.mode = MatchMode::kAnyWord;
  const std::optional<SortOrder> sort = SortOrderNamed(o.sort);
  if (!sort) throw UsageError("--sort must be relevance, newest or oldest, not '" + o.sort + "'");
  request.sort = *sort;
  if (!o.since.empty() || !o.until.empty()) {
    const std::time_t now = Now();
    if (!o.since.empty()) request.since = DateBound(o.since, false, now, "--since");
    if (!o.until.empty()) request.until = DateBound(o.until, true, now, "--until");
  }
  request.collapse = !o.all;
  request.facets = FacetsNamed(o.facets);
  if (o.timeline) {
    const std::string name = o.timeline->empty() ? "month" : *o.timeline;
    request.timeline = PeriodNamed(name);
    if (!request.timeline) throw UsageError("--timeline must be year, month or day, not '" + name + "'");
  }
  request.like = o.like;
  request.explain = o.explain;
}

SearchCommand SearchCommandLine::Command() const {
  const Options& o = options_;
  const Config config = full_ ? LoadConfig(*full_) : Config{};
  SearchCommand command;
  command.index_dir = ResolveIndexDir(o.db, config.db);
  command.shards = o.shards;
  command.format = ChooseFormat();
  if (o.jobs > 0 && o.batch.empty()) throw UsageError("--jobs applies to --batch only");
  if (o.info) {
    if (!o.words.empty() || !o.batch.empty() || o.nul ||
        (command.format != OutputFormat::kText && command.format != OutputFormat::kJson)) {
      throw UsageError("--info takes no query, --batch or output format other than --json");
    }
    command.kind = SearchCommand::kInfo;
    return command;
  }
  if (!o.batch.empty() && (!o.words.empty() || !o.format.empty() || o.json || o.paths || o.count || o.nul)) {
    throw UsageError("--batch reads the queries from its file and prints JSON Lines; "
                     "it takes no query words and no output format option");
  }
  if (o.batch.empty() && o.words.empty() && o.like.empty()) {
    throw UsageError("no query given (nsearch QUERY..., nsearch --batch FILE or nsearch --info; see --help)");
  }
  command.print = PrintOptions{UseColor(o.color), o.nul};
  SearchRequest& request = command.request;
  request = o.request;
  MapRequest(request);
  if (!o.like.empty() && !o.batch.empty()) throw UsageError("--like takes no --batch");
  for (const std::string& w : o.words) request.query += (request.query.empty() ? "" : " ") + w;
  request.snippets = request.snippet_length > 0 && ShowsSnippets(command.format);
  if (command.format == OutputFormat::kCount) {
    request.exact_total = true;
    request.limit = 1;
  }
  if (!o.batch.empty()) {
    command.kind = SearchCommand::kBatch;
    command.batch = o.batch;
    command.jobs = o.jobs > 0 ? o.jobs : DefaultBatchJobs();
    request.snippets = request.snippet_length > 0;
  }
  return command;
}

}  // namespace nsearch::cli
