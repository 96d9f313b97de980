// End-to-end tests of hostile input: a corpus of nasty files that
// nsearch-index must index around (skipping each bad one with a message),
// and malformed or huge queries that nsearch must answer or refuse in one
// line, in bounded time.
#include "tests/e2e/support.h"

using namespace e2e;

namespace {

// nsearch-index's skip line for `path`.
std::string SkipLine(const fs::path& path, const std::string& reason) {
  return "nsearch-index: skipped " + path.string() + ": " + reason;
}

// The argv prefix that runs a program as an unprivileged user: root reads a
// chmod 000 file anyway, so as root the indexer runs as nobody to see one.
std::vector<std::string> AsUnprivileged() {
  if (::geteuid() != 0) return {};
  return {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
}

void ChownTree(const fs::path& root, uid_t uid, gid_t gid) {
  REQUIRE(::chown(root.c_str(), uid, gid) == 0);
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_symlink()) REQUIRE(::lchown(entry.path().c_str(), uid, gid) == 0);
  }
}

// A file of `size` bytes that takes no room on disk.
void WriteSparseFile(const fs::path& path, off_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::ftruncate(fd, size) == 0);
  ::close(fd);
}

// A page with `depth` nested <div>s around a word.
std::string DeeplyNestedHtml(int depth) {
  std::string html = "<html><head><title>Deep page</title></head><body>";
  html.reserve(12 * static_cast<std::size_t>(depth) + 100);
  for (int i = 0; i < depth; ++i) html += "<div>";
  html += "The capybara sat at the bottom.";
  for (int i = 0; i < depth; ++i) html += "</div>";
  return html + "</body></html>\n";
}

// Good articles among bad files, each with a word of its own; the
// unreadable file and folder are made so by LockAway.
void WriteNastyCorpus(const fs::path& corpus) {
  fs::create_directories(corpus / "sub");
  WriteFile(corpus / "plain.txt", "Title: Plain article\n\nA marmoset escaped from the zoo.\n");
  WriteFile(corpus / "sub" / "nested-ok.md", "Title: Nested\n\nThe ptarmigan nests in the heather.\n");
  // Not UTF-8 (Latin-1 with stray bytes): decoded, never dropped.
  WriteFile(corpus / "latin1.txt", "Title: Caf\xe9\n\nLe caf\xe9 du quetzal est \xff\xfe ouvert.\n");
  // A NUL byte early on: binary, skipped.
  WriteFile(corpus / "nul.txt", std::string("Title: x\n\nbinary\0\0\0 okapi\n", 25));
  WriteFile(corpus / "empty.txt", "");
  // A 1 GB sparse file: too large, never read.
  WriteSparseFile(corpus / "huge.txt", 1LL << 30);
  // Parsed without recursion.
  WriteFile(corpus / "deep.html", DeeplyNestedHtml(100000));
  // A JSON Lines file whose first line is 50 MB and never closes its
  // string; its second line is a good article.
  std::string line = "{\"title\": \"Huge\", \"body\": \"";
  line.append(50u << 20, 'a');
  WriteFile(corpus / "feed.jsonl", line + "\n{\"id\": \"good-2\", \"title\": \"Second\", \"body\": \"An axolotl.\"}\n");
  // A directory symlink loop and a symlink to itself.
  fs::create_directory_symlink("..", corpus / "sub" / "loop");
  fs::create_symlink("self.txt", corpus / "self.txt");
  // To be unreadable: a file and a folder.
  WriteFile(corpus / "secret.txt", "Title: Secret\n\nThe wombat is hidden.\n");
  fs::create_directories(corpus / "locked");
  WriteFile(corpus / "locked" / "inside.txt", "Title: Locked\n\nThe pangolin is locked away.\n");
}

// Makes corpus/secret.txt and corpus/locked unreadable to the indexer; as
// root the corpus and the index `db` are handed to nobody (see AsUnprivileged).
void LockAway(const fs::path& dir, const fs::path& corpus, const fs::path& db) {
  if (::geteuid() == 0) {
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    ChownTree(corpus, 65534, 65534);
    ChownTree(db, 65534, 65534);
  }
  fs::permissions(corpus / "secret.txt", fs::perms::none);
  fs::permissions(corpus / "locked", fs::perms::none);
}

