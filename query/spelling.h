// Spelling: "did you mean", from the spelling data nsearch-index stores in
// an index's first shard.
#pragma once

#include <string>

#include <xapian.h>

namespace nsearch {

// `text` with each word that no article of `all` has replaced by the closest
// word `spelling` (the local shards: Xapian's remote protocol carries no
// spelling data) knows; "" when no word was replaced. Operators, field:value
// tokens and wildcards are left as they are.
std::string Suggest(const std::string& text, const Xapian::Database& all, const Xapian::Database& spelling);

}  // namespace nsearch
