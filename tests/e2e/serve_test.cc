// End-to-end tests of nsearch serve (docs/http-api.md): the real program on
// the fixture corpus, on a free port of 127.0.0.1, asked over HTTP with
// cpp-httplib's client and with raw sockets, and stopped by the test.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <mutex>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "tests/e2e/support.h"
#include "tests/e2e/serve_support.h"

namespace {

using namespace e2e;

std::string Encode(const std::string& text) { return httplib::detail::encode_query_param(text); }

// "/api/search?" with each parameter encoded.
std::string Url(const std::string& endpoint, const std::vector<std::pair<std::string, std::string>>& params) {
  std::string url = endpoint;
  for (std::size_t i = 0; i < params.size(); ++i) {
    url += (i == 0 ? "?" : "&") + params[i].first + "=" + Encode(params[i].second);
  }
  return url;
}

// A connection to 127.0.0.1:port that sends `text` and nothing more.
int OpenRaw(int port, const std::string& text) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  if (!text.empty()) REQUIRE(::send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size()));
  return fd;
}

// What a raw connection answers to `request`, up to its end (or 10 s).
std::string RawExchange(int port, const std::string& request) {
  const int fd = OpenRaw(port, request);
  std::string answer;
  pollfd p{fd, POLLIN, 0};
  while (::poll(&p, 1, 10000) > 0) {
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

std::string Abs(const std::string& name) { return fs::canonical(kNewsDir / name).string(); }

}  // namespace

TEST_CASE("nsearch serve answers /api/search with exactly what nsearch --json prints", "[e2e][serve]") {
  Server server(FixtureIndex::Db());
  struct Case {
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<std::string> options;
  };
  const std::vector<Case> cases = {
      {{{"q", "cuba"}}, {"cuba"}},
      {{{"q", "\"deportation flights\""}}, {"\"deportation flights\""}},
      {{{"q", "oil"}, {"n", "2"}, {"offset", "1"}}, {"-n", "2", "--offset", "1", "oil"}},
      {{{"q", "migration border"}, {"any", "1"}, {"sort", "newest"}}, {"--any", "--sort", "newest", "migration border"}},
      {{{"q", "election"}, {"facets", "source,year,lang"}, {"timeline", ""}},
       {"--facets", "source,year,lang", "election", "--timeline"}},
      {{{"q", "cuba OR oil"}, {"since", "2020"}, {"until", "2022-12"}, {"all", "true"}, {"sort", "oldest"}},
       {"--since", "2020", "--until", "2022-12", "--all", "--sort", "oldest", "cuba OR oil"}},
      {{{"q", "football"}, {"snippet_length", "40"}, {"timeline", "year"}, {"facets", "month"}},
       {"--snippet-length", "40", "--timeline", "year", "--facets", "month", "football"}},
      {{{"q", "title:chip*"}, {"snippet_length", "0"}}, {"--snippet-length", "0", "title:chip*"}},
      {{{"like", Abs(kCubaTalks)}}, {"--like", Abs(kCubaTalks)}},
      {{{"q", "migrashun"}}, {"migrashun"}},
      {{{"q", "zzzunknownword"}}, {"zzzunknownword"}},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"--json"};
    args.insert(args.end(), c.options.begin(), c.options.end());
    const RunResult cli = Search(args);
    INFO("nsearch: " << cli.err);
    REQUIRE(cli.exit_code <= 1);
    const httplib::Result r = server.Get(Url("/api/search", c.params));
    INFO("nsearch --json " << c.options.back());
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(r->body == cli.out);
  }
}

