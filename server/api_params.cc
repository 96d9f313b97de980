#include "server/api_params.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string_view>

#include "common/error.h"
#include "query/date_query.h"
#include "query/request_names.h"

namespace nsearch::server {
namespace {

// The parameters of one request, each read once, checked against the
// names its endpoint knows.
class Reader {
 public:
  Reader(const Params& params, std::initializer_list<std::string_view> known) : params_(params) {
    for (auto it = params.begin(); it != params.end(); it = params.upper_bound(it->first)) {
      if (std::find(known.begin(), known.end(), it->first) == known.end()) {
        throw ParamError("unknown parameter '" + it->first + "'");
      }
      if (params.count(it->first) > 1) throw ParamError("parameter '" + it->first + "' given more than once");
    }
  }

  std::optional<std::string> Get(const std::string& name) const {
    const auto it = params_.find(name);
    if (it == params_.end()) return std::nullopt;
    return it->second;
  }

  // A number from `min` to `max`, or `fallback` when absent.
  unsigned Number(const std::string& name, unsigned min, unsigned max, unsigned fallback) const {
    const std::optional<std::string> text = Get(name);
    if (!text) return fallback;
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (text->empty() || ec != std::errc() || end != text->data() + text->size() || value < min || value > max) {
      throw ParamError(name + " must be a number from " + std::to_string(min) + " to " + std::to_string(max) +
                       ", not '" + *text + "'");
    }
    return value;
  }

  // 1/true (or an empty value) or 0/false; false when absent.
  bool Flag(const std::string& name) const {
    const std::optional<std::string> text = Get(name);
    if (!text) return false;
    if (text->empty() || *text == "1" || *text == "true") return true;
    if (*text == "0" || *text == "false") return false;
    throw ParamError(name + " must be 1, true, 0 or false, not '" + *text + "'");
  }

 private:
  const Params& params_;
};

std::string QueryOf(const Reader& reader) {
  std::string query = reader.Get("q").value_or("");
  if (query.size() > kMaxQueryBytes) {
    throw ParamError("the query is " + std::to_string(query.size()) + " bytes long; at most " +
                     std::to_string(kMaxQueryBytes) + " are allowed");
  }
  return query;
}

std::string IdOf(const Reader& reader) {
  std::string id = reader.Get("id").value_or("");
  if (id.empty()) throw ParamError("no id given");
  if (id.size() > kMaxQueryBytes) throw ParamError("the id is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
  return id;
}

SortOrder SortOf(const Reader& reader) {
  const std::string name = reader.Get("sort").value_or("relevance");
  if (const std::optional<SortOrder> order = SortOrderNamed(name)) return *order;
  throw ParamError("sort must be relevance, newest or oldest, not '" + name + "'");
}

// What --facets, --timeline, --since and --until read, as the command line reads them.
void ReadCounts(const Reader& reader, SearchRequest& request) {
  const std::string facets = reader.Get("facets").value_or("");
  for (std::size_t start = 0; start < facets.size();) {
    const std::size_t comma = std::min(facets.find(',', start), facets.size());
    const std::string name = facets.substr(start, comma - start);
    const std::optional<Facet> facet = FacetNamed(name);
    if (!facet) throw ParamError("facets: no facet '" + name + "' (source, year, month, lang)");
    request.facets.push_back(*facet);
    start = comma + 1;
  }
  if (const std::optional<std::string> timeline = reader.Get("timeline")) {
    const std::string name = timeline->empty() ? "month" : *timeline;
    request.timeline = PeriodNamed(name);
    if (!request.timeline) throw ParamError("timeline must be year, month or day, not '" + name + "'");
  }
  const std::string since = reader.Get("since").value_or(""), until = reader.Get("until").value_or("");
  if (since.empty() && until.empty()) return;
  try {
    const std::time_t now = Now();
    if (!since.empty()) request.since = DateBound(since, false, now, "since");
    if (!until.empty()) request.until = DateBound(until, true, now, "until");
  } catch (const UsageError& e) {
    throw ParamError(e.what());
  }
}

// The parameters /api/search and /api/copies share.
SearchRequest ListRequest(const Reader& reader) {
  SearchRequest request;
  request.query = QueryOf(reader);
  request.mode = reader.Flag("any") ? MatchMode::kAnyWord : MatchMode::kAllWords;
  request.limit = reader.Number("n", 1, kMaxLimit, 10);
  request.offset = reader.Number("offset", 0, kMaxOffset, 0);
  request.snippet_length = reader.Number("snippet_length", 0, kMaxSnippetLength, 200);
  request.snippets = request.snippet_length > 0;
  request.sort = SortOf(reader);
  request.source = reader.Get("source").value_or("");
  if (request.source.size() > kMaxQueryBytes) {
    throw ParamError("source is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
  }
  ReadCounts(reader, request);
  return request;
}

}  // namespace

SearchRequest SearchRequestFrom(const Params& params) {
  const Reader reader(params, {"q", "n", "offset", "any", "all", "sort", "facets", "timeline", "since", "until",
                               "source", "like", "snippet_length"});
  SearchRequest request = ListRequest(reader);
  request.collapse = !reader.Flag("all");
  request.like = reader.Get("like").value_or("");
  if (request.like.size() > kMaxQueryBytes) {
    throw ParamError("like is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
  }
  if (request.query.empty() && request.like.empty() && request.source.empty()) {
    throw ParamError("no query given (q, like, or source)");
  }
  return request;
}

SearchRequest CopiesRequestFrom(const Params& params) {
  const Reader reader(params, {"id", "q", "n", "offset", "any", "sort", "facets", "timeline", "since", "until",
                               "source", "snippet_length"});
  SearchRequest request = ListRequest(reader);
  request.copies_of = IdOf(reader);
  request.collapse = false;
  return request;
}

SearchRequest ArticleRequestFrom(const Params& params) {
  const Reader reader(params, {"id", "q", "any"});
  SearchRequest request;
  request.article = IdOf(reader);
  request.query = QueryOf(reader);
  request.mode = reader.Flag("any") ? MatchMode::kAnyWord : MatchMode::kAllWords;
  request.collapse = false;
  request.limit = 1;
  request.snippets = false;
  request.whole_text = true;
  return request;
}

void ExpectNoParams(const Params& params) { Reader reader(params, {}); }

}  // namespace nsearch::server
