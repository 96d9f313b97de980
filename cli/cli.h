// The parts of a command line both programs share, written once: the index
// option, the config file, parsing with CLI11, and turning any error into one
// line on stderr and exit status 2. Header-only (CLI11 is).
#pragma once

#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <xapian.h>

#include "cli/config.h"

namespace nsearch::cli {

// Adds --db DIR (resolved later by ResolveIndexDir). The config file's db is
// not applied to it by CLI11: NSEARCH_DB must beat the file (LoadConfig).
inline void AddIndexOption(CLI::App& app, std::string& db_option) {
  app.add_option("--db", db_option,
                 "Index directory (default: $NSEARCH_DB, else db in the config file, else "
                 "$XDG_DATA_HOME/nsearch/index, else ~/.local/share/nsearch/index)")
      ->type_name("DIR")
      ->configurable(false);
}

// Adds --config FILE, naming in --help the file read when it is not given
// (cli/config.h). While parsing, CLI11 applies the file's keys that name
// options of `app` (limit, color, remote-timeout) unless the command line gave them; it
// ignores the others, which LoadConfig reads or rejects.
inline void AddConfigOption(CLI::App& app) {
  const std::filesystem::path default_file = DefaultConfigPath();
  app.set_config("--config", "",
                 "Read defaults (db, limit, color, roots, remote-timeout) from FILE; without it, from " +
                     (default_file.empty() ? std::string("$XDG_CONFIG_HOME/nsearch/config") : default_file.string()) +
                     " if it exists")
      ->option_text("FILE");  // not "FILE=default": the description names the default
  if (!default_file.empty()) app.get_config_ptr()->default_str(default_file.string());
  app.allow_config_extras(CLI::config_extras_mode::ignore_all);
}

// After Parse: the config file CLI11 read (the --config FILE, or the default
// one when it exists), read again for the keys CLI11 leaves alone. An empty
// Config when there is none. Throws UsageError as ReadConfig does.
inline Config LoadConfig(const CLI::App& app) {
  const CLI::Option* option = app.get_config_ptr();
  if (option == nullptr || option->count() == 0) return {};
  return ReadConfig(option->as<std::string>());
}

// Parses the command line. Returns the exit status when the program must
// stop here: 0 after --help or --version, 2 for a usage error (CLI11 has
// printed why).
inline std::optional<int> Parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::FileError& e) {  // only the config file is read while parsing
    std::fprintf(stderr, "%s: cannot read the config file: %s\n",
                 std::filesystem::path(app.get_name()).filename().c_str(), e.what());
    return 2;
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
}

// `message` as one line of readable length: control characters (a query or
// a file name may hold a newline, an escape sequence) written as \n, \t,
// \r or \xHH, and a message over kMaxErrorBytes (a 10,000-word query
// quoted in it) cut, saying how much was left out.
inline std::string OneLineMessage(const std::string& message) {
  constexpr std::size_t kMaxErrorBytes = 1000;
  std::string out;
  std::size_t i = 0;
  for (; i < message.size() && out.size() < kMaxErrorBytes; ++i) {
    const auto c = static_cast<unsigned char>(message[i]);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  // Never end inside a UTF-8 sequence.
  if (i < message.size()) {
    while (i < message.size() && (static_cast<unsigned char>(message[i]) & 0xC0) == 0x80) out += message[i++];
    out += "... (" + std::to_string(message.size() - i) + " bytes more)";
  }
  return out;
}

// Runs `body`, returning its exit status; an exception (ours or Xapian's)
// becomes "PROGRAM: message" on stderr, one line (OneLineMessage), and exit
// status 2.
template <typename Body>
int RunReportingErrors(const char* program, Body body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, OneLineMessage(e.what()).c_str());
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "%s: %s\n", program, OneLineMessage(e.get_description()).c_str());
  }
  return 2;
}

}  // namespace nsearch::cli
