// ShardOp is what a shard writer is asked to do; OpQueue is the blocking,
// bounded queue of them that feeds one writer. OpQueue is thread-safe: one
// or more producers, one consumer. ShardOp is a plain value.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <xapian.h>

#include "common/article.h"
#include "common/source_state.h"

namespace nsearch {

// Operations a shard's queue holds (a few MB of articles). While one writer
// commits a batch, its queue must take what the reader finds for it, or the
// reader stalls and the other writers run dry.
inline constexpr std::size_t kQueueCapacity = 2048;
// The same when a BuildPool builds the queued articles' documents, which
// take more memory than the articles (about 40 KB each on the news corpus).
inline constexpr std::size_t kBuiltQueueCapacity = 256;

struct ShardOp {
  enum Kind {
    kPut,      // add `article`, or replace the article with its id
    kDelete,   // delete `docid` if it still comes from `path` and its id term is not in `keep_ids`
    kRestamp,  // `docid`'s file changed its mtime, not its bytes: record the new `source`
  } kind = kPut;
  Article article;
  SourceState source;
  bool body_in_file = false;  // kPut: the article is a text file nsearch can read again
  Xapian::docid docid = 0;
  std::string path;
  std::shared_ptr<const std::set<std::string>> keep_ids;
  // kPut: the document, when a BuildPool builds it (then `article` holds
  // only its id); else the writer builds it.
  std::shared_future<Xapian::Document> built;
};

class OpQueue {
 public:
  // Blocks while full. Returns false when the queue was closed.
  bool Push(ShardOp op);
  // Blocks while empty; nullopt once closed and drained.
  std::optional<ShardOp> Pop();
  // Before the first Push.
  void SetCapacity(std::size_t capacity) { capacity_ = capacity; }
  // No more pushes; `discard` drops what is queued.
  void Close(bool discard);

 private:
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<ShardOp> items_;
  std::size_t capacity_ = kQueueCapacity;
  bool closed_ = false;
};

}  // namespace nsearch
