// The metadata a run records in every shard of the index (schema.h's
// kMeta* keys): the compactor keeps the first shard's when it merges them.
// A pure function.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

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

// The kMetaIndexedThrough every shard gets at the end of a run: the latest
// of the shards' own (`throughs`, as each shard holds it). Every article is
// stamped at most its shard's, so at most this; one value in all shards
// keeps a --new check from showing a shard's later commits again.
std::string LatestIndexedStamp(const std::vector<std::string>& throughs);

}  // namespace nsearch
