// The roots a run walks, and its first walk over them: it counts the
// inputs (for the progress line), samples some for a new index's
// dictionary and reports the ones that cannot be read. A second walk
// (ChangeScan) reads them, so that the list of files is never held in
// memory, which would grow with the archive. Functions of the run's thread.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "indexer/dictionary_training.h"
#include "indexer/file_walker.h"
#include "indexer/indexer.h"
#include "indexer/live_index.h"

namespace nsearch {

struct RunRoots {
  std::vector<std::filesystem::path> walk;  // as given, or as the index remembers them
  std::vector<std::string> canonical;       // the same, canonical (those that exist)
};

// The roots of this run: those given, else those the index remembers
// (unless it only reads standard input into the live index). Adds them to
// state.roots. Throws UsageError when there are none. With
// options.only_paths, those of them that exist are walked, and all of
// them bound what is removed; state.roots stays.
RunRoots ChooseRoots(const IndexerOptions& options, IndexState& state);

struct InputSurvey {
  WalkResult walk;
  FileSampler sampler;
  std::vector<std::string> protected_paths;  // unreadable folders: what was indexed under them stays
};

// Adds the folder or file `skipped` names to `protected_paths`, unless it is missing.
void Protect(const SkippedInput& skipped, std::vector<std::string>& protected_paths);

// Walks the roots once, reporting each input skipped to `on_skip` and
// counting it (and the files ignored) in `summary`. Stops early when `stop`.
InputSurvey SurveyInputs(const RunRoots& roots, const std::filesystem::path& index_dir, const std::atomic<bool>& stop,
                         const Indexer::SkipReporter& on_skip, IndexSummary& summary);

}  // namespace nsearch
