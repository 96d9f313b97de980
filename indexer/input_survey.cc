#include "indexer/input_survey.h"

#include <system_error>

#include "common/article_id.h"
#include "common/error.h"

namespace fs = std::filesystem;

namespace nsearch {

RunRoots ChooseRoots(const IndexerOptions& options, IndexState& state) {
  const fs::path& dir = options.index_dir;
  RunRoots roots;
  if (!options.only_paths.empty()) {
    // Part of the roots: walk what is still there; what is gone under any
    // of them goes from the index.
    for (const std::string& path : options.only_paths) {
      std::error_code ec;
      if (fs::exists(path, ec)) roots.walk.emplace_back(path);
      roots.canonical.push_back(path);
    }
    return roots;
  }
  roots.walk = options.roots;
  if (roots.walk.empty() && (!options.read_stdin || options.rebuild)) {
    if (state.roots.empty()) {
      throw UsageError(state.exists ? "the index at " + dir.string() + " remembers no folders; name the paths to index"
                                    : "no index at " + dir.string() + " yet; name the paths to index");
    }
    roots.walk.assign(state.roots.begin(), state.roots.end());
  }
  std::error_code ec;
  for (const fs::path& root : roots.walk) {
    const std::string abs = CanonicalPath(root.string(), ec);
    if (ec) continue;
    roots.canonical.push_back(abs);
    state.roots.insert(abs);
  }
  return roots;
}

void Protect(const SkippedInput& skipped, std::vector<std::string>& protected_paths) {
  std::error_code ec;
  if (skipped.kind == "missing") return;
  const std::string path = CanonicalPath(skipped.path, ec);
  protected_paths.push_back(ec ? "/" : path);  // links that cannot be resolved: protect everything
}

InputSurvey SurveyInputs(const RunRoots& roots, const fs::path& index_dir, const std::atomic<bool>& stop,
                         const Indexer::SkipReporter& on_skip, IndexSummary& summary) {
  InputSurvey survey;
  survey.walk = WalkInputs(roots.walk, stop, index_dir, [&](const SourceFile& f) { survey.sampler.Offer(f.path); });
  for (const SkippedInput& s : survey.walk.skipped) {
    on_skip(s);
    ++summary.skipped[s.kind];
    Protect(s, survey.protected_paths);
  }
  summary.ignored = survey.walk.ignored;
  return survey;
}

}  // namespace nsearch
