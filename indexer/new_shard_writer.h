// NewShardWriter writes a new index's articles into a new shard's build
// databases (Shard: parts of IndexerOptions::part_size articles). Used by
// its writer thread alone.
//
// The articles in another language than the index's default (Lnone
// included) go to build databases of their own (Shard::other_parts), which
// the compactor puts first: they get the lowest document ids. A search reads
// the query in the default language AND_NOT the other languages' L terms,
// and in each other language filtered to its own (Searcher::Parse); Xapian
// drops an AND_NOT's excluded side, and an OR's or MAX's branch, once its
// postings end. With those articles first that happens within the first few
// percent of the ids, and the rest of the match runs as a plain one (news
// corpus x4, 6,416 articles not in English: `university` 16.8 -> 13.4 M
// instructions and 260 -> 189 block reads a search). An update appends its
// articles after the others whatever their language.
#pragma once

#include <cstdint>
#include <filesystem>

#include <xapian.h>

#include "indexer/shard_writer.h"

namespace nsearch {

class NewShardWriter : public ShardWriter {
 public:
  NewShardWriter(Shard& shard, const WriterSettings& settings);

 protected:
  // Adds the document.
  bool Put(const ShardOp& op, Xapian::Document doc) override;
  void Finish() override;

 private:
  void PutOtherLanguage(const Xapian::Document& doc);
  void CloseOther();

  std::uint64_t part_size_;
  std::uint64_t in_part_ = 0;
  // The open build database of other languages' articles, in parts like
  // the shard's own (StartPart).
  Xapian::WritableDatabase other_;
  std::filesystem::path other_path_;
  unsigned other_in_batch_ = 0;
  std::uint64_t other_in_part_ = 0;
  std::uint64_t other_part_size_;
};

}  // namespace nsearch
