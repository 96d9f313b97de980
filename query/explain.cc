#include "query/explain.h"

#include <algorithm>
#include <map>

#include "common/schema.h"
#include "query/weight.h"

namespace nsearch {
namespace {

// A part as --explain names it: a term as it is, else Xapian's description.
std::string PartLabel(const Xapian::Query& part) {
  if (part.get_type() == Xapian::Query::LEAF_TERM) return *part.get_terms_begin();
  std::string text = part.get_description();
  if (text.rfind("Query(", 0) == 0 && text.back() == ')') text = text.substr(6, text.size() - 7);
  return text;
}

// The unique id term (Q...) of `doc`, as the indexer made it.
std::string IdTermOf(const Xapian::Document& doc) {
  Xapian::TermIterator t = doc.termlist_begin();
  t.skip_to(std::string(schema::kIdPrefix));
  return t != doc.termlist_end() && (*t).rfind(schema::kIdPrefix, 0) == 0 ? *t : std::string();
}

}  // namespace

// The parts of `query` whose weights add up to a match's score: the
// branches of AND, OR, XOR, MAX and AND_MAYBE, the left side of AND_NOT and
// FILTER (the rest only filter), down to terms and to what weighs its parts
// together (a phrase, a wildcard's synonym). Each part comes with the
// conditions under which it counts (`ExplainPart::counted`): its AND
// siblings must match, an AND_MAYBE's optional side needs the required one,
// and AND_NOT and FILTER keep their right side. So a term that two
// languages' readings share counts only in the reading its article is in,
// and the parts listed for a hit add up to its score.
void AdditiveParts(const Xapian::Query& query, const std::vector<std::pair<Xapian::Query::op, Xapian::Query>>& context,
                   std::vector<ExplainPart>& parts) {
  auto descend = [&](const Xapian::Query& sub, std::vector<std::pair<Xapian::Query::op, Xapian::Query>> more) {
    more.insert(more.begin(), context.begin(), context.end());
    AdditiveParts(sub, more, parts);
  };
  const std::size_t n = query.get_num_subqueries();
  switch (query.get_type()) {
    case Xapian::Query::OP_AND:
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::pair<Xapian::Query::op, Xapian::Query>> siblings;
        for (std::size_t j = 0; j < n; ++j) {
          if (j != i) siblings.emplace_back(Xapian::Query::OP_FILTER, query.get_subquery(j));
        }
        descend(query.get_subquery(i), std::move(siblings));
      }
      return;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_MAX:  // of readings: an article matches one at most
      for (std::size_t i = 0; i < n; ++i) descend(query.get_subquery(i), {});
      return;
    case Xapian::Query::OP_AND_MAYBE:
      descend(query.get_subquery(0), {});
      for (std::size_t i = 1; i < n; ++i) descend(query.get_subquery(i), {{Xapian::Query::OP_FILTER, query.get_subquery(0)}});
      return;
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_FILTER: {
      std::vector<std::pair<Xapian::Query::op, Xapian::Query>> rest;
      for (std::size_t i = 1; i < n; ++i) rest.emplace_back(query.get_type(), query.get_subquery(i));
      descend(query.get_subquery(0), std::move(rest));
      return;
    }
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return;  // no weight
    default: {
      Xapian::Query counted = query;
      for (const auto& [op, condition] : context) counted = Xapian::Query(op, counted, condition);
      parts.push_back({query, std::move(counted)});
    }
  }
}


std::vector<TermStats> QueryTermStats(const Xapian::Query& query, const Xapian::Database& db) {
  std::vector<TermStats> terms;
  std::map<std::string, unsigned> occurrences;
  for (auto t = query.get_terms_begin(); t != query.get_terms_end(); ++t) ++occurrences[*t];
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    terms.push_back({*t, db.get_termfreq(*t), std::max(1u, occurrences[*t])});
  }
  return terms;
}

// Each additive part's weight in this article alone, as the whole query
// weighs it (the same statistics); parts that do not match it (a phrase
// whose words are apart) add nothing and are left out.
std::vector<std::pair<std::string, double>> ExplainHit(const Xapian::Database& db, const Xapian::Document& doc,
                                                       const std::vector<ExplainPart>& parts, bool remote) {
  std::vector<std::pair<std::string, double>> explain;
  const Xapian::Query this_article(IdTermOf(doc));
  for (const ExplainPart& part : parts) {
    Xapian::Enquire single(db);
    single.set_query(Xapian::Query(Xapian::Query::OP_FILTER, part.counted, this_article));
    single.set_weighting_scheme(*MakeWeight(remote));
    const Xapian::MSet one = single.get_mset(0, 1);
    if (!one.empty()) explain.emplace_back(PartLabel(part.part), one.begin().get_weight());
  }
  return explain;
}

}  // namespace nsearch
