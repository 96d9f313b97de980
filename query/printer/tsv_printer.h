// --format tsv: one hit per line, rank, score, date, source, title and
// path separated by tabs; tabs and line breaks inside a field become spaces.
#pragma once

#include "query/printer/printer.h"

namespace nsearch {

class TsvPrinter : public Printer {
 public:
  void Print(const SearchResult& result, Output& out) const override;
};

}  // namespace nsearch
