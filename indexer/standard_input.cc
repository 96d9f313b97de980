#include "indexer/standard_input.h"

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>

#include "common/source_state.h"
#include "indexer/document_builder.h"
#include "indexer/json_reader.h"

namespace nsearch {
namespace {

constexpr const char* kStdinPath = "-";  // the source of articles read from standard input

}  // namespace

void ReadStandardInput(WriterThreads& writers, const Share& share, const Indexer::SkipReporter& on_skip, IndexSummary& summary,
                       IndexProgress& progress, const std::atomic<bool>& stop) {
  std::string line;
  for (std::uint64_t number = 1; !stop && std::getline(std::cin, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    summary.bytes += line.size() + 1;
    progress.bytes_done.fetch_add(line.size() + 1, std::memory_order_relaxed);
    JsonArticles parsed = ParseJsonArticles(line, kStdinPath, /*json_lines=*/true);
    for (const std::string& problem : parsed.problems) {
      ++summary.skipped["malformed"];
      // The parser numbers the line it was given, always line 1.
      std::string reason = problem;
      if (reason.rfind("line 1", 0) == 0) reason = "line " + std::to_string(number) + reason.substr(6);
      on_skip({kStdinPath, "malformed", reason});
    }
    for (Article& article : parsed.articles) {
      if (article.id == std::string(kStdinPath) + "#1") {
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(ContentHash(line)));
        article.id = std::string("stdin:") + hex;
      }
      if (!share.Holds(article.id)) continue;
      ShardOp op;
      op.source.path = kStdinPath;
      const unsigned shard = share.ShardOf(article.id, writers.shards());
      op.article = std::move(article);
      writers.Push(shard, std::move(op));
    }
  }
}

}  // namespace nsearch
