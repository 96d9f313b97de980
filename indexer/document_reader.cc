#include "indexer/document_reader.h"

#include "indexer/feed_reader.h"
#include "indexer/mail_reader.h"
#include "indexer/ocr.h"
#include "indexer/office_reader.h"
#include "indexer/pdf_reader.h"
#include "indexer/warc_reader.h"

namespace nsearch {
namespace {

// The mail, WARC and feed readers name their fallback ids (ID#N) after the
// name they are given; a container's member is given its id, and its
// articles then take the file's path.
ParsedFile AtPath(ParsedFile parsed, const std::string& path) {
  for (Article& a : parsed.articles) a.path = path;
  return parsed;
}

}  // namespace

ParsedFile ParseDocumentAs(std::string_view bytes, ArticleFormat format, const std::string& id,
                           const std::string& path, const ParseOptions& options, int depth,
                           ExpansionBudget& budget) {
  switch (format) {
    case ArticleFormat::kPdf: return ParsePdf(bytes, id, path, options);
    case ArticleFormat::kOffice: return ParseOfficeDocument(bytes, id, path, options, budget);
    case ArticleFormat::kImage: return ParseImage(bytes, id, path, options);
    case ArticleFormat::kContainer: return ParseContainer(bytes, id, path, options, depth, budget);
    case ArticleFormat::kMbox: return AtPath(ParseMbox(bytes, id), path);
    case ArticleFormat::kEml: return AtPath(ParseEml(bytes, id), path);
    case ArticleFormat::kWarc: return AtPath(ParseWarc(bytes, id), path);
    case ArticleFormat::kFeed: return AtPath(ParseFeed(bytes, id), path);
    default: return ParseTextFormats(bytes, format, id, path);
  }
}

ParsedFile ParseDocument(std::string_view bytes, const std::string& path, const ParseOptions& options) {
  ExpansionBudget budget = ExpansionBudget::For(bytes.size(), options.max_member_bytes);
  return ParseDocumentAs(bytes, FormatOf(path), path, path, options, 0, budget);
}

}  // namespace nsearch
