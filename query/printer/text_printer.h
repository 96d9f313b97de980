// The text output, for people: "Did you mean", --explain's parsed query,
// facets and the timeline chart, then per hit its rank and title, a line of
// date, source, path and "+N similar", the snippet (matched words in colour
// when asked) and --explain's score, and at the end "1-10 of N matches".
#pragma once

#include "query/printer/printer.h"

namespace nsearch {

class TextPrinter : public Printer {
 public:
  explicit TextPrinter(bool color) : color_(color) {}
  void Print(const SearchResult& result, Output& out) const override;

 private:
  void PrintExplain(const SearchResult& result, Output& out) const;
  void PrintFacetsAndTimeline(const SearchResult& result, Output& out) const;
  void PrintHit(const Hit& hit, bool explain, Output& out) const;
  // The escape code `code` when printing in colour, else "".
  const char* Color(const char* code) const { return color_ ? code : ""; }

  bool color_;
};

}  // namespace nsearch
