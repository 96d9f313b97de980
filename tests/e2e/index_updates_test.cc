// End-to-end tests of nsearch-index on a changing archive: incremental runs,
// --rebuild under concurrent searches and with paths, --compact, and how a
// new index's shards are written (threads, parts, spelling data). Each test
// copies or writes its own corpus.
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

#include "common/schema.h"

#include "tests/e2e/support.h"
#include "tests/e2e/indexer_support.h"

using namespace e2e;

TEST_CASE("a second run reads only what changed and removes the articles of deleted files", "[e2e][incremental]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "news";
  fs::copy(kNewsDir, corpus, fs::copy_options::recursive);
  const fs::path db = dir.path() / "idx";

  RunResult r = IndexVerbose(db, {corpus.string()});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(SummaryCounts(r.err) ==
        std::map<std::string, long>{{"added", 26}, {"updated", 0}, {"removed", 0}, {"unchanged", 0}, {"skipped", 0}});

  // Nothing changed: nothing is read again.
  r = IndexVerbose(db, {corpus.string()});
  CHECK(r.exit_code == 0);
  CHECK(SummaryCounts(r.err)["unchanged"] == 26);
  CHECK(SummaryCounts(r.err)["added"] == 0);

  // One article edited, one deleted, one added, one only touched.
  {
    std::ofstream(corpus / kWrexham, std::ios::app) << "\nThe club also signed a quokka as its mascot.\n";
  }
  fs::remove(corpus / kSwallows);
  Write(corpus / "local" / "new-quokka-sanctuary.txt", "Title: Quokka sanctuary opens\n\nA quokka sanctuary opened.\n");
  fs::last_write_time(corpus / kOpecCut, fs::last_write_time(corpus / kOpecCut) + std::chrono::hours(1));
  CHECK(Count(db, "swallows") == "1\n");
  const std::string opec_before = Count(db, "opec");

  // No paths: the folders the index remembers.
  r = IndexVerbose(db, {});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(SummaryCounts(r.err) ==
        std::map<std::string, long>{{"added", 1}, {"updated", 1}, {"removed", 1}, {"unchanged", 24}, {"skipped", 0}});
  CHECK(Count(db, "quokka") == "2\n");
  CHECK(SearchIn(db, {"swallows"}).exit_code == 1);
  CHECK(Count(db, "opec") == opec_before);

  // The touched file's new mtime was recorded: the next run reads nothing.
  r = IndexVerbose(db, {});
  CHECK(SummaryCounts(r.err)["unchanged"] == 26);
  CHECK(Contains(r.err, "0.0 MB read"));
}

TEST_CASE("an incremental run over one folder leaves the articles of the others alone", "[e2e][incremental]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "news";
  fs::copy(kNewsDir, corpus, fs::copy_options::recursive);
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);

  fs::remove(corpus / kCubaTalks);
  const RunResult r = IndexVerbose(db, {(corpus / "features").string()});
  CHECK(r.exit_code == 0);
  CHECK(SummaryCounts(r.err)["removed"] == 0);
  CHECK(Count(db, "\"migration talks\"") == "1\n");  // wire/ was not looked at

  const RunResult all = IndexVerbose(db, {});
  CHECK(SummaryCounts(all.err)["removed"] == 1);
  CHECK(SearchIn(db, {"\"migration talks\""}).exit_code == 1);
}

TEST_CASE("without paths, nsearch-index on a new index says to name them and exits 2", "[e2e][incremental]") {
  TempDir dir;
  const RunResult r = IndexVerbose(dir.path() / "idx", {});
  CHECK(r.exit_code == 2);
  CHECK(Lines(r.err).size() == 1);
  CHECK(Contains(r.err, "name the paths to index"));
  CHECK_FALSE(fs::exists(dir.path() / "idx"));
}

