#include "query/printer/tsv_printer.h"

#include "query/printer/escape.h"

namespace nsearch {
namespace {

std::string TsvField(const std::string& text) { return OneLine(text, "\t\n\r"); }

}  // namespace

void TsvPrinter::Print(const SearchResult& result, Output& out) const {
  for (const Hit& hit : result.hits) {
    out.Format("%u\t%.4f\t%s\t%s\t%s\t%s\n", hit.rank, hit.score, TsvField(hit.article.date).c_str(),
               TsvField(hit.article.source).c_str(), TsvField(hit.article.title).c_str(),
               TsvField(hit.article.path).c_str());
  }
}

}  // namespace nsearch
