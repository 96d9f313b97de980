#include "query/printer.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "query/request_names.h"

namespace nsearch {
namespace {

using nlohmann::json;

constexpr const char* kBold = "\033[1m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kMatch = "\033[1;31m";
constexpr const char* kReset = "\033[0m";

// Built field by field with emplace rather than from an initializer list,
// which builds every field as a two-element array first: --batch of the
// bench queries: ResultJson 81 -> 31 M instructions, the output the same.
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

json CountsJson(const Counts& counts, const char* key) {
  json out = json::array();
  for (const auto& [value, n] : counts) out.push_back({{key, value}, {"count", n}});
  return out;
}

// What a search asked for beyond hits: facets, timeline, explain.
void AddExtrasJson(const SearchResult& result, bool explain, json& j) {
  if (!result.facets.empty()) {
    json facets = json::object();
    for (const FacetCounts& facet : result.facets) facets[std::string(FacetName(facet.facet))] = CountsJson(facet.counts, "value");
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

// A bar of `value` out of `max` in at most `width` cells, drawn in eighths.
std::string Bar(std::uint64_t value, std::uint64_t max, int width) {
  static constexpr const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  if (max == 0) return {};
  const std::uint64_t eighths = (value * static_cast<std::uint64_t>(width) * 8 + max - 1) / max;
  std::string bar;
  for (std::uint64_t i = 0; i < eighths / 8; ++i) bar += "█";
  bar += kEighths[eighths % 8];
  return bar;
}

void PrintFacetsAndTimeline(const SearchResult& result, bool color, std::FILE* out) {
  for (const FacetCounts& facet : result.facets) {
    std::string line;
    for (const auto& [value, n] : facet.counts) {
      line += (line.empty() ? "" : " · ") + (value.empty() ? std::string("(none)") : value) + " " + std::to_string(n);
    }
    std::fprintf(out, "%s%-7s%s %s\n", color ? kBold : "", (std::string(FacetName(facet.facet)) + ":").c_str(), color ? kReset : "",
                 line.empty() ? "(no matches)" : line.c_str());
  }
  if (!result.facets.empty()) std::fputc('\n', out);
  if (!result.timeline_period) return;
  std::uint64_t max = 0;
  std::size_t label_width = 0;
  for (const auto& [period, n] : result.timeline) {
    max = std::max(max, n);
    label_width = std::max(label_width, period.size());
  }
  std::fprintf(out, "%sMatches per %s%s\n", color ? kBold : "", std::string(PeriodName(*result.timeline_period)).c_str(), color ? kReset : "");
  for (const auto& [period, n] : result.timeline) {
    std::fprintf(out, "  %-*s %s %llu\n", static_cast<int>(label_width), period.c_str(), Bar(n, max, 40).c_str(),
                 static_cast<unsigned long long>(n));
  }
  if (result.timeline.empty()) std::fprintf(out, "  (no dated matches)\n");
  if (result.undated > 0) std::fprintf(out, "  undated: %llu\n", static_cast<unsigned long long>(result.undated));
  std::fputc('\n', out);
}

// `j` on one line, with its newline. Invalid UTF-8 becomes U+FFFD.
std::string JsonLine(const json& j) {
  std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  text += '\n';
  return text;
}

void PutJson(const json& j, std::FILE* out) {
  const std::string text = JsonLine(j);
  std::fwrite(text.data(), 1, text.size(), out);
}

// The snippet on one line, matched words in colour when asked.
std::string RenderSnippet(const Hit& hit, bool color) {
  std::string out;
  std::size_t pos = 0;
  auto plain = [&](std::size_t end) {
    for (; pos < end; ++pos) out += (hit.snippet[pos] == '\n' || hit.snippet[pos] == '\t') ? ' ' : hit.snippet[pos];
  };
  for (const auto& [begin, end] : hit.highlights) {
    if (!color) break;
    plain(begin);
    out += kMatch;
    plain(end);
    out += kReset;
  }
  plain(hit.snippet.size());
  return out;
}

void PrintText(const SearchResult& result, bool color, std::FILE* out) {
  const bool explain = result.explained;
  if (!result.suggestion.empty()) {
    std::fprintf(out, "Did you mean: %s%s%s ?\n\n", color ? kBold : "", result.suggestion.c_str(), color ? kReset : "");
  }
  if (explain) {
    std::fprintf(out, "Parsed query: %s\n", result.parsed.c_str());
    for (const TermStats& t : result.terms) {
      std::fprintf(out, "  term %-24s in %llu articles%s\n", t.term.c_str(), static_cast<unsigned long long>(t.docfreq),
                   t.occurrences > 1 ? (", " + std::to_string(t.occurrences) + " times in the query").c_str() : "");
    }
    std::fputc('\n', out);
  }
  PrintFacetsAndTimeline(result, color, out);
  for (const Hit& hit : result.hits) {
    const std::string title = hit.article.title.empty() ? "(untitled)" : hit.article.title;
    std::fprintf(out, "%s%3u.%s %s%s%s\n", color ? kDim : "", hit.rank, color ? kReset : "",
                 color ? kBold : "", title.c_str(), color ? kReset : "");
    std::string meta;
    for (const std::string* part : {&hit.article.date, &hit.article.source}) {
      if (!part->empty()) meta += (meta.empty() ? "" : " · ") + part->substr(0, part == &hit.article.date ? 10 : std::string::npos);
    }
    meta += (meta.empty() ? "" : " · ") + hit.article.path;
    if (hit.similar > 0) meta += " · +" + std::to_string(hit.similar) + " similar";
    std::fprintf(out, "     %s%s%s\n", color ? kDim : "", meta.c_str(), color ? kReset : "");
    if (!hit.snippet.empty()) std::fprintf(out, "     %s\n", RenderSnippet(hit, color).c_str());
    if (explain) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.4f =", hit.score);
      std::string line = std::string("score ") + buf;
      for (std::size_t i = 0; i < hit.explain.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%.4f", hit.explain[i].second);
        line += (i == 0 ? " " : " + ") + hit.explain[i].first + " " + buf;
      }
      std::fprintf(out, "     %s%s%s\n", color ? kDim : "", line.c_str(), color ? kReset : "");
    }
    std::fputc('\n', out);
  }
  if (!result.hits.empty()) {
    std::fprintf(out, "%s%u-%zu of %s%llu matches%s\n", color ? kDim : "", result.offset + 1,
                 result.offset + result.hits.size(), result.total_exact ? "" : "about ",
                 static_cast<unsigned long long>(result.total), color ? kReset : "");
  }
}

// A field in a TSV line: tabs and line breaks become spaces.
std::string TsvField(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

void PrintTsv(const SearchResult& result, std::FILE* out) {
  for (const Hit& hit : result.hits) {
    std::fprintf(out, "%u\t%.4f\t%s\t%s\t%s\t%s\n", hit.rank, hit.score, TsvField(hit.article.date).c_str(),
                 TsvField(hit.article.source).c_str(), TsvField(hit.article.title).c_str(),
                 TsvField(hit.article.path).c_str());
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

// "1.2 MB": bytes for people, in powers of 1000 like the indexer's summary.
std::string HumanSize(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"bytes", "kB", "MB", "GB", "TB"};
  double size = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (size >= 1000 && unit + 1 < std::size(kUnits)) {
    size /= 1000;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", size, kUnits[unit]);
  return buf;
}

}  // namespace

const char* OutputFormatNames() { return "text, json, jsonl, tsv, paths, ids, count"; }

OutputFormat ParseOutputFormat(const std::string& name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "jsonl") return OutputFormat::kJsonl;
  if (name == "tsv") return OutputFormat::kTsv;
  if (name == "paths") return OutputFormat::kPaths;
  if (name == "ids") return OutputFormat::kIds;
  if (name == "count") return OutputFormat::kCount;
  throw UsageError("unknown --format '" + name + "' (" + OutputFormatNames() + ")");
}

void PrintResult(const SearchResult& result, OutputFormat format, const PrintOptions& options, std::FILE* out) {
  const char terminator = options.nul_terminated ? '\0' : '\n';
  switch (format) {
    case OutputFormat::kText:
      PrintText(result, options.color, out);
      break;
    case OutputFormat::kJson:
      PutJson(ResultJson(result), out);
      break;
    case OutputFormat::kJsonl:
      for (const Hit& hit : result.hits) {
        json j = HitJson(hit, result.explained);
        j["schema"] = kJsonSchemaVersion;
        j["query"] = result.query;
        PutJson(j, out);
      }
      break;
    case OutputFormat::kTsv:
      PrintTsv(result, out);
      break;
    case OutputFormat::kPaths:
    case OutputFormat::kIds:
      for (const Hit& hit : result.hits) {
        const std::string& text = format == OutputFormat::kPaths ? hit.article.path : hit.article.id;
        std::fwrite(text.data(), 1, text.size(), out);
        std::fputc(terminator, out);
      }
      break;
    case OutputFormat::kCount:
      std::fprintf(out, "%llu\n", static_cast<unsigned long long>(result.total));
      break;
  }
}

std::string BatchRecord(const SearchResult& result) { return JsonLine(ResultJson(result)); }

std::string BatchErrorRecord(const std::string& query, const std::string& error) {
  return JsonLine(json{{"schema", kJsonSchemaVersion}, {"query", query}, {"error", error}});
}

void WarnMissingShards(const std::vector<MissingShard>& missing, std::set<std::string>& warned, std::FILE* err) {
  for (const MissingShard& shard : missing) {
    if (!warned.insert(shard.name).second) continue;
    std::fprintf(err, "nsearch: warning: index shard %s left out (%s); results are from the other shards\n",
                 shard.name.c_str(), shard.reason.c_str());
  }
}

void PrintIndexInfo(const IndexInfo& info, bool as_json, std::FILE* out) {
  if (as_json) {
    json languages = json::object();
    for (const auto& [language, articles] : info.languages) languages[language] = articles;
    PutJson(json{{"schema", kJsonSchemaVersion},
                 {"index", info.dir.string()},
                 {"index_schema", info.schema ? json(*info.schema) : json(nullptr)},
                 {"articles", info.articles},
                 {"terms", info.terms},
                 {"default_language", info.default_language},
                 {"languages", std::move(languages)},
                 {"roots", info.roots},
                 {"shards", info.shards},
                 {"size_bytes", info.size_bytes},
                 {"updated", info.updated.empty() ? json(nullptr) : json(info.updated)}},
            out);
    return;
  }
  std::string languages;
  for (const auto& [language, articles] : info.languages) {
    languages += (languages.empty() ? "" : ", ") + language + " (" + std::to_string(articles) + ")";
  }
  std::string roots;
  for (const std::string& root : info.roots) roots += (roots.empty() ? "" : "\n" + std::string(18, ' ')) + root;
  const auto line = [&](const char* name, const std::string& value) {
    std::fprintf(out, "%-17s %s\n", name, value.c_str());
  };
  line("index:", info.dir.string());
  line("articles:", std::to_string(info.articles));
  line("terms:", std::to_string(info.terms));
  line("default language:", info.default_language.empty() ? "(not recorded)" : info.default_language);
  line("languages:", languages.empty() ? "(none recorded)" : languages);
  line("roots:", roots.empty() ? "(not recorded)" : roots);
  line("shards:", std::to_string(info.shards));
  line("size:", HumanSize(info.size_bytes) + " (" + std::to_string(info.size_bytes) + " bytes)");
  line("updated:", info.updated.empty() ? "(not recorded)" : info.updated);
  line("schema:", info.schema ? std::to_string(*info.schema) : "(not recorded)");
}

}  // namespace nsearch
