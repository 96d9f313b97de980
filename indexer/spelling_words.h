// The spelling data nsearch's "did you mean" draws on: the plain words of
// the articles (unprefixed terms, lower-cased as written: no stems, no field
// terms, nothing with a digit) that at least two articles have, with their
// document frequency.
//
// Built from the index's vocabulary at the end of a run rather than per
// article: adding every article's words cost 40% more indexing time, and
// every shard held its own copy of the vocabulary. A word in a single
// article is more often a typo or a code than a word worth suggesting. An
// update adds the words that have become frequent enough; words are never
// taken out.
//
// The first shard holds them all, so that a search front-end that keeps it
// local still has them when the other shards are served remotely (Xapian's
// remote protocol carries no spelling data: docs/scaling.md).
//
// Functions of the run's thread, after the writers have ended.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "indexer/shard.h"

namespace nsearch {

using Spellings = std::vector<std::pair<std::string, Xapian::doccount>>;

// The words to add: those not yet in any shard's spelling table, in
// order. Throws IndexError naming `index_dir`.
Spellings SpellingsToAdd(const std::vector<std::unique_ptr<Shard>>& shards, const std::filesystem::path& index_dir);

// Adds `words` to `db`, calling `commit` between batches. Throws Xapian::Error.
void AddSpellings(Xapian::WritableDatabase& db, const Spellings& words, const std::function<void()>& commit);

}  // namespace nsearch