TEST_CASE("nsearch serve: bad parameters and queries are 400 with one line naming no option", "[e2e][serve]") {
  Server server(FixtureIndex::Db());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/api/search?q=cuba&sort=best", "{\"error\":\"sort must be relevance, newest or oldest, not 'best'\"}\n"},
      {"/api/search?q=cuba&n=0", "{\"error\":\"n must be a number from 1 to 1000, not '0'\"}\n"},
      {"/api/search?q=cuba&n=1001", "{\"error\":\"n must be a number from 1 to 1000, not '1001'\"}\n"},
      {"/api/search?q=cuba&n=ten", "{\"error\":\"n must be a number from 1 to 1000, not 'ten'\"}\n"},
      {"/api/search?q=cuba&offset=-1", "{\"error\":\"offset must be a number from 0 to 100000, not '-1'\"}\n"},
      {"/api/search?q=cuba&facets=author", "{\"error\":\"facets: no facet 'author' (source, year, month, lang)\"}\n"},
      {"/api/search?q=cuba&timeline=week", "{\"error\":\"timeline must be year, month or day, not 'week'\"}\n"},
      {"/api/search?q=cuba&any=maybe", "{\"error\":\"any must be 1, true, 0 or false, not 'maybe'\"}\n"},
      {"/api/search?q=cuba&since=yesterday",
       "{\"error\":\"since wants a date (2022-04-20, 2022-04, 2022, 2022-04-20T10:00) or a time ago (2h, 90m, 30d, 2w, "
       "6mo, 1y), not 'yesterday'\"}\n"},
      {"/api/search?q=cuba&limit=5", "{\"error\":\"unknown parameter 'limit'\"}\n"},
      {"/api/search?q=cuba&q=oil", "{\"error\":\"parameter 'q' given more than once\"}\n"},
      {"/api/search", "{\"error\":\"no query given (q, like, or source)\"}\n"},
      {"/api/search?q=" + std::string(4097, 'a'), "{\"error\":\"the query is 4097 bytes long; at most 4096 are allowed\"}\n"},
      {"/api/article", "{\"error\":\"no id given\"}\n"},
      {"/api/article?id=x&n=3", "{\"error\":\"unknown parameter 'n'\"}\n"},
      {"/api/info?q=x", "{\"error\":\"unknown parameter 'q'\"}\n"},
  };
  for (const auto& [url, body] : cases) {
    const httplib::Result r = server.Get(url);
    INFO(url.substr(0, 100));
    CHECK(r->status == 400);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(r->body == body);
  }
  // A query the library refuses: its message, as nsearch prints it after "nsearch: ".
  std::string many;
  for (int i = 0; i < 1001; ++i) many += "w ";
  const RunResult cli = Search({"--json", many});
  REQUIRE(cli.exit_code == 2);
  const httplib::Result too_many = server.Get(Url("/api/search", {{"q", many}}));
  CHECK(too_many->status == 400);
  CHECK(too_many->body == "{\"error\":\"" + cli.err.substr(std::string("nsearch: ").size(), cli.err.size() - 10) + "\"}\n");
}

TEST_CASE("nsearch serve: /api/article gives the whole text and the byte offsets of every match", "[e2e][serve]") {
  Server server(FixtureIndex::Db());
  const std::string id = Abs(kCubaTalks);
  const std::string text = ReadFile(id);
  const httplib::Result r = server.Get(Url("/api/article", {{"id", id}, {"q", "cuban \"migration talks\""}}));
  REQUIRE(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "application/json");
  const json j = ParseJson(r->body);
  CHECK(j["schema"] == 1);
  CHECK(j["id"] == id);
  CHECK(j["path"] == id);
  CHECK(j["title"] == "U.S. and Cuba hold migration talks in Havana");
  CHECK(j["date"] == "2022-04-20T14:00:00Z");
  CHECK(j["source"] == "Reuters");
  CHECK(j["author"] == "Elena Márquez");
  CHECK(j["url"] == "https://wire.example.net/world/a1001");
  CHECK(j["language"] == "english");
  CHECK(j["fields"] == json{{"Section", "World"}});
  const std::string body = j["text"];
  // The body is the file after its header block.
  CHECK(StartsWith(body, "WASHINGTON, April 20"));
  CHECK(Contains(text, body.substr(0, body.size() - 1)));
  std::vector<std::string> matched;
  for (const json& m : j["matches"]) {
    const std::size_t begin = m[0], end = m[1];
    REQUIRE(begin < end);
    REQUIRE(end <= body.size());
    matched.push_back(body.substr(begin, end - begin));
  }
  // "cuban" matches by its stem (Cubans, Cuban), the phrase where its words
  // stand together; "talks" alone does not.
  CHECK(matched == std::vector<std::string>{"migration talks", "Cubans", "Cuban", "Cuban"});
  // The same article without a query, or with one it does not match.
  const json plain = ParseJson(server.Get(Url("/api/article", {{"id", id}}))->body);
  CHECK(plain["text"] == body);
  CHECK(plain["matches"] == json::array());
  const json other = ParseJson(server.Get(Url("/api/article", {{"id", id}, {"q", "football"}}))->body);
  CHECK(other["text"] == body);
  CHECK(other["matches"] == json::array());
  const json any = ParseJson(server.Get(Url("/api/article", {{"id", id}, {"q", "football washington"}, {"any", "1"}}))->body);
  CHECK(any["matches"].size() == 1);

  // Only ids from the index: a path that is not one is 404, as is any file.
  for (const std::string& missing : {std::string("/etc/passwd"), std::string("../../etc/passwd"), Abs(kCubaTalks) + "x"}) {
    const httplib::Result nf = server.Get(Url("/api/article", {{"id", missing}}));
    CHECK(nf->status == 404);
    CHECK(nf->body == "{\"error\":\"no article has the id '" + missing + "' in this index\"}\n");
  }
}

