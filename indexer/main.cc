// nsearch-index: builds and updates the nsearch index. A thin shell: parse
// the command line, run the Indexer, report.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <xapian.h>

#include "cli/cli.h"
#include "common/error.h"
#include "common/index_location.h"
#include "indexer/indexer.h"
#include "indexer/progress.h"
#include "indexer/watch.h"

namespace {

std::atomic<bool> g_stop{false};

void OnInterrupt(int) { g_stop = true; }

// "16M", "512k", "1G" or plain bytes.
std::uint64_t ParseSize(const std::string& text) {
  std::size_t used = 0;
  unsigned long long n = 0;
  try {
    n = std::stoull(text, &used);
  } catch (const std::exception&) {
    throw nsearch::UsageError("--max-size: not a size: '" + text + "' (for example 16M)");
  }
  const std::string unit = text.substr(used);
  if (unit.empty() || unit == "B") return n;
  if (unit == "k" || unit == "K" || unit == "KiB") return n << 10;
  if (unit == "M" || unit == "MiB") return n << 20;
  if (unit == "G" || unit == "GiB") return n << 30;
  throw nsearch::UsageError("--max-size: unknown unit in '" + text + "' (use K, M or G)");
}

std::string WithCommas(std::uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

// The line a run ends with.
void PrintSummary(const nsearch::IndexSummary& summary, const nsearch::IndexerOptions& options) {
  const std::uint64_t indexed = summary.indexed();
  std::string skipped = WithCommas(summary.skipped_total()) + " skipped";
  if (!summary.skipped.empty()) {
    std::string kinds;
    for (const auto& [kind, count] : summary.skipped) kinds += (kinds.empty() ? "" : ", ") + WithCommas(count) + " " + kind;
    skipped += " (" + kinds + ")";
  }
  std::fprintf(stderr,
               "nsearch-index: %s added, %s updated, %s removed, %s unchanged, %s; %s other files ignored; "
               "%.1f MB read in %.1f s (%.0f articles/s); index %s (%u shard%s)\n",
               WithCommas(summary.added).c_str(), WithCommas(summary.updated).c_str(),
               WithCommas(summary.removed).c_str(), WithCommas(summary.unchanged).c_str(), skipped.c_str(),
               WithCommas(summary.ignored).c_str(), static_cast<double>(summary.bytes) / 1e6, summary.seconds,
               summary.seconds > 0 ? static_cast<double>(indexed) / summary.seconds : 0.0,
               options.index_dir.c_str(), summary.shards, summary.shards == 1 ? "" : "s");
}

// --watch: the first run's line, then a line for each update that changed
// something, until a signal stops it (exit 130, what was indexed kept).
int Watch(nsearch::Indexer& indexer, const nsearch::IndexerOptions& options, nsearch::IndexProgress& progress,
          nsearch::ProgressLine& line, bool quiet) {
  nsearch::WatchIndex(indexer, options, progress, g_stop,
                      [&](const nsearch::IndexSummary& summary, const nsearch::WatchRun& run) {
                        if (quiet) return;
                        if (run.first) {
                          line.Clear();
                          PrintSummary(summary, options);
                          std::fprintf(stderr, "nsearch-index: watching %zu folder%s for changes (Ctrl-C to stop)\n",
                                       run.folders, run.folders == 1 ? "" : "s");
                        } else if (summary.indexed() + summary.removed > 0 || run.rescan) {
                          std::fprintf(stderr, "nsearch-index: %s%s added, %s updated, %s removed in %.2f s\n",
                                       run.rescan ? "rescan after lost events: " : "",
                                       WithCommas(summary.added).c_str(), WithCommas(summary.updated).c_str(),
                                       WithCommas(summary.removed).c_str(), summary.seconds);
                        }
                      });
  line.Clear();
  if (!quiet) std::fprintf(stderr, "nsearch-index: stopped watching; what was indexed is kept\n");
  return 130;
}

// What the command line gives, before it is checked and resolved.
struct CommandLine {
  std::string db_option, max_size = "16M", language, share, ocr_languages;
  std::vector<std::string> paths;
  nsearch::IndexerOptions options;
  unsigned changesets = 0;
  bool quiet = false, compact = false, watch = false;
};

void AddOptions(CLI::App& app, CommandLine& c) {
  nsearch::IndexerOptions& options = c.options;
  nsearch::cli::AddIndexOption(app, c.db_option);
  app.add_option("-j,--jobs", options.jobs,
                 "Worker threads that write a new index (default: all cores, up to 8); they write into one shard each, "
                 "merged into one at the end unless --shards asks for more");
  app.add_option("--shards", options.shards,
                 "Shards of a new index (default 1, which searches fastest); more than one: each written by a thread "
                 "of its own, whatever the cores, and each can be served from another machine (docs/scaling.md)")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--shard-of", c.share,
                 "Index only share K of N of the articles (0 <= K < N): those whose id hashes to K modulo N, so that N "
                 "indexes, on N machines, each hold one share and a stub lists them all (docs/scaling.md); recorded in "
                 "the index, which later runs keep to; another share needs --rebuild")
      ->type_name("K/N");
  app.add_option("--changesets", c.changesets,
                 "Keep each shard's last N changesets, from which xapian-replicate brings replicas up to date "
                 "(docs/scaling.md); 0: none; recorded in the index, which later runs keep to (default: as recorded, "
                 "else 0)")
      ->type_name("N");
  app.add_option("--max-size", c.max_size, "Skip files larger than this (default 16M; K, M, G suffixes)");
  app.add_option("--language", c.language,
                 "Snowball stemming language of a new index (default english; 'none' for no stemming)");
  app.add_option("--batch-size", options.batch_size,
                 "Articles per shard between commits (bounds memory; default 250 when building a new index, 500 "
                 "when updating one)")
      ->check(CLI::PositiveNumber);
  app.add_option("--part-size", options.part_size,
                 "Articles per shard in each part of a new index's build, merged at the end by Xapian's compactor; "
                 "parts double after every eight (smaller: faster, larger index; default 11000)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--wait", options.wait_for_lock,
               "If another nsearch-index is updating the index, wait for it instead of failing");
  app.add_flag("--rebuild", options.rebuild,
               "Build a complete new index beside the live one, then switch to it atomically");
  app.add_flag("--compact", c.compact, "Merge the shards into one (Xapian's compactor, FULL level), then switch to it")
      ->excludes("--rebuild");
  app.add_flag("--ocr", options.parse.ocr,
               "Read the text of images (*.png, *.jpg, *.tif) and of PDF pages without a text layer with Tesseract");
  app.add_option("--ocr-languages", c.ocr_languages,
                 "Tesseract languages for --ocr, e.g. eng+spa (default: eng and the index's --language)");
  app.add_flag("--watch", c.watch,
               "After indexing, keep the index current until stopped (Ctrl-C, SIGTERM: exit 130): new, changed, moved "
               "and removed files are searchable within seconds; holds the index lock all along")
      ->excludes("--compact");
  app.add_flag("-q,--quiet", c.quiet, "No progress line and no summary; skipped inputs are still reported");
  nsearch::cli::AddConfigOption(app);
  app.add_option("paths", c.paths,
                 "Files and directories to index (in directories: *.txt, *.md, *.html, *.htm, *.json, *.jsonl, *.ndjson, "
                 "*.pdf, *.docx, *.odt, *.epub, *.zip, *.tar, *.tar.gz, *.tgz, and with --ocr *.png, *.jpg, *.tif, "
                 "recursively), or - for JSON Lines on standard input; default: roots in the config file, "
                 "else the ones the index remembers")
      ->type_name("PATH...");
  app.set_version_flag("--version", "nsearch-index 0.1.0");
}

// The Indexer's options from the parsed command line and the config file.
void ResolveOptions(const CLI::App& app, CommandLine& c) {
  nsearch::IndexerOptions& options = c.options;
  const nsearch::Config config = nsearch::cli::LoadConfig(app);
  options.index_dir = nsearch::ResolveIndexDir(c.db_option, config.db);
  options.max_file_bytes = ParseSize(c.max_size);
  if (app.count("--shard-of") > 0) options.share = nsearch::ParseShare(c.share, "--shard-of");
  if (app.count("--changesets") > 0) options.changesets = c.changesets;
  options.language = c.language;
  options.parse.max_member_bytes = options.max_file_bytes;
  options.parse.ocr_languages = c.ocr_languages;
  if (c.ocr_languages.empty()) {
    const std::string other = nsearch::TesseractLanguage(c.language);
    options.parse.ocr_languages = other.empty() || other == "eng" ? "eng" : "eng+" + other;
  }
  for (const std::string& p : c.paths) {
    if (p == "-") {
      options.read_stdin = true;  // JSON Lines on standard input
    } else {
      options.roots.emplace_back(p);
    }
  }
  // No PATH: the config file's roots, else (empty) the roots the index remembers.
  if (c.paths.empty() && !c.compact) options.roots = config.roots;
}

void InstallSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnInterrupt;
  sa.sa_flags = SA_RESETHAND;  // a second Ctrl-C kills at once
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // Past a file size limit (ulimit -f), write() then fails with EFBIG and
  // the run ends with a message naming the shard, as on a full disk,
  // instead of SIGXFSZ killing the process without a word.
  signal(SIGXFSZ, SIG_IGN);
}

