// End-to-end tests of what scripts rely on: --batch, the output formats and
// their short options, --info, colour only on a terminal, and the exit codes
// of every mode. The real binaries run on tests/fixtures/news (see
// tests/e2e/support.h).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/schema.h"
#include "tests/e2e/support.h"

using nlohmann::json;
using namespace e2e;

namespace {

std::string PathOf(const std::string& name) { return fs::canonical(kNewsDir / name).string(); }

// Runs nsearch --db FIXTURE --batch - with `input` on its standard input.
RunResult Batch(const std::string& input, const std::vector<std::string>& options = {}) {
  TempDir dir;
  const fs::path queries = dir.path() / "queries";
  WriteFile(queries, input);
  std::vector<std::string> argv = {kSearchBin, "--db", FixtureIndex::Db().string(), "--batch", "-"};
  argv.insert(argv.end(), options.begin(), options.end());
  return Run(argv, {}, kRunTimeout, queries);
}

// Runs `argv` with its standard output on a pseudo-terminal and returns what
// it wrote there. Its environment is HOME and XDG_CONFIG_HOME of the sandbox,
// TERM=xterm and `env`, nothing else. Throws std::runtime_error when the
// terminal cannot be made.
RunResult RunOnTerminal(const std::vector<std::string>& argv, const EnvChanges& env) {
  nsearch::test::ProcessOptions options;
  options.inherit_environment = false;
  options.env = {{"HOME", SandboxHome().string()},
                 {"XDG_CONFIG_HOME", (SandboxHome() / "config").string()},
                 {"TERM", "xterm"}};
  for (const auto& [name, value] : env) options.env[name] = value;
  options.stdout_on_terminal = true;
  return nsearch::test::RunProcess(argv, options);
}

}  // namespace

// ---------------------------------------------------------------------------
// --batch

TEST_CASE("nsearch --batch prints one JSON Lines record per query, in input order, errors included", "[e2e][batch]") {
  const RunResult r = Batch("opec\ncuba AND\nzyzzyva\n\"deportation flights\"\n");
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 2);  // one query failed
  CHECK(r.err.empty());
  const std::vector<std::string> lines = Lines(r.out);
  REQUIRE(lines.size() == 4);

  const json opec = ParseJson(lines[0]);
  CHECK(opec["schema"] == 1);
  CHECK(opec["query"] == "opec");
  CHECK(opec["total"] == 2);
  REQUIRE(opec["hits"].size() == 2);
  CHECK(NameOf(opec["hits"][0]["path"]) == kOpecCut);
  CHECK(NameOf(opec["hits"][1]["path"]) == kOilBelowZero);
  CHECK_FALSE(opec.contains("error"));

  const json malformed = ParseJson(lines[1]);
  CHECK(malformed["schema"] == 1);
  CHECK(malformed["query"] == "cuba AND");
  REQUIRE(malformed["error"].is_string());
  CHECK(Contains(malformed["error"], "cuba AND"));
  CHECK_FALSE(malformed.contains("hits"));

  const json nothing = ParseJson(lines[2]);
  CHECK(nothing["query"] == "zyzzyva");
  CHECK(nothing["total"] == 0);
  CHECK(nothing["hits"] == json::array());

  const json phrase = ParseJson(lines[3]);
  CHECK(phrase["query"] == "\"deportation flights\"");
  CHECK(phrase["total"] == 2);
}

TEST_CASE("a --batch record is the --json document of the same query", "[e2e][batch]") {
  const RunResult batch = Batch("cuba migration\n", {"-n", "3", "--offset", "1"});
  REQUIRE(batch.exit_code == 0);
  const RunResult single = Search({"--json", "-n", "3", "--offset", "1", "cuba", "migration"});
  REQUIRE(single.exit_code == 0);
  CHECK(ParseJson(batch.out) == ParseJson(single.out));
}

