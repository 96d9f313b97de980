#include "indexer/document_reader.h"

#include "indexer/ocr.h"
#include "indexer/office_reader.h"
#include "indexer/pdf_reader.h"

namespace nsearch {

ParsedFile ParseDocumentAs(std::string_view bytes, ArticleFormat format, const std::string& id,
                           const std::string& path, const ParseOptions& options, int depth,
                           ExpansionBudget& budget) {
  switch (format) {
    case ArticleFormat::kPdf: return ParsePdf(bytes, id, path, options);
    case ArticleFormat::kOffice: return ParseOfficeDocument(bytes, id, path, options, budget);
    case ArticleFormat::kImage: return ParseImage(bytes, id, path, options);
    case ArticleFormat::kContainer: return ParseContainer(bytes, id, path, options, depth, budget);
    default: return ParseTextFormats(bytes, format, id, path);
  }
}

ParsedFile ParseDocument(std::string_view bytes, const std::string& path, const ParseOptions& options) {
  ExpansionBudget budget = ExpansionBudget::For(bytes.size(), options.max_member_bytes);
  return ParseDocumentAs(bytes, FormatOf(path), path, path, options, 0, budget);
}

}  // namespace nsearch
