// End-to-end tests of remote shards (docs/scaling.md): the fixture
// corpus indexed into three shards, each served by a real xapian-tcpsrv on
// 127.0.0.1, searched through a stub of `remote tcp` lines. nsearch must
// give exactly the output of the local index (ids, order, scores to the
// last bit, snippets, counts), name a shard it cannot reach, search the
// others with --allow-partial, and give up on a shard that never answers
// within --remote-timeout. The servers: remote_server.h.
#include "tests/e2e/support.h"
#include "tests/e2e/remote_server.h"

using namespace e2e;

namespace {

constexpr int kShards = 3;

// The fixture corpus indexed into kShards shards, and a stub of its own
// for each selection of them, local or remote.
class ShardedIndex {
 public:
  ShardedIndex() : db_(dir_.path() / "local") {
    const RunResult r = Index(db_, {kNewsDir.string()}, {"--shards", std::to_string(kShards)});
    if (r.exit_code != 0) throw std::runtime_error("nsearch-index --shards failed: " + r.err);
    for (const std::string& line : Lines(ReadText(db_ / "XAPIANDB"))) {
      if (StartsWith(line, "glass ")) shards_.push_back(db_ / line.substr(6));
    }
    if (shards_.size() != kShards) throw std::runtime_error("expected " + std::to_string(kShards) + " shards");
  }

  const fs::path& local() const { return db_; }
  const fs::path& shard(int k) const { return shards_.at(static_cast<std::size_t>(k)); }

  // An index directory whose stub is `lines`.
  fs::path Stub(const std::string& name, const std::vector<std::string>& lines) const {
    const fs::path dir = dir_.path() / name;
    fs::create_directories(dir);
    std::string text = "# written by remote_e2e_test\n";
    for (const std::string& line : lines) text += line + "\n";
    WriteFile(dir / "XAPIANDB", text);
    return dir;
  }

