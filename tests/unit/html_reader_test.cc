#include "indexer/html_reader.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>

#include <catch2/catch.hpp>

#include "common/utf8.h"

using nsearch::Article;
using nsearch::IsValidUtf8;

namespace {

Article Parse(std::string_view html) { return nsearch::ParseHtmlArticle(html, "id-1", "/c/page.html"); }

// Everything written to file descriptor 2 while it lives.
class StderrCapture {
 public:
  StderrCapture() : file_(std::tmpfile()) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    ::dup2(::fileno(file_), 2);
  }
  ~StderrCapture() {
    Restore();
    std::fclose(file_);
  }
  std::string Text() {
    Restore();
    std::string out;
    std::rewind(file_);
    for (int c; (c = std::fgetc(file_)) != EOF;) out += static_cast<char>(c);
    return out;
  }

 private:
  void Restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }
  std::FILE* file_;
  int saved_ = -1;
};

}  // namespace

TEST_CASE("HTML: fields from the page's metadata", "[html]") {
  const Article a = Parse(R"(<!DOCTYPE html><html lang="es"><head>
    <meta charset="utf-8">
    <title>Ignored | Site</title>
    <meta property="og:title" content="  Lluvias   en Valdemora ">
    <meta property="og:site_name" content="Diario del Sur">
    <meta property="og:url" content="https://diario.example.net/a">
    <link rel="canonical" href="https://diario.example.net/canonical">
    <meta property="article:published_time" content="2023-10-02T06:15:00+02:00">
    <meta name="author" content="Lucía Ferrer">
    <meta name="description" content="Resumen.">
    <meta name="keywords" content="lluvia, inundaciones">
    <meta property="article:section" content="Local">
    </head><body><p>Texto.</p></body></html>)");
  CHECK(a.id == "id-1");
  CHECK(a.path == "/c/page.html");
  CHECK(a.title == "Lluvias en Valdemora");
  CHECK(a.source == "Diario del Sur");
  CHECK(a.url == "https://diario.example.net/a");
  CHECK(a.date == "2023-10-02T06:15:00+02:00");
  CHECK(a.author == "Lucía Ferrer");
  CHECK(a.language == "es");
  using Fields = std::vector<std::pair<std::string, std::string>>;
  CHECK(a.extra_fields == Fields{{"Description", "Resumen."}, {"Keywords", "lluvia, inundaciones"}, {"Section", "Local"}});
  CHECK(a.body == "Texto.");
}

TEST_CASE("HTML: the title falls back from og:title to <title> to <h1> to the body", "[html]") {
  // <title> loses the " | site" suffix when the site is og:site_name; an SVG's
  // <title> is not the page's.
  CHECK(Parse("<svg><title>icon</title></svg><title>Harbour floods | The Herald</title>"
              "<meta property='og:site_name' content='The Herald'>")
            .title == "Harbour floods");
  CHECK(Parse("<title>Harbour floods | Another</title>").title == "Harbour floods | Another");
  CHECK(Parse("<title>  </title><body><nav><h1>Site logo</h1></nav><h1>The <b>real</b>\nheadline</h1><p>x</p>").title ==
        "The real headline");
  CHECK(Parse("<body><p>First paragraph here.</p><p>Second.</p>").title == "First paragraph here.");
}

TEST_CASE("HTML: the date from the meta variants, itemprop or <time>", "[html]") {
  struct Case {
    const char* html;
    const char* date;
  };
  const Case cases[] = {
      {"<meta name='date' content='2022-04-20'>", "2022-04-20"},
      {"<meta name='pubdate' content='20220420'>", "2022-04-20"},
      {"<meta name='DC.date.issued' content='2022/04/20'>", "2022-04-20"},
      {"<meta itemprop='datePublished' content='2022-04-20T10:00:00Z'>", "2022-04-20T10:00:00Z"},
      {"<p>Posted <span itemprop='datePublished'>April 20, 2022</span></p>", "2022-04-20"},
      {"<p><time datetime='soon'>x</time><time datetime='2022-04-21'>x</time></p>", "2022-04-21"},
      // article:published_time wins over <time>; an unparseable one does not.
      {"<meta property='article:published_time' content='2022-04-19'><time datetime='2022-04-21'></time>",
       "2022-04-19"},
      {"<meta property='article:published_time' content='someday'><meta name='date' content='2022-04-18'>",
       "2022-04-18"},
      {"<time>20 April 2022</time>", ""},
  };
  for (const Case& c : cases) {
    INFO(c.html);
    CHECK(Parse(c.html).date == c.date);
  }
}