TEST_CASE("nsearch serve: source= keeps exactly the articles the source facet counted", "[e2e][serve]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus", db = dir.path() / "idx";
  fs::create_directories(corpus);
  const auto article = [&](const std::string& name, const std::string& source, const std::string& body) {
    WriteFile(corpus / name, "Title: " + name + "\nSource: " + source + "\nDate: 2022-04-20\n\n" + body + "\n");
  };
  article("a.txt", "Wire", "Gannets nest on the cliffs of Grassholm.");
  article("b.txt", "Wire", "A gannet colony grows again.");
  article("c.txt", "Wire Weekly", "Gannets and puffins, a weekly round-up.");
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);
  Server server(db);
  const json all = ParseJson(server.Get("/api/search?q=gannet&facets=source")->body);
  REQUIRE(all["total"] == 3);
  CHECK(all["facets"]["source"] == json::parse(R"([{"value": "Wire", "count": 2}, {"value": "Wire Weekly", "count": 1}])"));
  const auto ids = [&](const std::vector<std::pair<std::string, std::string>>& params) {
    const httplib::Result r = server.Get(Url("/api/search", params));
    REQUIRE(r->status == 200);
    const json body = ParseJson(r->body);  // kept: a range-for over a temporary's member dangles
    std::set<std::string> names;
    for (const json& h : body["hits"]) names.insert(fs::path(h["path"].get<std::string>()).filename());
    return names;
  };
  CHECK(ids({{"q", "gannet"}, {"source", "Wire"}}) == std::set<std::string>{"a.txt", "b.txt"});
  CHECK(ids({{"q", "gannet"}, {"source", "Wire Weekly"}}) == std::set<std::string>{"c.txt"});
  CHECK(ids({{"source", "Wire"}}) == std::set<std::string>{"a.txt", "b.txt"});  // no q: every article of it
  CHECK(ids({{"q", "gannet"}, {"source", "wire"}}).empty());                  // the name as the facet shows it
  // The source: field matches words: both sources.
  CHECK(ids({{"q", "gannet source:Wire"}}).size() == 3);
}

TEST_CASE("nsearch serve: /api/copies lists the near-duplicates a hit's +N similar folds", "[e2e][serve]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  fs::copy(kNewsDir, corpus / "news", fs::copy_options::recursive);
  std::string talks = ReadFile(kNewsDir / kCubaTalks);
  WriteFile(corpus / "copy-1.txt", talks);
  talks.replace(talks.find("four years"), 10, "four long years");
  WriteFile(corpus / "copy-2.txt", talks);
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);
  Server server(db);
  const json hits = ParseJson(server.Get("/api/search?q=migration+talks")->body);
  REQUIRE(hits["hits"].size() == 1);
  REQUIRE(hits["hits"][0]["similar"] == 2);
  const std::string shown = hits["hits"][0]["id"];
  const httplib::Result r = server.Get(Url("/api/copies", {{"id", shown}, {"q", "migration talks"}}));
  REQUIRE(r->status == 200);
  const json copies = ParseJson(r->body);
  CHECK(copies["total"] == 2);
  std::set<std::string> ids;
  for (const json& h : copies["hits"]) ids.insert(h["id"].get<std::string>());
  std::set<std::string> want;
  for (const std::string& name : {(corpus / "copy-1.txt").string(), (corpus / "copy-2.txt").string(),
                                  fs::canonical(corpus / "news" / kCubaTalks).string()}) {
    if (name != shown) want.insert(fs::weakly_canonical(name).string());
  }
  CHECK(ids == want);
  // Only those that match: "long" is in one copy.
  const json some = ParseJson(server.Get(Url("/api/copies", {{"id", shown}, {"q", "long years"}}))->body);
  CHECK(some["total"] == (shown == fs::weakly_canonical(corpus / "copy-2.txt").string() ? 0 : 1));
  // Every copy without a query; none for an article without copies.
  CHECK(ParseJson(server.Get(Url("/api/copies", {{"id", shown}}))->body)["total"] == 2);
  const json alone = ParseJson(server.Get(Url("/api/copies", {{"id", fs::canonical(corpus / "news" / kOpecCut).string()}}))->body);
  CHECK(alone["total"] == 0);
  CHECK(alone["hits"] == json::array());
  CHECK(server.Get(Url("/api/copies", {{"id", "nope"}}))->status == 404);
}

