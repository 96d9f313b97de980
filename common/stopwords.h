// Stopwords: the very common words whose stems nsearch does not index.
//
// With Xapian's STOP_STEMMED strategy a stopword keeps its unstemmed,
// positional term (so "bank of england" still matches as a phrase) but gets
// no Z-prefixed stem: those postings would be in nearly every article, cost
// time and space, and carry almost no weight in BM25. The query parser drops
// stopwords from non-phrase queries with the same list.
#pragma once

#include <string>

#include <xapian.h>

namespace nsearch {

// The stopper for a Snowball language (canonical name), or nullptr when
// nsearch has no stopword list for it. The object lives for the whole
// program and is safe to share between threads (it is only read).
const Xapian::Stopper* StopperFor(const std::string& language);

}  // namespace nsearch
