#include "query/printer/json_printer.h"

#include "query/printer/escape.h"
#include "query/request_names.h"

namespace nsearch {
namespace {

using nlohmann::json;

json CountsJson(const Counts& counts, const char* key) {
  json out = json::array();
  for (const auto& [value, n] : counts) out.push_back({{key, value}, {"count", n}});
  return out;
}

// What a search asked for beyond hits: facets, timeline, explain.
void AddExtrasJson(const SearchResult& result, bool explain, json& j) {
  if (!result.facets.empty()) {
    json facets = json::object();
    for (const FacetCounts& facet : result.facets) {
      facets[std::string(FacetName(facet.facet))] = CountsJson(facet.counts, "value");
    }
    j["facets"] = std::move(facets);
  }
  if (result.timeline_period) {
    j["timeline"] = {{"unit", std::string(PeriodName(*result.timeline_period))},
                     {"periods", CountsJson(result.timeline, "period")},
                     {"undated", result.undated}};
  }
  if (explain) {
    json terms = json::array();
    for (const TermStats& t : result.terms) {
      terms.push_back({{"term", t.term}, {"docfreq", t.docfreq}, {"occurrences", t.occurrences}});
    }
    j["explain"] = {{"parsed", result.parsed}, {"terms", std::move(terms)}};
  }
}

json ResultJson(const SearchResult& result) {
  const bool explain = result.explained;
  json hits = json::array();
  for (const Hit& hit : result.hits) hits.push_back(HitJson(hit, explain));
  json j{{"schema", kJsonSchemaVersion},
         {"query", result.query},
         {"total", result.total},
         {"total_exact", result.total_exact},
         {"offset", result.offset},
         {"suggestion", result.suggestion.empty() ? json(nullptr) : json(result.suggestion)},
         {"hits", std::move(hits)}};
  AddExtrasJson(result, explain, j);
  if (!result.missing_shards.empty()) {
    json missing = json::array();
    for (const MissingShard& m : result.missing_shards) missing.push_back({{"shard", m.name}, {"reason", m.reason}});
    j["missing_shards"] = std::move(missing);
  }
  return j;
}

}  // namespace

// Built field by field with emplace rather than from an initializer list,
// which builds every field as a two-element array first: that cost --batch
// more than twice the instructions.
json HitJson(const Hit& hit, bool explain) {
  json highlights = json::array();
  for (const auto& [begin, end] : hit.highlights) {
    json range = json::array();
    range.push_back(begin);
    range.push_back(end);
    highlights.push_back(std::move(range));
  }
  json j = json::object();
  j.emplace("rank", hit.rank);
  j.emplace("score", hit.score);
  j.emplace("id", hit.article.id);
  j.emplace("path", hit.article.path);
  j.emplace("title", hit.article.title);
  j.emplace("date", hit.article.date);
  j.emplace("source", hit.article.source);
  j.emplace("author", hit.article.author);
  j.emplace("url", hit.article.url);
  j.emplace("snippet", hit.snippet);
  j.emplace("highlights", std::move(highlights));
  j.emplace("similar", hit.similar);
  if (explain) {
    json terms = json::array();
    for (const auto& [term, weight] : hit.explain) terms.push_back({{"term", term}, {"weight", weight}});
    j["explain"] = std::move(terms);
  }
  return j;
}

std::string SearchJson(const SearchResult& result) { return JsonLine(ResultJson(result)); }

std::string SearchErrorJson(const std::string& query, const std::string& error) {
  return JsonLine(json{{"schema", kJsonSchemaVersion}, {"query", query}, {"error", error}});
}

void JsonPrinter::Print(const SearchResult& result, Output& out) const { out.Write(SearchJson(result)); }

}  // namespace nsearch
