// Query building: the Xapian query a user's query text becomes on an open
// index, read once per language its articles are in (with the stemmer and
// stopwords the indexer used for each), with the boost for query words that
// stand side by side (PairBoost), and with XOR rewritten for the matcher.
#pragma once

#include <string>

#include <xapian.h>

#include "query/index_snapshot.h"
#include "query/searcher.h"

namespace nsearch {

// `text` as a query on `index` in `mode`. Throws QueryError for a malformed
// query, one of too many words, or one with no words to search for.
// `suggestion`, when given, receives "did you mean" (spelling.h).
Xapian::Query ParseQuery(IndexSnapshot& index, const std::string& text, MatchMode mode, std::string* suggestion);

// `query` with each XOR written as (a OR b) AND_NOT (a AND b), which
// matches and weighs the same articles: Xapian 1.4.22 crashes on some XORs
// (query_builder.cc).
Xapian::Query WithoutXor(const Xapian::Query& query);

}  // namespace nsearch
