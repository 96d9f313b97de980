// The configuration file both programs read: the defaults a person sets once.
//
// $XDG_CONFIG_HOME/nsearch/config (by default ~/.config/nsearch/config), or
// the file named by --config. "key = value" lines in TOML or INI form, read
// with CLI11's own config parser; '#' starts a comment:
//
//   db = "~/news-index"            # index directory (both programs)
//   limit = 20                     # hits nsearch shows
//   color = "never"                # auto, always or never (nsearch)
//   roots = ["~/news", "/srv/wire"]  # what nsearch-index indexes when given no PATH
//   remote-timeout = 2000          # ms a remote shard may take to answer (nsearch)
//
// A leading ~/ means $HOME; other relative paths are relative to the file's
// folder. Command-line options override the file, and NSEARCH_DB overrides
// its db. CLI11 applies limit, color and remote-timeout to nsearch's options
// itself (cli/cli.h); db and roots are paths and are read here.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace nsearch {

// The keys a config file may hold; any other key is an error (a typo should
// not be silently ignored).
inline constexpr std::string_view kConfigKeys[] = {"db", "limit", "color", "roots", "remote-timeout"};

// $XDG_CONFIG_HOME/nsearch/config, else ~/.config/nsearch/config; empty when
// neither XDG_CONFIG_HOME (absolute) nor HOME is set.
std::filesystem::path DefaultConfigPath();

struct Config {
  std::filesystem::path file;                // the file read; empty when none
  std::filesystem::path db;                  // empty when not set
  std::vector<std::filesystem::path> roots;  // empty when not set
};

// Reads `file`. Throws UsageError naming the file when it cannot be read, has
// a [section], a key not in kConfigKeys, or a color other than auto, always
// or never.
Config ReadConfig(const std::filesystem::path& file);

}  // namespace nsearch
