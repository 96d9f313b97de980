// Printers: what --info shows when the index records less (an index written
// before a metadata key existed): the facts that exist, and a clear "not
// recorded" (JSON null) for the rest, never a made-up value.
#include <cstdio>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "query/printer.h"

namespace {

std::string Printed(const nsearch::IndexInfo& info, bool json) {
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  nsearch::PrintIndexInfo(info, json, out);
  std::string text(static_cast<std::size_t>(std::ftell(out)), '\0');
  std::rewind(out);
  REQUIRE(std::fread(text.data(), 1, text.size(), out) == text.size());
  std::fclose(out);
  return text;
}

nsearch::IndexInfo OldIndex() {
  nsearch::IndexInfo info;
  info.dir = "/srv/idx";
  info.articles = 3;
  info.terms = 120;
  info.shards = 1;
  info.size_bytes = 2500;
  return info;  // no schema, language, roots or update time recorded
}

}  // namespace

TEST_CASE("nsearch --info --json shows null for what the index does not record", "[printer]") {
  const nlohmann::json j = nlohmann::json::parse(Printed(OldIndex(), true));
  CHECK(j["schema"] == nsearch::kJsonSchemaVersion);
  CHECK(j["articles"] == 3);
  CHECK(j["size_bytes"] == 2500);
  CHECK(j["index_schema"].is_null());
  CHECK(j["updated"].is_null());
  CHECK(j["roots"] == nlohmann::json::array());
  CHECK(j["languages"] == nlohmann::json::object());
}

TEST_CASE("nsearch --info text says 'not recorded' rather than leaving a value out", "[printer]") {
  const std::string text = Printed(OldIndex(), false);
  CHECK(text.find("updated:          (not recorded)\n") != std::string::npos);
  CHECK(text.find("schema:           (not recorded)\n") != std::string::npos);
  CHECK(text.find("roots:            (not recorded)\n") != std::string::npos);
  CHECK(text.find("size:             2.5 kB (2500 bytes)\n") != std::string::npos);

  nsearch::IndexInfo info = OldIndex();
  info.roots = {"/news/a", "/news/b"};
  info.updated = "2024-05-01T09:30:00Z";
  const std::string two_roots = Printed(info, false);
  CHECK(two_roots.find("roots:            /news/a\n                  /news/b\n") != std::string::npos);
  CHECK(two_roots.find("updated:          2024-05-01T09:30:00Z\n") != std::string::npos);
}
