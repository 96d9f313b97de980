#include "query/printer/info_printer.h"

#include <cstdint>
#include <iterator>

#include <nlohmann/json.hpp>

#include "query/printer/escape.h"
#include "query/printer/json_printer.h"

namespace nsearch {
namespace {

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

void PrintInfoText(const IndexInfo& info, Output& out) {
  std::string languages;
  for (const auto& [language, articles] : info.languages) {
    languages += (languages.empty() ? "" : ", ") + language + " (" + std::to_string(articles) + ")";
  }
  std::string roots;
  for (const std::string& root : info.roots) roots += (roots.empty() ? "" : "\n" + std::string(18, ' ')) + root;
  const auto line = [&](const char* name, const std::string& value) { out.Format("%-17s %s\n", name, value.c_str()); };
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

}  // namespace

std::string InfoJson(const IndexInfo& info) {
  using nlohmann::json;
  json languages = json::object();
  for (const auto& [language, articles] : info.languages) languages[language] = articles;
  return JsonLine(json{{"schema", kJsonSchemaVersion},
                       {"index", info.dir.string()},
                       {"index_schema", info.schema ? json(*info.schema) : json(nullptr)},
                       {"articles", info.articles},
                       {"terms", info.terms},
                       {"default_language", info.default_language},
                       {"languages", std::move(languages)},
                       {"roots", info.roots},
                       {"shards", info.shards},
                       {"size_bytes", info.size_bytes},
                       {"updated", info.updated.empty() ? json(nullptr) : json(info.updated)}});
}

void PrintIndexInfo(const IndexInfo& info, bool json, Output& out) {
  if (json) {
    out.Write(InfoJson(info));
  } else {
    PrintInfoText(info, out);
  }
}

}  // namespace nsearch
