// --format paths (-l) and --format ids: one article per line, in rank
// order, or each ended by NUL (-0, for xargs -0). The path or id is written
// as it is: only NUL cannot occur in one.
#pragma once

#include "query/printer/printer.h"

namespace nsearch {

class ListPrinter : public Printer {
 public:
  enum Field { kPaths, kIds };
  ListPrinter(Field field, char terminator) : field_(field), terminator_(terminator) {}
  void Print(const SearchResult& result, Output& out) const override;

 private:
  Field field_;
  char terminator_;
};

}  // namespace nsearch
