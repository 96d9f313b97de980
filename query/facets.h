// Facets and the timeline: matches counted per value of a field (source,
// year, month, language) and per period of the date, over every match.
//
// Everything here runs on the client: xapian-tcpsrv runs only Xapian's own
// registered classes, so the counting is by Xapian's ValueCountMatchSpy,
// which the remote protocol carries, and dates are grouped into periods here.
#pragma once

#include <map>
#include <memory>

#include <xapian.h>

#include "query/searcher.h"

namespace nsearch {

// The match spies a request's facets and timeline need, one per value slot
// (year, month and the timeline share the date's). Facets count every
// match, so the matcher must see them all (check_at_least).
class FacetSpies {
 public:
  explicit FacetSpies(const SearchRequest& request);

  bool empty() const { return spies_.empty(); }
  // Adds the spies to `enquire`; each may be added to several, one after
  // the other, and counts the matches of all.
  void AddTo(Xapian::Enquire& enquire) const;
  // Fills result.facets, timeline_period, timeline and undated with what
  // the spies counted, as `request` asked.
  void Fill(const SearchRequest& request, SearchResult& result) const;

 private:
  std::map<Xapian::valueno, std::unique_ptr<Xapian::ValueCountMatchSpy>> spies_;
};

}  // namespace nsearch
