#include "indexer/change_scan.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "indexer/article_reader.h"
#include "indexer/dictionary_training.h"
#include "indexer/document_builder.h"
#include "indexer/id_terms.h"

namespace nsearch {
namespace {

// True when `path` is `root` or lies below it (both canonical).
bool IsUnder(const std::string& path, const std::string& root) {
  if (path.size() < root.size() || path.compare(0, root.size(), root) != 0) return false;
  return path.size() == root.size() || path[root.size()] == '/' || root == "/";
}

// The source state recorded with an article read from `file`.
SourceState StateFor(const LoadedFile& file, const std::string& path, const Article& article) {
  SourceState state;
  state.hash = file.hash;
  state.mtime_ns = file.mtime_ns;
  state.size = file.size;
  // The path is left out when the id term holds it whole.
  if (!IdTermHoldsPath(article.id, path)) state.path = path;
  return state;
}

}  // namespace

ChangeScan::ChangeScan(const IndexerOptions& options, const Indexer::SkipReporter& on_skip, IndexSummary& summary,
                       IndexProgress& progress, const std::atomic<bool>& stop, WriterThreads& writers,
                       IndexedFiles& indexed, PendingFiles& pending, bool journal, Share share)
    : options_(options),
      share_(share),
      on_skip_(on_skip),
      summary_(summary),
      progress_(progress),
      stop_(stop),
      writers_(writers),
      indexed_(indexed),
      pending_(pending),
      journal_(journal) {}

void ChangeScan::ScanRoots(const RunRoots& roots, std::vector<std::string>& protected_paths) {
  const WalkResult walk =
      WalkInputs(roots.walk, halt_, options_.index_dir, [this](const SourceFile& file) { ReadFile(file); });
  for (const SkippedInput& s : walk.skipped) Protect(s, protected_paths);
}

void ChangeScan::ReadFile(const SourceFile& file) {
  if (stop_ || writers_.failed()) {
    halt_ = true;
    return;
  }
  auto done = [&] {
    progress_.files_done.fetch_add(1, std::memory_order_relaxed);
    progress_.bytes_done.fetch_add(file.size, std::memory_order_relaxed);
  };
  IndexedFile* before = nullptr;
  const bool half_done = pending_.Contains(file.path);  // by a run that did not complete: read it again
  if (auto it = indexed_.find(file.path); it != indexed_.end()) {
    before = &it->second;
    before->seen = true;
    if (!half_done && before->state.SameStat(file.size, file.mtime_ns)) {
      summary_.unchanged += before->docs.size();
      done();
      return;
    }
  }
  const LoadedFile loaded = LoadArticleFile(file.path, options_.max_file_bytes);
  done();
  if (!loaded.skip_kind.empty()) {
    ++summary_.skipped[loaded.skip_kind];
    on_skip_({file.path, loaded.skip_kind, loaded.skip_reason});
    return;  // what an earlier run indexed from it stays
  }
  summary_.bytes += loaded.bytes.size();
  if (before != nullptr && !half_done && before->state.hash == loaded.hash) {
    Restamp(*before, loaded);
    return;
  }
  PutArticles(file, loaded, before);
}

void ChangeScan::Restamp(const IndexedFile& before, const LoadedFile& loaded) {
  // Touched, not changed: record the new mtime so the next run need not read it.
  for (const auto& [shard, docid] : before.docs) {
    ShardOp op;
    op.kind = ShardOp::kRestamp;
    op.docid = docid;
    op.source = before.state;
    op.source.size = loaded.size;
    op.source.mtime_ns = loaded.mtime_ns;
    writers_.Push(shard, std::move(op));
  }
  summary_.unchanged += before.docs.size();
}

void ChangeScan::PutArticles(const SourceFile& file, const LoadedFile& loaded, const IndexedFile* before) {
  ParsedFile parsed = ParseArticleFile(loaded.bytes, file.path, options_.parse);
  if (!parsed.skip_kind.empty()) {
    ++summary_.skipped[parsed.skip_kind];
    on_skip_({file.path, parsed.skip_kind, parsed.skip_reason});
    return;  // what an earlier run indexed from it stays
  }
  for (const std::string& problem : parsed.problems) {
    ++summary_.skipped["malformed"];
    on_skip_(ProblemInput(file.path, problem));  // "FILE:LINE: reason", "FILE#MEMBER: reason"
  }
  auto ids = std::make_shared<std::set<std::string>>();
  const ArticleFormat format = FormatOf(file.path);
  const bool text_file = IsTextFormat(format);
  // A text, HTML, PDF or Office file is one article whose id is its path:
  // one document replaced at once. The articles of a JSON file, a container,
  // mail, a web archive or a feed are not (PendingFiles).
  if (journal_ && HoldsManyArticles(format)) {
    if (std::optional<std::string> error = pending_.Add(file.path)) {
      journal_error_ = std::move(*error);
      writers_.failed() = true;  // stops the walk; thrown once the writers are done
      return;
    }
  }
  for (Article& article : parsed.articles) {
    if (!share_.Holds(article.id)) continue;
    ids->insert(IdTermFor(article.id));
    ShardOp op;
    op.body_in_file = text_file;
    op.source = StateFor(loaded, file.path, article);
    const unsigned shard = share_.ShardOf(article.id, writers_.shards());
    op.article = std::move(article);
    writers_.Push(shard, std::move(op));
  }
  // Articles the file no longer has (its id replaces the others in place).
  // A file read with problems (a cut-short archive) keeps what it no longer yields.
  if (before != nullptr && parsed.problems.empty()) RemoveDocs(file.path, *before, ids);
}

void ChangeScan::RemoveGone(const RunRoots& roots, const std::vector<std::string>& protected_paths) {
  for (const auto& [path, file] : indexed_) {
    if (file.seen) continue;
    auto under = [&path = path](const std::string& root) { return IsUnder(path, root); };
    if (std::none_of(roots.canonical.begin(), roots.canonical.end(), under)) continue;
    if (std::any_of(protected_paths.begin(), protected_paths.end(), under)) continue;
    RemoveDocs(path, file, nullptr);
  }
}

void ChangeScan::RemoveDocs(const std::string& path, const IndexedFile& file,
                            std::shared_ptr<const std::set<std::string>> keep_ids) {
  for (const auto& [shard, docid] : file.docs) {
    ShardOp op;
    op.kind = ShardOp::kDelete;
    op.docid = docid;
    op.path = path;
    op.keep_ids = keep_ids;
    writers_.Push(shard, std::move(op));
  }
}

}  // namespace nsearch
