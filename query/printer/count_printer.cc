#include "query/printer/count_printer.h"

namespace nsearch {

void CountPrinter::Print(const SearchResult& result, Output& out) const {
  out.Format("%llu\n", static_cast<unsigned long long>(result.total));
}

}  // namespace nsearch
