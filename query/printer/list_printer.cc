#include "query/printer/list_printer.h"

namespace nsearch {

void ListPrinter::Print(const SearchResult& result, Output& out) const {
  for (const Hit& hit : result.hits) {
    out.Write(field_ == kPaths ? hit.article.path : hit.article.id);
    out.Put(terminator_);
  }
}

}  // namespace nsearch
