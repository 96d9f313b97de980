#include "cli/search_command_line.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <cstring>
#include <set>
#include <system_error>

#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "cli/config.h"
#include "cli/saved_searches.h"
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
         "@NAME runs the search saved as NAME (--save NAME), other options replacing or adding to its own;\n"
         "docs/saved-searches.md describes saved searches, --new and CSV watchlists.\n"
         "Exit status: 0 something matched, 1 nothing matched, 2 error (with --batch or --all-saved: 2\n"
         "when any query failed, else 0 when any matched, else 1).";
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

// The output options: a saved search's are all replaced when the command
// line gives any (they do not combine).
bool IsFormatOption(const std::string& name) {
  return name == "--format" || name == "--json" || name == "--paths" || name == "--count" || name == "--null";
}

// What a saved search does not keep: the modes of nsearch and where its
// defaults come from.
bool IsSavable(const std::string& name) {
  static const std::set<std::string> kNotSaved = {"--save",  "--saved", "--config", "--new",  "--new-since",
                                                  "--all-saved", "--batch", "--jobs", "--info", "--help",
                                                  "--version"};
  return kNotSaved.count(name) == 0;
}

// argv for CLI11, pointing into `args`.
std::vector<char*> Pointers(std::vector<std::string>& args) {
  std::vector<char*> pointers;
  for (std::string& a : args) pointers.push_back(a.data());
  return pointers;
}

// Why an option line of the saved search `saved` cannot be used, naming its
// file and line; nullopt when every one is an option a search keeps.
std::optional<std::string> SavedOptionProblem(CLI::App& app, const SavedSearch& saved) {
  for (std::size_t i = 0; i < saved.options.size(); ++i) {
    const std::string name = saved.options[i].front().substr(0, saved.options[i].front().find('='));
    const CLI::Option* known = app.get_option_no_throw(name);
    const std::string where = (SavedSearchDir() / saved.name).string() + ":" +
                              std::to_string(i < saved.option_lines.size() ? saved.option_lines[i] : 0) + ": ";
    if (known == nullptr) return where + "'" + name + "' is not an option of nsearch";
    if (!IsSavable(known->get_name())) return where + name + " is not an option a saved search can keep";
  }
  return std::nullopt;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "nsearch: %s\n", OneLineMessage(message).c_str());
  return 2;
}

}  // namespace

SearchCommandLine::SearchCommandLine() = default;
SearchCommandLine::~SearchCommandLine() = default;

std::optional<int> SearchCommandLine::Parse(int argc, char** argv) {
  args_.assign(argv, argv + argc);
  if (const std::optional<int> status = ExpandSaved()) return status;
  std::vector<char*> pointers = Pointers(args_);
  const int count = static_cast<int>(pointers.size());
  if (saved_name_.empty() && ParseCommonLine(count, pointers.data())) return std::nullopt;
  options_ = Options{};
  full_ = FullApp();
  return cli::Parse(*full_, count, pointers.data());
}

// Replaces @NAME in args_ with the saved search's options (those the
// command line does not give itself), and its query after "--". Returns
// 2, having said why, when the search cannot be read or query words are
// given beside it.
std::optional<int> SearchCommandLine::ExpandSaved() {
  std::vector<std::size_t> at;
  for (std::size_t i = 1; i < args_.size(); ++i) {
    if (args_[i].size() > 1 && args_[i][0] == '@') at.push_back(i);
  }
  if (at.empty()) return std::nullopt;
  if (at.size() > 1) return Fail("give one saved search (@NAME) at a time; --all-saved runs them all");
  saved_name_ = args_[at.front()].substr(1);
  SavedSearch saved;
  try {
    saved = ReadSavedSearch(saved_name_);
  } catch (const UsageError& e) {
    return Fail(e.what());
  }
  std::vector<std::string> user = args_;
  user.erase(user.begin() + static_cast<std::ptrdiff_t>(at.front()));
  options_ = Options{};
  const std::unique_ptr<CLI::App> probe = FullApp(/*with_config=*/false);
  std::vector<char*> pointers = Pointers(user);
  try {
    probe->parse(static_cast<int>(pointers.size()), pointers.data());
  } catch (const CLI::Error&) {  // the parse of the whole line says what is wrong
  }
  std::set<std::string> given;
  for (const CLI::Option* option : probe->get_options()) {
    if (option->count() > 0) given.insert(option->get_name());
  }
  const bool words = !options_.words.empty();
  options_ = Options{};
  if (const std::optional<std::string> problem = SavedOptionProblem(*probe, saved)) return Fail(*problem);
  if (words) return Fail("@" + saved_name_ + " is a saved query: give no query words with it (--save saves another)");
  const bool format_given = std::any_of(given.begin(), given.end(), IsFormatOption);
  std::vector<std::string> merged = {args_.front()};
  for (const std::vector<std::string>& option : saved.options) {
    const std::string name = option.front().substr(0, option.front().find('='));
    const CLI::Option* known = probe->get_option_no_throw(name);
    const std::string canonical = known != nullptr ? known->get_name() : name;
    if (given.count(canonical) != 0) continue;
    if (IsFormatOption(canonical) && (format_given || ignore_saved_format_)) continue;
    merged.insert(merged.end(), option.begin(), option.end());
  }
  merged.insert(merged.end(), user.begin() + 1, user.end());
  if (!saved.query.empty()) {
    merged.push_back("--");
    merged.push_back(saved.query);
  }
  args_ = std::move(merged);
  return std::nullopt;
}

