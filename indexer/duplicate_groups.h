// Near-duplicate groups in the index. Every article is written with its
// group's key in schema::kDuplicateSlot (document_builder.cc), which nsearch
// collapses hits on. Indexes written before that carry the key only on the
// articles of a group of two or more: an update of one gives the key to
// every member of the groups of the articles it wrote, so that an older
// lone copy folds with its new one. The Mark* functions run on the run's
// thread, after the writers have ended.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "indexer/shard.h"

namespace nsearch {

// The XG term of `doc` ("" when it has none: a body without words).
std::string GroupTermOf(const Xapian::Document& doc);

// Marks the groups of the articles an update wrote, or all of them when
// `groups_pending` (a run before this one did not get this far), in the
// live shards; the run's last commits (with the metadata) clear the pending
// mark. Throws IndexError naming `index_dir`.
void MarkUpdatedGroups(const std::vector<std::unique_ptr<Shard>>& shards, bool groups_pending,
                       const std::filesystem::path& index_dir);

}  // namespace nsearch