TEST_CASE("nsearch serve: /api/info, the page, unknown paths and methods", "[e2e][serve]") {
  Server server(FixtureIndex::Db());
  const RunResult cli = Search({"--info", "--json"});
  REQUIRE(cli.exit_code == 0);
  const httplib::Result info = server.Get("/api/info");
  CHECK(info->status == 200);
  CHECK(info->body == cli.out);
  for (const std::string& path : {std::string("/"), std::string("/index.html")}) {
    const httplib::Result page = server.Get(path);
    CHECK(page->status == 200);
    CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(page->body == ReadFile(fs::path(DOCS_DIR).parent_path() / "web" / "index.html"));
  }
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(DOCS_DIR).parent_path() / "web")) {
    if (!entry.is_regular_file()) continue;
    const std::string name = "/" + fs::relative(entry.path(), fs::path(DOCS_DIR).parent_path() / "web").string();
    if (name.find("/.") != std::string::npos) continue;
    const httplib::Result file = server.Get(name);
    INFO(name);
    CHECK(file->status == 200);
    CHECK(file->body == ReadFile(entry.path()));
    if (name.size() > 3 && name.substr(name.size() - 3) == ".js") {
      CHECK(file->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    }
  }
  const httplib::Result page = server.Get("/");
  CHECK(page->get_header_value("Cache-Control") == "no-cache");
  CHECK(StartsWith(page->get_header_value("Content-Security-Policy"), "default-src 'self';"));
  CHECK_FALSE(Contains(page->get_header_value("Content-Security-Policy"), "unsafe-inline"));
  CHECK_FALSE(page->has_header("Access-Control-Allow-Origin"));

  const httplib::Result missing = server.Get("/no-such-file.js");
  CHECK(missing->status == 404);
  CHECK(missing->body == "{\"error\":\"no such page\"}\n");
  CHECK(server.Get("/../server/http_server.cc")->status == 404);
  httplib::Client client = server.Client();
  const httplib::Result post = client.Post("/api/search?q=cuba", "q=cuba", "application/x-www-form-urlencoded");
  REQUIRE(post);
  CHECK(post->status == 405);
  CHECK(post->body == "{\"error\":\"only GET and HEAD requests are served\"}\n");
  // A GET with a body.
  const std::string with_body = RawExchange(
      server.port(), "GET /api/search?q=cuba HTTP/1.1\r\nHost: " + server.host() + "\r\nContent-Length: 5\r\n\r\nhello");
  CHECK(StartsWith(with_body, "HTTP/1.1 413 "));
  CHECK(Contains(with_body, "\r\n\r\n{\"error\":\"requests have no body here\"}\n"));
  CHECK_FALSE(Contains(with_body, "HTTP/1.1 400"));  // "hello" is not read as the next request
}

