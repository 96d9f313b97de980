#include "query/group_counts.h"

#include <algorithm>

#include "common/schema.h"
#include "query/term_match.h"

namespace nsearch {
namespace {

// The most articles of uncertain groups that a TermMatcher decides on (GroupSizes).
constexpr Xapian::doccount kMaxCountedByTerms = 32;

}  // namespace

std::map<std::string, Xapian::doccount> GroupSizes(const Xapian::Database& db, const Xapian::Query& query,
                                                   const std::map<std::string, SeenGroup>& seen, bool by_terms) {
  std::map<std::string, Xapian::doccount> sizes;
  struct Uncertain {
    const std::string* key;
    const SeenGroup* group;
    std::string term;  // its XG term
    Xapian::doccount articles;
  };
  std::vector<Uncertain> uncertain;
  Xapian::doccount articles = 0;
  for (const auto& [key, group] : seen) {
    std::string term = schema::GroupTerm(key);
    const Xapian::doccount in_group = db.get_termfreq(term);
    if (group.collapsed && in_group <= *group.collapsed + 1) {
      sizes[key] = *group.collapsed + 1;
    } else {
      uncertain.push_back({&key, &group, std::move(term), in_group});
      articles += in_group;
    }
  }
  if (uncertain.empty()) return sizes;
  std::optional<TermMatcher> matcher;
  if (by_terms && articles <= kMaxCountedByTerms) matcher = TermMatcher::For(query);
  if (matcher) {
    TermMatcher::Checker checker(*matcher, db, schema::kLanguageSlot);
    for (const Uncertain& u : uncertain) {
      // The count lies in [known, matched + unread]; read until they meet.
      const Xapian::doccount known = u.group->collapsed ? *u.group->collapsed + 1 : 0;
      Xapian::doccount matched = 0, unread = u.articles;
      for (auto member = db.postlist_begin(u.term);
           member != db.postlist_end(u.term) && std::max(known, matched) < matched + unread; ++member) {
        --unread;
        const std::vector<Xapian::docid>& hits = u.group->hits;
        if (std::find(hits.begin(), hits.end(), *member) != hits.end() || checker.Matches(*member)) ++matched;
      }
      sizes[*u.key] = std::max(known, matched);
    }
    return sizes;
  }
  std::vector<Xapian::Query> groups;
  for (const Uncertain& u : uncertain) groups.emplace_back(u.term);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                  Xapian::Query(Xapian::Query::OP_OR, groups.begin(), groups.end())));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  Xapian::ValueCountMatchSpy spy(schema::kDuplicateSlot);
  enquire.add_matchspy(&spy);
  // Every match in the MSet (only the articles of `groups` match): asking
  // for fewer than check_at_least is what XOR crashes on (WithoutXor).
  enquire.get_mset(0, db.get_doccount(), db.get_doccount());
  for (auto v = spy.values_begin(); v != spy.values_end(); ++v) sizes[*v] = v.get_termfreq();
  return sizes;
}

}  // namespace nsearch
