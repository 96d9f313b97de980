// ChangeScan is the second walk over a run's roots: for each file it
// decides what the shards must do (put its articles, restamp an unchanged
// file, delete the articles a file no longer has) and queues that to the
// writers; then it deletes the articles of files that are gone. It runs on
// the run's thread; the writers run beside it.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "indexer/file_walker.h"
#include "indexer/indexer.h"
#include "indexer/input_survey.h"
#include "indexer/live_index.h"
#include "indexer/pending_files.h"
#include "indexer/writer_threads.h"

namespace nsearch {

class ChangeScan {
 public:
  // `indexed`: the files the live index has (none for a new index).
  // `pending`: the files a run that did not complete was rewriting (read
  // again). `journal`: whether to list a JSON file there before queuing its
  // changes (an update; a new index's files are all new).
  ChangeScan(const IndexerOptions& options, const Indexer::SkipReporter& on_skip, IndexSummary& summary,
             IndexProgress& progress, const std::atomic<bool>& stop, WriterThreads& writers, IndexedFiles& indexed,
             PendingFiles& pending, bool journal, Share share);

  // Walks the roots and queues the changes of every new or changed file.
  // Stops early when `stop` is set or a writer fails. A folder that became
  // unreadable since the first walk is added to `protected_paths`.
  void ScanRoots(const RunRoots& roots, std::vector<std::string>& protected_paths);

  // Deletes the articles whose files are gone: under a root walked this
  // run, not seen, and not under a folder that could not be read.
  void RemoveGone(const RunRoots& roots, const std::vector<std::string>& protected_paths);

  // Set when DIR/pending could not be written (then the scan stopped).
  const std::string& journal_error() const { return journal_error_; }

 private:
  void ReadFile(const SourceFile& file);
  // Queues a restamp of every article of `before`, read again unchanged.
  void Restamp(const IndexedFile& before, const LoadedFile& loaded);
  // Parses `loaded` and queues its articles, and deletes those it no longer has.
  void PutArticles(const SourceFile& file, const LoadedFile& loaded, const IndexedFile* before);
  void RemoveDocs(const std::string& path, const IndexedFile& file,
                  std::shared_ptr<const std::set<std::string>> keep_ids);

  const IndexerOptions& options_;
  const Share share_;  // the articles it queues (--shard-of)
  const Indexer::SkipReporter& on_skip_;
  IndexSummary& summary_;
  IndexProgress& progress_;
  const std::atomic<bool>& stop_;
  WriterThreads& writers_;
  IndexedFiles& indexed_;
  PendingFiles& pending_;
  bool journal_;
  std::atomic<bool> halt_{false};  // stops the walk
  std::string journal_error_;
};

}  // namespace nsearch
