// End-to-end tests of indexes built separately and searched as one through
// a stub (docs/scaling.md): the fixture corpus's wire stories indexed into
// one index, the rest into another, each compressing its stored text with a
// zstd dictionary of its own and recording its own metadata. Listed in one
// stub, local or served by real xapian-tcpsrv servers, in either order,
// every output format gives the hits an index of the whole corpus gives.
#include "tests/e2e/support.h"
#include "tests/e2e/remote_server.h"

using namespace e2e;

namespace {

inline const std::string kMetadataBin = XAPIAN_METADATA_BIN;

// The shards an index's stub lists, as absolute paths.
std::vector<fs::path> ShardsOf(const fs::path& db) {
  std::vector<fs::path> shards;
  for (const std::string& line : Lines(ReadFile(db / "XAPIANDB"))) {
    if (StartsWith(line, "glass ")) shards.push_back(fs::absolute(db / line.substr(6)));
  }
  return shards;
}

// The body of a fixture article: what follows its header's blank line.
std::vector<std::string> Paragraphs(const fs::path& article) {
  std::vector<std::string> paragraphs;
  bool body = false;
  for (const std::string& line : Lines(ReadFile(article))) {
    if (body && !line.empty()) paragraphs.push_back(line);
    body = body || line.empty();
  }
  return paragraphs;
}

// A folder `folder` holding the fixture articles of `parts` (folders of the
// news corpus) and kNotes archive notes made of their paragraphs: enough
// text for nsearch-index to train a dictionary (16 articles and 40 KB at
// least of what it stores), trained on that text alone.
void WriteCorpus(const fs::path& folder, const std::string& name, const std::vector<std::string>& parts) {
  constexpr int kNotes = 150;
  std::vector<std::string> paragraphs;
  for (const std::string& part : parts) {
    fs::create_directories(folder / part);
    for (const auto& entry : fs::directory_iterator(kNewsDir / part)) {
      fs::copy_file(entry.path(), folder / part / entry.path().filename());
      for (std::string& p : Paragraphs(entry.path())) paragraphs.push_back(std::move(p));
    }
  }
  fs::create_directories(folder / "notes");
  for (int i = 0; i < kNotes; ++i) {
    std::string text = "Title: " + name + " archive note " + std::to_string(i) + "\nDate: 2021-0" +
                       std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10) + "\nSource: " + name +
                       " archive\nLanguage: en\n\n";
    for (std::size_t k = 0; k < 4; ++k) text += paragraphs[(static_cast<std::size_t>(i) * 7 + k * 3) % paragraphs.size()] + "\n\n";
    text += "Filed under " + name + " reference " + std::to_string(i * 7919) + ".\n";
    WriteFile(folder / "notes" / (name + "-" + std::to_string(i) + ".txt"), text);
  }
}

// The wire stories in one index, features and local news in another (each
// with archive notes of its own), and all of it in a third.
class SeparateIndexes {
 public:
  SeparateIndexes() {
    WriteCorpus(dir_.path() / "wire-corpus", "wire", {"wire"});
    WriteCorpus(dir_.path() / "rest-corpus", "desk", {"features", "local"});
    Build(wire_, {(dir_.path() / "wire-corpus").string()});
    Build(rest_, {(dir_.path() / "rest-corpus").string()});
    Build(whole_, {(dir_.path() / "wire-corpus").string(), (dir_.path() / "rest-corpus").string()});
  }

  const fs::path& whole() const { return whole_; }
  fs::path wire_shard() const { return ShardsOf(wire_).at(0); }
  fs::path rest_shard() const { return ShardsOf(rest_).at(0); }

  // A stub file named `name` listing `lines`.
  fs::path Stub(const std::string& name, const std::vector<std::string>& lines) const {
    const fs::path stub = dir_.path() / name;
    std::string text = "# two indexes built apart\n";
    for (const std::string& line : lines) text += line + "\n";
    WriteFile(stub, text);
    return stub;
  }

  const fs::path& dir() const { return dir_.path(); }

 private:
  static void Build(const fs::path& db, const std::vector<std::string>& inputs) {
    const RunResult r = Index(db, inputs);
    if (r.exit_code != 0) throw std::runtime_error("nsearch-index failed on " + db.string() + ": " + r.err);
  }

