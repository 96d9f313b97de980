// SearcherPool: the Searchers of a server, each used by one request at a
// time (a Searcher, like the Xapian Database it holds, is not thread-safe)
// and kept from request to request, so that remote shards stay connected
// and each language's QueryParser stays set up. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "query/searcher.h"
#include "query/shards.h"

namespace nsearch::server {

class SearcherPool {
 private:
  struct Slot;

 public:
  // `size` Searchers at most, each opened on its first use (so that a
  // server can start before its index exists).
  SearcherPool(std::filesystem::path index_dir, ShardOptions shards, unsigned size);
  ~SearcherPool();

  // A Searcher for the holder alone until the Lease is destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept : pool_(other.pool_), slot_(other.slot_) { other.slot_ = nullptr; }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    Searcher& operator*() const;
    Searcher* operator->() const { return &**this; }

   private:
    friend class SearcherPool;
    Lease(SearcherPool& pool, Slot* slot) : pool_(pool), slot_(slot) {}
    SearcherPool& pool_;
    Slot* slot_;
  };

  // Waits for a free Searcher. Its index is the latest one published: when
  // the stub has been replaced since it was opened (a --rebuild or
  // --compact), it is opened anew; commits of an update it sees by itself
  // (Searcher::Search reopens). Throws IndexError, as Searcher's
  // constructor, when the index cannot be opened.
  Lease Acquire();

 private:
  // What identifies the stub file a Searcher opened: a rename() over it
  // changes the inode.
  struct StubId {
    std::uint64_t dev = 0, ino = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const StubId&) const = default;
  };
  struct Slot {
    std::unique_ptr<Searcher> searcher;
    StubId stub;
  };
  StubId CurrentStub() const;
  void Release(Slot* slot);

  const std::filesystem::path index_dir_;
  const ShardOptions shards_;
  std::vector<Slot> slots_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<Slot*> free_;  // guarded by mutex_
};

}  // namespace nsearch::server
