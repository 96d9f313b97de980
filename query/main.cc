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

#include "cli/cli.h"
#include "cli/search_command_line.h"
#include "common/error.h"
#include "query/batch.h"
#include "query/index_info.h"
#include "query/printer/info_printer.h"
#include "query/printer/printer.h"
#include "query/searcher.h"
#include "query/serve_exec.h"

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

int Search(const SearchCommand& command) {
  nsearch::Searcher searcher(command.index_dir, command.shards);
  nsearch::SearchResult result;
  try {
    result = searcher.Search(command.request);
  } catch (const nsearch::LikeError& e) {
    throw nsearch::QueryError(std::string("--like: ") + e.what());
  }
  std::set<std::string> warned;
  nsearch::WarnMissingShards(result.missing_shards, warned, stderr);
  nsearch::Output out(stdout);
  nsearch::MakePrinter(command.format, command.print)->Print(result, out);
  if (std::fflush(stdout) != 0) return 2;
  return result.total > 0 ? 0 : 1;
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
      case SearchCommand::kSearch: break;
    }
    return Search(command);
  });
}
