// BuildPool is a set of threads that build documents (DocumentBuilder::Build:
// language, terms, compression) for shard writers that only write them.
//
// An update of an index of fewer shards than cores has one writer thread per
// shard; building is most of a writer's work, so without these an update of
// a one-shard index would run on one core. Each thread has its own
// DocumentBuilder. Submit may be called from any thread; Join and
// languages() from the owner only.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <xapian.h>

#include "common/article.h"
#include "common/source_state.h"
#include "indexer/document_builder.h"

namespace nsearch {

class BuildPool {
 public:
  BuildPool(unsigned threads, const std::string& language, const std::string& dictionary);
  ~BuildPool() { Join(); }
  BuildPool(const BuildPool&) = delete;
  BuildPool& operator=(const BuildPool&) = delete;

  // Builds `article`'s document on a pool thread; the future holds what
  // Build threw, if it threw.
  std::shared_future<Xapian::Document> Submit(Article article, SourceState source, bool body_in_file);

  // Finishes the queued work and stops the threads; then languages() is complete.
  void Join();

  // Every language the pool's builders have stemmed an article in.
  std::set<std::string> languages() const;

 private:
  struct Task {
    Article article;
    SourceState source;
    bool body_in_file;
    std::promise<Xapian::Document> done;
  };

  void Run(DocumentBuilder* builder);

  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<Task>> tasks_;
  bool closing_ = false;
  std::vector<std::unique_ptr<DocumentBuilder>> builders_;
  std::vector<std::thread> threads_;
};

}  // namespace nsearch