  TempDir dir_;
  fs::path wire_ = dir_.path() / "wire", rest_ = dir_.path() / "rest", whole_ = dir_.path() / "whole";
};

const std::vector<std::string> kQueries = {"cuba", "oil OR election OR storm", "the", "\"export controls\"",
                                           "archive note"};

RunResult Checked(const fs::path& db, const std::vector<std::string>& args) {
  const RunResult r = SearchIn(db, args);
  std::string shown;
  for (const std::string& a : args) shown += a + " ";
  INFO("index: " << db << "\nargs: " << shown << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  return r;
}

std::vector<std::string> Sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Every output format of `db` gives the hits of the index of the whole
// corpus: the same articles with the same titles, snippets where it has
// them, the same counts. Each near-duplicate its own hit (--all): the two
// indexes group their copies apart.
void CheckLikeWhole(const SeparateIndexes& indexes, const fs::path& db) {
  for (const std::string& query : kQueries) {
    INFO("query: " << query);
    const std::vector<std::string> all = {"--all", "-n", "0", query};
    auto with = [&](std::vector<std::string> front) {
      front.insert(front.end(), all.begin(), all.end());
      return front;
    };
    const json whole = ParseJson(Checked(indexes.whole(), with({"--json"})).out);
    const json got = ParseJson(Checked(db, with({"--json"})).out);
    std::map<std::string, std::string> whole_titles, got_titles;
    for (const json& hit : whole["hits"]) whole_titles[hit["id"]] = hit["title"];
    for (const json& hit : got["hits"]) {
      got_titles[hit["id"]] = hit["title"];
      INFO("hit " << hit["id"]);
      CHECK_FALSE(hit["snippet"].get<std::string>().empty());
    }
    REQUIRE_FALSE(whole_titles.empty());
    CHECK(got_titles == whole_titles);
    CHECK(got["total"] == whole["total"]);

    for (const char* format : {"paths", "ids"}) {
      INFO("format: " << format);
      CHECK(Sorted(Lines(Checked(db, with({"--format", format})).out)) ==
            Sorted(Lines(Checked(indexes.whole(), with({"--format", format})).out)));
    }
    CHECK(Checked(db, with({"--format", "count"})).out == Checked(indexes.whole(), with({"--format", "count"})).out);

    const std::string text = Checked(db, with({"--format", "text", "--color", "never"})).out;
    const std::string tsv = Checked(db, with({"--format", "tsv"})).out;
    const std::string jsonl = Checked(db, with({"--format", "jsonl"})).out;
    CHECK(Lines(jsonl).size() >= 1);
    for (const auto& [id, title] : whole_titles) {
      INFO("article " << id);
      CHECK(Contains(text, title));
      CHECK(Contains(tsv, id));
      CHECK(Contains(jsonl, json(id).dump()));
    }
    // Near-duplicates folded as usual: no error, hits from both indexes.
    const json folded = ParseJson(Checked(db, {"--json", "-n", "0", query}).out);
    CHECK_FALSE(folded["hits"].empty());
  }
}

}  // namespace

TEST_CASE("separately built indexes in one local stub search as one, in either order", "[e2e][multi-index]") {
  const SeparateIndexes indexes;
  const fs::path wire = indexes.wire_shard(), rest = indexes.rest_shard();
  // The case that matters: two dictionaries, not one.
  REQUIRE(fs::exists(wire / "nsearch.textdict"));
  REQUIRE(fs::exists(rest / "nsearch.textdict"));
  REQUIRE(ReadFile(wire / "nsearch.textdict") != ReadFile(rest / "nsearch.textdict"));

  SECTION("wire first") { CheckLikeWhole(indexes, indexes.Stub("wire-rest", {"auto " + wire.string(), "auto " + rest.string()})); }
  SECTION("rest first") { CheckLikeWhole(indexes, indexes.Stub("rest-wire", {"auto " + rest.string(), "auto " + wire.string()})); }
  SECTION("a stub file's relative lines name shards beside it") {
    const fs::path stub = indexes.Stub("relative", {"glass " + rest.lexically_relative(indexes.dir()).string(),
                                                    "glass " + wire.lexically_relative(indexes.dir()).string()});
    CheckLikeWhole(indexes, stub);
  }
  SECTION("an index directory whose stub lists both") {
    const fs::path dir = indexes.dir() / "both";
    fs::create_directories(dir);
    fs::copy_file(indexes.Stub("both-stub", {"auto " + rest.string(), "auto " + wire.string()}), dir / "XAPIANDB");
    CheckLikeWhole(indexes, dir);
  }
}