 private:
  static std::string ReadText(const fs::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  TempDir dir_;
  fs::path db_;
  std::vector<fs::path> shards_;
};

// Searches that exercise every part of the output: ranking and scores,
// snippets, phrases, fields, --any, both date sorts (undated
// articles last), paging, collapsing off, facets, the timeline, --explain
// and --like.
std::vector<std::vector<std::string>> Searches() {
  const std::string opec = (fs::canonical(kNewsDir) / kOpecCut).string();
  return {
      {"cuba"},
      {"deportation flights"},
      {"\"chip export controls\""},
      {"oil OR storm OR election"},
      {"--any", "coastal erosion flights"},
      {"title:oil"},
      {"-n", "0", "--sort", "newest", "the"},
      {"-n", "0", "--sort", "oldest", "the"},
      {"-n", "4", "--offset", "21", "--sort", "oldest", "the"},
      {"-n", "3", "--offset", "2", "--all", "the"},
      {"--facets", "source,year,month,lang", "--timeline", "month", "cuba OR oil"},
      {"--explain", "coastal erosion"},
      {"--like", opec},
      {"--count", "the"},
  };
}

// nsearch --json on `db`, the document parsed; checks the exit status.
json JsonOf(const fs::path& db, std::vector<std::string> args, int expected_exit = 0) {
  args.insert(args.begin(), "--json");
  const RunResult r = SearchIn(db, args);
  std::string shown;
  for (const std::string& a : args) shown += a + " ";
  INFO("index: " << db << "\nargs: " << shown << "\nstderr: " << r.err);
  CHECK(r.exit_code == expected_exit);
  CHECK_FALSE(r.timed_out);
  return ParseJson(r.out);
}

// Checks every search of Searches() gives the same document on `db` as on
// the local index: nlohmann::json compares numbers as doubles and prints
// them to 17 significant digits, so scores must be bit-identical.
// `suggestions` false: "did you mean" must be null rather than equal (no
// spelling data remotely).
void CheckSameAsLocal(const ShardedIndex& index, const fs::path& db, bool suggestions) {
  for (std::vector<std::string> args : Searches()) {
    if (args.front() == "--count") {
      const RunResult local = SearchIn(index.local(), args), other = SearchIn(db, args);
      CHECK(other.exit_code == local.exit_code);
      CHECK(other.out == local.out);
      continue;
    }
    json local = JsonOf(index.local(), args), other = JsonOf(db, args);
    std::string shown;
    for (const std::string& a : args) shown += a + " ";
    INFO("args: " << shown);
    REQUIRE(local["hits"].is_array());
    CHECK_FALSE(local["hits"].empty());
    if (!suggestions) {
      CHECK(other["suggestion"].is_null());
      local.erase("suggestion");
      other.erase("suggestion");
    }
    // A count the matcher estimated depends on where each shard's matcher
    // stopped, and so does whether Xapian could tell it was exact: with
    // 12 matches and 10 hits the local matcher knows, the remote merge of
    // three shards' top tens does not. Counts both call exact must agree;
    // --count (exact on both sides) is compared below.
    if (!local["total_exact"].get<bool>() || !other["total_exact"].get<bool>()) {
      CHECK(other["total"].get<std::uint64_t>() >= local["hits"].size());
      CHECK(local["total"].get<std::uint64_t>() >= local["hits"].size());
      for (const char* field : {"total", "total_exact"}) {
        local.erase(field);
        other.erase(field);
      }
    }
    // Xapian's snippet maker weighs the query's terms by per-shard bounds
    // that the remote protocol merges differently, so for some hits it
    // picks another passage of the same article (docs/scaling.md). Which
    // hits depends on which shard holds each article, that is on where
    // this repository is checked out (ids are paths): only whether there
    // is a snippet with highlights is the same everywhere.
    REQUIRE(other["hits"].size() == local["hits"].size());
    for (std::size_t i = 0; i < local["hits"].size(); ++i) {
      json& local_hit = local["hits"][i];
      json& other_hit = other["hits"][i];
      if (other_hit["snippet"] == local_hit["snippet"]) continue;
      INFO("hit " << i << ": " << local_hit["id"]);
      CHECK_FALSE(other_hit["snippet"].get<std::string>().empty());
      CHECK(other_hit["highlights"].empty() == local_hit["highlights"].empty());
      for (const char* field : {"snippet", "highlights"}) {
        local_hit.erase(field);
        other_hit.erase(field);
      }
    }
    CHECK(other.dump(2) == local.dump(2));  // readable when it fails
    CHECK(other == local);
  }
  // A wildcard is expanded by each shard's server over its own terms, so
  // its scores differ (docs/scaling.md): the same articles match.
  auto ids = [](const json& document) {
    std::set<std::string> found;
    for (const json& hit : document["hits"]) found.insert(hit["id"].get<std::string>());
    return found;
  };
  const std::set<std::string> local_wildcard = ids(JsonOf(index.local(), {"-n", "0", "migra*"}));
  CHECK(local_wildcard.size() == 6);
  CHECK(ids(JsonOf(db, {"-n", "0", "migra*"})) == local_wildcard);
}

std::vector<std::string> RemoteLines(const std::vector<const RemoteShardServer*>& servers) {
  std::vector<std::string> lines;
  for (const RemoteShardServer* s : servers) lines.push_back("remote tcp " + s->address());
  return lines;
}

}  // namespace

TEST_CASE("three shards served by xapian-tcpsrv search exactly like the local index", "[e2e][remote]") {
  const ShardedIndex index;
  const RemoteShardServer s0(index.shard(0)), s1(index.shard(1)), s2(index.shard(2));
  const fs::path remote = index.Stub("remote", RemoteLines({&s0, &s1, &s2}));
  CheckSameAsLocal(index, remote, /*suggestions=*/false);

  // --batch too: one connection per shard for every query.
  TempDir dir;
  WriteFile(dir.path() / "queries", "cuba\ndeportation flights\nstorm\n");
  const RunResult local = SearchIn(index.local(), {"--batch", (dir.path() / "queries").string()});
  const RunResult other = SearchIn(remote, {"--batch", (dir.path() / "queries").string()});
  CHECK(local.exit_code == 0);
  CHECK(other.exit_code == 0);
  CHECK(other.err.empty());
  const std::vector<std::string> local_lines = Lines(local.out), other_lines = Lines(other.out);
  REQUIRE(other_lines.size() == 3);
  REQUIRE(local_lines.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    json a = ParseJson(local_lines[i]), b = ParseJson(other_lines[i]);
    a.erase("suggestion");
    b.erase("suggestion");
    CHECK(b == a);
  }

  // Xapian's own stub form, "remote HOST:PORT", reads the same.
  const fs::path xapian_form =
      index.Stub("xapian-form", {"remote " + s0.address(), "remote " + s1.address(), "remote " + s2.address()});
  CHECK(JsonOf(xapian_form, {"cuba"})["hits"] == JsonOf(index.local(), {"cuba"})["hits"]);

  // --info reads every shard.
  const RunResult info = SearchIn(remote, {"--info", "--json"});
  CHECK(info.exit_code == 0);
  CHECK(ParseJson(info.out)["articles"] == 26);
  CHECK(ParseJson(info.out)["shards"] == 3);
}

TEST_CASE("a stub of one local shard and two remote ones searches like the local index, did you mean included",
          "[e2e][remote]") {
  const ShardedIndex index;
  const RemoteShardServer s1(index.shard(1)), s2(index.shard(2));
  // The first shard holds the spelling data: local, "did you mean" works.
  const fs::path mixed = index.Stub("mixed", {"glass " + index.shard(0).string(), "remote tcp " + s1.address(),
                                              "remote tcp " + s2.address()});
  CheckSameAsLocal(index, mixed, /*suggestions=*/true);
  const json local = JsonOf(index.local(), {"cubba"}, 1);
  CHECK(local["suggestion"] == "cuba");
  CHECK(JsonOf(mixed, {"cubba"}, 1)["suggestion"] == "cuba");
}

TEST_CASE("a remote shard that is down is an error naming it, and --allow-partial answers from the others",
          "[e2e][remote]") {
  const ShardedIndex index;
  RemoteShardServer s0(index.shard(0)), s1(index.shard(1)), s2(index.shard(2));
  const fs::path remote = index.Stub("remote", RemoteLines({&s0, &s1, &s2}));
  REQUIRE(SearchIn(remote, {"cuba"}).exit_code == 0);
  s1.Stop();

  const RunResult down = SearchIn(remote, {"cuba"});
  INFO("stderr: " << down.err);
  CHECK(down.exit_code == 2);
  CHECK(down.out.empty());
  CHECK(Lines(down.err).size() == 1);
  CHECK(Contains(down.err, "index shard " + s1.address() + " "));
  CHECK(Contains(down.err, "--allow-partial"));

  // The other two shards answer as the same two shards do locally (their
  // statistics, not the three shards').
  const fs::path two_local =
      index.Stub("two-local", {"glass " + index.shard(0).string(), "glass " + index.shard(2).string()});
  const fs::path missing_one = index.Stub("missing-one", {"glass " + index.shard(1).string()});
  auto count = [](const fs::path& db, const std::string& query) {
    return std::stoull(SearchIn(db, {"--all", "-c", query}).out);
  };
  for (const std::string query : {"cuba", "oil OR storm OR election"}) {
    const RunResult partial = SearchIn(remote, {"--allow-partial", "--json", "-n", "0", query});
    INFO("query: " << query << "\nstderr: " << partial.err);
    CHECK(partial.exit_code == 0);
    CHECK(Lines(partial.err).size() == 1);
    CHECK(Contains(partial.err, "warning: index shard " + s1.address() + " left out"));
    json document = ParseJson(partial.out);
    REQUIRE(document["missing_shards"].is_array());
    REQUIRE(document["missing_shards"].size() == 1);
    CHECK(document["missing_shards"][0]["shard"] == s1.address());
    CHECK(Contains(document["missing_shards"][0]["reason"].get<std::string>(), "refused"));
    document.erase("missing_shards");
    json expected = JsonOf(two_local, {"-n", "0", query});
    document.erase("suggestion");
    expected.erase("suggestion");
    CHECK(document == expected);
    // Which articles the missing shard holds depends on their ids (paths,
    // so the checkout's location): the two others and it make the whole.
    CHECK(count(two_local, query) + count(missing_one, query) == count(index.local(), query));
  }
  // Exit status by the hits, as ever: 1 when the others have none.
  const RunResult none = SearchIn(remote, {"--allow-partial", "zebra"});
  CHECK(none.exit_code == 1);
  CHECK(Contains(none.err, s1.address()));

  // No shard at all: an error naming them, even with --allow-partial.
  s0.Stop();
  s2.Stop();
  const RunResult all_down = SearchIn(remote, {"--allow-partial", "cuba"});
  CHECK(all_down.exit_code == 2);
  CHECK(Contains(all_down.err, s0.address()));
  CHECK(Contains(all_down.err, s2.address()));
}

TEST_CASE("a shard whose server dies during a --batch fails the next query, or is left out with --allow-partial",
          "[e2e][remote]") {
  const ShardedIndex index;
  for (const bool allow_partial : {false, true}) {
    RemoteShardServer s0(index.shard(0)), s1(index.shard(1)), s2(index.shard(2));
    const fs::path remote = index.Stub("remote", RemoteLines({&s0, &s1, &s2}));
    // nsearch opens every shard before it reads the first query; the
    // server (and the process it forked for this connection) dies after
    // the first record is out and before the second query is sent.
    std::vector<std::string> args = {kSearchBin, "--db", remote.string(), "--batch", "-"};
    if (allow_partial) args.push_back("--allow-partial");
    ChildProcess session(args, ChildProcess::Options{.env = SandboxEnv(), .pipe_stdin = true});
    session.Write("cuba\n");
    const std::string first_line = session.ReadLine(std::chrono::seconds(30)).value_or("");
    s1.Stop();
    session.Write("oil OR storm OR election\n");
    RunResult r = session.Finish(std::chrono::seconds(30));  // closes standard input
    if (!first_line.empty()) r.out = first_line + "\n" + r.out;
    const std::vector<std::string> lines = Lines(r.out);
    REQUIRE(lines.size() == 2);
    const json first = ParseJson(lines[0]), second = ParseJson(lines[1]);
    CHECK(first["total"] == 6);
    CHECK_FALSE(first.contains("missing_shards"));
    if (!allow_partial) {
      CHECK(r.exit_code == 2);
      REQUIRE(second.contains("error"));
      CHECK(Contains(second["error"].get<std::string>(), "index shard " + s1.address() + " "));
      // The next query asks the shard for its latest revision, finds the
      // connection closed, and connects again: refused.
      CHECK(Contains(second["error"].get<std::string>(), "cannot be reached"));
    } else {
      CHECK(r.exit_code == 0);
      REQUIRE(second.contains("missing_shards"));
      CHECK(second["missing_shards"][0]["shard"] == s1.address());
      const fs::path two_local =
          index.Stub("two-local", {"glass " + index.shard(0).string(), "glass " + index.shard(2).string()});
      json expected = JsonOf(two_local, {"oil OR storm OR election"});
      json got = second;
      got.erase("missing_shards");
      got.erase("suggestion");
      expected.erase("suggestion");
      CHECK(got == expected);
      CHECK(Contains(r.err, "warning: index shard " + s1.address() + " left out"));
    }
  }
}

TEST_CASE("a shard that accepts connections but never answers fails within --remote-timeout, or the config's",
          "[e2e][remote]") {
  const ShardedIndex index;
  const RemoteShardServer s0(index.shard(0));
  // Listening, so connections are accepted (by the kernel), but nobody
  // ever reads or writes them: a hung server.
  Socket hung;
  const unsigned short hung_port = hung.Bind(0);
  hung.Listen();
  const std::string hung_address = "127.0.0.1:" + std::to_string(hung_port);
  const fs::path stub = index.Stub("hung", {"remote tcp " + s0.address(), "remote tcp " + hung_address});

  const auto started = std::chrono::steady_clock::now();
  const RunResult r = SearchIn(stub, {"--remote-timeout", "300", "cuba"});
  const auto took = std::chrono::steady_clock::now() - started;
  INFO("stderr: " << r.err);
  CHECK_FALSE(r.timed_out);
  CHECK(r.exit_code == 2);
  CHECK(Contains(r.err, "index shard " + hung_address));
  CHECK(Contains(r.err, "no answer within 300 ms"));
  CHECK(took < std::chrono::seconds(10));

  // The config file's remote-timeout is the default; the option beats it.
  TempDir config_home;
  fs::create_directories(config_home.path() / "nsearch");
  WriteFile(config_home.path() / "nsearch" / "config", "remote-timeout = 400\n");
  const EnvChanges env = {{"XDG_CONFIG_HOME", config_home.path().string()}};
  const RunResult configured = SearchIn(stub, {"cuba"}, env);
  CHECK(configured.exit_code == 2);
  CHECK(Contains(configured.err, "no answer within 400 ms"));
  CHECK(Contains(SearchIn(stub, {"--remote-timeout", "250", "cuba"}, env).err, "no answer within 250 ms"));

  // Exit 0 or 1 as shard 0 alone has hits or not: which shard an article
  // is in depends on its id, a path, so on where the tests run.
  const std::string query = "cuba OR oil OR storm OR election";
  const RunResult partial = SearchIn(stub, {"--remote-timeout", "300", "--allow-partial", "--json", query});
  INFO("stderr: " << partial.err);
  const fs::path shard0 = index.Stub("shard-0", {"glass " + index.shard(0).string()});
  CHECK(partial.exit_code == SearchIn(shard0, {"-c", query}).exit_code);
  CHECK(Contains(partial.err, "warning: index shard " + hung_address + " left out (no answer within 300 ms)"));
  CHECK(ParseJson(partial.out)["missing_shards"][0]["shard"] == hung_address);
}

TEST_CASE("docs/json-output.md: missing_shards is documented as printed", "[e2e][remote][doc]") {
  const ShardedIndex index;
  const RemoteShardServer s0(index.shard(0));
  const fs::path stub = index.Stub("one-down", {"remote tcp " + s0.address(), "remote tcp 127.0.0.1:" +
                                                                                  std::to_string(FreePort())});
  const json document = JsonOf(stub, {"--allow-partial", "oil OR cuba OR storm OR election"});
  // The fields of the search table plus those of search-partial.
  std::ifstream in(fs::path(DOCS_DIR) / "json-output.md");
  std::set<std::string> documented;
  bool in_table = false;
  static const std::regex row(R"(^\| `([a-z_]+)` \|)");
  for (std::string line; std::getline(in, line);) {
    if (StartsWith(line, "<!-- fields: ")) in_table = line == "<!-- fields: search -->" || line == "<!-- fields: search-partial -->";
    std::smatch m;
    if (in_table && std::regex_search(line, m, row)) documented.insert(m[1]);
  }
  std::set<std::string> printed;
  for (const auto& item : document.items()) printed.insert(item.key());
  CHECK(printed == documented);
  CHECK(document["missing_shards"][0].size() == 2);
  CHECK(document["missing_shards"][0]["shard"].is_string());
  CHECK(document["missing_shards"][0]["reason"].is_string());
}

TEST_CASE("a bad stub line or --remote-timeout is a one-line error naming it", "[e2e][remote]") {
  const ShardedIndex index;
  for (const std::string line : {"remote tcp localhost", "remote tcp 127.0.0.1:99999", "remote tcp ::1:4000",
                                 "chert some/where"}) {
    const fs::path stub = index.Stub("bad", {"glass " + index.shard(0).string(), line});
    const RunResult r = SearchIn(stub, {"cuba"});
    INFO("line: " << line << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(Lines(r.err).size() == 1);
    CHECK(Contains(r.err, "'" + line + "'"));
  }
  const RunResult zero = SearchIn(index.local(), {"--remote-timeout", "0", "cuba"});
  CHECK(zero.exit_code == 2);
  CHECK(Contains(zero.err, "--remote-timeout"));
}

TEST_CASE("nsearch-index refuses to update or compact a stub of remote shards, naming the line", "[e2e][remote]") {
  const ShardedIndex index;
  const std::string line = "remote tcp 127.0.0.1:" + std::to_string(FreePort());
  const fs::path stub = index.Stub("cluster", {"glass " + index.shard(0).string(), line});
  for (const RunResult& r : {Index(stub, {kNewsDir.string()}), Index(stub, {}, {"--compact"})}) {
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(Contains(r.err, "'" + line + "'"));
    CHECK(Contains(r.err, "docs/scaling.md"));
  }
}