// The skip lines nsearch-index writes for the nasty corpus at canonical path `c`.
std::set<std::string> NastySkipLines(const fs::path& c) {
  return {
      SkipLine(c / "empty.txt", "empty file"),
      SkipLine(c / "feed.jsonl", "line 1: malformed JSON (column 52428828: syntax error while parsing value - "
                                 "invalid string: missing closing quote)"),
      SkipLine(c / "huge.txt", "larger than the size limit (1073741824 > 67108864 bytes; see --max-size)"),
      SkipLine(c / "locked", "Permission denied"),
      SkipLine(c / "nul.txt", "binary file (NUL bytes)"),
      SkipLine(c / "secret.txt", "Permission denied"),
      SkipLine(c / "self.txt", "symlink loop"),
      SkipLine(c / "sub" / "loop", "symlink loop (directory already visited)"),
  };
}

// `words` over and over, `count` words in all, each followed by a space.
std::string Cycle(const std::vector<std::string>& words, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += words[static_cast<std::size_t>(i) % words.size()] + " ";
  return text;
}

// Words the fixture index finds.
const std::vector<std::string> kKnownWords = {"cuba", "migration", "flights", "oil", "election", "storm", "chip"};

// 10,000 made-up words the index lacks.
std::string TenThousandUnknownWords() {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "w" + std::to_string(i * 7919 % 100003) + "x ";
  return text;
}

struct HostileQuery {
  std::string query;
  std::vector<std::string> options;
};

// Malformed operators, fields, bytes and wildcards, and huge queries.
std::vector<HostileQuery> HostileQueries() {
  std::vector<HostileQuery> cases;
  for (const char* q : {"\"deportation flights", "cuba \"", "\"", "\"\"", "(cuba OR oil", "cuba)", "((((", ")))",
                        "(\"cuba)\"", "AND", "OR", "NOT", "XOR", "NEAR", "ADJ", "NEAR/3", "ADJ/999999999999", "+",
                        "-", "*", "+-", "AND OR NOT", "cuba AND", "OR cuba", "NOT NOT NOT", "cuba NEAR", "NEAR/0 cuba",
                        "title:", "date:", "date:..", "date:2022-99-99", "year:99999999999", "month:x", ":", "::::",
                        "id:", "path:", "site:", "lang:", "\x01\x02 cuba \x7f", "cuba\x1b[31m", "\t\r\n", "\x1b",
                        "\xff\xfe\xfd", "cuba \xc3", "migra*", "*migra", "a*", "title:*", "\"*\"", "-cuba",
                        "+cuba -cuba", "cuba NEAR/3 (oil OR \"x y\")"}) {
    cases.push_back({q, {}});
  }
  const std::string ten_thousand_words = TenThousandUnknownWords(), ten_thousand_known = Cycle(kKnownWords, 10000);
  cases.push_back({ten_thousand_words, {}});
  cases.push_back({ten_thousand_words, {"--any"}});
  cases.push_back({ten_thousand_known, {}});
  cases.push_back({ten_thousand_known, {"--any", "--explain"}});
  // Words the index lacks: each asks for a spelling suggestion.
  cases.push_back({Cycle({"flihgts", "migrtion"}, 10000), {}});
  cases.push_back({std::string(100000, '('), {}});
  cases.push_back({std::string(100000, '"'), {}});
  std::string nested;
  for (int i = 0; i < 5000; ++i) nested += "(cuba OR ";
  cases.push_back({nested + "oil" + std::string(5000, ')'), {}});
  return cases;
}

// Checks nsearch answers `c` on `db` in time: results (exit 0 or 1, no
// stderr) or one line of error with exit status 2.
void CheckAnsweredOrRefused(const fs::path& db, const HostileQuery& c) {
  std::vector<std::string> argv = {kSearchBin, "--db", db.string(), "--format", "ids", "-n", "0"};
  argv.insert(argv.end(), c.options.begin(), c.options.end());
  argv.push_back("--");
  argv.push_back(c.query);
  const auto started = std::chrono::steady_clock::now();
  const RunResult r = Run(argv, {}, std::chrono::seconds(30));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  INFO("query (" << c.query.size() << " bytes): " << c.query.substr(0, 80) << "\nexit " << r.exit_code << " in "
                 << seconds << " s; stderr: " << r.err.substr(0, 500));
  CHECK_FALSE(r.timed_out);
  if (r.exit_code == 2) {
    CHECK(r.out.empty());
    CHECK(Lines(r.err).size() == 1);
    CHECK(StartsWith(r.err, "nsearch: "));
  } else {
    CHECK((r.exit_code == 0 || r.exit_code == 1));
    CHECK(r.exit_code == (r.out.empty() ? 1 : 0));
    CHECK(r.err.empty());
  }
}

}  // namespace

