#include "indexer/id_terms.h"

#include "common/schema.h"
#include "indexer/document_builder.h"

namespace nsearch {

std::string IdTermFor(const std::string& id) { return IdTerm(id); }

bool IdTermHoldsPath(const std::string& id, const std::string& path) {
  return id == path && IdTerm(id) == std::string(schema::kIdPrefix) + path;
}

std::string IdOf(const Xapian::Database& db, Xapian::docid docid) {
  Xapian::TermIterator t = db.termlist_begin(docid);
  t.skip_to(std::string(schema::kIdPrefix));
  if (t == db.termlist_end(docid)) return {};
  const std::string term = *t;
  return term.compare(0, schema::kIdPrefix.size(), schema::kIdPrefix) == 0 ? term.substr(schema::kIdPrefix.size())
                                                                           : std::string();
}

std::unordered_map<Xapian::docid, std::string> IdsByDocid(const Xapian::Database& db) {
  std::unordered_map<Xapian::docid, std::string> ids;
  const std::string q(schema::kIdPrefix);
  for (Xapian::TermIterator t = db.allterms_begin(q); t != db.allterms_end(q); ++t) {
    const std::string term = *t;
    for (Xapian::PostingIterator p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
      ids.emplace(*p, term.substr(q.size()));
    }
  }
  return ids;
}

}  // namespace nsearch
