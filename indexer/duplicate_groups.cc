#include "indexer/duplicate_groups.h"

#include <algorithm>
#include <utility>

#include "common/error.h"
#include "common/schema.h"
#include "common/source_state.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

// Articles marked between commits: Xapian holds the rewritten values until
// a commit.
constexpr std::uint64_t kMarkCommitEvery = 2000;

// The XG terms of the groups of two or more in `all`: those in `terms`, or
// every group when `terms` is null.
std::vector<std::string> GroupsToMark(const Xapian::Database& all, const std::vector<std::string>* terms) {
  std::vector<std::string> groups;
  if (terms != nullptr) {
    for (const std::string& term : *terms) {
      if (!term.empty() && all.get_termfreq(term) >= 2) groups.push_back(term);
    }
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  } else {
    const std::string prefix(schema::kGroupPrefix);
    for (auto t = all.allterms_begin(prefix); t != all.allterms_end(prefix); ++t) {
      if (t.get_termfreq() >= 2) groups.push_back(*t);
    }
  }
  return groups;
}

// Gives the group key to every article of the groups whose XG terms are in
// `terms` (every group when null), the groups' articles in any of `shards`
// (an article's docid in the shards together: (docid - 1) * shards + shard
// + 1). Returns the articles it changed. Xapian rewrites their values (all
// of them, the stored text too), not their terms.
std::uint64_t MarkDuplicateGroups(const std::vector<Xapian::WritableDatabase*>& shards,
                                  const std::vector<std::string>* terms, const std::function<void()>& commit_all) {
  Xapian::Database all;
  for (Xapian::WritableDatabase* shard : shards) all.add_database(*shard);
  const std::vector<std::string> groups = GroupsToMark(all, terms);
  // Every member, then in docid order: within each database, its value
  // chunks (of consecutive docids) one after the other.
  std::vector<std::pair<Xapian::docid, std::string>> members;
  for (const std::string& term : groups) {
    const std::string key = schema::GroupKey(term);
    if (key.empty()) continue;
    for (auto p = all.postlist_begin(term); p != all.postlist_end(term); ++p) members.emplace_back(*p, key);
  }
  std::sort(members.begin(), members.end());
  const std::size_t n = shards.size();
  std::uint64_t changed = 0;
  for (const auto& [docid, key] : members) {
    Xapian::WritableDatabase& db = *shards[(docid - 1) % n];
    const Xapian::docid local = (docid - 1) / n + 1;
    Xapian::Document doc = db.get_document(local);
    if (doc.get_value(schema::kDuplicateSlot) == key) continue;
    doc.add_value(schema::kDuplicateSlot, key);
    db.replace_document(local, doc);
    // Bound the rewritten values held in memory. (An update's pending mark
    // stays set until its last commit, so a run that dies after this one
    // is still repaired.)
    if (++changed % kMarkCommitEvery == 0) commit_all();
  }
  return changed;
}

[[noreturn]] void ThrowMarkError(const fs::path& index_dir, const Xapian::Error& e) {
  throw IndexError("cannot mark the near-duplicate groups of the index at " + index_dir.string() + ": " +
                   e.get_description());
}

}  // namespace

std::string GroupTermOf(const Xapian::Document& doc) {
  const std::string prefix(schema::kGroupPrefix);
  Xapian::TermIterator t = doc.termlist_begin();
  t.skip_to(prefix);
  if (t == doc.termlist_end() || (*t).compare(0, prefix.size(), prefix) != 0) return {};
  return *t;
}

void MarkUpdatedGroups(const std::vector<std::unique_ptr<Shard>>& shards, bool groups_pending,
                       const fs::path& index_dir) {
  if (!groups_pending &&
      std::none_of(shards.begin(), shards.end(), [](const auto& shard) { return !shard->group_terms.empty(); })) {
    return;
  }
  try {
    std::vector<Xapian::WritableDatabase*> dbs;
    std::vector<std::string> terms;
    for (const auto& shard : shards) {
      dbs.push_back(&shard->db);
      terms.insert(terms.end(), shard->group_terms.begin(), shard->group_terms.end());
    }
    MarkDuplicateGroups(dbs, groups_pending ? nullptr : &terms, [&] {
      for (const auto& shard : shards) Commit(*shard);
    });
    // Several shards commit one after the other at the end: the marks
    // first, each shard still marked pending, so that a run that dies
    // between two of those commits leaves no shard's marks unknown to the
    // next.
    if (shards.size() > 1) {
      for (const auto& shard : shards) {
        shard->db.set_metadata(schema::kMetaGroupsPending, "1");
        Commit(*shard);
      }
    }
  } catch (const Xapian::Error& e) {
    ThrowMarkError(index_dir, e);
  }
}

}  // namespace nsearch