TEST_CASE("nsearch --batch --jobs 4 writes byte for byte what --jobs 1 writes, in input order", "[e2e][batch]") {
  // Every query is different (the excluded word that no article has makes
  // it so), so a record written out of order cannot pass for its neighbour.
  const std::vector<std::string> queries = {"opec", "cuba migration", "\"deportation flights\"", "zyzzyva",
                                            "cuba AND", "oil OR storm OR election", "site:reuters.com chips",
                                            "football -wrexham", "migra*", "date:2022-01-01..2022-12-31 oil"};
  const auto query = [&](int i) { return "-nosuchword" + std::to_string(i) + " " + queries[i % queries.size()]; };
  std::string input;
  for (int i = 0; i < 400; ++i) input += query(i) + "\n";
  const RunResult one = Batch(input, {"--jobs", "1"});
  const RunResult four = Batch(input, {"--jobs", "4"});
  INFO("stderr: " << one.err << four.err);
  CHECK(one.exit_code == 2);  // "cuba AND" is malformed
  CHECK(four.exit_code == 2);
  CHECK(four.err.empty());
  const std::vector<std::string> lines = Lines(four.out);
  REQUIRE(lines.size() == 400);
  for (int i = 0; i < 400; i += 37) {
    CHECK(ParseJson(lines[i])["query"] == query(i));
  }
  CHECK(ParseJson(lines[0])["total"] == 2);
  CHECK(four.out == one.out);
}

TEST_CASE("nsearch --batch with several jobs answers each query before the next one is written", "[e2e][batch]") {
  ChildProcess session({kSearchBin, "--db", FixtureIndex::Db().string(), "--batch", "-", "--jobs", "3"},
                       ChildProcess::Options{.env = SandboxEnv(), .pipe_stdin = true});
  session.Write("opec\n");
  const std::string first = session.ReadLine(std::chrono::seconds(30)).value_or("");
  REQUIRE_FALSE(first.empty());  // within 30 s, with standard input still open
  CHECK(ParseJson(first)["total"] == 2);
  session.Write("zyzzyva\n");
  const std::string second = session.ReadLine(std::chrono::seconds(30)).value_or("");
  REQUIRE_FALSE(second.empty());
  CHECK(ParseJson(second)["query"] == "zyzzyva");
  // Closes standard input; what comes after the two lines read follows them.
  const RunResult r = session.Finish(std::chrono::seconds(30));
  CHECK(r.exit_code == 0);
  CHECK(Lines(first + "\n" + second + "\n" + r.out).size() == 2);
}

