#include "indexer/mail_reader.h"

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "common/utf8.h"

using nsearch::Article;
using nsearch::ParsedFile;

namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(FORMATS_FIXTURES_DIR) + "/mail/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const Article* ById(const ParsedFile& f, const std::string& id) {
  for (const Article& a : f.articles) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("Mail: an mbox gives a message per article, and names the broken one by its line", "[mail]") {
  const ParsedFile f = nsearch::ParseMbox(Fixture("coastal-briefing.mbox"), "/m/briefing.mbox");
  REQUIRE(f.problems.size() == 1);
  CHECK(f.problems[0] == ":20: no mail message after this From line (no header)");
  REQUIRE(f.articles.size() == 4);  // 3 messages and the text attachment; not the PNG

  const Article* plain = ById(f, "briefing-20240108@coastalherald.example");
  REQUIRE(plain);
  CHECK(plain->title == "Morning briefing: frost damages Lindquay orchards");
  CHECK(plain->date == "2024-01-08T07:00:00Z");
  CHECK(plain->author == "The Coastal Herald Briefing");
  CHECK(plain->source == "The Coastal Herald Briefing");
  CHECK(plain->path == "/m/briefing.mbox");
  CHECK(plain->body.rfind("Good morning.\n\nA hard frost on Sunday night", 0) == 0);

  const Article* html = ById(f, "briefing-20240109@coastalherald.example");
  REQUIRE(html);
  CHECK(html->title == "Morning briefing: Saltcombe lifeboat gets a new station");
  CHECK(html->body.find("fifty years after the old boathouse") != std::string::npos);  // quoted-printable undone
  CHECK(html->body.find("£2.1m") != std::string::npos);
  CHECK(html->body.find("Fernwhistle") == std::string::npos);  // the footer
  CHECK(html->body.find("Sport") == std::string::npos);        // the navigation

  const Article* weekend = ById(f, "briefing-20240110@coastalherald.example");
  REQUIRE(weekend);
  CHECK(weekend->body.find("Gorsebrook harbour wall") != std::string::npos);
  CHECK(weekend->body.find("Spindrift") == std::string::npos);  // the attachment is its own article
  const Article* tides = ById(f, "briefing-20240110@coastalherald.example#tide-tables.txt");
  REQUIRE(tides);
  CHECK(tides->title == "Tide tables for the week of 10 January");
  CHECK(tides->body.find("Spindrift Point") != std::string::npos);
  CHECK(tides->path == "/m/briefing.mbox");
}

TEST_CASE("Mail: an .eml with an encoded subject and a Latin-1 body", "[mail]") {
  const ParsedFile f = nsearch::ParseEml(Fixture("porthcurnow-cafes.eml"), "/m/cafes.eml");
  CHECK(f.problems.empty());
  REQUIRE(f.articles.size() == 1);
  const Article& a = f.articles[0];
  CHECK(a.id == "20240112164500.7731@porthcurnow-news.example");
  CHECK(a.title == "Café owners in Porthcurnow protest parking charges");
  CHECK(a.author == "Ana Ruiz");
  CHECK(a.date == "2024-01-12T16:45:00+01:00");
  CHECK(a.body.rfind("Café owners on the Porthcurnow seafront", 0) == 0);
}

TEST_CASE("Mail: ids without a Message-ID, repeated ids, and what is not mail", "[mail]") {
  const std::string two = "From a@b Mon Jan  1 00:00:00 2024\nSubject: one\n\nfirst body\n\n"
                          "From a@b Mon Jan  1 00:00:00 2024\nSubject: two\n\nsecond body\n";
  const ParsedFile f = nsearch::ParseMbox(two, "/m/x.mbox");
  REQUIRE(f.articles.size() == 2);
  CHECK(f.articles[0].id == "/m/x.mbox#1");
  CHECK(f.articles[1].id == "/m/x.mbox#2");
  const std::string dup = "From a@b Mon Jan  1 00:00:00 2024\nSubject: one\nMessage-ID: <d@x>\n\nA\n\n"
                          "From a@b Mon Jan  1 00:00:00 2024\nSubject: again\nMessage-ID: <d@x>\n\nB\n";
  const ParsedFile d = nsearch::ParseMbox(dup, "/m/d.mbox");
  REQUIRE(d.articles.size() == 2);
  CHECK(d.articles[0].id == "d@x");
  CHECK(d.articles[1].id == "/m/d.mbox#2");
  CHECK(nsearch::ParseMbox("just some text\nand more\n", "/m/t.mbox").problems ==
        std::vector<std::string>{":1: no \"From \" line: not an mbox mailbox"});
  CHECK(nsearch::ParseEml("", "/m/e.eml").problems == std::vector<std::string>{":1: not a mail message (no header)"});
}

TEST_CASE("Mail: truncated and garbled input never crashes, and every field is UTF-8", "[mail][limits]") {
  const std::string box = Fixture("coastal-briefing.mbox");
  for (std::size_t cut = 0; cut < box.size(); cut += 97) {
    const ParsedFile f = nsearch::ParseMbox(std::string_view(box).substr(0, cut), "/m/cut.mbox");
    for (const Article& a : f.articles) {
      REQUIRE(nsearch::IsValidUtf8(a.title));
      REQUIRE(nsearch::IsValidUtf8(a.body));
      REQUIRE(nsearch::IsValidUtf8(a.author));
    }
  }
  std::string garbled = box;
  for (std::size_t i = 7; i < garbled.size(); i += 13) garbled[i] = static_cast<char>(0x80 + i % 120);
  (void)nsearch::ParseMbox(garbled, "/m/g.mbox");
}
