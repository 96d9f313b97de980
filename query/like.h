// Like: the query for articles like a given one ("more like this"), from
// Xapian's relevance feedback: an RSet of that article and the top of its
// ESet.
#pragma once

#include <string>

#include <xapian.h>

namespace nsearch {

// The query for articles like the one whose id or file is `reference`: the
// terms its ESet finds most telling, OR-ed, the article itself left out.
// Throws LikeError (searcher.h) when no article of `db` has that id or
// path, or it has no words to search by.
Xapian::Query LikeQuery(const Xapian::Database& db, const std::string& reference);

}  // namespace nsearch