TEST_CASE("nsearch-index --rebuild switches to a new generation while searches keep answering", "[e2e][rebuild]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {kNewsDir.string()}).exit_code == 0);

  std::atomic<bool> done{false};
  std::atomic<int> searches{0};
  std::vector<std::string> failures;
  std::mutex failures_mu;
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        const RunResult r = SearchIn(db, {"--format", "count", "cuba OR oil OR election OR football"});
        ++searches;
        if (r.exit_code != 0 || r.out != "17\n") {
          std::lock_guard lock(failures_mu);
          failures.push_back("exit " + std::to_string(r.exit_code) + ", out '" + r.out + "', err '" + r.err + "'");
        }
      }
    });
  }
  for (int i = 0; i < 4; ++i) {
    const RunResult r = Index(db, {}, {"--rebuild"});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
  }
  done = true;
  for (std::thread& t : readers) t.join();
  INFO("first failure: " << (failures.empty() ? "" : failures.front()));
  CHECK(failures.empty());
  CHECK(searches > 0);

  // Only the live generation is left on disk.
  std::vector<std::string> generations;
  for (const auto& entry : fs::directory_iterator(db)) {
    if (StartsWith(entry.path().filename().string(), "gen-")) generations.push_back(entry.path().filename().string());
  }
  CHECK(generations == std::vector<std::string>{"gen-5"});
}

TEST_CASE("nsearch-index --compact merges the shards into one and keeps every article", "[e2e][rebuild]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {kNewsDir.string()}, {"--shards", "3"}).exit_code == 0);
  const std::string before = SearchIn(db, {"--format", "paths", "-n", "0", "cuba OR oil"}).out;

  const RunResult r = IndexVerbose(db, {"--compact"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  std::ifstream stub(db / "XAPIANDB");
  std::string stub_text((std::istreambuf_iterator<char>(stub)), std::istreambuf_iterator<char>());
  CHECK(Contains(stub_text, "glass gen-2/shard-0\n"));
  CHECK_FALSE(Contains(stub_text, "shard-1"));
  CHECK(SearchIn(db, {"--format", "paths", "-n", "0", "cuba OR oil"}).out == before);

  // Later runs still find every article in its shard.
  CHECK(IndexVerbose(db, {}).exit_code == 0);
  CHECK(SummaryCounts(IndexVerbose(db, {kNewsDir.string()}).err)["unchanged"] == 26);
}

TEST_CASE("a new index of several shards keeps all its spelling data in the first shard", "[e2e][spelling]") {
  // The second shard's thread adds half of the words beside the first
  // shard's; the first shard's compaction merges them in.
  TempDir dir;
  const fs::path one = dir.path() / "one", three = dir.path() / "three";
  REQUIRE(Index(one, {kNewsDir.string()}, {"--jobs", "1"}).exit_code == 0);
  REQUIRE(Index(three, {kNewsDir.string()}, {"--shards", "3"}).exit_code == 0);
  auto spellings = [](const fs::path& shard) {
    Xapian::Database db(shard.string());
    std::vector<std::pair<std::string, Xapian::doccount>> words;
    for (auto t = db.spellings_begin(); t != db.spellings_end(); ++t) words.emplace_back(*t, t.get_termfreq());
    return words;
  };
  const auto expected = spellings(one / "gen-1" / "shard-0");
  REQUIRE(expected.size() > 100);
  CHECK(spellings(three / "gen-1" / "shard-0") == expected);
  CHECK(spellings(three / "gen-1" / "shard-1").empty());
  CHECK(spellings(three / "gen-1" / "shard-2").empty());
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(three / "gen-1")) left.push_back(entry.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"shard-0", "shard-1", "shard-2"});
  CHECK(ParseJson(SearchIn(three, {"--json", "deportaton"}).out)["suggestion"] == "deportation");
}

TEST_CASE("a new index written by several threads is one shard that finds what an index of several shards finds",
          "[e2e][rebuild]") {
  TempDir dir;
  const fs::path merged = dir.path() / "merged", sharded = dir.path() / "sharded", single = dir.path() / "single";
  const RunResult r = IndexVerbose(merged, {"--jobs", "3", kNewsDir.string()});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.err, "(1 shard)"));
  REQUIRE(Index(sharded, {kNewsDir.string()}, {"--shards", "3"}).exit_code == 0);
  REQUIRE(Index(single, {kNewsDir.string()}, {"--jobs", "1"}).exit_code == 0);
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(merged / "gen-1")) left.push_back(entry.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"shard-0"});  // the writers' build databases are gone
  const Xapian::Database db((merged / "gen-1" / "shard-0").string());
  CHECK(db.get_doccount() == 26);
  CHECK(ParseJson(SearchIn(merged, {"--json", "deportaton"}).out)["suggestion"] == "deportation");
  // The same articles, by score, as with three shards (ties may differ).
  for (const std::string query : {"cuba OR oil", "\"deportation flights\"", "migration NOT cuba"}) {
    INFO(query);
    auto sorted = [](std::string paths) {
      std::vector<std::string> lines = Lines(paths);
      std::sort(lines.begin(), lines.end());
      return lines;
    };
    const std::vector<std::string> args = {"--format", "paths", "-n", "0", query};
    CHECK(sorted(SearchIn(merged, args).out) == sorted(SearchIn(sharded, args).out));
    CHECK(sorted(SearchIn(merged, args).out) == sorted(SearchIn(single, args).out));
  }
  // An update finds every article in the one shard.
  CHECK(SummaryCounts(IndexVerbose(merged, {kNewsDir.string()}).err)["unchanged"] == 26);
}

