// The site of an article: the host of its URL, as the indexer stores it
// under schema::kSitePrefix and as site: queries look it up.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nsearch {

// The host of `url` ("https://user@www.Reuters.com:443/a?b" -> "reuters.com"),
// lower case, without a leading "www." and a trailing dot. Also accepts a
// bare host ("www.reuters.com/world" -> "reuters.com"). Empty when there is
// none. Never throws.
std::string UrlHost(std::string_view url);

// The site keys of `host`: the host and each parent domain of at least two
// labels ("uk.reuters.com" -> {"uk.reuters.com", "reuters.com"}), so that
// site:reuters.com finds every host below reuters.com. An IP address (or a
// one-label host) is its only key.
std::vector<std::string> SiteKeys(const std::string& host);

}  // namespace nsearch
