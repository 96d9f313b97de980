// End-to-end: mail, web archives, feeds and news pages indexed by the real
// nsearch-index and found by the real nsearch (tests/fixtures/formats).
#include <fstream>

#include <catch2/catch.hpp>

#include "tests/e2e/support.h"

using namespace e2e;

namespace {

const fs::path kFormats = fs::path(FIXTURES_DIR) / "formats";

std::set<std::string> Ids(const fs::path& db, const std::string& query) {
  std::set<std::string> found;
  const json result = ParseJson(SearchIn(db, {"--json", "-n", "0", query}).out);
  for (const auto& hit : result["hits"]) found.insert(hit["id"].get<std::string>());
  return found;
}

json FirstHit(const fs::path& db, const std::string& query) {
  const json result = ParseJson(SearchIn(db, {"--json", query}).out);
  return result["hits"].empty() ? json() : result["hits"][0];
}

RunResult IndexLoud(const fs::path& db, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {kIndexBin, "--db", db.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv);
}

long Counted(const std::string& err, const std::string& name) {
  const std::string line = Lines(err).empty() ? "" : Lines(err).back();
  const std::size_t at = line.find(" " + name);
  if (at == std::string::npos) return 0;
  const std::size_t start = line.rfind(' ', at - 1) + 1;
  return std::stol(line.substr(start, at - start));
}

// A corpus folder of the mail, feed, WARC (gzipped) and news page fixtures.
fs::path CopyCorpus(const TempDir& dir) {
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  for (const char* sub : {"mail", "feeds", "news-html"}) fs::copy(kFormats / sub, corpus / sub, fs::copy_options::recursive);
  fs::create_directories(corpus / "warc");
  fs::copy(kFormats / "warc" / "regional-crawl.warc.gz", corpus / "warc" / "regional-crawl.warc.gz");
  return corpus;
}

const std::string kSite = "http://127.0.0.1:8731/";
const std::string kPlainId = "briefing-20240108@coastalherald.example";
// The WARC-Record-ID of the bulletin.txt response in regional-crawl.warc.gz.
const std::string kBulletinId = "urn:uuid:865b9789-0a20-4f1e-bdb9-8c5084d1c276";

}  // namespace

TEST_CASE("mail, feeds, a WARC and news pages are indexed, found, and shown with their fields", "[e2e][formats]") {
  TempDir dir;
  const fs::path corpus = CopyCorpus(dir);
  const fs::path db = dir.path() / "idx";
  const RunResult r = IndexLoud(db, {corpus.string()});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);  // the broken message in the mbox
  const std::string mbox = fs::canonical(corpus / "mail" / "coastal-briefing.mbox").string();
  CHECK(Contains(r.err, "skipped " + mbox + ":20: no mail message after this From line (no header)\n"));
  // 4 from the mbox, 1 .eml, 3 + 2 feed items, 6 WARC responses, 4 pages.
  CHECK(Counted(r.err, "added") == 20);

  CHECK(Ids(db, "lindquay") == std::set<std::string>{kPlainId});
  CHECK(Ids(db, "spindrift") == std::set<std::string>{"briefing-20240110@coastalherald.example#tide-tables.txt"});
  CHECK(Ids(db, "porthcurnow").size() == 1);
  CHECK(Ids(db, "mizzenport") == std::set<std::string>{"https://estuarytimes.example/?p=1190"});
  CHECK(Ids(db, "larkspurry") == std::set<std::string>{"tag:harbourwatch.example,2024:entry-41"});
  CHECK(Ids(db, "cormorel") == std::set<std::string>{kBulletinId});
  CHECK(Ids(db, "quillmere").size() == 1);  // the page and its capture in the WARC: near-duplicates, one hit
  // Words only in sidebars, related lists, cookie banners, share bars and footers.
  for (const char* word : {"marrowgate", "brindlecombe", "pellucidor", "glimmerjar", "wyndcastle", "quenchwort",
                           "stallbridge", "saltingsby", "fernwhistle"}) {
    INFO(word);
    CHECK(Ids(db, word).empty());
  }

  const json hit = FirstHit(db, "lindquay");
  CHECK(hit["title"] == "Morning briefing: frost damages Lindquay orchards");
  CHECK(hit["date"] == "2024-01-08T07:00:00Z");
  CHECK(hit["author"] == "The Coastal Herald Briefing");
  CHECK(Contains(hit["snippet"].get<std::string>(), "Lindquay"));  // stored text for the snippet
  const json item = FirstHit(db, "dunmallow");
  CHECK(item["author"] == "Jon Arkle, Petra Vane");
  CHECK(item["url"] == "https://harbourwatch.example/2024/03/dunmallow-slipway");
  const json page = FirstHit(db, "cormorel");
  CHECK(page["url"] == kSite + "bulletin.txt");

  // id:, path: and --like find them.
  CHECK(Ids(db, "id:" + kPlainId) == std::set<std::string>{kPlainId});
  CHECK(Ids(db, "id:" + kBulletinId) == std::set<std::string>{kBulletinId});
  CHECK(Ids(db, "path:" + mbox).size() == 4);
  const RunResult like = SearchIn(db, {"--like", kPlainId});
  INFO("like: " << like.err);
  CHECK(like.exit_code != 2);
  CHECK(like.err.empty());
}

