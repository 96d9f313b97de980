// The URL parameters of the HTTP API (docs/http-api.md) read into
// SearchRequests, with the same meaning and defaults as nsearch's options.
// Messages name the parameter, never a command-line option.
#pragma once

#include <map>
#include <stdexcept>
#include <string>

#include "query/searcher.h"

namespace nsearch::server {

// A parameter a request may not have, or a value it may not take; what()
// is the one-line message of the 400 answer.
class ParamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// As httplib::Params: name -> value, a name possibly more than once.
using Params = std::multimap<std::string, std::string>;

inline constexpr std::size_t kMaxQueryBytes = 4096;
inline constexpr unsigned kMaxLimit = 1000;
inline constexpr unsigned kMaxOffset = 100000;
inline constexpr unsigned kMaxSnippetLength = 10000;

// GET /api/search: q, n, offset, any, all, sort, facets, timeline, since,
// until, like, snippet_length. Throws ParamError (an unknown or repeated
// parameter, a bad value, no q and no like).
SearchRequest SearchRequestFrom(const Params& params);

// GET /api/copies: id and the parameters of /api/search but all and like;
// never collapsed. Throws ParamError.
SearchRequest CopiesRequestFrom(const Params& params);

// GET /api/article: id, and optionally q and any. Throws ParamError.
SearchRequest ArticleRequestFrom(const Params& params);

// Throws ParamError unless `params` is empty (GET /api/info).
void ExpectNoParams(const Params& params);

}  // namespace nsearch::server