TEST_CASE("nsearch --jobs without --batch, or out of range, exits 2 with an error naming --jobs", "[e2e][batch]") {
  for (const std::vector<std::string>& options :
       std::vector<std::vector<std::string>>{{"--jobs", "2", "opec"}, {"--info", "--jobs", "2"},
                                             {"--batch", "/dev/null", "--jobs", "0"},
                                             {"--batch", "/dev/null", "--jobs", "65"}}) {
    const RunResult r = Search(options);
    INFO(options[1] << " " << options.back() << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(Contains(r.err, "--jobs"));
  }
  CHECK(Search({"--jobs", "2", "opec"}).err == "nsearch: --jobs applies to --batch only\n");
}

TEST_CASE("nsearch --batch exits 2 when any query failed, else 0 when any matched, else 1", "[e2e][batch]") {
  const std::vector<std::pair<std::string, int>> cases = {
      {"opec\ncuba\n", 0},
      {"zyzzyva\nopec\n", 0},
      {"zyzzyva\nqwertyuiop\n", 1},
      {"opec\nAND cuba\n", 2},
      {"zyzzyva\ncuba XOR\n", 2},
      {"", 1},
  };
  for (const auto& [input, status] : cases) {
    const RunResult r = Batch(input);
    INFO("input: " << input << "\nstdout: " << r.out);
    CHECK(r.exit_code == status);
    CHECK(Lines(r.out).size() == static_cast<std::size_t>(std::count(input.begin(), input.end(), '\n')));
  }
}

TEST_CASE("nsearch --batch reads a named file, and one that cannot be read is one line naming it, exit 2",
          "[e2e][batch]") {
  TempDir dir;
  const fs::path queries = dir.path() / "queries.txt";
  WriteFile(queries, "opec\r\nelection\r\n");  // CRLF lines too
  const RunResult r = Search({"--batch", queries.string(), "-n", "1"});
  REQUIRE(r.exit_code == 0);
  const std::vector<std::string> lines = Lines(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(ParseJson(lines[0])["query"] == "opec");
  CHECK(ParseJson(lines[1])["query"] == "election");
  CHECK(ParseJson(lines[1])["hits"].size() == 1);

  const fs::path missing = dir.path() / "missing.txt";
  const RunResult bad = Search({"--batch", missing.string()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
  CHECK(Lines(bad.err).size() == 1);
  CHECK(Contains(bad.err, missing.string()));
}

TEST_CASE("nsearch --batch without an index, or with query words or a format, exits 2 with one line",
          "[e2e][batch]") {
  TempDir dir;
  const RunResult no_index = SearchIn(dir.path(), {"--batch", "/dev/null"});
  CHECK(no_index.exit_code == 2);
  CHECK(Lines(no_index.err).size() == 1);
  CHECK(Contains(no_index.err, "nsearch-index"));
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--batch", "/dev/null", "cuba"}, {"--batch", "/dev/null", "-l"}, {"--batch", "/dev/null", "--format", "tsv"}}) {
    const RunResult r = Search(args);
    INFO("args: " << args.back() << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(Lines(r.err).size() == 1);
    CHECK(r.out.empty());
  }
}

// ---------------------------------------------------------------------------
// Output formats

TEST_CASE("tsv output is rank, score, date, source, title and path per hit", "[e2e][formats]") {
  const RunResult r = Search({"--format", "tsv", "opec"});
  REQUIRE(r.exit_code == 0);
  const std::vector<std::string> lines = Lines(r.out);
  REQUIRE(lines.size() == 2);
  std::vector<std::string> fields;
  for (std::size_t start = 0, tab;; start = tab + 1) {
    tab = lines[0].find('\t', start);
    fields.push_back(lines[0].substr(start, tab - start));
    if (tab == std::string::npos) break;
  }
  REQUIRE(fields.size() == 6);
  CHECK(fields[0] == "1");
  CHECK(std::stod(fields[1]) > 0);
  CHECK(fields[2] == "2022-10-05");
  CHECK(fields[3] == "Reuters");
  CHECK(fields[4] == "OPEC and allies agree deep output cut, lifting oil prices");
  CHECK(fields[5] == PathOf(kOpecCut));
  CHECK(StartsWith(lines[1], "2\t"));
}

TEST_CASE("nsearch -l, -c and --json are the short forms of --format paths, count and json", "[e2e][formats]") {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"-l", "paths"}, {"--paths", "paths"}, {"-c", "count"}, {"--count", "count"}, {"--json", "json"}};
  for (const auto& [flag, format] : pairs) {
    INFO("flag: " << flag);
    const RunResult short_form = Search({flag, "-n", "0", "cuba"});
    const RunResult long_form = Search({"--format", format, "-n", "0", "cuba"});
    CHECK(short_form.exit_code == 0);
    CHECK_FALSE(short_form.out.empty());
    CHECK(short_form.out == long_form.out);
  }
  CHECK(Search({"-c", "cuba"}).out == "6\n");
}

// nsearch parses `[--db DIR] [--json] [-0] QUERY...` with an App of those
// options alone, and any other command line with all of them
// (cli/search_command_line.cc, ParseCommonLine): the first column takes
// the short way, the second the full one, and they must agree.
TEST_CASE("the common command line means what it means among all the options", "[e2e][cli]") {
  const std::string db = FixtureIndex::Db().string();
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> pairs = {
      {{"cuba", "oil"}, {"-n", "10", "cuba", "oil"}},
      {{"--json", "cuba"}, {"--format", "json", "cuba"}},
      {{"-0", "opec"}, {"--format", "paths", "--null", "opec"}},
      {{"--db=" + db, "--json", "migration"}, {"--db", db, "--format", "json", "migration"}},
      {{"--", "-cuba", "oil"}, {"-n", "10", "--", "-cuba", "oil"}},
      {{"--json", "zzzqqqxx"}, {"--format", "json", "zzzqqqxx"}},
  };
  for (const auto& [common, full] : pairs) {
    INFO("common: " << common.front() << " ... full: " << full.front() << " ...");
    const RunResult a = Search(common), b = Search(full);
    CHECK(a.exit_code == b.exit_code);
    CHECK(a.out == b.out);
    CHECK(a.err == b.err);
  }
  // Help and the version come from the full App, whatever else is given.
  CHECK(Contains(Search({"--help"}).out, "--batch"));
  CHECK(Contains(Search({"--json", "--help"}).out, "--remote-timeout"));
  CHECK(Search({"--version"}).out == "nsearch 0.1.0\n");
}

TEST_CASE("ids output is each hit's unique id, in rank order", "[e2e][formats]") {
  const RunResult ids = Search({"--format", "ids", "-n", "0", "oil"});
  const RunResult json_out = Search({"--json", "-n", "0", "oil"});
  REQUIRE(ids.exit_code == 0);
  const json document = ParseJson(json_out.out);
  std::vector<std::string> expected;
  for (const json& hit : document["hits"]) expected.push_back(hit["id"]);
  CHECK(expected.size() == 4);
  CHECK(Lines(ids.out) == expected);
}

TEST_CASE("nsearch -0 ends each path with NUL for xargs -0, alone or with -l or ids", "[e2e][formats]") {
  const std::string expected = PathOf(kOpecCut) + '\0' + PathOf(kOilBelowZero) + '\0';
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"-0", "opec"}, {"-l", "-0", "opec"}, {"--null", "--format", "paths", "opec"}, {"-0", "--format", "ids", "opec"}}) {
    const RunResult r = Search(args);
    INFO("args: " << args.front() << " " << args[1]);
    CHECK(r.exit_code == 0);
    CHECK(r.out == expected);
  }
}

