#include "indexer/shard_queue.h"

namespace nsearch {

bool OpQueue::Push(ShardOp op) {
  std::unique_lock lock(mu_);
  not_full_.wait(lock, [&] { return items_.size() < capacity_ || closed_; });
  if (closed_) return false;
  items_.push_back(std::move(op));
  not_empty_.notify_one();
  return true;
}

std::optional<ShardOp> OpQueue::Pop() {
  std::unique_lock lock(mu_);
  not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
  if (items_.empty()) return std::nullopt;
  ShardOp op = std::move(items_.front());
  items_.pop_front();
  not_full_.notify_one();
  return op;
}

void OpQueue::Close(bool discard) {
  std::lock_guard lock(mu_);
  closed_ = true;
  if (discard) items_.clear();
  not_empty_.notify_all();
  not_full_.notify_all();
}

}  // namespace nsearch
