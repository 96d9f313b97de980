// What every article-reader fuzz target checks of the Articles a reader
// returns: the properties the readers promise (article.h: every field is
// valid UTF-8) and that the indexer can make a document of each one. A
// broken promise aborts, which libFuzzer reports as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "common/article.h"
#include "common/source_state.h"
#include "common/utf8.h"
#include "indexer/document_builder.h"

namespace nsearch::fuzz {

inline void Require(bool ok, const char* what, std::string_view field) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: %s: %.*s\n", what, static_cast<int>(std::min<std::size_t>(field.size(), 200)),
               field.data());
  std::abort();
}

// Checks `article` and builds its Xapian document, as a shard writer would.
inline void CheckAndBuild(Article& article) {
  for (std::string_view field : {std::string_view(article.title), std::string_view(article.date),
                                 std::string_view(article.source), std::string_view(article.author),
                                 std::string_view(article.url), std::string_view(article.language),
                                 std::string_view(article.body)}) {
    Require(IsValidUtf8(field), "a field is not valid UTF-8", field);
  }
  for (const auto& [name, value] : article.extra_fields) {
    Require(IsValidUtf8(name), "an extra field's name is not valid UTF-8", name);
    Require(IsValidUtf8(value), "an extra field's value is not valid UTF-8", value);
  }
  // One builder per process, as one per shard writer: its stemmers and
  // compressor persist from article to article as they do when indexing.
  static DocumentBuilder builder("english", "");
  SourceState source;
  source.path = article.path;
  builder.Build(article, source);
}

// Each problem a reader reports is one line of valid UTF-8.
template <typename Lines>
inline void CheckProblems(const Lines& problems) {
  for (std::string_view problem : problems) {
    Require(IsValidUtf8(problem), "a problem line is not valid UTF-8", problem);
    Require(problem.find('\n') == std::string_view::npos, "a problem spans lines", problem);
  }
}

}  // namespace nsearch::fuzz
