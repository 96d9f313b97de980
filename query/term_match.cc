#include "query/term_match.h"

#include <algorithm>
#include <utility>

#include "common/schema.h"

namespace nsearch {
namespace {

bool DecidesByTerms(const Xapian::Query& query) {
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return true;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
    case Xapian::Query::OP_XOR:
      for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
        if (!DecidesByTerms(query.get_subquery(i))) return false;
      }
      return query.get_num_subqueries() > 0;
    default:
      return false;
  }
}

}  // namespace

TermMatcher::Checker::Checker(const TermMatcher& matcher, const Xapian::Database& db,
                              std::optional<Xapian::valueno> language_slot)
    : matcher_(matcher),
      db_(db),
      language_slot_(language_slot),
      postings_(matcher.terms_.size()),
      asked_(matcher.terms_.size(), 0) {}

bool TermMatcher::Checker::Matches(Xapian::docid did) { return matcher_.Evaluate(matcher_.root_, *this, did); }

bool TermMatcher::Checker::Has(std::size_t term, Xapian::docid did) {
  const std::string& name = matcher_.terms_[term];
  if (language_slot_ && name.compare(0, schema::kLanguagePrefix.size(), schema::kLanguagePrefix) == 0) {
    if (language_of_ != did) {
      language_ = std::string(schema::kLanguagePrefix) +
                  db_.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(*language_slot_);
      language_of_ = did;
    }
    return name == language_;
  }
  Xapian::PostingIterator& it = postings_[term];
  if (asked_[term] == 0 || did < asked_[term]) it = db_.postlist_begin(name);  // (again) from the start
  if (it != Xapian::PostingIterator()) it.skip_to(did);
  asked_[term] = did;
  return it != Xapian::PostingIterator() && *it == did;
}

std::optional<TermMatcher> TermMatcher::For(const Xapian::Query& query) {
  if (!DecidesByTerms(query)) return std::nullopt;
  TermMatcher matcher;
  matcher.terms_.assign(query.get_unique_terms_begin(), query.get_unique_terms_end());
  std::sort(matcher.terms_.begin(), matcher.terms_.end());
  matcher.terms_.erase(std::unique(matcher.terms_.begin(), matcher.terms_.end()), matcher.terms_.end());
  matcher.root_ = matcher.Add(query);
  return matcher;
}

std::size_t TermMatcher::Add(const Xapian::Query& query) {
  Node node;
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM: {
      const std::string term = *query.get_terms_begin();
      if (term.empty()) {  // Query("") is MatchAll
        node.kind = Node::Kind::kAll;
      } else {
        node.kind = Node::Kind::kTerm;
        node.term = static_cast<std::size_t>(std::lower_bound(terms_.begin(), terms_.end(), term) - terms_.begin());
      }
      break;
    }
    case Xapian::Query::LEAF_MATCH_ALL:
      node.kind = Node::Kind::kAll;
      break;
    case Xapian::Query::OP_AND_MAYBE:  // the optional parts only weigh
    case Xapian::Query::OP_SCALE_WEIGHT:
      return Add(query.get_subquery(0));
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
      node.kind = Node::Kind::kAnd;
      break;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_SYNONYM:
      node.kind = Node::Kind::kOr;
      break;
    case Xapian::Query::OP_AND_NOT:
      node.kind = Node::Kind::kAndNot;
      break;
    case Xapian::Query::OP_XOR:
      node.kind = Node::Kind::kXor;
      break;
    default:  // LEAF_MATCH_NOTHING (For has ruled out the rest)
      node.kind = Node::Kind::kNothing;
      break;
  }
  std::vector<std::pair<std::size_t, bool>> parts;  // node, excluding (AND_NOT's right side)
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    parts.emplace_back(Add(query.get_subquery(i)), node.kind == Node::Kind::kAndNot && i > 0);
  }
  // Parts in the order of their first terms: the prefixed ones (L, ...)
  // sort before stems and words, and a language costs one value an article
  // where a stem costs a posting list. A constant needs no term.
  node.first_term = node.kind == Node::Kind::kTerm ? node.term : 0;
  if (!parts.empty()) {
    std::stable_sort(parts.begin(), parts.end(), [&](const auto& a, const auto& b) {
      return nodes_[a.first].first_term < nodes_[b.first].first_term;
    });
    node.first_term = nodes_[parts.front().first].first_term;
    for (const auto& [part, excluding] : parts) {
      node.parts.push_back(part);
      node.excluding.push_back(excluding);
    }
  }
  nodes_.push_back(std::move(node));
  return nodes_.size() - 1;
}

bool TermMatcher::Evaluate(std::size_t index, Checker& checker, Xapian::docid did) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Node::Kind::kTerm:
      return checker.Has(node.term, did);
    case Node::Kind::kAll:
      return true;
    case Node::Kind::kNothing:
      return false;
    case Node::Kind::kAnd:
      for (const std::size_t part : node.parts) {
        if (!Evaluate(part, checker, did)) return false;
      }
      return !node.parts.empty();
    case Node::Kind::kOr:
      for (const std::size_t part : node.parts) {
        if (Evaluate(part, checker, did)) return true;
      }
      return false;
    case Node::Kind::kAndNot:
      // Matches the one part that is not excluding, and none that is.
      for (std::size_t i = 0; i < node.parts.size(); ++i) {
        if (Evaluate(node.parts[i], checker, did) == node.excluding[i]) return false;
      }
      return !node.parts.empty();
    case Node::Kind::kXor: {
      bool odd = false;
      for (const std::size_t part : node.parts) odd = odd != Evaluate(part, checker, did);
      return odd;
    }
  }
  return false;
}

}  // namespace nsearch