TEST_CASE("nsearch serve refuses a Host that is not its address (DNS rebinding) and sends no CORS headers", "[e2e][serve]") {
  Server server(FixtureIndex::Db());
  const std::string port = std::to_string(server.port());
  for (const std::string& host : {"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port}) {
    const httplib::Result r = server.Get("/api/search?q=cuba", {{"Host", host}});
    INFO(host);
    CHECK(r->status == 200);
  }
  for (const std::string& host : {std::string("evil.example:") + port, std::string("127.0.0.1"),
                                  std::string("127.0.0.1:1"), std::string("localhost"), std::string("127.0.0.1.nip.io:") + port}) {
    const httplib::Result r = server.Get("/api/search?q=cuba", {{"Host", host}, {"Origin", "http://evil.example"}});
    INFO(host);
    CHECK(r->status == 403);
    CHECK(r->body == "{\"error\":\"this server answers requests for 127.0.0.1:" + port + " or localhost:" + port +
                         " only\"}\n");
    CHECK_FALSE(r->has_header("Access-Control-Allow-Origin"));
  }
  // No Host header at all (HTTP/1.0).
  const std::string answer = RawExchange(server.port(), "GET /api/info HTTP/1.0\r\n\r\n");
  CHECK(StartsWith(answer, "HTTP/1.1 403 "));
  const httplib::Result ok = server.Get("/api/search?q=cuba", {{"Origin", "http://evil.example"}});
  CHECK(ok->status == 200);
  CHECK_FALSE(ok->has_header("Access-Control-Allow-Origin"));
}

TEST_CASE("nsearch serve bounds the request line and headers", "[e2e][serve]") {
  Server server(FixtureIndex::Db());
  const std::string long_line =
      RawExchange(server.port(), "GET /api/search?q=" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: " + server.host() + "\r\n\r\n");
  CHECK(StartsWith(long_line, "HTTP/1.1 414 "));
  const std::string long_header = RawExchange(
      server.port(), "GET /api/info HTTP/1.1\r\nHost: " + server.host() + "\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n");
  CHECK_FALSE(StartsWith(long_header, "HTTP/1.1 200 "));
  // Still serving.
  CHECK(server.Get("/api/info")->status == 200);
}

TEST_CASE("nsearch serve: clients that send half a request and go silent do not hold the others up", "[e2e][serve]") {
  Server server(FixtureIndex::Db());
  std::vector<int> slow;
  // More than the CPUs (and so the Searchers), fewer than the connection threads.
  for (int i = 0; i < 12; ++i) {
    slow.push_back(OpenRaw(server.port(), i % 3 == 0 ? "" : i % 3 == 1 ? "GET /api/search?q=cu" : "GET / HTTP/1.1\r\nHost: "));
  }
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) CHECK(server.Get("/api/search?q=cuba")->status == 200);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took < std::chrono::seconds(2));
  // The silent ones are disconnected (perhaps after a 400) once the read
  // timeout (5 s) has passed.
  for (int fd : slow) {
    bool closed = false;
    for (pollfd p{fd, POLLIN, 0}; !closed && ::poll(&p, 1, 15000) == 1;) {
      char buf[512];
      closed = ::recv(fd, buf, sizeof buf, 0) <= 0;
    }
    CHECK(closed);
    ::close(fd);
  }
}

TEST_CASE("nsearch serve answers 503 without an index, and then serves the index once it is built", "[e2e][serve]") {
  TempDir dir;
  const fs::path db = dir.path() / "idx";
  Server server(db);
  const httplib::Result none = server.Get("/api/search?q=cuba");
  CHECK(none->status == 503);
  CHECK(StartsWith(none->body, "{\"error\":\"no index at " + db.string()));
  CHECK(server.Get("/api/info")->status == 503);
  CHECK(server.Get("/")->status == 200);
  REQUIRE(Index(db, {kNewsDir.string()}).exit_code == 0);
  const httplib::Result r = server.Get("/api/search?q=cuba");
  CHECK(r->status == 200);
  CHECK(r->body == SearchIn(db, {"--json", "cuba"}).out);
}

TEST_CASE("nsearch serve exits 0 on SIGTERM and on SIGINT", "[e2e][serve]") {
  {
    Server server(FixtureIndex::Db());
    CHECK(server.Get("/api/search?q=cuba")->status == 200);
    CHECK(server.Stop() == 0);
  }
  {
    Server server(FixtureIndex::Db());
    // An idle kept-alive connection does not keep it from stopping.
    const int idle = OpenRaw(server.port(), "");
    CHECK(server.Get("/api/info")->status == 200);
    CHECK(server.Stop() == 0);
    ::close(idle);
  }
}

