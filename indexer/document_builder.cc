#include "indexer/document_builder.h"

#include "common/analyzer.h"
#include "common/dates.h"
#include "common/fields.h"
#include "common/schema.h"
#include "common/stopwords.h"
#include "common/stored_document.h"
#include "common/url_host.h"
#include "indexer/duplicates.h"
#include "indexer/language.h"

namespace nsearch {
namespace {

// `source` with runs of white space made one space and none at either end:
// the form --facets source counts.
std::string SourceName(std::string_view source) {
  std::string out;
  for (char c : source) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space) out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

DocumentBuilder::DocumentBuilder(const std::string& default_language, const std::string& dictionary)
    : default_language_(default_language), compressor_(dictionary) {
  UseLanguage(default_language);
}

void DocumentBuilder::UseLanguage(const std::string& language) {
  if (language == current_language_) return;
  auto stem = stemmers_.find(language);
  if (stem == stemmers_.end()) stem = stemmers_.emplace(language, MakeStemmer(language)).first;
  ConfigureTermGenerator(generator_, stem->second, StopperFor(language));
  current_language_ = language;
}

Xapian::Document DocumentBuilder::Build(Article& a, const SourceState& source, bool body_in_file) {
  a.language = ArticleLanguage(a, default_language_);
  UseLanguage(a.language);
  languages_.insert(a.language);

  Xapian::Document doc;
  generator_.set_document(doc);

  // A field is indexed twice: under its prefix (title:word) and as plain
  // text (a plain query finds words in any field). Prefixed titles keep
  // positions (title:"a b"), in a position space of their own; other
  // prefixed fields have none (common/fields.h). kFieldGap keeps
  // phrases from matching across the end of one field and the start of the
  // next. Title words count schema::kTitleWdf times in the plain text.
  auto field = [&](const std::string& text, std::string_view prefix) {
    if (text.empty()) return;
    if (!prefix.empty() && IsPositional(prefix)) {
      generator_.index_text(text, 1, std::string(prefix));
      generator_.set_termpos(0);
    } else if (!prefix.empty()) {
      generator_.index_text_without_positions(text, 1, std::string(prefix));
    }
    generator_.index_text(text, prefix == schema::kTitlePrefix ? schema::kTitleWdf : 1);
    generator_.increase_termpos(schema::kFieldGap);
  };
  field(a.title, schema::kTitlePrefix);
  field(a.author, schema::kAuthorPrefix);
  field(a.source, schema::kSourcePrefix);
  for (const auto& extra : a.extra_fields) field(extra.second, {});
  generator_.index_text(a.body);

  doc.add_boolean_term(IdTerm(a.id));
  doc.add_boolean_term(std::string(schema::kLanguagePrefix) + a.language);
  if (!a.url.empty()) {
    doc.add_boolean_term(BoundedTerm(schema::kUrlPrefix, a.url));
    for (const std::string& site : SiteKeys(UrlHost(a.url))) doc.add_boolean_term(BoundedTerm(schema::kSitePrefix, site));
  }
  // A file's article has its path as id (the Q term), which path: matches.
  if (!a.path.empty() && a.path != a.id) doc.add_boolean_term(PathTerm(a.path));
  if (const std::string key = DateSlotKey(a.date); !key.empty()) doc.add_value(schema::kDateSlot, key);
  // Every article carries its group's key, also alone in its index: a
  // copy may be in another index that a stub lists beside this one.
  if (const std::string key = DuplicateKey(a.body); !key.empty()) {
    doc.add_boolean_term(schema::GroupTerm(key));
    doc.add_value(schema::kDuplicateSlot, key);
  }
  if (const std::string source = SourceName(a.source); !source.empty()) doc.add_value(schema::kSourceNameSlot, source);
  doc.add_value(schema::kLanguageSlot, a.language);
  if (body_in_file) a.file_content = Article::FileContent{source.size, source.hash};
  doc.add_value(schema::kStoredSlot, compressor_.Compress(EncodeStoredDocument(a, body_in_file)));
  doc.add_value(schema::kSourceSlot, EncodeSourceState(source));
  // The TermGenerator keeps a handle on the document it indexed, and
  // Xapian's handles count their references without atomics: let go of it
  // here, so that a document built on one thread (a BuildPool's)
  // is only ever touched by the thread it is handed to.
  generator_.set_document(Xapian::Document());
  return doc;
}

}  // namespace nsearch
