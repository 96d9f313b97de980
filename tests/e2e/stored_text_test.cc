// End-to-end tests of the text an index keeps: snippets from the whole text,
// and the stored text's compression dictionary in each shard and in the
// metadata.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <numeric>
#include <thread>
#include <utility>
#include <vector>

#include <xapian.h>

#include "tests/e2e/support.h"
#include "tests/e2e/indexer_support.h"

using namespace e2e;

TEST_CASE("snippets come from the whole text: the file when unchanged, else what the index keeps",
          "[e2e][snippets]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  std::string filler;
  for (int i = 0; i < 40; ++i) filler += "The council met again to discuss the harbour budget. ";
  const std::string text_article = "Title: Harbour budget\n\n" + filler + "Late in the meeting a narwhal was sighted.\n";
  Write(corpus / "long.txt", text_article);
  Write(corpus / "feed.jsonl",
        "{\"id\": \"j1\", \"title\": \"Feed budget\", \"body\": \"" + filler + "At the end an ocelot escaped.\"}\n");
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);

  auto snippet = [&](const std::string& query) {
    const RunResult r = SearchIn(db, {"--json", query});
    INFO("query: " << query << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    const json result = ParseJson(r.out);
    REQUIRE(result["hits"].size() == 1);
    return result["hits"][0]["snippet"].get<std::string>();
  };
  // The index keeps a preview of the text file; the snippet is cut from the file.
  CHECK(Contains(snippet("narwhal"), "narwhal was sighted"));
  // A JSON feed's article keeps its whole text in the index.
  CHECK(Contains(snippet("ocelot"), "ocelot escaped"));

  // Touched since (a new mtime, the same text): still cut from the file.
  fs::last_write_time(corpus / "long.txt", fs::last_write_time(corpus / "long.txt") + std::chrono::hours(1));
  CHECK(Contains(snippet("narwhal"), "narwhal was sighted"));
  // Other text of the same size: from the preview.
  std::string same_size = text_article;
  same_size.replace(same_size.find("sighted"), 7, "spotted");
  Write(corpus / "long.txt", same_size);
  CHECK_FALSE(Contains(snippet("narwhal"), "spotted"));
  CHECK(Contains(snippet("narwhal"), "harbour budget"));

  // The text file changed since it was indexed: the hit stays, its snippet
  // comes from the preview, never from the new text.
  Write(corpus / "long.txt", "Title: Harbour budget\n\nSomething else entirely.\n");
  const std::string from_preview = snippet("narwhal");
  CHECK_FALSE(Contains(from_preview, "Something else"));
  CHECK(Contains(from_preview, "harbour budget"));
  fs::remove(corpus / "feed.jsonl");
  CHECK(Contains(snippet("ocelot"), "ocelot escaped"));
}

namespace {

// A JSON Lines feed of `n` articles of news-like sentences, enough text for
// nsearch-index to train a dictionary (the fixture corpus is too small, and
// of a text file only a preview is stored), written to `path`. Different
// `seed`s give different words, and so different dictionaries.
void WriteFeed(const fs::path& path, int n, unsigned seed) {
  static const char* const kWords[] = {
      "government", "minister", "said",     "market",  "prices",   "oil",     "shares",   "rose",
      "fell",       "percent",  "election", "voters",  "council",  "storm",   "flights",  "cancelled",
      "talks",      "agreement", "trade",   "exports", "football", "club",    "season",   "final",
      "the",        "of",       "and",      "in",      "a",        "on",      "after",    "week"};
  std::uint32_t state = seed;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  std::string feed;
  for (int i = 0; i < n; ++i) {
    std::string body;
    for (int w = 0; w < 400; ++w) {
      body += kWords[(next() + seed) % std::size(kWords)];
      body += w % 15 == 14 ? ". " : " ";
    }
    feed += json{{"id", "s" + std::to_string(seed) + "-" + std::to_string(i)},
                 {"title", "Report " + std::to_string(i)},
                 {"source", "Wire"},
                 {"body", body}}
                .dump() +
            "\n";
  }
  Write(path, feed);
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("the stored text's dictionary is a file in each shard and a search that cannot use it reads the metadata's",
          "[e2e][rebuild]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx", other = dir.path() / "other";
  WriteFeed(dir.path() / "news" / "feed.jsonl", 80, 1);
  WriteFeed(dir.path() / "more" / "feed.jsonl", 80, 7);
  REQUIRE(Index(db, {(dir.path() / "news").string()}, {"--shards", "2"}).exit_code == 0);
  REQUIRE(Index(other, {(dir.path() / "more").string()}, {"--jobs", "1"}).exit_code == 0);

  const std::string metadata = Xapian::Database((db / "gen-1" / "shard-0").string()).get_metadata("nsearch.textdict");
  REQUIRE(metadata.size() > 4096);
  for (const char* shard : {"shard-0", "shard-1"}) {
    INFO(shard);
    CHECK(ReadAll(db / "gen-1" / shard / "nsearch.textdict") == metadata);
  }
  // Also the one shard that two writers' shards are merged into.
  const fs::path merged = dir.path() / "merged";
  REQUIRE(Index(merged, {(dir.path() / "news").string()}, {"--jobs", "2"}).exit_code == 0);
  CHECK_FALSE(fs::exists(merged / "gen-1" / "shard-1"));
  CHECK(ReadAll(merged / "gen-1" / "shard-0" / "nsearch.textdict") ==
        Xapian::Database((merged / "gen-1" / "shard-0").string()).get_metadata("nsearch.textdict"));
  const fs::path file = db / "gen-1" / "shard-0" / "nsearch.textdict";
  const std::string foreign = ReadAll(other / "gen-1" / "shard-0" / "nsearch.textdict");
  REQUIRE(!foreign.empty());
  REQUIRE(foreign != metadata);

  // Snippets and JSON come from the stored text of hits of both shards.
  const std::vector<std::string> query = {"--json", "-n", "8", "--snippet-length", "120", "storm flights"};
  const RunResult expected = SearchIn(db, query);
  REQUIRE(expected.exit_code == 0);
  const json hits = ParseJson(expected.out)["hits"];
  REQUIRE(hits.size() == 8);
  for (const json& hit : hits) {
    const std::string snippet = hit["snippet"].get<std::string>();
    CHECK((Contains(snippet, "storm") || Contains(snippet, "flights")));
  }

  // Another index's dictionary, a damaged file, or none: the same answer.
  Write(file, foreign);
  CHECK(SearchIn(db, query).out == expected.out);
  Write(file, "not a zstd dictionary at all");
  CHECK(SearchIn(db, query).out == expected.out);
  fs::remove(file);
  CHECK(SearchIn(db, query).out == expected.out);

  // An update puts the file back; --compact writes one beside its shard.
  CHECK(Index(db, {}).exit_code == 0);
  CHECK(ReadAll(file) == metadata);
  CHECK(Index(db, {}, {"--compact"}).exit_code == 0);
  CHECK(ReadAll(db / "gen-2" / "shard-0" / "nsearch.textdict") == metadata);
  CHECK(ParseJson(SearchIn(db, query).out)["hits"].size() == 8);
}