TEST_CASE("nsearch serve warns on stderr when it listens beyond loopback, and says why it cannot listen", "[e2e][serve]") {
  const RunResult bad = Run({kSearchBin, "serve", "--db", FixtureIndex::Db().string(), "--listen", "nohost"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err ==
        "nsearch: --listen wants HOST:PORT (127.0.0.1:8080, [::1]:0, localhost:8080), not 'nohost'\n");
  const RunResult taken = Run({kSearchBin, "serve", "--db", FixtureIndex::Db().string(), "--listen", "192.0.2.1:0"},
                              {}, std::chrono::seconds(20));
  CHECK(taken.exit_code == 2);
  CHECK(Contains(taken.err, "nsearch: cannot listen on 192.0.2.1:0: "));
}

TEST_CASE("nsearch serve answers from each commit of an update and a rebuild with no failed request under load",
          "[e2e][serve][readers]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  fs::copy(kNewsDir, corpus / "news", fs::copy_options::recursive);
  for (int i = 0; i < 200; ++i) {
    WriteFile(corpus / ("churn-" + std::to_string(i) + ".txt"),
              "Title: Churn " + std::to_string(i) + "\n\nchurn article number " + std::to_string(i) + " filler words\n");
  }
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);
  Server server(db);
  // The fixture articles never change and the churn never holds their
  // words: the hits' ids stay what they are.
  const auto ids_of = [](const std::string& body) {
    std::vector<std::string> ids;
    const json j = json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("hits")) return ids;
    for (const json& h : j["hits"]) ids.push_back(h["id"]);
    return ids;
  };
  const std::vector<std::string> queries = {"/api/search?q=cuba", "/api/search?q=cuba+OR+oil&n=20&facets=source",
                                            "/api/search?q=%22deportation+flights%22&timeline=year"};
  std::vector<std::vector<std::string>> expected;
  for (const std::string& q : queries) expected.push_back(ids_of(server.Get(q)->body));
  REQUIRE(expected[0].size() == 6);

  std::atomic<bool> done{false};
  std::atomic<int> requests{0};
  std::vector<std::string> failures;
  std::mutex failures_mu;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client client = server.Client();  // kept alive between requests
      for (std::size_t i = static_cast<std::size_t>(t); !done; ++i) {
        const std::size_t k = i % queries.size();
        const httplib::Result r = client.Get(queries[k].c_str());
        ++requests;
        if (!r || r->status != 200 || ids_of(r->body) != expected[k]) {
          std::lock_guard lock(failures_mu);
          failures.push_back(queries[k] + ": " + (r ? std::to_string(r->status) + " " + r->body.substr(0, 300)
                                                    : "no answer: " + httplib::to_string(r.error())));
        }
      }
    });
  }
  const auto found = [&](const std::string& word) {
    return ParseJson(server.Get("/api/search?all=1&q=" + word)->body)["total"].get<int>();
  };
  for (int round = 1; round <= 4; ++round) {
    const std::string marker = "roundmarker" + std::to_string(round);
    for (int i = 0; i < 40; ++i) {
      WriteFile(corpus / (marker + "-" + std::to_string(i) + ".txt"), "Title: " + marker + "\n\n" + marker + " churn\n");
    }
    fs::remove(corpus / ("churn-" + std::to_string(round) + ".txt"));
    const std::vector<std::string> how = round % 2 == 0 ? std::vector<std::string>{"--rebuild"}
                                                        : std::vector<std::string>{"--batch-size", "1"};
    const RunResult r = Index(db, {}, how);
    INFO("round " << round << ": " << r.err);
    CHECK(r.exit_code == 0);
    // The commit is seen by the next request, without a restart.
    CHECK(found(marker) == 40);
    CHECK(found("churn") == 200 - round + 40 * round);
  }
  done = true;
  for (std::thread& t : clients) t.join();
  std::printf("serve: %d requests while the index was updated and rebuilt\n", requests.load());
  INFO(failures.size() << " failures; the first: " << (failures.empty() ? "" : failures.front()));
  CHECK(failures.empty());
  CHECK(requests >= 40);
  CHECK(server.Stop() == 0);
}

TEST_CASE("the completions of nsearch serve offer exactly the options of nsearch serve --help", "[e2e][serve][completion]") {
  const std::string serve_bin = (fs::path(kSearchBin).parent_path() / "nsearch-serve").string();
  const std::set<std::string> help = HelpLongOptions(serve_bin);
  CHECK(help == std::set<std::string>{"--help", "--db", "--config", "--listen", "--remote-timeout"});
  const fs::path completions = fs::path(DOCS_DIR).parent_path() / "completions";
  const RunResult bash = Run({"/bin/bash", "--norc", "-c",
                              "source \"$1\" && COMP_WORDS=(nsearch serve --) && COMP_CWORD=2 && _nsearch && "
                              "printf '%s\\n' \"${COMPREPLY[@]}\"",
                              "bash", (completions / "bash" / "nsearch").string()});
  REQUIRE(bash.exit_code == 0);
  const std::vector<std::string> offered = Lines(bash.out);
  CHECK(std::set<std::string>(offered.begin(), offered.end()) == help);
  const std::string zsh = ReadFile(completions / "zsh" / "_nsearch-serve");
  static const std::regex spec(R"((--[a-z][a-z-]*)=?[+]?[\[}])");
  std::set<std::string> specified;
  for (std::sregex_iterator it(zsh.begin(), zsh.end(), spec), end; it != end; ++it) specified.insert((*it)[1]);
  CHECK(specified == help);
  CHECK(Contains(ReadFile(completions / "zsh" / "_nsearch"), "_nsearch-serve"));
}
