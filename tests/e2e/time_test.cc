// End-to-end tests of dates to the second: a day's wire stories ordered by
// their time, date: ranges with times, and --since/--until counted back from
// a "now" fixed with NSEARCH_NOW, on a corpus of its own.
#include <xapian.h>

#include "tests/e2e/support.h"

using namespace e2e;

namespace {

// Four stories of 2022-04-20 and one of the day before. The times are
// written in three forms (UTC, an offset, RFC 2822) so that the order is by
// the UTC instant, not by the text: "dawn" at 09:10+02:00 is 07:10Z.
class WireDay {
 public:
  WireDay() {
    const fs::path corpus = dir_.path() / "corpus";
    fs::create_directories(corpus);
    Story(corpus, "dawn", "2022-04-20T09:10:00+02:00", "Ferry sailings cancelled as gales close the harbour");
    Story(corpus, "noon", "2022-04-20T12:00:00Z", "Harbour reopens to ferry traffic after the gales");
    Story(corpus, "evening", "Wed, 20 Apr 2022 17:45:30 +0000", "Ferry operator counts the cost of the harbour closure");
    Story(corpus, "dayonly", "2022-04-20", "Harbour ferry timetable for the week");
    Story(corpus, "eve", "2022-04-19T22:00:00Z", "Gale warning issued for the harbour ferry routes");
    db_ = dir_.path() / "idx";
    const RunResult r = Index(db_, {corpus.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }

  // Article names of `args` in rank order, with "now" fixed at `now`.
  std::vector<std::string> Ranked(std::vector<std::string> args, const std::string& now = "2022-04-20T18:00:00Z") const {
    args.insert(args.begin(), {"--format", "paths", "-n", "0"});
    const RunResult r = SearchIn(db_, args, {{"NSEARCH_NOW", now}});
    INFO("stderr: " << r.err);
    std::vector<std::string> names;
    for (const std::string& line : Lines(r.out)) names.push_back(fs::path(line).stem().string());
    CHECK(r.exit_code == (names.empty() ? 1 : 0));
    return names;
  }

  RunResult Run(const std::vector<std::string>& args, const EnvChanges& env = {}) const {
    return SearchIn(db_, args, env);
  }

  const fs::path& db() const { return db_; }

 private:
  static void Story(const fs::path& corpus, const std::string& name, const std::string& date, const std::string& title) {
    WriteFile(corpus / (name + ".txt"), "Title: " + title + "\nDate: " + date + "\nSource: Wire\n\n" + title +
                                            ". The harbour master said ferry crews were standing by.\n");
  }

  TempDir dir_;
  fs::path db_;
};

using Order = std::vector<std::string>;

}  // namespace

TEST_CASE("nsearch --sort newest and oldest order one day's stories by their time, a day alone at its start", "[e2e][time]") {
  const WireDay day;
  CHECK(day.Ranked({"--sort", "newest", "date:2022-04-20", "ferry"}) == Order{"evening", "noon", "dawn", "dayonly"});
  CHECK(day.Ranked({"--sort", "oldest", "date:2022-04-20", "ferry"}) == Order{"dayonly", "dawn", "noon", "evening"});
  CHECK(day.Ranked({"--sort", "newest", "ferry"}) == Order{"evening", "noon", "dawn", "dayonly", "eve"});
  CHECK(day.Ranked({"--sort", "oldest", "ferry"}) == Order{"eve", "dayonly", "dawn", "noon", "evening"});
}

TEST_CASE("date: ranges take times to the minute, in UTC or at an offset", "[e2e][time]") {
  const WireDay day;
  CHECK(day.Ranked({"--sort", "oldest", "date:2022-04-20T10:00..2022-04-20T16:00"}) == Order{"noon"});
  CHECK(day.Ranked({"--sort", "oldest", "date:2022-04-20T07:10..2022-04-20T12:00"}) == Order{"dawn", "noon"});
  // 09:10 at +02:00 is 07:10 UTC; a minute bound covers its whole minute.
  CHECK(day.Ranked({"date:2022-04-20T09:10+02:00"}) == Order{"dawn"});
  CHECK(day.Ranked({"--sort", "oldest", "date:2022-04-20T12:00.."}) == Order{"noon", "evening"});
  CHECK(day.Ranked({"--sort", "oldest", "date:..2022-04-20T07:10"}) == Order{"eve", "dayonly", "dawn"});
  CHECK(day.Ranked({"--sort", "oldest", "date:2022-04-20T17:45:30..2022-04-21"}) == Order{"evening"});
  // A day bound covers its whole day, and the older forms still work.
  CHECK(day.Ranked({"--sort", "oldest", "date:2022-04-19T23:00..2022-04-20"}) == Order{"dayonly", "dawn", "noon", "evening"});
  CHECK(day.Ranked({"--sort", "oldest", "date:2022-04", "year:2022", "month:2022-04"}).size() == 5);
  for (const std::string bad : {"date:2022-04-20T16:00..2022-04-20T10:00", "date:2022-04-20T25:00", "date:2022-04-20T10"}) {
    const RunResult r = day.Run({bad});
    INFO("query: " << bad);
    CHECK(r.exit_code == 2);
    CHECK(Contains(r.err, "malformed query"));
  }
}

TEST_CASE("nsearch --since and --until count hours and minutes back from NSEARCH_NOW", "[e2e][time]") {
  const WireDay day;
  // Now is 18:00Z: 2h back is 16:00, 90m back 16:30, 11h back 07:00.
  CHECK(day.Ranked({"--since", "2h", "ferry"}) == Order{"evening"});
  CHECK(day.Ranked({"--since", "90m", "ferry"}) == Order{"evening"});
  CHECK(day.Ranked({"--sort", "oldest", "--since", "11h", "ferry"}) == Order{"dawn", "noon", "evening"});
  CHECK(day.Ranked({"--sort", "oldest", "--until", "6h", "ferry"}) == Order{"eve", "dayonly", "dawn", "noon"});
  CHECK(day.Ranked({"--since", "14m", "ferry"}, "2022-04-20T17:59:00Z") == Order{"evening"});
  CHECK(day.Ranked({"--since", "13m", "ferry"}, "2022-04-20T17:59:00Z").empty());
  // Days count whole UTC days: 1d back from the 20th is all of the 19th on.
  CHECK(day.Ranked({"--sort", "oldest", "--since", "1d", "--until", "1d", "ferry"}) == Order{"eve"});
  CHECK(day.Ranked({"--sort", "oldest", "--since", "2022-04-20T12:00", "--until", "2022-04-20T17:45", "ferry"}) ==
        Order{"noon", "evening"});
  const RunResult bad = day.Run({"--since", "2h", "ferry"}, {{"NSEARCH_NOW", "teatime"}});
  CHECK(bad.exit_code == 2);
  CHECK(Contains(bad.err, "NSEARCH_NOW"));
}

TEST_CASE("the text output shows a hit's time and zone when the article has one", "[e2e][time]") {
  const WireDay day;
  const RunResult r = day.Run({"--sort", "oldest", "--color", "never", "ferry"});
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.out, "2022-04-19 22:00 UTC · Wire"));
  CHECK(Contains(r.out, "2022-04-20 · Wire"));
  CHECK(Contains(r.out, "2022-04-20 09:10 +02:00 · Wire"));
  CHECK(Contains(r.out, "2022-04-20 17:45:30 "));
}

TEST_CASE("an index of schema 4, its dates to the day, is to be rebuilt", "[e2e][time]") {
  const WireDay day;
  int shards = 0;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(day.db())) {
    if (!e.is_directory() || !StartsWith(e.path().filename().string(), "shard-")) continue;
    Xapian::WritableDatabase shard(e.path().string(), Xapian::DB_OPEN);
    shard.set_metadata("nsearch.schema", "4");
    shard.commit();
    ++shards;
  }
  REQUIRE(shards > 0);
  const RunResult r = day.Run({"ferry"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(Lines(r.err).size() == 1);
  CHECK(Contains(r.err, "has schema version '4', this nsearch reads version 5; rebuild it with: nsearch-index --db " +
                            day.db().string() + " --rebuild"));
  const RunResult update = Index(day.db(), {});
  CHECK(update.exit_code != 0);
  CHECK(Contains(update.err, "nsearch-index --rebuild"));
  const RunResult rebuilt = Index(day.db(), {}, {"--rebuild"});
  INFO(rebuilt.err);
  CHECK(rebuilt.exit_code == 0);
  CHECK(day.Ranked({"--sort", "newest", "date:2022-04-20", "ferry"}) == Order{"evening", "noon", "dawn", "dayonly"});
}
