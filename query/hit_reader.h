// Hit reading: a hit's stored fields, from the stored text of its shard
// (read with that shard's own dictionary), and its snippet.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "common/text_codec.h"
#include "query/index_snapshot.h"
#include "query/searcher.h"
#include "query/snippet.h"

namespace nsearch {

// The stored text's decompressor of each shard of an index, made on the
// shard's first hit and dropped when the index is opened again; shards
// whose dictionaries are the same share one. One per Searcher; not
// thread-safe.
class StoredTextReader {
 public:
  // The decompressor for the stored text `frame` of document `did` of
  // `index`. Throws Xapian errors reading a shard's metadata.
  TextDecompressor& For(const IndexSnapshot& index, Xapian::docid did, std::string_view frame);

 private:
  std::shared_ptr<TextDecompressor> Open(const IndexSnapshot& index, std::size_t shard, std::string_view frame);

  std::uint64_t generation_ = 0;  // IndexSnapshot::generation() of shard_text_
  std::vector<std::shared_ptr<TextDecompressor>> shard_text_;
};

// Fills hit.article with the stored fields of `doc`, the entry `it` of
// `mset`, and, with request.snippets, hit.snippet and hit.highlights (from
// the article's file when the index keeps only a preview of it and the file
// is still the one indexed). `snippet_terms`: SnippetTermsOf the query the
// MSet ran. Throws IndexError for damaged stored text.
void ReadHitArticle(const IndexSnapshot& index, StoredTextReader& texts, const Xapian::MSet& mset,
                    const Xapian::MSetIterator& it, const Xapian::Document& doc, const SearchRequest& request,
                    const SnippetTerms& snippet_terms, Hit& hit);

}  // namespace nsearch
