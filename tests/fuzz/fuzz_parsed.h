// What the fuzz targets of the parse worker's readers (pdf, office,
// archive) check of a ParsedFile: every article as fuzz_article.h checks
// it, each problem and skip reason one line of valid UTF-8, and that the
// reply survives the trip to nsearch-index (parse_protocol.h) unchanged.
#pragma once

#include "indexer/article_reader.h"
#include "indexer/parse_protocol.h"
#include "tests/fuzz/fuzz_article.h"

namespace nsearch::fuzz {

inline void CheckLine(const std::string& line) {
  Require(IsValidUtf8(line), "a problem line is not valid UTF-8", line);
  Require(line.find('\n') == std::string::npos, "a problem spans lines", line);
}

inline void CheckParsed(ParsedFile& parsed) {
  Require(parsed.skip_kind.empty() || parsed.articles.empty(), "a skipped file has articles", parsed.skip_reason);
  CheckLine(parsed.skip_reason);
  for (const std::string& p : parsed.problems) CheckLine(p);
  const std::string reply = EncodeReply(parsed);
  const std::optional<ParsedFile> back = DecodeReply(std::string_view(reply).substr(8));
  Require(back.has_value() && back->articles.size() == parsed.articles.size(), "the reply does not decode", reply);
  for (Article& article : parsed.articles) CheckAndBuild(article);
}

}  // namespace nsearch::fuzz
