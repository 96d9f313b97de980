// The indexer's side of an article's id term (its Q term): the term an
// update replaces an article by, and the ids read back from the index. All
// of the indexer's uses of the rule are here, so that it changes in one
// place. Pure functions over the databases given; each Database is used by
// one thread at a time.
#pragma once

#include <string>
#include <unordered_map>

#include <xapian.h>

namespace nsearch {

// The unique term of the article with id `id` (DocumentBuilder adds it).
std::string IdTermFor(const std::string& id);

// True when the id term of an article with id `id` read from the file
// `path` holds that path whole, so its source state can leave it out.
bool IdTermHoldsPath(const std::string& id, const std::string& path);

// The id of document `docid`, from its Q term ("" when it has none).
std::string IdOf(const Xapian::Database& db, Xapian::docid docid);

// The id of every document of `db` that has a Q term.
std::unordered_map<Xapian::docid, std::string> IdsByDocid(const Xapian::Database& db);

}  // namespace nsearch
