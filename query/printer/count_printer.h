// --format count (-c): one line, the number of matching articles. The
// request should ask for an exact total (SearchRequest::exact_total), else
// this is Xapian's estimate.
#pragma once

#include "query/printer/printer.h"

namespace nsearch {

class CountPrinter : public Printer {
 public:
  void Print(const SearchResult& result, Output& out) const override;
};

}  // namespace nsearch
