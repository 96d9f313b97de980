// nsearch's command line: its options (CLI11), the config file, and the
// mapping of their strings onto what the libraries take: a SearchRequest
// with enums, an output format, shard options. The errors that name an
// option ("--facets: no facet 'x'") are made here; the libraries' errors
// name no option. Not thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/saved_searches.h"
#include "query/printer/printer.h"
#include "query/searcher.h"
#include "query/shards.h"

namespace CLI {
class App;
}

namespace nsearch::cli {

// What nsearch is asked to do.
struct SearchCommand {
  enum Kind {
    kSearch,  // run `request`, print it in `format`
    kBatch,   // run each line of `batch` as a query, with `request` as the template
    kInfo,    // show what the index holds (`format` is text or json)
    kSave,       // write `to_save` (--save NAME)
    kListSaved,  // list the saved searches (--saved; `format` is text or json)
    kAllSaved,   // run every saved search with `rest_args` added (--all-saved)
    kWatchlist,  // run each name,query row of the CSV `batch`, write CSV (--batch FILE --format csv)
  };
  Kind kind = kSearch;
  std::filesystem::path index_dir;
  ShardOptions shards;
  SearchRequest request;
  OutputFormat format = OutputFormat::kText;
  PrintOptions print;
  std::string batch;  // kBatch: the file of queries, "-" for standard input
  unsigned jobs = 1;  // kBatch: queries at once
  std::string saved_name;  // the saved search run (@NAME), or saved (--save NAME)
  SavedSearch to_save;     // kSave
  // --new: the mark file to move to the result's indexed_through once the
  // search has run and printed; empty otherwise.
  std::filesystem::path mark_file;
  std::vector<std::string> rest_args;  // kAllSaved: the arguments other than --all-saved
};

class SearchCommandLine {
 public:
  SearchCommandLine();
  ~SearchCommandLine();
  SearchCommandLine(const SearchCommandLine&) = delete;
  SearchCommandLine& operator=(const SearchCommandLine&) = delete;

  // Parses the command line. Returns the exit status when the program must
  // stop here: 0 after --help or --version, 2 for a usage error (CLI11 has
  // printed why) or a config file CLI11 cannot read.
  // An argument @NAME stands for the saved search NAME's options and query,
  // the command line's options replacing the saved ones they name.
  std::optional<int> Parse(int argc, char** argv);

  // Only for one saved search of --all-saved: its own output options are
  // left out (every search is printed alike). Before Parse.
  void IgnoreSavedFormat() { ignore_saved_format_ = true; }

  // The command the parsed line asks for, with the config file's keys
  // applied and the index located. Throws UsageError, naming the option,
  // for options that are malformed or do not go together, and what
  // ReadConfig and ResolveIndexDir throw.
  SearchCommand Command() const;

 private:
  // The options as given, before they are checked.
  struct Options {
    std::string db, format, color = "auto", batch, sort = "relevance", since, until, facets, like, save, new_since,
        config;
    std::optional<std::string> timeline;
    std::vector<std::string> words;
    bool json = false, any = false, paths = false, nul = false, count = false, info = false, all = false,
         explain = false, list_saved = false, new_only = false, all_saved = false;
    unsigned jobs = 0;
    SearchRequest request;  // limit, offset, snippet_length
    ShardOptions shards;    // remote_timeout_ms, allow_partial
  };

  bool ParseCommonLine(int argc, char** argv);
  // `with_config`: the config file is read; without, --config is an option
  // like another (to see what the command line itself gives).
  std::unique_ptr<CLI::App> FullApp(bool with_config = true);
  std::optional<int> ExpandSaved();
  SavedSearch SavedFromLine() const;
  void CheckSavedModes(const SearchCommand& command) const;
  void ApplyNew(SearchCommand& command) const;
  OutputFormat ChooseFormat() const;
  void MapRequest(SearchRequest& request) const;

  Options options_;
  std::unique_ptr<CLI::App> full_;  // made unless the common line was parsed alone
  std::vector<std::string> args_;   // the arguments parsed (argv[0] first), @NAME expanded
  std::string saved_name_;          // the @NAME expanded, if any
  bool ignore_saved_format_ = false;
};

}  // namespace nsearch::cli