// The search the command line asks to save: every option it gives that a
// saved search keeps, as "--name=value" (an index directory made
// absolute), and its query. Read by a parse without the config file, whose
// defaults stay the config file's.
SavedSearch SearchCommandLine::SavedFromLine() const {
  SearchCommandLine probe_line;
  const std::unique_ptr<CLI::App> probe = probe_line.FullApp(/*with_config=*/false);
  std::vector<std::string> args = args_;
  std::vector<char*> pointers = Pointers(args);
  probe->parse(static_cast<int>(pointers.size()), pointers.data());
  SavedSearch search;
  search.name = options_.save;
  for (const CLI::Option* option : probe->get_options()) {
    const std::string name = option->get_name();
    if (option->count() == 0 || !option->nonpositional() || !IsSavable(name)) continue;
    if (option->get_expected_max() == 0) {
      search.options.push_back({name});
      continue;
    }
    for (const std::string& value : option->results()) {
      if (value.empty()) {
        search.options.push_back({name});
      } else {
        search.options.push_back({name + "=" + (name == "--db" ? std::filesystem::absolute(value).string() : value)});
      }
    }
  }
  for (const std::string& w : probe_line.options_.words) search.query += (search.query.empty() ? "" : " ") + w;
  return search;
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
std::unique_ptr<CLI::App> SearchCommandLine::FullApp(bool with_config) {
  Options& o = options_;
  auto app = std::make_unique<CLI::App>(Description());
  AddIndexOption(*app, o.db);
  if (with_config) {
    AddConfigOption(*app);
  } else {
    app->add_option("--config", o.config);
  }
  app->add_flag("--any", o.any,
                "Match articles with any of the words, not only those with all of them; articles with "
                "more of the words, and rarer ones, rank higher (for natural-language queries)");
  app->add_option("-n,--limit", o.request.limit, "Hits to show (default 10; 0 for all)");
  app->add_option("--offset", o.request.offset, "Hits to skip first (for paging)");
  app->add_option("--format", o.format, "Output: " + OutputFormatNames() + " (default text); csv with --batch FILE: a watchlist")->type_name("FORMAT");
  AddJsonFlag(*app, o.json);
  app->add_flag("-l,--paths", o.paths, "Same as --format paths: one path per line");
  app->add_flag("-c,--count", o.count, "Same as --format count: the number of matches");
  AddNullFlag(*app, o.nul);
  app->add_option("--color", o.color, "Colour: auto (on a terminal, unless NO_COLOR is set), always or never")
      ->type_name("WHEN");
  app->add_option("--snippet-length", o.request.snippet_length, "Snippet length in characters (default 200; 0: none)");
  app->add_option("--batch", o.batch,
                  "Run each line of FILE (- for standard input) as a query; print one JSON Lines record "
                  "per query, in order. With --format csv: FILE is a CSV watchlist of name,query rows, "
                  "and each gets a row of its total and new matches")
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
  app->add_option("--save", o.save,
                  "Save the query and the search options given with it as NAME, for nsearch @NAME "
                  "($XDG_CONFIG_HOME/nsearch/saved/NAME)")
      ->type_name("NAME");
  app->add_flag("--saved", o.list_saved, "List the saved searches: name, query and options");
  app->add_flag("--new", o.new_only,
                "With @NAME or --all-saved: only articles indexed since that search was last checked with --new "
                "(the first check: all), then mark it checked");
  app->add_option("--new-since", o.new_since,
                  "Only articles indexed since TIME (as --since reads it: 2026-12-07, 2026-12-07T10:30, or ago: 90m, 2h, 3d, 2w, 6mo, 1y)")
      ->type_name("TIME");
  app->add_flag("--all-saved", o.all_saved,
                "Run every saved search, one section (text) or JSON record (--json) each; with --new, check each");
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
  command.saved_name = saved_name_;
  CheckSavedModes(command);
  if (!o.save.empty()) {
    command.kind = SearchCommand::kSave;
    command.to_save = SavedFromLine();
    return command;
  }
  const bool csv = o.format == "csv";
  if (csv && o.batch.empty()) throw UsageError("--format csv is for a CSV watchlist: nsearch --batch FILE.csv --format csv");
  if (csv && o.jobs > 0) throw UsageError("--jobs applies to a --batch of lines, not to a CSV watchlist");
  command.format = csv ? OutputFormat::kText : ChooseFormat();
  if (o.list_saved) {
    command.kind = SearchCommand::kListSaved;
    return command;
  }
  if (o.all_saved) {
    command.kind = SearchCommand::kAllSaved;
    for (std::size_t i = 1; i < args_.size(); ++i) {
      if (args_[i] != "--all-saved") command.rest_args.push_back(args_[i]);
    }
    return command;
  }
  if (o.jobs > 0 && o.batch.empty()) throw UsageError("--jobs applies to --batch only");
  if (o.info) {
    if (!o.words.empty() || !o.batch.empty() || o.nul ||
        (command.format != OutputFormat::kText && command.format != OutputFormat::kJson)) {
      throw UsageError("--info takes no query, --batch or output format other than --json");
    }
    command.kind = SearchCommand::kInfo;
    return command;
  }
  if (csv) {
    if (!o.words.empty() || !o.like.empty()) throw UsageError("a CSV watchlist takes its queries from its file, no query words");
    command.kind = SearchCommand::kWatchlist;
    command.batch = o.batch;
    command.request = o.request;
    MapRequest(command.request);
    ApplyNew(command);
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
  ApplyNew(command);
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

// The saved-search modes that do not go together, or with a query.
void SearchCommandLine::CheckSavedModes(const SearchCommand& command) const {
  const Options& o = options_;
  const bool named = !command.saved_name.empty();
  if (!o.save.empty()) {
    CheckSavedName(o.save);
    if (o.list_saved || o.new_only || !o.new_since.empty() || o.all_saved || !o.batch.empty() || o.info) {
      throw UsageError("--save NAME saves a query and its search options; it takes no --saved, --new, --new-since, "
                       "--all-saved, --batch or --info");
    }
    if (o.words.empty() && o.like.empty()) throw UsageError("--save " + o.save + ": no query given to save");
    return;
  }
  if (o.list_saved && (named || o.all_saved || o.new_only || !o.words.empty() || !o.batch.empty() || o.info)) {
    throw UsageError("--saved lists the saved searches; it takes no query, @NAME or other mode");
  }
  if (o.all_saved && (named || !o.words.empty() || !o.like.empty() || !o.batch.empty() || o.info)) {
    throw UsageError("--all-saved runs every saved search; it takes no query, @NAME, --like, --batch or --info");
  }
  if (o.new_only && !o.new_since.empty()) {
    throw UsageError("--new counts from a saved search's last check, --new-since from TIME: give one");
  }
  if (o.new_only && !named && !o.all_saved && (o.batch.empty() || o.format != "csv")) {
    throw UsageError("--new checks a saved search: nsearch --new @NAME, or --all-saved --new "
                     "(--new-since TIME without one)");
  }
}

// --new: the saved search's mark (none at its first check: everything is
// new) and the file to move it in; --new-since: its stamp. A CSV watchlist
// is always counted from its own mark (query/watchlist.h).
void SearchCommandLine::ApplyNew(SearchCommand& command) const {
  const Options& o = options_;
  // The same forms as --since: "2h" and "90m" to the minute, a date (UTC).
  if (!o.new_since.empty()) {
    command.request.indexed_since = StampOfDateKey(DateBound(o.new_since, false, Now(), "--new-since"));
  }
  if (!o.new_only || command.saved_name.empty()) return;
  command.mark_file = SavedMarkFile(command.saved_name);
  if (const std::optional<std::string> mark = ReadMark(command.mark_file)) command.request.indexed_since = StampAfter(*mark);
}

}  // namespace nsearch::cli