TEST_CASE("a new shard built in parts holds what it holds when built whole", "[e2e][rebuild]") {
  // Each part is a database of its own; the compactor merges them in order.
  // Parts of 1 article: 13 or so a shard, so the part size doubles once.
  TempDir dir;
  const fs::path whole = dir.path() / "whole", parts = dir.path() / "parts";
  REQUIRE(Index(whole, {kNewsDir.string()}, {"--shards", "2"}).exit_code == 0);
  REQUIRE(Index(parts, {kNewsDir.string()}, {"--shards", "2", "--part-size", "1"}).exit_code == 0);
  // Every document's terms, wdfs, positions and values, by docid, but when
  // it was indexed (the two runs' times differ): one stamp for a whole new
  // index, its parts included.
  std::set<std::string> stamps;
  auto contents = [&stamps](const fs::path& shard) {
    Xapian::Database db(shard.string());
    std::vector<std::string> docs;
    for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
      std::string doc = std::to_string(*d) + ":";
      for (auto t = db.termlist_begin(*d); t != db.termlist_end(*d); ++t) {
        doc += " " + *t + "/" + std::to_string(t.get_wdf());
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) doc += "," + std::to_string(*p);
      }
      const Xapian::Document document = db.get_document(*d);
      for (auto v = document.values_begin(); v != document.values_end(); ++v) {
        if (v.get_valueno() == nsearch::schema::kIndexedSlot) stamps.insert(*v);
        else doc += " #" + std::to_string(v.get_valueno()) + "=" + *v;
      }
      docs.push_back(doc);
    }
    std::vector<std::string> words;
    for (auto t = db.spellings_begin(); t != db.spellings_end(); ++t) {
      words.push_back(*t + "/" + std::to_string(t.get_termfreq()));
    }
    return std::make_pair(docs, words);
  };
  for (const char* shard : {"shard-0", "shard-1"}) {
    INFO(shard);
    stamps.clear();
    const auto expected = contents(whole / "gen-1" / shard);
    REQUIRE(expected.first.size() > 9);  // more than eight parts
    CHECK(stamps.size() == 1);
    stamps.clear();
    CHECK(contents(parts / "gen-1" / shard) == expected);
    CHECK(stamps.size() == 1);
  }
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(parts / "gen-1")) left.push_back(entry.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"shard-0", "shard-1"});
  CHECK(SearchIn(parts, {"--format", "paths", "-n", "0", "cuba OR oil"}).out ==
        SearchIn(whole, {"--format", "paths", "-n", "0", "cuba OR oil"}).out);
  CHECK(ParseJson(SearchIn(parts, {"--json", "deportaton"}).out)["suggestion"] == "deportation");
}

TEST_CASE("nsearch-index --rebuild with paths indexes and remembers only those paths", "[e2e][rebuild]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  const fs::path wire = kNewsDir / "wire", features = kNewsDir / "features";
  REQUIRE(Index(db, {wire.string(), features.string()}).exit_code == 0);
  CHECK(Count(db, "cuba") == "6\n");

  REQUIRE(Index(db, {wire.string()}, {"--rebuild"}).exit_code == 0);
  const std::string wire_only = Count(db, "cuba");
  CHECK(wire_only == "4\n");
  // A later run without paths updates the wire folder alone.
  const RunResult r = IndexVerbose(db, {});
  CHECK(r.exit_code == 0);
  CHECK(SummaryCounts(r.err)["added"] == 0);
  CHECK(Count(db, "cuba") == wire_only);
}
