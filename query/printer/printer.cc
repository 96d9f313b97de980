#include "query/printer/printer.h"

#include "query/printer/count_printer.h"
#include "query/printer/json_printer.h"
#include "query/printer/jsonl_printer.h"
#include "query/printer/list_printer.h"
#include "query/printer/text_printer.h"
#include "query/printer/tsv_printer.h"

namespace nsearch {

std::string_view OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kText: return "text";
    case OutputFormat::kJson: return "json";
    case OutputFormat::kJsonl: return "jsonl";
    case OutputFormat::kTsv: return "tsv";
    case OutputFormat::kPaths: return "paths";
    case OutputFormat::kIds: return "ids";
    case OutputFormat::kCount: return "count";
  }
  return "text";
}

std::optional<OutputFormat> OutputFormatNamed(std::string_view name) {
  for (const OutputFormat format : kOutputFormats) {
    if (OutputFormatName(format) == name) return format;
  }
  return std::nullopt;
}

std::string OutputFormatNames() {
  std::string names;
  for (const OutputFormat format : kOutputFormats) {
    names += (names.empty() ? "" : ", ") + std::string(OutputFormatName(format));
  }
  return names;
}

bool ShowsSnippets(OutputFormat format) {
  return format == OutputFormat::kText || format == OutputFormat::kJson || format == OutputFormat::kJsonl;
}

std::unique_ptr<Printer> MakePrinter(OutputFormat format, const PrintOptions& options) {
  const char terminator = options.nul_terminated ? '\0' : '\n';
  switch (format) {
    case OutputFormat::kText: return std::make_unique<TextPrinter>(options.color);
    case OutputFormat::kJson: return std::make_unique<JsonPrinter>();
    case OutputFormat::kJsonl: return std::make_unique<JsonLinesPrinter>();
    case OutputFormat::kTsv: return std::make_unique<TsvPrinter>();
    case OutputFormat::kPaths: return std::make_unique<ListPrinter>(ListPrinter::kPaths, terminator);
    case OutputFormat::kIds: return std::make_unique<ListPrinter>(ListPrinter::kIds, terminator);
    case OutputFormat::kCount: return std::make_unique<CountPrinter>();
  }
  return std::make_unique<TextPrinter>(options.color);
}

void WarnMissingShards(const std::vector<MissingShard>& missing, std::set<std::string>& warned, std::FILE* err) {
  for (const MissingShard& shard : missing) {
    if (!warned.insert(shard.name).second) continue;
    std::fprintf(err, "nsearch: warning: index shard %s left out (%s); results are from the other shards\n",
                 shard.name.c_str(), shard.reason.c_str());
  }
}

}  // namespace nsearch
