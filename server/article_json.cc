#include "server/article_json.h"

#include <nlohmann/json.hpp>

#include "query/printer/info_printer.h"
#include "query/printer/json_printer.h"

namespace nsearch::server {
namespace {

using nlohmann::ordered_json;

// As the printers write JSON: one line, invalid UTF-8 replaced by U+FFFD.
std::string Line(const ordered_json& j) {
  std::string text = j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  text += '\n';
  return text;
}

}  // namespace

std::string ArticleJson(const Hit& hit) {
  const Article& a = hit.article;
  ordered_json fields = ordered_json::object();
  for (const auto& [name, value] : a.extra_fields) {
    auto it = fields.find(name);
    if (it == fields.end()) fields[name] = value;
    else *it = it->get<std::string>() + ", " + value;
  }
  ordered_json matches = ordered_json::array();
  for (const auto& [begin, end] : hit.highlights) matches.push_back({begin, end});
  ordered_json j = ordered_json::object();
  j["schema"] = kJsonSchemaVersion;
  j["id"] = a.id;
  j["path"] = a.path;
  j["title"] = a.title;
  j["date"] = a.date;
  j["source"] = a.source;
  j["author"] = a.author;
  j["url"] = a.url;
  j["language"] = a.language;
  j["fields"] = std::move(fields);
  j["text"] = hit.snippet;
  j["matches"] = std::move(matches);
  return Line(j);
}

std::string ErrorJson(const std::string& message) { return Line(ordered_json{{"error", message}}); }

}  // namespace nsearch::server
