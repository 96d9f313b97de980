#include "indexer/live_shard_writer.h"

#include <string>

#include "common/schema.h"
#include "indexer/duplicate_groups.h"
#include "indexer/id_terms.h"

namespace nsearch {

bool LiveShardWriter::Put(const ShardOp& op, Xapian::Document doc) {
  // Until MarkUpdatedGroups has run, this article's group may lack keys:
  // say so in the commit that writes it.
  if (shard_.group_terms.empty()) shard_.db.set_metadata(schema::kMetaGroupsPending, "1");
  shard_.group_terms.push_back(GroupTermOf(doc));
  const std::string id_term = IdTermFor(op.article.id);
  const Xapian::PostingIterator before = shard_.db.postlist_begin(id_term);
  if (before != shard_.db.postlist_end(id_term)) {
    ++shard_.updated;
    // Read again as it was (a line added to its JSON Lines file, a feed
    // fetched again): not new to a --new check.
    const Xapian::Document old = shard_.db.get_document(*before);
    if (old.get_value(schema::kStoredSlot) == doc.get_value(schema::kStoredSlot)) {
      const std::string stamp = old.get_value(schema::kIndexedSlot);
      if (stamp.empty()) doc.remove_value(schema::kIndexedSlot);
      else doc.add_value(schema::kIndexedSlot, stamp);
    }
  } else {
    ++shard_.added;
  }
  shard_.db.replace_document(id_term, doc);
  CountArticle();
  return true;
}

}  // namespace nsearch