TEST_CASE("nsearch with two output formats at once, or -0 with a format it does not fit, exit 2 with one line",
          "[e2e][formats]") {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"-l", "-c", "cuba"}, {"--json", "--format", "tsv", "cuba"}, {"-0", "--json", "cuba"},
           {"-0", "-c", "cuba"}, {"-0", "--format", "text", "cuba"}, {"--format", "yaml", "cuba"}}) {
    const RunResult r = Search(args);
    INFO("args: " << args[0] << " " << args[1] << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(Lines(r.err).size() == 1);
  }
}

TEST_CASE("every format exits 1 when nothing matches, and count still prints 0", "[e2e][formats]") {
  for (const std::string format : {"text", "json", "jsonl", "tsv", "paths", "ids", "count"}) {
    const RunResult r = Search({"--format", format, "zyzzyva"});
    INFO("format: " << format);
    CHECK(r.exit_code == 1);
    if (format == "count") CHECK(r.out == "0\n");
    if (format == "json") CHECK(ParseJson(r.out)["total"] == 0);
    if (format != "count" && format != "json") CHECK(r.out.empty());
  }
}

// ---------------------------------------------------------------------------
// Colour

TEST_CASE("colour auto colours a terminal unless NO_COLOR is set, never a pipe", "[e2e][color]") {
  const std::vector<std::string> argv = {kSearchBin, "--db", FixtureIndex::Db().string(), "opec"};
  const RunResult terminal = RunOnTerminal(argv, {});
  CHECK(terminal.exit_code == 0);
  CHECK(Contains(terminal.out, "OPEC"));
  CHECK(Contains(terminal.out, "\x1b["));

  const RunResult no_color = RunOnTerminal(argv, {{"NO_COLOR", "1"}});
  CHECK(no_color.exit_code == 0);
  CHECK(Contains(no_color.out, "OPEC"));
  CHECK_FALSE(Contains(no_color.out, "\x1b"));

  std::vector<std::string> never = argv;
  never.insert(never.begin() + 1, {"--color", "never"});
  CHECK_FALSE(Contains(RunOnTerminal(never, {}).out, "\x1b"));

  const RunResult pipe = Run(argv);
  CHECK(pipe.exit_code == 0);
  CHECK_FALSE(Contains(pipe.out, "\x1b"));
  // Only text output is ever coloured, even when asked.
  for (const std::string format : {"json", "jsonl", "tsv", "paths", "ids", "count"}) {
    CHECK_FALSE(Contains(Search({"--color", "always", "--format", format, "opec"}).out, "\x1b"));
  }
}

// ---------------------------------------------------------------------------
// --info

