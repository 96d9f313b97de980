// Explain: what --explain shows of a search: each term of the query with
// its document frequency, and for each hit the additive parts of the query
// with their shares of its score.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "query/searcher.h"

namespace nsearch {

// One additive part of a query: the part as it is named, and the part
// under the conditions it counts in (AdditiveParts).
struct ExplainPart {
  Xapian::Query part;
  Xapian::Query counted;
};

// Appends to `parts` the parts of `query` whose weights add up to a match's
// score, each under the `context` it counts in (the caller passes none).
void AdditiveParts(const Xapian::Query& query, const std::vector<std::pair<Xapian::Query::op, Xapian::Query>>& context,
                   std::vector<ExplainPart>& parts);

// Each term of `query` with its document frequency in `db` and the times it
// occurs in the query.
std::vector<TermStats> QueryTermStats(const Xapian::Query& query, const Xapian::Database& db);

// The parts of `parts` that match the article `doc` of `db`, as --explain
// names them, with their weights in it; `remote`: whether a shard of `db`
// is remote (weight.h).
std::vector<std::pair<std::string, double>> ExplainHit(const Xapian::Database& db, const Xapian::Document& doc,
                                                       const std::vector<ExplainPart>& parts, bool remote);

}  // namespace nsearch
