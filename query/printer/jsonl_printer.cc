#include "query/printer/jsonl_printer.h"

#include "query/printer/escape.h"
#include "query/printer/json_printer.h"

namespace nsearch {

void JsonLinesPrinter::Print(const SearchResult& result, Output& out) const {
  for (const Hit& hit : result.hits) {
    nlohmann::json j = HitJson(hit, result.explained);
    j["schema"] = kJsonSchemaVersion;
    j["query"] = result.query;
    out.Write(JsonLine(j));
  }
}

}  // namespace nsearch