TEST_CASE("separately built indexes served by xapian-tcpsrv search as one, in either order", "[e2e][multi-index][remote]") {
  const SeparateIndexes indexes;
  const RemoteShardServer wire(indexes.wire_shard()), rest(indexes.rest_shard());
  SECTION("wire first") {
    CheckLikeWhole(indexes, indexes.Stub("remote-wire-rest", {"remote tcp " + wire.address(), "remote tcp " + rest.address()}));
  }
  SECTION("rest first") {
    CheckLikeWhole(indexes, indexes.Stub("remote-rest-wire", {"remote tcp " + rest.address(), "remote tcp " + wire.address()}));
  }
  SECTION("one local, one remote") {
    CheckLikeWhole(indexes, indexes.Stub("mixed", {"auto " + indexes.wire_shard().string(), "remote tcp " + rest.address()}));
    CheckLikeWhole(indexes, indexes.Stub("mixed2", {"remote tcp " + rest.address(), "auto " + indexes.wire_shard().string()}));
  }
}

TEST_CASE("a shard of another schema version behind a stub is named, whichever its place", "[e2e][multi-index]") {
  const SeparateIndexes indexes;
  const fs::path rest = indexes.rest_shard();
  const RunResult set = Run({kMetadataBin, "set", rest.string(), "nsearch.schema", "1"});
  REQUIRE(set.exit_code == 0);
  const fs::path stub = indexes.Stub("old-second", {"auto " + indexes.wire_shard().string(), "auto " + rest.string()});
  const RunResult r = SearchIn(stub, {"cuba"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(Contains(r.err, "the shard " + rest.string()));
  CHECK(Contains(r.err, "has schema version '1'"));
  CHECK(r.out.empty());
}

namespace {

// The wire stories indexed twice, apart: each index holds one copy of every
// story (and archive notes of its own), and a third index holds both copies.
class CopiesApart {
 public:
  CopiesApart() {
    WriteCorpus(dir_.path() / "a-corpus", "alpha", {"wire"});
    WriteCorpus(dir_.path() / "b-corpus", "beta", {"wire"});
    Build(a_, {(dir_.path() / "a-corpus").string()});
    Build(b_, {(dir_.path() / "b-corpus").string()});
    Build(whole_, {(dir_.path() / "a-corpus").string(), (dir_.path() / "b-corpus").string()});
  }
  const fs::path& whole() const { return whole_; }
  fs::path a_shard() const { return ShardsOf(a_).at(0); }
  fs::path b_shard() const { return ShardsOf(b_).at(0); }
  fs::path Stub(const std::string& name, const std::vector<std::string>& lines) const {
    const fs::path stub = dir_.path() / name;
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    WriteFile(stub, text);
    return stub;
  }

 private:
  static void Build(const fs::path& db, const std::vector<std::string>& inputs) {
    const RunResult r = Index(db, inputs);
    if (r.exit_code != 0) throw std::runtime_error("nsearch-index failed on " + db.string() + ": " + r.err);
  }
  TempDir dir_;
  fs::path a_ = dir_.path() / "a", b_ = dir_.path() / "b", whole_ = dir_.path() / "whole";
};

// Each hit's title with its "+N similar", in rank order. The archive notes
// repeat each other's paragraphs, so a group of them has members of equal
// score, and which one shows is Xapian's tie-break by docid, which a stub
// interleaves: a note is named by its group's size alone. For the same
// reason hits of equal score (two groups of notes) are listed in name order.
std::vector<std::string> TitlesAndSimilar(const json& result) {
  std::vector<std::string> hits;
  const json& all = result["hits"];
  for (std::size_t begin = 0; begin < all.size();) {
    std::size_t end = begin;
    for (; end < all.size() && all[end]["score"] == all[begin]["score"]; ++end) {
      const std::string title = all[end]["title"];
      const bool note = title.find(" archive note ") != std::string::npos;
      hits.push_back((note ? std::string("an archive note") : title) + " +" + all[end]["similar"].dump());
    }
    std::sort(hits.begin() + static_cast<std::ptrdiff_t>(begin), hits.end());
    begin = end;
  }
  return hits;
}

// `db` folds the copies of each story into one hit with "+1 similar", as the
// index holding both copies does: the same titles, counts and total, in the
// same order; with --all, both copies.
void CheckFoldsLikeWhole(const CopiesApart& copies, const fs::path& db) {
  for (const std::string query : {"cuba", "oil OR election", "\"export controls\"", "the"}) {
    INFO("query: " << query);
    const json whole = ParseJson(Checked(copies.whole(), {"--json", "-n", "0", query}).out);
    const json got = ParseJson(Checked(db, {"--json", "-n", "0", query}).out);
    REQUIRE_FALSE(whole["hits"].empty());
    CHECK(TitlesAndSimilar(got) == TitlesAndSimilar(whole));
    CHECK(got["total"] == whole["total"]);
    bool folded = false;
    for (const json& hit : got["hits"]) folded = folded || hit["similar"] == 1;
    CHECK(folded);
    const std::string text = Checked(db, {"--color", "never", query}).out;
    CHECK(Contains(text, "+1 similar"));
    const json all = ParseJson(Checked(db, {"--json", "--all", "-n", "0", query}).out);
    const json whole_all = ParseJson(Checked(copies.whole(), {"--json", "--all", "-n", "0", query}).out);
    CHECK(all["hits"].size() == whole_all["hits"].size());
  }
}

}  // namespace

TEST_CASE("copies of a story in two separately built indexes fold into one hit", "[e2e][multi-index]") {
  const CopiesApart copies;
  SECTION("one local stub") {
    CheckFoldsLikeWhole(copies, copies.Stub("ab", {"auto " + copies.a_shard().string(), "auto " + copies.b_shard().string()}));
    CheckFoldsLikeWhole(copies, copies.Stub("ba", {"auto " + copies.b_shard().string(), "auto " + copies.a_shard().string()}));
  }
  SECTION("served by xapian-tcpsrv") {
    const RemoteShardServer a(copies.a_shard()), b(copies.b_shard());
    CheckFoldsLikeWhole(copies, copies.Stub("remote-ab", {"remote tcp " + a.address(), "remote tcp " + b.address()}));
    CheckFoldsLikeWhole(copies, copies.Stub("mixed", {"auto " + copies.a_shard().string(), "remote tcp " + b.address()}));
  }
}

namespace {

// `result` (nsearch --json) with each run of hits of equal score in id order
// and ranked again: Xapian ranks equal scores by docid, and a stub of
// several indexes numbers its documents by interleaving theirs.
json TiesInIdOrder(json result) {
  json& hits = result["hits"];
  for (std::size_t begin = 0; begin < hits.size();) {
    std::size_t end = begin + 1;
    while (end < hits.size() && hits[end]["score"] == hits[begin]["score"]) ++end;
    std::sort(hits.begin() + static_cast<std::ptrdiff_t>(begin), hits.begin() + static_cast<std::ptrdiff_t>(end),
              [](const json& a, const json& b) { return a["id"].get<std::string>() < b["id"].get<std::string>(); });
    begin = end;
  }
  for (std::size_t i = 0; i < hits.size(); ++i) hits[i]["rank"] = i + 1;
  return result;
}

// `result` without its snippets: MSet::snippet picks the passage by the
// statistics of the shard it is given, so a hit's passage may differ
// between a stub of shares and the whole index (docs/scaling.md).
json WithoutSnippets(json result) {
  for (json& hit : result["hits"]) {
    hit.erase("snippet");
    hit.erase("highlights");
  }
  return result;
}

// One archive indexed whole, and as three shares (--shard-of K/3).
class Shares {
 public:
  Shares() {
    WriteCorpus(corpus_, "desk", {"wire", "features", "local"});
    Build(whole_, {});
    for (int k = 0; k < 3; ++k) Build(share(k), {"--shard-of", std::to_string(k) + "/3"});
  }
  const fs::path& corpus() const { return corpus_; }
  const fs::path& whole() const { return whole_; }
  fs::path share(int k) const { return dir_.path() / ("share-" + std::to_string(k)); }
  fs::path Stub(const std::string& name, const std::vector<std::string>& lines) const {
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    WriteFile(dir_.path() / name, text);
    return dir_.path() / name;
  }
  void Build(const fs::path& db, const std::vector<std::string>& options) const {
    const RunResult r = Index(db, {corpus_.string()}, options);
    if (r.exit_code != 0) throw std::runtime_error("nsearch-index failed on " + db.string() + ": " + r.err);
  }

 private:
  TempDir dir_;
  fs::path corpus_ = dir_.path() / "corpus", whole_ = dir_.path() / "whole";
};

std::set<std::string> IdsOf(const json& result) {
  std::set<std::string> ids;
  for (const json& hit : result["hits"]) ids.insert(hit["id"].get<std::string>());
  return ids;
}

void CheckSharesLikeWhole(const Shares& shares, const fs::path& stub) {
  for (const std::string query : {"cuba", "oil OR election OR storm", "the", "\"export controls\"", "archive note"}) {
    INFO("query: " << query);
    const json whole = ParseJson(Checked(shares.whole(), {"--json", "--all", "-n", "0", query}).out);
    const json got = ParseJson(Checked(stub, {"--json", "--all", "-n", "0", query}).out);
    REQUIRE_FALSE(whole["hits"].empty());
    CHECK(TiesInIdOrder(WithoutSnippets(got)).dump(1) == TiesInIdOrder(WithoutSnippets(whole)).dump(1));
  }
}

}  // namespace

TEST_CASE("three indexes of one share each (--shard-of K/3) search as the index of all of it", "[e2e][multi-index]") {
  const Shares shares;
  // Each article is in exactly one share.
  const json all = ParseJson(Checked(shares.whole(), {"--json", "--all", "-n", "0", "archive OR the OR cuba"}).out);
  std::set<std::string> seen;
  for (int k = 0; k < 3; ++k) {
    const std::set<std::string> ids =
        IdsOf(ParseJson(Checked(shares.share(k), {"--json", "--all", "-n", "0", "archive OR the OR cuba"}).out));
    CHECK_FALSE(ids.empty());
    for (const std::string& id : ids) CHECK(seen.insert(id).second);
  }
  CHECK(seen == IdsOf(all));

  std::vector<std::string> local, remote_lines;
  for (int k = 0; k < 3; ++k) local.push_back("auto " + ShardsOf(shares.share(k)).at(0).string());
  SECTION("local") { CheckSharesLikeWhole(shares, shares.Stub("shares", local)); }
  SECTION("served by xapian-tcpsrv") {
    const RemoteShardServer s0(ShardsOf(shares.share(0)).at(0)), s1(ShardsOf(shares.share(1)).at(0)),
        s2(ShardsOf(shares.share(2)).at(0));
    CheckSharesLikeWhole(shares, shares.Stub("remote-shares", {"remote tcp " + s2.address(), "remote tcp " + s0.address(),
                                                               "remote tcp " + s1.address()}));
  }
  SECTION("an update keeps to the share the index records") {
    WriteFile(shares.corpus() / "notes" / "late-1.txt", "Title: Late note one\n\nA quokka crossed the harbour road.\n");
    WriteFile(shares.corpus() / "notes" / "late-2.txt", "Title: Late note two\n\nA quokka slept by the harbour wall.\n");
    int found = 0;
    for (int k = 0; k < 3; ++k) {
      const RunResult r = Index(shares.share(k), {});
      INFO("stderr: " << r.err);
      REQUIRE(r.exit_code == 0);
      // A share may hold neither note (exit 1): the paths, and so the shares, depend on the temp folder.
      const RunResult hits = SearchIn(shares.share(k), {"--json", "--all", "quokka"});
      CHECK((hits.exit_code == 0 || hits.exit_code == 1));
      found += static_cast<int>(ParseJson(hits.out)["hits"].size());
    }
    shares.Build(shares.whole(), {});
    CHECK(found == 2);
    CheckSharesLikeWhole(shares, shares.Stub("shares-updated", local));
  }
  SECTION("another share needs --rebuild") {
    const RunResult r = Index(shares.share(0), {}, {"--shard-of", "1/3"});
    CHECK(r.exit_code == 2);
    CHECK(Contains(r.err, "holds share 0/3; --shard-of 1/3 needs --rebuild"));
    const RunResult bad = Index(shares.share(0), {}, {"--shard-of", "3/3"});
    CHECK(bad.exit_code == 2);
    CHECK(Contains(bad.err, "--shard-of: not a share K/N"));
  }
}
