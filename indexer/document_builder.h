// DocumentBuilder turns an Article into the Xapian document schema.h
// describes: positional text terms, prefixed field terms, boolean filter
// terms, the date slot and the stored fields. One per thread: it owns a
// TermGenerator and a stemmer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <xapian.h>

#include "common/article.h"
#include "common/text_codec.h"

namespace nsearch {

class DocumentBuilder {
 public:
  // `language` is the index's Snowball language (or "none"); `dictionary`
  // the index's text dictionary (see common/text_codec.h), possibly empty.
  DocumentBuilder(const std::string& language, const std::string& dictionary);

  // The document for `article`, with its unique id term IdTerm(article.id).
  Xapian::Document Build(const Article& article);

 private:
  std::string language_;
  Xapian::TermGenerator generator_;
  TextCompressor compressor_;
};

// The unique id term ("Q" + id); ids too long for a Xapian term are cut and
// suffixed with a hash so that the term stays unique.
std::string IdTerm(std::string_view id);

// A stable 64-bit hash (FNV-1a) of an article id: picks the shard an article
// lives in, the same on every run and machine.
std::uint64_t StableHash(std::string_view text);

}  // namespace nsearch
