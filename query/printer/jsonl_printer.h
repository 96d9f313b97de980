// --format jsonl: one line per hit, best first, nothing when nothing
// matched. Each line is a hit's object (json_printer.h: HitJson) with the
// search document's "schema" and "query".
#pragma once

#include "query/printer/printer.h"

namespace nsearch {

class JsonLinesPrinter : public Printer {
 public:
  void Print(const SearchResult& result, Output& out) const override;
};

}  // namespace nsearch