TEST_CASE("HTML: authors, URL and language in their other forms", "[html]") {
  const Article a = Parse(
      "<html lang='en-US'><meta property='article:author' content='https://facebook.com/someone'>"
      "<meta property='article:author' content='Bo Li'><meta property='article:author' content='Ana Díaz'>"
      "<link rel='Canonical' href='https://example.net/c'>");
  CHECK(a.author == "Bo Li, Ana Díaz");
  CHECK(a.url == "https://example.net/c");
  CHECK(a.language == "en-US");
  CHECK(Parse("<meta name='author' content='A'><meta property='article:author' content='B'>").author == "A");
  CHECK(Parse("<meta http-equiv='Content-Language' content='fr'><p>x</p>").language == "fr");
}

TEST_CASE("HTML: the body is the article's visible text, a line per block", "[html]") {
  const Article a = Parse(R"(<html><head><style>p{}</style><script>var s = "scripttext";</script></head>
    <body><header>Site header</header><nav><a>Home</a></nav>
    <main><p>Main text outside the article.</p>
    <article>
      <h1>Head&shy;line</h1>
      <div>First   block
        with <b>bold</b><i>italic</i> &amp; an&nbsp;entity</div>
      <p>Line<br>break</p>
      <noscript>Enable JavaScript</noscript>
      <div hidden>hidden text</div><span aria-hidden="true">icon</span>
      <ul><li>one</li><li>two</li></ul>
      <table><tr><td>a</td><td>b</td></tr></table>
      <template><p>template text</p></template>
      <iframe src="x">frame</iframe><svg><text>svg text</text></svg>
      <!-- a comment -->
      <aside>Related</aside><form><label>Sign up</label></form>
    </article></main>
    <footer>Footer text</footer></body></html>)");
  CHECK(a.body ==
        "Head\xC2\xAD" "line\n"
        "First block with bolditalic & an entity\n"
        "Line\nbreak\n"
        "one\ntwo\n"
        "a\nb");
}

TEST_CASE("HTML: the longest <article>, else <main>, else <body>", "[html]") {
  CHECK(Parse("<body><article><p>Teaser.</p></article><article><p>The whole story, at length.</p>"
              "<article>A comment.</article></article></body>")
            .body == "The whole story, at length.\nA comment.");
  CHECK(Parse("<body><p>Outside.</p><main><p>In main.</p></main></body>").body == "In main.");
  CHECK(Parse("<body><article> </article><main>Main.</main></body>").body == "Main.");
  CHECK(Parse("<body>Just <em>body</em> text.<footer>f</footer></body>").body == "Just body text.");
}

TEST_CASE("HTML: charset from the page, else detected", "[html][utf8]") {
  // Declared, and right.
  CHECK(Parse("<meta charset='windows-1252'><title>\x93" "Caf\xE9\x94</title>").title == "“Café”");
  CHECK(Parse("<meta http-equiv='Content-Type' content='text/html; charset=koi8-r'>"
              "<title>\xED\xCF\xD3\xCB\xD7\xC1</title>")
            .title == "Москва");
  // Latin-1 declared: read as Windows-1252, as browsers do.
  CHECK(Parse("<meta charset=\"ISO-8859-1\"><p>\x80" "5</p>").body == "€5");
  // Not declared: valid UTF-8 is UTF-8, anything else is detected.
  CHECK(Parse("<p>Díaz — “quoted”</p>").body == "Díaz — “quoted”");
  const std::string french =
      "<p>Le pr\xE9sident a d\xE9" "clar\xE9 que la r\xE9union aurait lieu \xE0 Paris apr\xE8s les "
      "\xE9lections r\xE9gionales.</p>";
  const std::string french_utf8 =
      "Le président a déclaré que la réunion aurait lieu à Paris après les élections régionales.";
  CHECK(Parse(french).body == french_utf8);
  const std::string russian =
      "<p>\xF0\xD2\xC5\xDA\xC9\xC4\xC5\xCE\xD4 \xF2\xCF\xD3\xD3\xC9\xC9 \xDA\xC1\xD1\xD7\xC9\xCC, "
      "\xDE\xD4\xCF \xD0\xC5\xD2\xC5\xC7\xCF\xD7\xCF\xD2\xD9 \xD0\xD2\xCF\xC4\xCF\xCC\xD6\xC1\xD4"
      "\xD3\xD1 \xCE\xC1 \xD3\xCC\xC5\xC4\xD5\xC0\xDD\xC5\xCA \xCE\xC5\xC4\xC5\xCC\xC5.</p>";
  CHECK(Parse(russian).body == "Президент России заявил, что переговоры продолжатся на следующей неделе.");
  // Declared UTF-8 but not: the declaration is wrong, so detect.
  CHECK(Parse("<meta charset='utf-8'>" + french).body == french_utf8);
}

