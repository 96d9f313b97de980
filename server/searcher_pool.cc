#include "server/searcher_pool.h"

#include <sys/stat.h>

#include <utility>

#include "common/error.h"
#include "common/index_location.h"

namespace nsearch::server {

SearcherPool::SearcherPool(std::filesystem::path index_dir, ShardOptions shards, unsigned size)
    : index_dir_(std::move(index_dir)), shards_(shards), slots_(size == 0 ? 1 : size) {
  for (Slot& slot : slots_) free_.push_back(&slot);
}

SearcherPool::~SearcherPool() = default;

SearcherPool::Lease::~Lease() {
  if (slot_ != nullptr) pool_.Release(slot_);
}

Searcher& SearcherPool::Lease::operator*() const { return *slot_->searcher; }

SearcherPool::StubId SearcherPool::CurrentStub() const {
  struct stat st;
  if (::stat(StubPath(index_dir_).c_str(), &st) != 0) return {};
  return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

SearcherPool::Lease SearcherPool::Acquire() {
  Slot* slot = nullptr;
  {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return !free_.empty(); });
    slot = free_.back();
    free_.pop_back();
  }
  Lease lease(*this, slot);  // from here on the slot goes back to the pool whatever happens
  // One stat() a request: a Searcher reopens its shards at every search,
  // but a new stub names new shards, which only a new Searcher opens.
  const StubId stub = CurrentStub();
  if (!slot->searcher || !(stub == slot->stub)) {
    try {
      slot->searcher = std::make_unique<Searcher>(index_dir_, shards_);
      slot->stub = stub;
    } catch (const IndexError&) {
      // The Searcher open before still reads its shards' open files, and a
      // search on it reopens the stub itself if it must: use it this time.
      if (!slot->searcher) throw;
    }
  }
  return lease;
}

void SearcherPool::Release(Slot* slot) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(slot);
  }
  freed_.notify_one();
}

}  // namespace nsearch::server
