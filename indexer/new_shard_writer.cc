#include "indexer/new_shard_writer.h"

#include <string>

#include "common/schema.h"

namespace fs = std::filesystem;

namespace nsearch {

NewShardWriter::NewShardWriter(Shard& shard, const WriterSettings& settings)
    : ShardWriter(shard, settings), part_size_(settings.part_size), other_part_size_(settings.part_size) {}

bool NewShardWriter::Put(const ShardOp& /*op*/, Xapian::Document doc) {
  if (doc.get_value(schema::kLanguageSlot) != settings_.language) {  // in batches of its own
    PutOtherLanguage(doc);
    return false;
  }
  if (in_part_ == part_size_) {
    StartPart(shard_);
    in_batch_ = 0;
    in_part_ = 0;
    // The spelling pass and the compactor open every part at once, and
    // each costs memory (4x news corpus: peak RSS 94.5 MB with 8 parts a
    // shard, 89.7 MB with one): so parts grow, and their number grows with
    // the logarithm of the archive, not with it.
    GrowPartSize(shard_.parts.size(), part_size_);
  }
  ++in_part_;
  shard_.db.add_document(doc);
  ++shard_.added;
  CountArticle();
  return true;
}

void NewShardWriter::PutOtherLanguage(const Xapian::Document& doc) {
  if (other_path_.empty() || other_in_part_ == other_part_size_) {
    if (!other_path_.empty()) {
      CloseOther();
      GrowPartSize(shard_.other_parts.size(), other_part_size_);
    }
    const fs::path& base = shard_.parts.empty() ? shard_.write_path : shard_.parts.front();
    other_path_ = base.string() + "-other-" + std::to_string(shard_.other_parts.size());
    other_ = CreateBuildDatabase(other_path_);
    other_in_batch_ = 0;
    other_in_part_ = 0;
  }
  ++other_in_part_;
  other_.add_document(doc);
  ++shard_.added;
  CountArticle();
  if (++other_in_batch_ >= settings_.batch_size) {
    other_.commit();
    other_in_batch_ = 0;
  }
}

void NewShardWriter::CloseOther() {
  other_.commit();
  other_.close();
  shard_.other_parts.push_back(other_path_);
}

void NewShardWriter::Finish() {
  if (!other_path_.empty()) {
    CloseOther();
    other_path_.clear();
  }
}

}  // namespace nsearch
