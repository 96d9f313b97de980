#include "indexer/writer_threads.h"

#include <string>
#include <utility>

namespace nsearch {

WriterThreads::WriterThreads(const std::vector<std::unique_ptr<Shard>>& shards, const MakeWriter& make,
                             BuildPool* pool)
    : shards_(shards), pool_(pool) {
  for (const auto& shard : shards_) {
    writers_.push_back(make(*shard));
    threads_.emplace_back(&ShardWriter::Run, writers_.back().get(), std::ref(failed_));
  }
}

WriterThreads::~WriterThreads() {
  if (!threads_.empty()) Join(/*discard=*/true);
}

void WriterThreads::Push(unsigned shard, ShardOp op) {
  if (pool_ != nullptr && op.kind == ShardOp::kPut) {
    std::string id = op.article.id;
    op.built = pool_->Submit(std::move(op.article), op.source, op.body_in_file);
    op.article = Article();
    op.article.id = std::move(id);
  }
  shards_[shard]->queue.Push(std::move(op));
}

void WriterThreads::Join(bool discard) {
  for (const auto& shard : shards_) shard->queue.Close(discard);
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

}  // namespace nsearch
