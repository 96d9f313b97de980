// WriterThreads runs one ShardWriter per shard, each on a thread of its
// own, and routes the run's operations to their queues (through a
// BuildPool, when given, which builds the puts' documents). Push and
// failed() may be used from any thread; the rest from the run's thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "indexer/build_pool.h"
#include "indexer/shard.h"
#include "indexer/shard_queue.h"
#include "indexer/shard_writer.h"

namespace nsearch {

class WriterThreads {
 public:
  using MakeWriter = std::function<std::unique_ptr<ShardWriter>(Shard&)>;

  // Starts a writer made by `make` for every shard of `shards`, which must
  // outlive this object. `pool` may be null.
  WriterThreads(const std::vector<std::unique_ptr<Shard>>& shards, const MakeWriter& make, BuildPool* pool);
  // Joins the writers still running, dropping what they have queued.
  ~WriterThreads();
  WriterThreads(const WriterThreads&) = delete;
  WriterThreads& operator=(const WriterThreads&) = delete;

  // Queues `op` for shard number `shard`; blocks while that queue is full.
  void Push(unsigned shard, ShardOp op);

  std::size_t shards() const { return shards_.size(); }

  // True once a writer failed (or the reader said so, to stop the run).
  std::atomic<bool>& failed() { return failed_; }

  // Closes the queues, dropping what is queued when `discard`, and waits for
  // the writers to end; each shard's counters and error are then final.
  void Join(bool discard);

 private:
  const std::vector<std::unique_ptr<Shard>>& shards_;
  BuildPool* pool_;
  std::atomic<bool> failed_{false};
  std::vector<std::unique_ptr<ShardWriter>> writers_;
  std::vector<std::thread> threads_;
};

}  // namespace nsearch
