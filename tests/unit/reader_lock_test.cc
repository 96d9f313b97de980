// ReadLock and ReaderBarrier (common/reader_lock.h): a writer's wait ends
// only when the searches holding a shard have let go, new searches queue
// behind a waiting writer, and a search is never held up for long.
#include "common/reader_lock.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// A shard's folder: only the readers' lock file is ever made in it.
class TempShard : public nsearch::test::TempDir {
 public:
  TempShard() : TempDir("nsearch-lock") {}
};

}  // namespace

TEST_CASE("a shard without a lock file locks nothing, and the writer makes the file", "[reader_lock]") {
  TempShard shard;
  nsearch::ReadLock before(shard.path());
  before.Lock();
  CHECK_FALSE(before.held());
  nsearch::CreateReadersLock(shard.path());
  CHECK(fs::exists(nsearch::ReadersLockPath(shard.path())));
  nsearch::ReadLock after(shard.path());
  after.Lock();
  CHECK(after.held());
  after.Unlock();
  CHECK_FALSE(after.held());
}

TEST_CASE("a writer's wait ends only when every search holding the shard has let go", "[reader_lock]") {
  TempShard shard;
  nsearch::ReaderBarrier barrier(shard.path());
  barrier.Wait();  // nobody searching: at once

  // Two searches in one process: open-file-description locks keep them
  // apart from the writer all the same.
  nsearch::ReadLock first(shard.path()), second(shard.path());
  first.Lock();
  second.Lock();
  REQUIRE(first.held());
  REQUIRE(second.held());
  std::atomic<bool> waited{false};
  std::thread writer([&] {
    barrier.Wait();
    waited = true;
  });
  std::this_thread::sleep_for(200ms);
  CHECK_FALSE(waited);
  first.Unlock();
  std::this_thread::sleep_for(200ms);
  CHECK_FALSE(waited);  // the second search still reads
  second.Unlock();
  writer.join();
  CHECK(waited);
}

TEST_CASE("a search that starts while a writer waits goes after the writer", "[reader_lock]") {
  TempShard shard;
  nsearch::ReaderBarrier barrier(shard.path());
  nsearch::ReadLock old_search(shard.path()), new_search(shard.path());
  old_search.Lock();
  std::atomic<bool> old_ended{false}, new_before_old_ended{false};
  std::thread writer([&] { barrier.Wait(); });
  // The writer holds the turnstile once it waits for the readers' lock;
  // until then a new search could still pass ahead of it.
  std::this_thread::sleep_for(100ms);
  std::thread late([&] {
    new_search.Lock();
    new_before_old_ended = !old_ended;
  });
  std::this_thread::sleep_for(100ms);
  old_ended = true;
  old_search.Unlock();
  writer.join();
  late.join();
  CHECK(new_search.held());
  // The shared lock was free to take beside the old search's: only the
  // turnstile kept the new search out until the writer had been through.
  CHECK_FALSE(new_before_old_ended);
}

TEST_CASE("a search held up by a stopped one gets in after the turnstile's longest wait", "[reader_lock]") {
  TempShard shard;
  nsearch::ReaderBarrier barrier(shard.path());
  nsearch::ReadLock stopped(shard.path()), next(shard.path());
  stopped.Lock();
  std::thread writer([&] { barrier.Wait(); });
  std::this_thread::sleep_for(100ms);
  const auto start = std::chrono::steady_clock::now();
  next.Lock();  // the writer holds the turnstile, and waits for `stopped`
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(next.held());
  CHECK(waited >= nsearch::ReadLock::kMaxTurnstileWait);
  next.Unlock();
  stopped.Unlock();
  writer.join();
}

TEST_CASE("a writer gets through searches that keep overlapping", "[reader_lock]") {
  // Without the turnstile, each search would take the shared lock while
  // another still holds it and the writer would wait for ever.
  TempShard shard;
  nsearch::ReaderBarrier barrier(shard.path());
  std::atomic<bool> done{false};
  std::atomic<int> searches{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      nsearch::ReadLock lock(shard.path());
      while (!done) {
        lock.Lock();
        std::this_thread::sleep_for(3ms);
        lock.Unlock();
        ++searches;
      }
    });
  }
  while (searches < 20) std::this_thread::sleep_for(1ms);
  for (int i = 0; i < 20; ++i) barrier.Wait();
  done = true;
  for (std::thread& t : readers) t.join();
  CHECK(searches >= 20);
}
