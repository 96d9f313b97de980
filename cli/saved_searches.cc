#include "cli/saved_searches.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/error.h"
#include "common/indexed_time.h"
#include "common/stable_hash.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

// $VARIABLE/nsearch when it is an absolute path, else ~/FALLBACK/nsearch.
fs::path XdgDir(const char* variable, const char* fallback) {
  if (const char* dir = std::getenv(variable); dir != nullptr && *dir == '/') return fs::path(dir) / "nsearch";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return fs::path(home) / fallback / "nsearch";
  }
  throw UsageError(std::string("neither ") + variable + " nor HOME is set: no place for saved searches");
}

// Replaces `file` with `text`: written beside it, then renamed over it.
void ReplaceFile(const fs::path& file, const std::string& text) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) throw UsageError("cannot create " + file.parent_path().string() + ": " + ec.message());
  const fs::path temporary = file.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      const std::string why = std::strerror(errno);
      fs::remove(temporary, ec);
      throw UsageError("cannot write " + file.string() + ": " + why);
    }
  }
  fs::rename(temporary, file, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw UsageError("cannot write " + file.string() + ": " + ec.message());
  }
}

bool ValidName(std::string_view name) {
  return !name.empty() && name.size() <= 100 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

SavedSearch ParseSavedSearch(const std::string& name, const fs::path& file, std::istream& in) {
  SavedSearch search;
  search.name = name;
  bool in_query = false;
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    const std::size_t last = line.find_last_not_of(" \t");
    line = line.substr(first, last - first + 1);
    if (in_query) {
      search.query += (search.query.empty() ? "" : " ") + line;
    } else if (line == "--") {
      in_query = true;
    } else if (line[0] != '-' || line.size() < 2) {
      throw UsageError(file.string() + ":" + std::to_string(number) + ": '" + line +
                       "' is not an option (options come first, then a line --, then the query)");
    } else if (const std::size_t space = line.find(' '); space != std::string::npos && line.find('=') > space) {
      std::string value = line.substr(line.find_first_not_of(' ', space));
      search.options.push_back({line.substr(0, space), value});
      search.option_lines.push_back(number);
    } else {
      search.options.push_back({line});
      search.option_lines.push_back(number);
    }
  }
  return search;
}

}  // namespace

void CheckSavedName(std::string_view name) {
  if (!ValidName(name)) {
    throw UsageError("'" + std::string(name) +
                     "' is not a saved search name: use 1 to 100 letters, digits, - and _");
  }
}

fs::path SavedSearchDir() { return XdgDir("XDG_CONFIG_HOME", ".config") / "saved"; }

fs::path StateDir() { return XdgDir("XDG_STATE_HOME", ".local/state"); }

SavedSearch ReadSavedSearch(const std::string& name) {
  CheckSavedName(name);
  const fs::path file = SavedSearchDir() / name;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) throw UsageError("no saved search '" + name + "' (" + file.string() + "; nsearch --saved lists them)");
    throw UsageError("cannot read the saved search " + file.string() + ": " + std::strerror(errno));
  }
  SavedSearch search = ParseSavedSearch(name, file, in);
  if (in.bad()) throw UsageError("cannot read the saved search " + file.string() + ": " + std::strerror(errno));
  return search;
}

void WriteSavedSearch(const SavedSearch& search) {
  CheckSavedName(search.name);
  std::string text = "# nsearch saved search '" + search.name +
                     "': its options, one a line, then a line --, then the query (docs/saved-searches.md)\n";
  for (const std::vector<std::string>& option : search.options) {
    std::string line;
    for (const std::string& part : option) line += (line.empty() ? "" : " ") + part;
    text += line + "\n";
  }
  text += "--\n" + search.query + "\n";
  ReplaceFile(SavedSearchDir() / search.name, text);
}

std::vector<std::string> ListSavedNames() {
  const fs::path dir = SavedSearchDir();
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (ValidName(name) && it->is_regular_file()) names.push_back(name);
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    throw UsageError("cannot list the saved searches in " + dir.string() + ": " + ec.message());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<SavedSearch> ListSavedSearches() {
  std::vector<SavedSearch> searches;
  for (const std::string& name : ListSavedNames()) searches.push_back(ReadSavedSearch(name));
  return searches;
}

fs::path SavedMarkFile(const std::string& name) {
  CheckSavedName(name);
  return StateDir() / "saved" / name;
}

fs::path WatchlistMarkFile(const fs::path& canonical_csv) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(StableHash(canonical_csv.string())));
  std::string base = canonical_csv.filename().string();
  std::replace_if(base.begin(), base.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_'; }, '_');
  return StateDir() / "watchlists" / (base + "-" + hash);
}

std::optional<std::string> ReadMark(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return std::nullopt;
    throw UsageError("cannot read " + file.string() + ": " + std::strerror(errno));
  }
  std::string line;
  std::getline(in, line);
  if (!ParseIndexedStamp(line)) {
    throw UsageError(file.string() + ": the first line should be the mark of the last check (16 digits), not '" +
                     line + "'; remove the file to count everything as new");
  }
  return IndexedStamp(*ParseIndexedStamp(line));
}

void WriteMark(const fs::path& file, const std::string& stamp) {
  ReplaceFile(file, stamp + "\n# when the articles seen at the last check were indexed, in microseconds since 1970 (UTC)\n");
}

std::string StampOfDateKey(std::string_view key) {
  if (key.size() != 14 || !std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw UsageError("'" + std::string(key) + "' is not a time as YYYYMMDDhhmmss");
  }
  const auto number = [&](std::size_t at, std::size_t n) { return std::stoi(std::string(key.substr(at, n))); };
  std::tm t{};
  t.tm_year = number(0, 4) - 1900;
  t.tm_mon = number(4, 2) - 1;
  t.tm_mday = number(6, 2);
  t.tm_hour = number(8, 2);
  t.tm_min = number(10, 2);
  t.tm_sec = number(12, 2);
  return IndexedStamp(static_cast<std::int64_t>(::timegm(&t)) * 1000000);
}

std::string StampAfter(const std::string& mark) {
  return IndexedStamp(ParseIndexedStamp(mark).value_or(0) + 1);
}

}  // namespace nsearch
