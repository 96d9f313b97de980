// The metadata a run records in every shard of the index (schema.h's
// kMeta* keys): the compactor keeps the first shard's when it merges them.
// A pure function.
#pragma once

#include <map>
#include <set>
#include <string>

#include "indexer/share.h"

namespace nsearch {

// The metadata of an index of default language `language` whose articles
// were stemmed in `languages` (none: the default alone), compressed with
// `dictionary`, over `roots`, updated at `updated_utc`, holding `share` of an archive, keeping
// `changesets` changesets per shard (0: none). It also clears the pending mark of the near-duplicate
// groups.
std::map<std::string, std::string> IndexMetadata(const std::string& language, std::set<std::string> languages,
                                                 const std::string& dictionary, const std::set<std::string>& roots,
                                                 const std::string& updated_utc, const Share& share,
                                                 unsigned changesets);

}  // namespace nsearch