TEST_CASE("nsearch --info --json reports articles, terms, languages, roots, size, last update and schema",
          "[e2e][info]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  const std::time_t before = std::time(nullptr);
  REQUIRE(Index(db, {(kNewsDir / "wire").string(), (kNewsDir / "local").string()}).exit_code == 0);
  const std::time_t after = std::time(nullptr);

  const RunResult r = SearchIn(db, {"--info", "--json"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const json info = ParseJson(r.out);
  CHECK(info["schema"] == 1);
  CHECK(info["index"] == db.string());
  CHECK(info["index_schema"] == nsearch::schema::kSchemaVersion);
  CHECK(info["articles"] == 15);  // 12 in wire/, 3 in local/
  CHECK(info["default_language"] == "english");
  CHECK(info["languages"] == json{{"english", 15}});
  CHECK(info["roots"] == json{fs::canonical(kNewsDir / "local").string(), fs::canonical(kNewsDir / "wire").string()});

  // Every term, as Xapian's own delve lists them: one a line after a heading.
  const RunResult delve = Run({"/usr/bin/xapian-delve", "-a", "-1", db.string()});
  REQUIRE(delve.exit_code == 0);
  CHECK(info["terms"] == Lines(delve.out).size() - 1);

  std::uint64_t bytes = 0;
  unsigned shards = 0;
  for (const auto& entry : fs::recursive_directory_iterator(db)) {
    if (entry.is_regular_file() && entry.path().filename() != "lock") bytes += entry.file_size();
    if (entry.is_directory() && StartsWith(entry.path().filename().string(), "shard-")) ++shards;
  }
  CHECK(info["size_bytes"] == bytes);
  CHECK(info["shards"] == shards);

  REQUIRE(info["updated"].is_string());
  std::tm tm{};
  const std::string updated = info["updated"];
  REQUIRE(::strptime(updated.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) != nullptr);
  const std::time_t when = ::timegm(&tm);
  CHECK(when >= before);
  CHECK(when <= after);
}

TEST_CASE("nsearch --info prints the same facts for people, one per line", "[e2e][info]") {
  const RunResult r = Search({"--info"});
  REQUIRE(r.exit_code == 0);
  // "name:   value" lines, the values aligned.
  std::vector<std::pair<std::string, std::string>> facts;
  for (const std::string& line : Lines(r.out)) {
    const auto colon = line.find(": ");
    REQUIRE(colon != std::string::npos);
    const auto value = line.find_first_not_of(' ', colon + 1);
    REQUIRE(value != std::string::npos);
    CHECK(value == 18);
    facts.emplace_back(line.substr(0, colon), line.substr(value));
  }
  REQUIRE(facts.size() == 10);
  const std::vector<std::pair<std::string, std::string>> exact = {
      {"index", FixtureIndex::Db().string()},
      {"articles", "26"},
      {"default language", "english"},
      {"languages", "english (26)"},
      {"roots", fs::canonical(kNewsDir).string()},
      {"schema", std::to_string(nsearch::schema::kSchemaVersion)}};
  for (const auto& [name, value] : exact) {
    INFO("fact: " << name);
    CHECK(std::count(facts.begin(), facts.end(), std::make_pair(name, value)) == 1);
  }
  std::vector<std::string> names;
  for (const auto& fact : facts) names.push_back(fact.first);
  CHECK(names == std::vector<std::string>{"index", "articles", "terms", "default language", "languages", "roots",
                                          "shards", "size", "updated", "schema"});
  CHECK(StartsWith(facts[8].second, "20"));  // an ISO 8601 time
  CHECK_FALSE(Contains(r.out, "\x1b"));
}

TEST_CASE("nsearch --info without an index, or with a query, exits 2 with one line", "[e2e][info]") {
  TempDir dir;
  const RunResult no_index = SearchIn(dir.path(), {"--info"});
  CHECK(no_index.exit_code == 2);
  CHECK(no_index.out.empty());
  CHECK(Lines(no_index.err).size() == 1);
  CHECK(Contains(no_index.err, "nsearch-index"));

  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--info", "cuba"}, {"--info", "-c"}, {"--info", "--format", "tsv"}}) {
    const RunResult r = Search(args);
    CHECK(r.exit_code == 2);
    CHECK(Lines(r.err).size() == 1);
  }
}
