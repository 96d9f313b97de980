// Group counts: how many matches each near-duplicate group of the hits
// has, for "+N similar" (the groups are the index's XG terms, and the
// collapse key in schema::kDuplicateSlot).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

namespace nsearch {

// A near-duplicate group that hits of a search belong to.
struct SeenGroup {
  std::optional<Xapian::doccount> collapsed;  // Xapian's collapse count, when one hit showed the group
  std::vector<Xapian::docid> hits;            // the hits of the group
};

// The matches of `query` in each near-duplicate group of `seen` (by
// collapse key), counted exactly. Xapian's collapse count covers only the
// matches the matcher looked at, and making it look at every match cost a
// full evaluation of each (phrase checks included): 7.9 of the 17.5
// million instructions of `nsearch "oil prices"`. A group whose XG term is
// in no more articles than the hit and its collapsed ones is known already
// (most groups: one article). The rest have few articles: when the query
// decides by terms (term_match.h) and they have at most kMaxCountedByTerms,
// a TermMatcher::Checker decides for each article, from the posting lists
// of the terms it needs and the article's language value, until the count
// is known (the hit and its collapsed ones match: which they are, Xapian
// does not say); else one unweighted query filtered by their XG terms
// counts them, which visits only those articles but opens every posting
// list of the query again (news corpus x4, `month OR universe`: 80 block
// reads and 0.7 M instructions). `by_terms` is false with a remote shard,
// where each posting list is a request. A key seen twice (two parts of
// --sort oldest) is always counted.
std::map<std::string, Xapian::doccount> GroupSizes(const Xapian::Database& db, const Xapian::Query& query,
                                                   const std::map<std::string, SeenGroup>& seen, bool by_terms);

}  // namespace nsearch