TEST_CASE("re-indexing a changed feed or mbox replaces its articles and drops the ones it lost", "[e2e][formats]") {
  TempDir dir;
  const fs::path corpus = CopyCorpus(dir);
  const fs::path db = dir.path() / "idx";
  REQUIRE(IndexLoud(db, {corpus.string()}).exit_code == 1);
  CHECK(Ids(db, "quayhollow").size() == 1);

  // Unchanged: nothing read again.
  RunResult again = IndexLoud(db, {});
  INFO("stderr: " << again.err);
  CHECK(Counted(again.err, "added") == 0);
  CHECK(Counted(again.err, "updated") == 0);
  CHECK(Counted(again.err, "unchanged") == 20);
  CHECK_FALSE(Contains(again.err, "coastal-briefing.mbox:20"));  // not read, so not reported

  // The feed loses its second item; the mbox loses its broken and last messages.
  const fs::path feed = corpus / "feeds" / "estuary-times.rss";
  std::string rss = ReadFile(feed);
  const std::size_t second = rss.find("  <item>\n    <title>Quayhollow");
  rss.erase(second, rss.find("</item>", second) + 8 - second);
  WriteFile(feed, rss);
  const fs::path mbox = corpus / "mail" / "coastal-briefing.mbox";
  std::string box = ReadFile(mbox);
  box = box.substr(0, box.find("From briefing@coastalherald.example Mon Jan  8 19:30"));
  WriteFile(mbox, box);
  const RunResult changed = IndexLoud(db, {});
  INFO("stderr: " << changed.err);
  CHECK(changed.exit_code == 0);
  // The Brackwater item has no guid or link: its id FILE#3 became FILE#2.
  CHECK(Counted(changed.err, "removed") == 5);  // 2 items, 2 messages and the attachment
  CHECK(Counted(changed.err, "updated") == 2);  // 1 item, 1 message
  CHECK(Counted(changed.err, "added") == 1);
  const std::string rss_path = fs::canonical(feed).string();
  CHECK(Ids(db, "brackwater") == std::set<std::string>{rss_path + "#2"});
  CHECK(SearchIn(db, {"quayhollow"}).exit_code == 1);
  CHECK(SearchIn(db, {"spindrift"}).exit_code == 1);
  CHECK(Ids(db, "mizzenport").size() == 1);
  CHECK(Ids(db, "lindquay") == std::set<std::string>{kPlainId});
  CHECK_FALSE((fs::exists(db / "pending") && !ReadFile(db / "pending").empty()));
}

