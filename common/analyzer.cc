#include "common/analyzer.h"

#include <libstemmer.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "common/error.h"
#include "common/fields.h"

namespace nsearch {
namespace {

// libstemmer's stemmer for one language as a Xapian StemImplementation.
// Xapian::Stem holds it by intrusive pointer and deletes it.
class SnowballStemmer : public Xapian::StemImplementation {
 public:
  SnowballStemmer(sb_stemmer* stemmer, std::string language)
      : stemmer_(stemmer), language_(std::move(language)) {}
  ~SnowballStemmer() override { sb_stemmer_delete(stemmer_); }
  SnowballStemmer(const SnowballStemmer&) = delete;
  SnowballStemmer& operator=(const SnowballStemmer&) = delete;

  std::string operator()(const std::string& word) override {
    const sb_symbol* stemmed = sb_stemmer_stem(
        stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    if (stemmed == nullptr) return word;  // out of memory in libstemmer: leave the word as it is
    return std::string(reinterpret_cast<const char*>(stemmed),
                       static_cast<std::size_t>(sb_stemmer_length(stemmer_)));
  }

  std::string get_description() const override { return "snowball:" + language_; }

 private:
  sb_stemmer* stemmer_;
  std::string language_;
};

struct LanguageCode {
  const char* code2;
  const char* code3;
  const char* name;
};

// ISO 639 codes of the languages Snowball 2.2 stems.
constexpr LanguageCode kLanguageCodes[] = {
    {"ar", "ara", "arabic"},     {"eu", "eus", "basque"},    {"ca", "cat", "catalan"},
    {"da", "dan", "danish"},     {"nl", "nld", "dutch"},     {"en", "eng", "english"},
    {"fi", "fin", "finnish"},    {"fr", "fra", "french"},    {"de", "deu", "german"},
    {"el", "ell", "greek"},      {"hi", "hin", "hindi"},     {"hu", "hun", "hungarian"},
    {"id", "ind", "indonesian"}, {"ga", "gle", "irish"},     {"it", "ita", "italian"},
    {"lt", "lit", "lithuanian"}, {"ne", "nep", "nepali"},    {"no", "nor", "norwegian"},
    {"pt", "por", "portuguese"}, {"ro", "ron", "romanian"},  {"ru", "rus", "russian"},
    {"sr", "srp", "serbian"},    {"es", "spa", "spanish"},   {"sv", "swe", "swedish"},
    {"ta", "tam", "tamil"},      {"tr", "tur", "turkish"},   {"hy", "hye", "armenian"},
    {"yi", "yid", "yiddish"},
};

}  // namespace

std::string CanonicalLanguage(std::string_view language) {
  std::string lower(language);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "none") return lower;
  for (const LanguageCode& code : kLanguageCodes) {
    if (lower == code.code2 || lower == code.code3) {
      lower = code.name;
      break;
    }
  }
  for (const char** name = sb_stemmer_list(); *name != nullptr; ++name) {
    if (lower == *name) return lower;
  }
  throw UsageError("no Snowball stemmer for language '" + std::string(language) +
                   "' (try english, spanish, french, german, ... or none)");
}

Xapian::Stem MakeStemmer(std::string_view language) {
  const std::string name = CanonicalLanguage(language);
  if (name == "none") return Xapian::Stem();
  sb_stemmer* stemmer = sb_stemmer_new(name.c_str(), "UTF_8");
  if (stemmer == nullptr) throw UsageError("cannot create a Snowball stemmer for '" + name + "'");
  return Xapian::Stem(new SnowballStemmer(stemmer, name));
}

void ConfigureTermGenerator(Xapian::TermGenerator& generator, const Xapian::Stem& stem,
                            const Xapian::Stopper* stopper) {
  generator.set_stemmer(stem);
  generator.set_stemming_strategy(kIndexStemStrategy);
  generator.set_stopper(stopper);
  generator.set_stopper_strategy(Xapian::TermGenerator::STOP_STEMMED);
}

void ConfigureQueryParser(Xapian::QueryParser& parser, const Xapian::Stem& stem, const Xapian::Stopper* stopper) {
  parser.set_stemmer(stem);
  parser.set_stemming_strategy(kQueryStemStrategy);
  parser.set_stopper(stopper);
  parser.set_default_op(Xapian::Query::OP_AND);
  for (const Field& field : kFields) {
    if (field.kind == FieldKind::kFreeText) parser.add_prefix(std::string(field.name), std::string(field.prefix));
  }
}

}  // namespace nsearch
