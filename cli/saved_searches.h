// Saved searches and the marks of --new checks, as files a person can read
// and edit (docs/saved-searches.md):
//
//   $XDG_CONFIG_HOME/nsearch/saved/NAME  (default ~/.config/...): one saved
//       search, its options one a line (--sort=newest, --limit 5), then a
//       line "--", then its query; '#' lines and empty lines are comments.
//   $XDG_STATE_HOME/nsearch/saved/NAME  (default ~/.local/state/...): the
//       mark of its last --new check, a kIndexedSlot stamp
//       (common/indexed_time.h) on the first line.
//   $XDG_STATE_HOME/nsearch/watchlists/FILE-HASH: the same for a CSV
//       watchlist (--batch FILE --format csv), keyed by its canonical path.
//
// Files are replaced whole (written beside, then renamed), so a reader never
// sees half of one. Not thread-safe with itself on the same name.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nsearch {

struct SavedSearch {
  std::string name;
  // Each option line split at its first space ("--limit 5" gives two);
  // "--name=value" stays one.
  std::vector<std::vector<std::string>> options;
  std::vector<std::size_t> option_lines;  // the file's line of each option, from 1 (0: not read from a file)
  std::string query;  // the lines after "--", joined with spaces
};

// Throws UsageError unless `name` is 1 to 100 letters, digits, '-' and '_'.
void CheckSavedName(std::string_view name);

// $XDG_CONFIG_HOME/nsearch/saved (XDG_CONFIG_HOME absolute), else
// ~/.config/nsearch/saved. Throws UsageError when neither it nor HOME is set.
std::filesystem::path SavedSearchDir();

// $XDG_STATE_HOME/nsearch, else ~/.local/state/nsearch; throws as above.
std::filesystem::path StateDir();

// Reads the saved search `name`. Throws UsageError naming the file when
// there is none ("no saved search 'x'"), it cannot be read, or a line
// before "--" is not an option.
SavedSearch ReadSavedSearch(const std::string& name);

// Writes the saved search `name` (options and query as SavedSearch holds
// them), replacing one of that name. Throws UsageError naming the file.
void WriteSavedSearch(const SavedSearch& search);

// The names of the saved searches, sorted; files whose names are not valid
// names are left out. Throws UsageError when the folder cannot be read.
std::vector<std::string> ListSavedNames();

// Every saved search, by name. A file that cannot be read throws as
// ReadSavedSearch does; files whose names are not valid names are skipped.
std::vector<SavedSearch> ListSavedSearches();

// The mark files.
std::filesystem::path SavedMarkFile(const std::string& name);
std::filesystem::path WatchlistMarkFile(const std::filesystem::path& canonical_csv);

// The stamp in mark file `file`; nullopt when there is none yet. Throws
// UsageError naming the file when it holds something else or cannot be read.
std::optional<std::string> ReadMark(const std::filesystem::path& file);

// Writes `stamp` to mark file `file`, creating its folder. Throws UsageError.
void WriteMark(const std::filesystem::path& file, const std::string& stamp);

// The stamp of the first moment of a date slot key (YYYYMMDDhhmmss, UTC,
// as DateBound gives --new-since's TIME). Throws UsageError for another text.
std::string StampOfDateKey(std::string_view key);

// The stamp just after `mark`: what a --new check searches from.
std::string StampAfter(const std::string& mark);

}  // namespace nsearch