TEST_CASE("HTML: no input crashes it, and libxml2 prints nothing", "[html][limits]") {
  StderrCapture stderr_text;
  CHECK(Parse("").body.empty());
  CHECK(Parse("<").title.empty());
  CHECK(Parse(std::string("<p>a\0b</p>", 10)).body == "a b");
  CHECK(Parse("<p>unclosed <b>tags <i>everywhere</p></div></span>&bogus; &#xD800; &#0;").body ==
        "unclosed tags everywhere\n&bogus;");

  // A hundred thousand levels of nesting, closed or not.
  const std::string deep = [] {
    std::string s;
    for (int i = 0; i < 100000; ++i) s += "<div>";
    s += "deep text";
    for (int i = 0; i < 100000; ++i) s += "</div>";
    return s;
  }();
  CHECK(Parse(deep).body == "deep text");
  std::string unclosed;
  for (int i = 0; i < 50000; ++i) unclosed += "<font><b>";
  CHECK(Parse(unclosed + "still read").body == "still read");

  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string bytes(rng() % 4000, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
    if (round % 2) bytes = "<html><meta charset='" + std::string(round % 4 ? "x-unknown" : "utf-16") + "'>" + bytes;
    const Article a = Parse(bytes);
    for (const std::string* field : {&a.title, &a.date, &a.author, &a.source, &a.url, &a.language, &a.body}) {
      REQUIRE(IsValidUtf8(*field));
    }
  }
  CHECK(stderr_text.Text() == "");
}

TEST_CASE("HTML: the format fixture reads as its README says", "[html][fixtures]") {
  std::ifstream in(FORMATS_FIXTURES_DIR "/harbour-storm.html", std::ios::binary);
  REQUIRE(in);
  const Article a = Parse(std::string(std::istreambuf_iterator<char>(in), {}));
  CHECK(a.title == "Storm Ardal floods Polwenna harbour as sea wall gives way");
  CHECK(a.date == "2023-11-03T07:45:00Z");
  CHECK(a.author == "Nia Trevelyan");
  CHECK(a.source == "The Coastal Herald");
  CHECK(a.url == "https://herald.example.net/news/storm-ardal-polwenna");
  CHECK(a.language == "en-GB");
  CHECK(a.body.rfind("Storm Ardal floods Polwenna harbour\nBy Nia Trevelyan · 3 November 2023\n", 0) == 0);
  CHECK(a.body.find("gusts of 90 mph") != std::string::npos);
  CHECK(a.body.find("“We have never seen") != std::string::npos);
  for (const char* noise : {"trackingpixel", "injectedbyscript", "Subscribe", "Related stories", "newsletter",
                            "Cookie", "font-family"}) {
    INFO(noise);
    CHECK(a.body.find(noise) == std::string::npos);
  }
}

TEST_CASE("HTML: a byte the declared charset rejects costs only itself", "[html][utf8]") {
  // 0x81 is undefined in Windows-1252; libxml2's own conversion would stop there.
  CHECK(Parse("<meta charset='windows-1252'><p>caf\xE9 \x81 x</p><p>The rest is read.</p>").body ==
        "café \xEF\xBF\xBD x\nThe rest is read.");
  // A charset nobody knows: decoded as if none were declared.
  CHECK(Parse("<meta charset='x-no-such-charset'><p>caf\xE9</p>").body == "café");
  // A byte order mark outranks the <meta>.
  CHECK(Parse(std::string("\xFF\xFE<\0p\0>\0\xE9\0<\0/\0p\0>\0", 18)).body == "é");
  CHECK(Parse("\xEF\xBB\xBF<meta charset='windows-1252'><p>é</p>").body == "é");
}
