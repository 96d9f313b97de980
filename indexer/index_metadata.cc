#include "indexer/index_metadata.h"

#include <algorithm>
#include <cstdint>

#include "common/indexed_time.h"
#include "common/schema.h"
#include "common/stopwords.h"

namespace nsearch {
namespace {

std::string JoinLines(const std::set<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace

std::map<std::string, std::string> IndexMetadata(const std::string& language, std::set<std::string> languages,
                                                 const std::string& dictionary, const std::set<std::string>& roots,
                                                 const std::string& updated_utc, const Share& share,
                                                 unsigned changesets) {
  std::set<std::string> stopword_languages;
  for (const std::string& l : languages) {
    if (StopperFor(l) != nullptr) stopword_languages.insert(l);
  }
  if (languages.empty()) languages.insert(language);
  return {
      {schema::kMetaSchema, std::to_string(schema::kSchemaVersion)},
      {schema::kMetaLanguage, language},
      {schema::kMetaLanguages, JoinLines(languages)},
      {schema::kMetaStopwords, JoinLines(stopword_languages)},
      {schema::kMetaTextDictionary, dictionary},
      {schema::kMetaRoots, JoinLines(roots)},
      {schema::kMetaUpdated, updated_utc},
      {schema::kMetaShare, share.ToString()},  // empty: removes it
      {schema::kMetaChangesets, changesets > 0 ? std::to_string(changesets) : ""},
      {schema::kMetaGroupsPending, ""},  // removes it
  };
}

std::string LatestIndexedStamp(const std::vector<std::string>& throughs) {
  std::int64_t latest = 0;
  for (const std::string& through : throughs) latest = std::max(latest, ParseIndexedStamp(through).value_or(0));
  return IndexedStamp(latest);
}

}  // namespace nsearch
