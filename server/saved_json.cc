#include "server/saved_json.h"

#include <optional>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/saved_searches.h"
#include "cli/search_command_line.h"
#include "common/error.h"

namespace nsearch::server {
namespace {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

bool SameIndex(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  const fs::path ca = fs::weakly_canonical(a, ec);
  if (ec) return false;
  const fs::path cb = fs::weakly_canonical(b, ec);
  return !ec && ca == cb;
}

// The search `nsearch --new @NAME -c` runs, as its own command line reads
// it (options, config file, mark). Throws UsageError naming what is wrong.
cli::SearchCommand NewCheckOf(const std::string& name) {
  std::vector<std::string> args = {"nsearch", "--new", "@" + name, "--count"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  cli::SearchCommandLine line;
  if (line.Parse(static_cast<int>(argv.size()), argv.data())) {
    throw UsageError("its options are not nsearch's (nsearch --new @" + name + " says why)");
  }
  cli::SearchCommand command = line.Command();
  if (command.kind != cli::SearchCommand::kSearch) throw UsageError("it is not a search");
  return command;
}

// One entry of the list: name, query, options, and the new count or why not.
ordered_json Entry(const std::string& name, const fs::path& index_dir, SearcherPool& pool) {
  ordered_json entry = {{"name", name}};
  try {
    const SavedSearch saved = ReadSavedSearch(name);
    entry["query"] = saved.query;
    ordered_json options = ordered_json::array();
    for (const auto& option : saved.options) {
      for (const std::string& part : option) options.push_back(part);
    }
    entry["options"] = options;
    const cli::SearchCommand command = NewCheckOf(name);
    // Without a mark (never checked) every match is new.
    entry["checked"] = !command.request.indexed_since.empty();
    if (!SameIndex(command.index_dir, index_dir)) {
      entry["new"] = nullptr;
      entry["index"] = command.index_dir.string();
      return entry;
    }
    entry["new"] = pool.Acquire()->Search(command.request).total;
  } catch (const UsageError& e) {
    entry["error"] = cli::OneLineMessage(e.what());
  } catch (const QueryError& e) {
    entry["error"] = cli::OneLineMessage(e.what());
  }
  return entry;
}

}  // namespace

std::string SavedJson(const fs::path& index_dir, SearcherPool& pool) {
  ordered_json list = ordered_json::array();
  for (const std::string& name : ListSavedNames()) list.push_back(Entry(name, index_dir, pool));
  return ordered_json{{"schema", 1}, {"saved", list}}.dump() + "\n";
}

}  // namespace nsearch::server