TEST_CASE("a cut-short WARC and a malformed feed are named by record and line, the rest stays", "[e2e][formats][hostile]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  const std::string gz = ReadFile(kFormats / "warc" / "regional-crawl.warc.gz");
  WriteFile(corpus / "crawl.warc.gz", gz);
  std::string rss = ReadFile(kFormats / "feeds" / "estuary-times.rss");
  WriteFile(corpus / "broken.rss", rss.substr(0, rss.find("<title>Quayhollow") + 20));
  WriteFile(corpus / "story.txt", "Title: Gannet colony grows\n\nThe gannet colony on the stack has doubled.\n");
  const fs::path db = dir.path() / "idx";
  const RunResult first = IndexLoud(db, {corpus.string()});
  INFO("first: " << first.err);
  CHECK(first.exit_code == 1);
  const std::string feed = fs::canonical(corpus / "broken.rss").string();
  CHECK(Contains(first.err, "skipped " + feed + ":"));
  CHECK(Contains(first.err, ": malformed XML ("));
  CHECK(Ids(db, "mizzenport").size() == 1);  // the feed's item before its error
  REQUIRE(Ids(db, "cormorel").size() == 1);

  // The crawl is cut short: the records before the cut stay, and so do the others.
  WriteFile(corpus / "crawl.warc.gz", gz.substr(0, gz.size() / 2));
  const RunResult r = IndexLoud(db, {});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  const std::string crawl = fs::canonical(corpus / "crawl.warc.gz").string();
  std::vector<std::string> skipped;
  for (const std::string& line : Lines(r.err)) {
    if (StartsWith(line, "nsearch-index: skipped ")) skipped.push_back(line);
  }
  REQUIRE(skipped.size() == 1);
  CHECK(StartsWith(skipped[0], "nsearch-index: skipped " + crawl + "#"));
  CHECK(Ids(db, "cormorel").size() == 1);   // after the cut, kept from the earlier run
  CHECK(Ids(db, "quillmere").size() == 1);  // before the cut, read again
  CHECK(Ids(db, "mizzenport").size() == 1);
  CHECK(Ids(db, "gannet").size() == 1);
}

TEST_CASE("mail, a WARC and a feed inside a zip are read in the parse worker, problems named by member",
          "[e2e][formats][container]") {
  TempDir dir;
  const fs::path staging = dir.path() / "staging";
  fs::create_directories(staging);
  fs::copy(kFormats / "mail" / "porthcurnow-cafes.eml", staging / "cafes.eml");
  fs::copy(kFormats / "warc" / "regional-crawl.warc.gz", staging / "crawl.warc.gz");
  fs::copy(kFormats / "feeds" / "harbour-watch.atom", staging / "harbour.atom");
  WriteFile(staging / "bad.mbox", "just some text\nand more\n");
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  const std::string zip = (corpus / "bundle.zip").string();
  const RunResult z = Run({"/bin/sh", "-c", "cd '" + staging.string() + "' && /usr/bin/zip -q -r '" + zip + "' ."});
  REQUIRE(z.exit_code == 0);

  const fs::path db = dir.path() / "idx";
  const RunResult r = IndexLoud(db, {corpus.string()});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);  // the member that is no mailbox
  const std::string canonical = fs::canonical(zip).string();
  CHECK(Contains(r.err, "skipped " + canonical + "#bad.mbox:1: no \"From \" line: not an mbox mailbox\n"));
  CHECK(Ids(db, "porthcurnow").size() == 1);
  CHECK(Ids(db, "larkspurry") == std::set<std::string>{"tag:harbourwatch.example,2024:entry-41"});
  CHECK(Ids(db, "cormorel") == std::set<std::string>{kBulletinId});
  CHECK(FirstHit(db, "cormorel")["path"] == canonical);
  // 1 message, 2 feed entries, 6 WARC responses: all under the container's path.
  CHECK(Ids(db, "path:" + canonical).size() == 9);
}
