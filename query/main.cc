// nsearch: searches the nsearch index. A thin shell: parse the command line
// (cli/search_command_line.h), run the Searcher or a batch, print with a
// printer, exit like grep (0 matched, 1 no match, 2 error) in every mode,
// --batch included.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/saved_searches.h"
#include "cli/search_command_line.h"
#include "common/error.h"
#include "query/batch.h"
#include "query/index_info.h"
#include "query/printer/info_printer.h"
#include "query/printer/json_printer.h"
#include "query/printer/printer.h"
#include "query/searcher.h"
#include "query/serve_exec.h"
#include "query/watchlist.h"

namespace {

using nsearch::cli::SearchCommand;

int ShowInfo(const SearchCommand& command) {
  nsearch::Output out(stdout);
  nsearch::PrintIndexInfo(nsearch::ReadIndexInfo(command.index_dir, command.shards.remote_timeout_ms),
                          command.format == nsearch::OutputFormat::kJson, out);
  return std::fflush(stdout) == 0 ? 0 : 2;
}

int RunBatchFile(const SearchCommand& command) {
  const auto open = [&] { return std::make_unique<nsearch::Searcher>(command.index_dir, command.shards); };
  nsearch::BatchOptions options;
  options.jobs = command.jobs;
  if (command.batch == "-") {
    options.input_name = "standard input";
    return nsearch::RunBatch(open, command.request, std::cin, options, stdout);
  }
  std::ifstream in(command.batch);
  if (!in) throw nsearch::UsageError("cannot read --batch file " + command.batch + ": " + std::strerror(errno));
  options.input_name = "file " + command.batch;
  return nsearch::RunBatch(open, command.request, in, options, stdout);
}

nsearch::SearchResult RunSearch(const SearchCommand& command) {
  nsearch::Searcher searcher(command.index_dir, command.shards);
  try {
    return searcher.Search(command.request);
  } catch (const nsearch::LikeError& e) {
    throw nsearch::QueryError(std::string("--like: ") + e.what());
  }
}

// After a --new check has printed: its mark moves to what it saw.
void MoveMark(const SearchCommand& command, const nsearch::SearchResult& result) {
  if (!command.mark_file.empty()) nsearch::WriteMark(command.mark_file, result.indexed_through);
}

int Search(const SearchCommand& command) {
  const nsearch::SearchResult result = RunSearch(command);
  std::set<std::string> warned;
  nsearch::WarnMissingShards(result.missing_shards, warned, stderr);
  nsearch::Output out(stdout);
  nsearch::MakePrinter(command.format, command.print)->Print(result, out);
  if (std::fflush(stdout) != 0) return 2;
  MoveMark(command, result);
  return result.total > 0 ? 0 : 1;
}

// A saved search's line in --saved and after --save: name, query and
// options, tab-separated.
std::string SavedLine(const nsearch::SavedSearch& search) {
  std::string options;
  for (const auto& option : search.options) {
    for (const std::string& part : option) options += (options.empty() ? "" : " ") + part;
  }
  return search.name + "\t" + search.query + "\t" + options + "\n";
}

int Save(const SearchCommand& command) {
  nsearch::WriteSavedSearch(command.to_save);
  std::fputs(SavedLine(command.to_save).c_str(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 2;
}

int ListSaved(const SearchCommand& command) {
  const std::vector<nsearch::SavedSearch> searches = nsearch::ListSavedSearches();
  if (command.format == nsearch::OutputFormat::kJson) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const nsearch::SavedSearch& s : searches) {
      nlohmann::ordered_json options = nlohmann::ordered_json::array();
      for (const auto& option : s.options) {
        for (const std::string& part : option) options.push_back(part);
      }
      list.push_back({{"name", s.name}, {"query", s.query}, {"options", options}});
    }
    std::fputs((list.dump() + "\n").c_str(), stdout);
  } else {
    for (const nsearch::SavedSearch& s : searches) std::fputs(SavedLine(s).c_str(), stdout);
  }
  if (std::fflush(stdout) != 0) return 2;
  return searches.empty() ? 1 : 0;
}

// One saved search of --all-saved, printed as its section or record.
// Returns its exit status; an error is reported naming the search.
int RunOneSaved(const std::string& name, const std::vector<std::string>& rest) {
  std::vector<std::string> args = {"nsearch", "@" + name};
  args.insert(args.end(), rest.begin(), rest.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  nsearch::cli::SearchCommandLine line;
  line.IgnoreSavedFormat();
  if (const auto status = line.Parse(static_cast<int>(argv.size()), argv.data())) return *status;
  const std::string program = "nsearch: @" + name;
  return nsearch::cli::RunReportingErrors(program.c_str(), [&] {
    const SearchCommand command = line.Command();
    if (command.kind != SearchCommand::kSearch) throw nsearch::UsageError("--all-saved runs searches only");
    const nsearch::SearchResult result = RunSearch(command);
    std::set<std::string> warned;
    nsearch::WarnMissingShards(result.missing_shards, warned, stderr);
    std::string text;
    switch (command.format) {
      case nsearch::OutputFormat::kJson:
      case nsearch::OutputFormat::kJsonl: {
        const std::string record = nsearch::SearchJson(result);
        text = "{\"saved\":" + nlohmann::json(name).dump() + "," + record.substr(1);
        break;
      }
      case nsearch::OutputFormat::kCount:
        text = name + "\t" + std::to_string(result.total) + "\n";
        break;
      default: {
        std::fputs(("== @" + name + ": " + result.query + "\n").c_str(), stdout);
        nsearch::Output out(stdout);
        nsearch::MakePrinter(command.format, command.print)->Print(result, out);
        text = "\n";
      }
    }
    std::fputs(text.c_str(), stdout);
    if (std::fflush(stdout) != 0) return 2;
    MoveMark(command, result);
    return result.total > 0 ? 0 : 1;
  });
}

int RunAllSaved(const SearchCommand& command) {
  // TSV has no place for a section's heading, nor -0 lists.
  if (command.format == nsearch::OutputFormat::kTsv || command.print.nul_terminated) {
    throw nsearch::UsageError("--all-saved prints text, paths or ids in sections, JSON records (--json, --format "
                              "jsonl) or counts (-c); not TSV nor -0");
  }
  bool failed = false, matched = false;
  for (const nsearch::SavedSearch& search : nsearch::ListSavedSearches()) {
    const int status = RunOneSaved(search.name, command.rest_args);
    failed = failed || status == 2;
    matched = matched || status == 0;
  }
  return failed ? 2 : matched ? 0 : 1;
}

// A CSV watchlist: its "new" counts from the mark of its last run (keyed
// by its canonical path), or from --new-since, which leaves the mark alone.
int RunWatchlistFile(const SearchCommand& command) {
  if (command.batch == "-") {
    throw nsearch::UsageError("a CSV watchlist is read from a file, whose path keeps its mark, not from standard input");
  }
  std::ifstream in(command.batch, std::ios::binary);
  if (!in) throw nsearch::UsageError("cannot read --batch file " + command.batch + ": " + std::strerror(errno));
  const std::vector<nsearch::WatchRow> rows = nsearch::ReadWatchlist(in, command.batch);
  const std::filesystem::path mark_file = nsearch::WatchlistMarkFile(std::filesystem::canonical(command.batch));
  std::optional<std::string> since;
  const bool given = !command.request.indexed_since.empty();
  if (given) {
    since = command.request.indexed_since;
  } else if (const std::optional<std::string> mark = nsearch::ReadMark(mark_file)) {
    since = nsearch::StampAfter(*mark);
  }
  nsearch::SearchRequest request = command.request;
  request.indexed_since.clear();
  nsearch::Searcher searcher(command.index_dir, command.shards);
  const nsearch::WatchlistRun run = nsearch::RunWatchlist(searcher, request, rows, since, command.batch, stdout);
  if (!given && run.status != 2 && !run.indexed_through.empty()) nsearch::WriteMark(mark_file, run.indexed_through);
  return run.status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "serve") == 0) return nsearch::ExecServe(argc, argv);
  nsearch::cli::SearchCommandLine command_line;
  if (const auto status = command_line.Parse(argc, argv)) return *status;
  return nsearch::cli::RunReportingErrors("nsearch", [&] {
    const SearchCommand command = command_line.Command();
    switch (command.kind) {
      case SearchCommand::kInfo: return ShowInfo(command);
      case SearchCommand::kBatch: return RunBatchFile(command);
      case SearchCommand::kSave: return Save(command);
      case SearchCommand::kListSaved: return ListSaved(command);
      case SearchCommand::kAllSaved: return RunAllSaved(command);
      case SearchCommand::kWatchlist: return RunWatchlistFile(command);
      case SearchCommand::kSearch: break;
    }
    return Search(command);
  });
}
