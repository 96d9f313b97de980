// DocumentBuilder turns an Article into the Xapian document schema.h
// describes: positional text terms, prefixed field terms, boolean filter
// terms, the date slot, the stored fields and the source state. Each article
// is stemmed in its own language (indexer/language.h). One per thread: it
// owns a TermGenerator and stemmers.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <xapian.h>

#include "common/article.h"
#include "common/article_id.h"  // IdTerm
#include "common/stable_hash.h"
#include "common/text_codec.h"
#include "common/source_state.h"

namespace nsearch {

class DocumentBuilder {
 public:
  // `default_language` is the index's Snowball language (or "none"), for
  // articles whose language is neither given nor detected; `dictionary` the
  // index's text dictionary (see common/text_codec.h), possibly empty.
  DocumentBuilder(const std::string& default_language, const std::string& dictionary);

  // The document for `article`, with its unique id term IdTerm(article.id).
  // The builder keeps no handle on it: it may be handed to another thread.
  // Sets article.language to the Snowball language it was stemmed in. With
  // `body_in_file`, only a preview of the body is stored (stored_document.h).
  Xapian::Document Build(Article& article, const SourceState& source, bool body_in_file = false);

  // Every language Build has stemmed an article in.
  const std::set<std::string>& languages() const { return languages_; }

 private:
  void UseLanguage(const std::string& language);

  std::string default_language_;
  std::string current_language_;
  std::map<std::string, Xapian::Stem> stemmers_;
  std::set<std::string> languages_;
  Xapian::TermGenerator generator_;
  TextCompressor compressor_;
};

}  // namespace nsearch