TEST_CASE("a corpus of nasty files is indexed around: each bad file skipped with a message, the rest found",
          "[e2e][hostile]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "nasty", db = dir.path() / "idx";
  WriteNastyCorpus(corpus);
  fs::create_directories(db);
  LockAway(dir.path(), corpus, db);

  std::vector<std::string> argv = AsUnprivileged();
  for (const std::string& a : {kIndexBin, std::string("--quiet"), std::string("--max-size"), std::string("64M"),
                               std::string("--db"), db.string(), corpus.string()}) {
    argv.push_back(a);
  }
  const RunResult r = Run(argv, {}, std::chrono::seconds(240));
  fs::permissions(corpus / "locked", fs::perms::owner_all);  // so that TempDir can remove it
  INFO("stderr: " << r.err);
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);  // some inputs skipped, the rest indexed

  const fs::path c = fs::canonical(corpus);
  const std::set<std::string> expected = NastySkipLines(c);
  const std::vector<std::string> lines = Lines(r.err);
  CHECK(std::set<std::string>(lines.begin(), lines.end()) == expected);
  CHECK(lines.size() == expected.size());  // each once, and nothing else

  auto count = [&](const std::string& query) {
    const RunResult s = SearchIn(db, {"--format", "count", query});
    INFO("query: " << query << "; stderr: " << s.err);
    return s.out;
  };
  CHECK(count("marmoset") == "1\n");
  CHECK(count("ptarmigan") == "1\n");
  CHECK(count("quetzal") == "1\n");
  CHECK(count("capybara") == "1\n");
  CHECK(count("axolotl") == "1\n");
  CHECK(count("okapi OR wombat OR pangolin") == "0\n");
  CHECK(SearchIn(db, {"--format", "ids", "axolotl"}).out == "good-2\n");
  CHECK(SearchIn(db, {"--format", "paths", "capybara"}).out == (c / "deep.html").string() + "\n");
  // Every article once: the five good ones (the loop did not index sub/ twice).
  CHECK(SearchIn(db, {"--info", "--json"}).exit_code == 0);
  CHECK(ParseJson(SearchIn(db, {"--info", "--json"}).out)["articles"] == 5);
}

TEST_CASE("hostile queries get results or a one-line error with exit status 2, never a crash or a hang",
          "[e2e][hostile]") {
  const std::vector<HostileQuery> cases = HostileQueries();
  const fs::path db = FixtureIndex::Db();
  for (const HostileQuery& c : cases) CheckAnsweredOrRefused(db, c);

  // The same through --batch, where a line can hold a NUL byte: one record a
  // line, the batch going on after each bad one.
  TempDir dir;
  const fs::path input = dir.path() / "queries";
  std::string text;
  for (const HostileQuery& c : cases) {
    if (c.options.empty() && c.query.find('\n') == std::string::npos) text += c.query + "\n";
  }
  text += std::string("cuba\0oil", 8) + "\n" + "cuba\n";
  WriteFile(input, text);
  const RunResult r = Run({kSearchBin, "--db", db.string(), "--batch", input.string()}, {}, std::chrono::seconds(60));
  INFO("stderr: " << r.err.substr(0, 500));
  CHECK_FALSE(r.timed_out);
  CHECK(r.exit_code == 2);  // some queries are malformed
  const std::vector<std::string> records = Lines(r.out);
  REQUIRE(records.size() == static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  for (const std::string& record : records) {
    const json j = ParseJson(record);
    CHECK((j.contains("hits") || j.contains("error")));
  }
  CHECK(ParseJson(records.back())["total"] == 6);  // the last line, "cuba", still ran
}

// Xapian's query parser is quadratic in the number of words.
TEST_CASE("a query of more than 1,000 words is refused in one line, one of 1,000 is answered", "[e2e][hostile]") {
  const fs::path db = FixtureIndex::Db();
  const RunResult long_query = SearchIn(db, {"--any", "--", TenThousandUnknownWords()});
  CHECK(long_query.exit_code == 2);
  CHECK(long_query.err == "nsearch: query of 10000 words is too long: nsearch takes up to 1000\n");
  CHECK(SearchIn(db, {"--any", "--format", "count", "--", Cycle(kKnownWords, 1000)}).out == "22\n");
}

TEST_CASE("a query in an error line has its control characters escaped and is cut when huge", "[e2e][hostile]") {
  const fs::path db = FixtureIndex::Db();
  const RunResult controls = SearchIn(db, {"--", "\t\r\n\x1b"});
  CHECK(controls.err == "nsearch: query '\\t\\r\\n\\x1B' has no words to search for\n");
  const RunResult parens = SearchIn(db, {"--", std::string(100000, '(')});
  CHECK(parens.exit_code == 2);
  CHECK(parens.err.size() < 1100);
  CHECK(Contains(parens.err, " bytes more)"));
}
