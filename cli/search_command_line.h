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
  };
  Kind kind = kSearch;
  std::filesystem::path index_dir;
  ShardOptions shards;
  SearchRequest request;
  OutputFormat format = OutputFormat::kText;
  PrintOptions print;
  std::string batch;  // kBatch: the file of queries, "-" for standard input
  unsigned jobs = 1;  // kBatch: queries at once
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
  std::optional<int> Parse(int argc, char** argv);

  // The command the parsed line asks for, with the config file's keys
  // applied and the index located. Throws UsageError, naming the option,
  // for options that are malformed or do not go together, and what
  // ReadConfig and ResolveIndexDir throw.
  SearchCommand Command() const;

 private:
  // The options as given, before they are checked.
  struct Options {
    std::string db, format, color = "auto", batch, sort = "relevance", since, until, facets, like;
    std::optional<std::string> timeline;
    std::vector<std::string> words;
    bool json = false, any = false, paths = false, nul = false, count = false, info = false, all = false,
         explain = false;
    unsigned jobs = 0;
    SearchRequest request;  // limit, offset, snippet_length
    ShardOptions shards;    // remote_timeout_ms, allow_partial
  };

  bool ParseCommonLine(int argc, char** argv);
  std::unique_ptr<CLI::App> FullApp();
  OutputFormat ChooseFormat() const;
  void MapRequest(SearchRequest& request) const;

  Options options_;
  std::unique_ptr<CLI::App> full_;  // made unless the common line was parsed alone
};

}  // namespace nsearch::cli
