// The parts of a command line both programs share, written once: the index
// option, parsing with CLI11, and turning any error into one line on stderr
// and exit status 2. Header-only (CLI11 is).
#pragma once

#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <xapian.h>

namespace nsearch::cli {

// Adds --db DIR (resolved later by ResolveIndexDir).
inline void AddIndexOption(CLI::App& app, std::string& db_option) {
  app.add_option("--db", db_option,
                 "Index directory (default: $NSEARCH_DB, else $XDG_DATA_HOME/nsearch/index, "
                 "else ~/.local/share/nsearch/index)");
}

// Parses the command line. Returns the exit status when the program must
// stop here: 0 after --help or --version, 2 for a usage error (CLI11 has
// printed why).
inline std::optional<int> Parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
}

// Runs `body`, returning its exit status; an exception (ours or Xapian's)
// becomes "PROGRAM: message" on stderr and exit status 2.
template <typename Body>
int RunReportingErrors(const char* program, Body body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.get_description().c_str());
  }
  return 2;
}

}  // namespace nsearch::cli
