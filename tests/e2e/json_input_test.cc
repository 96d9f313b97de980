// End-to-end tests of nsearch-index's JSON, JSON Lines and non-UTF-8 text
// inputs, from files and from standard input.
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

TEST_CASE("JSON, JSON Lines and non-UTF-8 text articles are indexed, and a bad line is named", "[e2e][formats]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "formats";
  fs::create_directories(corpus);
  for (const auto& entry : fs::directory_iterator(fs::path(FIXTURES_DIR) / "formats")) {
    if (entry.is_regular_file()) fs::copy(entry.path(), corpus / entry.path().filename());  // not mail/, warc/, ...
  }
  fs::remove(corpus / "README.md");  // it names the fixtures' words
  const fs::path db = dir.path() / "idx";
  const RunResult r = IndexVerbose(db, {corpus.string()});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);  // one input skipped
  CHECK(Contains(r.err, "skipped " + fs::canonical(corpus / "wire-feed.jsonl").string() + ": line 4: malformed JSON"));
  CHECK(SummaryCounts(r.err)["added"] == 7);  // 3 + 2 JSON articles, 1 HTML page, 1 Latin-1 text

  auto ids = [&](const std::string& query) {
    std::set<std::string> found;
    const json result = ParseJson(SearchIn(db, {"--json", "-n", "0", query}).out);
    for (const auto& hit : result["hits"]) {
      found.insert(hit["id"].get<std::string>());
    }
    return found;
  };
  CHECK(ids("kestrelmouth") == std::set<std::string>{"feed-0001"});
  CHECK(ids("valdemora") == std::set<std::string>{"feed-0002"});
  CHECK(ids("brannock") == std::set<std::string>{"5001", "5002"});
  CHECK(ids("récolte").size() == 1);  // the Latin-1 article, decoded
  CHECK(ids("polwenna").size() == 1);     // the HTML page
  CHECK(ids("trackingpixel").empty());   // its script is not text
  // The Spanish article is stemmed in Spanish: "lluvia" finds "lluvias".
  CHECK(ids("lluvia") == std::set<std::string>{"feed-0002"});

  // Editing the feed replaces its articles and removes the one it dropped.
  {
    std::ifstream in(corpus / "wire-feed.jsonl");
    std::string first;
    std::getline(in, first);
    std::ofstream(corpus / "wire-feed.jsonl", std::ios::trunc) << first << "\n";
  }
  const RunResult again = IndexVerbose(db, {});
  INFO("stderr: " << again.err);
  CHECK(SummaryCounts(again.err)["removed"] == 2);
  CHECK(SummaryCounts(again.err)["updated"] == 1);
  CHECK(ids("kestrelmouth") == std::set<std::string>{"feed-0001"});
  CHECK(SearchIn(db, {"valdemora"}).exit_code == 1);
}

TEST_CASE("nsearch-index - reads JSON Lines from standard input", "[e2e][formats]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  const fs::path feed = dir.path() / "feed.txt";
  Write(feed, "{\"title\": \"Walrus seen in harbour\", \"body\": \"A walrus rested on the slipway.\"}\n"
              "not json\n"
              "{\"id\": \"w2\", \"title\": \"Second walrus\", \"body\": \"Another walrus.\"}\n");
  // Run() gives the child /dev/null as stdin; a shell redirects the feed.
  const RunResult r = Run({"/bin/sh", "-c", "exec \"$0\" --db \"$1\" - < \"$2\"", kIndexBin, db.string(), feed.string()});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.err, "skipped -: line 2: malformed JSON"));
  CHECK(Count(db, "walrus") == "2\n");
  // The same feed again replaces rather than duplicates, id or not.
  CHECK(Run({"/bin/sh", "-c", "exec \"$0\" --db \"$1\" - < \"$2\"", kIndexBin, db.string(), feed.string()}).exit_code == 1);
  CHECK(Count(db, "walrus") == "2\n");
}