// One run of the indexer as the command line asks; its exit status.
int Run(const CommandLine& c) {
  const nsearch::IndexerOptions& options = c.options;
  nsearch::IndexProgress progress;
  nsearch::ProgressLine line(progress, !c.quiet && ::isatty(STDERR_FILENO));
  nsearch::Indexer indexer(options, [&](const nsearch::SkippedInput& s) {
    line.Clear();
    std::fprintf(stderr, "nsearch-index: skipped %s: %s\n", s.path.c_str(), s.reason.c_str());
  });
  if (c.compact) {
    if (!c.paths.empty()) throw nsearch::UsageError("--compact takes no paths");
    const nsearch::IndexSummary summary = indexer.Compact();
    if (!c.quiet) {
      std::fprintf(stderr, "nsearch-index: compacted %s articles into one shard in %.1f s; index %s\n",
                   WithCommas(summary.unchanged).c_str(), summary.seconds, options.index_dir.c_str());
    }
    return 0;
  }
  if (c.watch) {
    if (options.read_stdin) throw nsearch::UsageError("--watch watches files; it cannot read standard input ('-')");
    return Watch(indexer, options, progress, line, c.quiet);
  }
  const nsearch::IndexSummary summary = indexer.Run(progress, g_stop);
  line.Clear();

  const std::uint64_t indexed = summary.indexed();
  if (!c.quiet) PrintSummary(summary, options);
  if (summary.interrupted) {
    std::fprintf(stderr, "nsearch-index: interrupted; the %s articles indexed so far are kept, run again to finish\n",
                 WithCommas(indexed).c_str());
    return 130;
  }
  const std::uint64_t skipped = summary.skipped_total();
  if (indexed == 0 && summary.removed == 0 && summary.unchanged == 0 && skipped > 0) return 2;
  return skipped > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "nsearch-index: index news articles (.txt/.md files with an optional 'Field: value' header block)\n"
      "for nsearch. Later runs are incremental: only new and changed files are read, and the articles\n"
      "of files that are gone are removed. With no PATH, the folders the index remembers are updated.\n"
      "Exit status: 0 all inputs indexed, 1 some inputs skipped (each named on stderr),\n"
      "2 error (nothing indexed), 130 interrupted (what was indexed is kept)."};
  CommandLine command_line;
  AddOptions(app, command_line);
  if (const auto status = nsearch::cli::Parse(app, argc, argv)) return *status;
  return nsearch::cli::RunReportingErrors("nsearch-index", [&] {
    ResolveOptions(app, command_line);
    InstallSignalHandlers();
    return Run(command_line);
  });
}
