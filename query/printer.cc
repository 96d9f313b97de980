#include "query/printer.h"

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace nsearch {
namespace {

using nlohmann::json;

constexpr const char* kBold = "\033[1m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kMatch = "\033[1;31m";
constexpr const char* kReset = "\033[0m";

json HitJson(const Hit& hit) {
  json highlights = json::array();
  for (const auto& [begin, end] : hit.highlights) highlights.push_back({begin, end});
  return json{{"rank", hit.rank},
              {"score", hit.score},
              {"id", hit.article.id},
              {"path", hit.article.path},
              {"title", hit.article.title},
              {"date", hit.article.date},
              {"source", hit.article.source},
              {"author", hit.article.author},
              {"url", hit.article.url},
              {"snippet", hit.snippet},
              {"highlights", highlights}};
}

void PutJson(const json& j, std::FILE* out) {
  const std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  std::fwrite(text.data(), 1, text.size(), out);
  std::fputc('\n', out);
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
  for (const Hit& hit : result.hits) {
    const std::string title = hit.article.title.empty() ? "(untitled)" : hit.article.title;
    std::fprintf(out, "%s%3u.%s %s%s%s\n", color ? kDim : "", hit.rank, color ? kReset : "",
                 color ? kBold : "", title.c_str(), color ? kReset : "");
    std::string meta;
    for (const std::string* part : {&hit.article.date, &hit.article.source}) {
      if (!part->empty()) meta += (meta.empty() ? "" : " · ") + part->substr(0, part == &hit.article.date ? 10 : std::string::npos);
    }
    meta += (meta.empty() ? "" : " · ") + hit.article.path;
    std::fprintf(out, "     %s%s%s\n", color ? kDim : "", meta.c_str(), color ? kReset : "");
    if (!hit.snippet.empty()) std::fprintf(out, "     %s\n", RenderSnippet(hit, color).c_str());
    std::fputc('\n', out);
  }
  if (!result.hits.empty()) {
    std::fprintf(out, "%s%u-%zu of %s%llu matches%s\n", color ? kDim : "", result.offset + 1,
                 result.offset + result.hits.size(), result.total_exact ? "" : "about ",
                 static_cast<unsigned long long>(result.total), color ? kReset : "");
  }
}

}  // namespace

OutputFormat ParseOutputFormat(const std::string& name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "jsonl") return OutputFormat::kJsonl;
  if (name == "paths") return OutputFormat::kPaths;
  if (name == "count") return OutputFormat::kCount;
  throw UsageError("unknown --format '" + name + "' (text, json, jsonl, paths or count)");
}

void PrintResult(const SearchResult& result, OutputFormat format, bool color, std::FILE* out) {
  switch (format) {
    case OutputFormat::kText:
      PrintText(result, color, out);
      break;
    case OutputFormat::kJson: {
      json hits = json::array();
      for (const Hit& hit : result.hits) hits.push_back(HitJson(hit));
      PutJson(json{{"schema", kJsonSchemaVersion},
                   {"query", result.query},
                   {"total", result.total},
                   {"total_exact", result.total_exact},
                   {"offset", result.offset},
                   {"hits", std::move(hits)}},
              out);
      break;
    }
    case OutputFormat::kJsonl:
      for (const Hit& hit : result.hits) {
        json j = HitJson(hit);
        j["schema"] = kJsonSchemaVersion;
        j["query"] = result.query;
        PutJson(j, out);
      }
      break;
    case OutputFormat::kPaths:
      for (const Hit& hit : result.hits) std::fprintf(out, "%s\n", hit.article.path.c_str());
      break;
    case OutputFormat::kCount:
      std::fprintf(out, "%llu\n", static_cast<unsigned long long>(result.total));
      break;
  }
}

}  // namespace nsearch
