// ShardWriter writes the operations of one shard's queue into the shard, on
// a thread of its own; NewShardWriter and LiveShardWriter say how a put is
// written into a new shard and into a live one. A writer and its Shard are
// used by that thread alone until it ends.
#pragma once

#include <atomic>
#include <cstdint>
#include <future>
#include <string>

#include <xapian.h>

#include "indexer/indexer.h"
#include "indexer/shard.h"
#include "indexer/shard_queue.h"

namespace nsearch {

// What every writer of a run is given.
struct WriterSettings {
  unsigned batch_size = 0;        // operations between commits
  std::uint64_t part_size = 0;    // articles per build database of a new shard
  std::string language;           // the index's default language
  std::shared_future<std::string> dictionary;  // what documents are compressed with
  IndexProgress* progress = nullptr;
  // The run's start (NowMicros): the kIndexedSlot stamp of what it writes
  // into a new shard, and the earliest of what it writes into a live one.
  std::int64_t run_micros = 0;
};

class ShardWriter {
 public:
  ShardWriter(Shard& shard, const WriterSettings& settings) : shard_(shard), settings_(settings) {}
  virtual ~ShardWriter() = default;
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;

  // Writes the operations of the shard's queue until it closes, committing
  // every settings.batch_size of them and at the end. On an error, sets
  // shard.error (naming the shard), sets `failed` and drops what is queued.
  void Run(std::atomic<bool>& failed);

 protected:
  // Writes a put's document. Returns whether it counts toward the shard's
  // batch (false: it went to a database of its own).
  virtual bool Put(const ShardOp& op, Xapian::Document doc) = 0;
  // After the last commit of the shard.
  virtual void Finish() {}
  // Whether each commit's articles get a later stamp than the commit
  // before's: a live shard's (readers see each commit). A new shard is seen
  // whole, once published: one stamp for all, so its build parts agree.
  virtual bool StampsEachCommit() const { return false; }

  // One more article written, for the progress display.
  void CountArticle() { settings_.progress->articles_done.fetch_add(1, std::memory_order_relaxed); }

  Shard& shard_;
  const WriterSettings& settings_;
  unsigned in_batch_ = 0;  // operations since the last commit
  std::string stamp_;      // the kIndexedSlot value of the articles put in this batch

 private:
  void WriteAll();
  void CommitBatch();
  void Delete(const ShardOp& op);
  void Restamp(const ShardOp& op);
};

}  // namespace nsearch
