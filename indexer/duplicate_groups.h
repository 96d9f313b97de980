// Near-duplicate groups in the index: every article of a group of two or
// more (articles sharing an XG term, duplicates.h) gets the group's key in
// schema::kDuplicateSlot, which nsearch collapses hits on.
//
// A new index's writers mark every article whose key an earlier article had
// as they write it (SeenGroups, shared by the writers: thread-safe); the run
// then marks the first of each group. An update marks the groups of the
// articles it wrote. The Mark* functions run on the run's thread, after the
// writers have ended.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "indexer/shard.h"

namespace nsearch {

// The near-duplicate keys a new index's writers have written so far. (Given
// to every member at the end instead, the values of the 4x news corpus,
// every article a copy of three others, took 9-14 s more to rewrite, and
// 110 MB more memory: Xapian rewrites all of a document's values.)
class SeenGroups {
 public:
  // True when `key` was seen before.
  bool Seen(const std::string& key);

 private:
  std::mutex mu_;
  std::unordered_set<std::uint64_t> keys_;
};

// The XG term of `doc` ("" when it has none: a body without words).
std::string GroupTermOf(const Xapian::Document& doc);

// Marks the groups of a new index in its shards' build databases, before
// they are compacted (marked after, in the compacted shards, they made the
// news index 239 MB instead of 196: every changed block split). Throws
// IndexError naming `index_dir`.
void MarkNewIndexGroups(const std::vector<std::unique_ptr<Shard>>& shards, const std::filesystem::path& index_dir);

// Marks the groups of the articles an update wrote, or all of them when
// `groups_pending` (a run before this one did not get this far), in the
// live shards; the run's last commits (with the metadata) clear the pending
// mark. Throws IndexError naming `index_dir`.
void MarkUpdatedGroups(const std::vector<std::unique_ptr<Shard>>& shards, bool groups_pending,
                       const std::filesystem::path& index_dir);

}  // namespace nsearch
