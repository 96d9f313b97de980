#include "indexer/shard.h"

#include <cstdint>
#include <exception>
#include <thread>

#include "common/error.h"

namespace fs = std::filesystem;

namespace nsearch {

void Commit(Shard& shard, bool more) {
  if (!shard.readers) {
    shard.db.commit();
    return;
  }
  shard.db.commit_transaction();
  shard.readers->Wait();
  if (more) shard.db.begin_transaction();
}

Xapian::WritableDatabase CreateBuildDatabase(const fs::path& path) {
  return Xapian::WritableDatabase(path.string(), Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS,
                                  kBuildBlockSize);
}

void StartPart(Shard& shard) {
  shard.db.commit();
  shard.db.close();
  shard.parts.push_back(shard.write_path);
  shard.write_path = shard.parts.front().string() + "-" + std::to_string(shard.parts.size());
  shard.db = CreateBuildDatabase(shard.write_path);
}

void GrowPartSize(std::size_t parts, std::uint64_t& part_size) {
  if (parts % kPartsPerDoubling == 0 && part_size <= UINT64_MAX / 2) part_size *= 2;
}

void InParallel(std::size_t n, const std::function<void(std::size_t)>& work,
                const std::function<std::string(std::size_t)>& what) {
  std::vector<std::string> errors(n);
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < n; ++k) {
    threads.emplace_back([&, k] {
      try {
        work(k);
      } catch (const Xapian::Error& e) {
        errors[k] = what(k) + ": " + e.get_description();
      } catch (const std::exception& e) {
        errors[k] = what(k) + ": " + e.what();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& e : errors) {
    if (!e.empty()) throw IndexError(e);
  }
}

}  // namespace nsearch
