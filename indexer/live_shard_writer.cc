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
  (shard_.db.term_exists(id_term) ? shard_.updated : shard_.added) += 1;
  shard_.db.replace_document(id_term, doc);
  CountArticle();
  return true;
}

}  // namespace nsearch
