// Articles whose id is longer than a Xapian term may be: a JSON id of 400
// bytes and a text file at a 300-byte path. The indexer cuts and hashes
// their id terms (common/article_id.h); id:, path:, dir: and --like must
// build the same terms to find them, and an update must keep them.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/e2e/support.h"

using namespace e2e;

namespace {

// Words the similar articles share, and others of their own.
const std::string kTalks =
    "Cuban and American officials met in Havana for migration talks, the first such talks in four years. "
    "The delegations discussed deportation flights, visas and the migration accords signed decades ago.";
const std::string kTalksAgain =
    "Migration talks between Cuba and the United States continued in Havana, where officials discussed "
    "visas, deportation flights and the old migration accords.";
const std::string kOil =
    "Oil prices fell after the producers' cartel agreed to raise output, and refiners said fuel stocks were high.";

std::string JsonLine(const std::string& id, const std::string& title, const std::string& body) {
  return R"({"id": ")" + id + R"(", "title": ")" + title + R"(", "body": ")" + body + "\"}\n";
}

// A URL-like id of exactly `size` bytes.
std::string LongId(std::size_t size, char last = 'z') {
  std::string id = "https://archive.example.org/2024/05/";
  while (id.size() + 1 < size) id += "cuba-us-migration-talks-"[id.size() % 24];
  return id + last;
}

}  // namespace

TEST_CASE("a JSON Lines article with a 400-byte id is found by id: and is a --like reference", "[e2e][long-id]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  const std::string id = LongId(400);
  REQUIRE(id.size() == 400);
  WriteFile(corpus / "feed.jsonl", JsonLine(id, "Cuba and US hold migration talks", kTalks) +
                                       JsonLine("wire-2", "Migration talks continue in Havana", kTalksAgain) +
                                       JsonLine("wire-3", "Oil prices fall", kOil));
  const fs::path db = dir.path() / "idx";
  const RunResult indexed = Index(db, {corpus.string()});
  INFO("nsearch-index: " << indexed.err);
  REQUIRE(indexed.exit_code == 0);

  const RunResult by_id = SearchIn(db, {"--format", "ids", "id:" + id});
  INFO("stderr: " << by_id.err);
  CHECK(by_id.exit_code == 0);
  CHECK(by_id.out == id + "\n");
  // An id that differs only past the cut is another article: none here.
  const RunResult other = SearchIn(db, {"--format", "ids", "id:" + LongId(400, 'y')});
  CHECK(other.exit_code == 1);
  CHECK(other.out.empty());
  // Excluded by id, the other migration article remains.
  const RunResult without = SearchIn(db, {"--format", "ids", "--", "migration", "-id:" + id});
  INFO("stderr: " << without.err);
  CHECK(without.out == "wire-2\n");

  const RunResult like = SearchIn(db, {"--format", "ids", "--like", id});
  INFO("stderr: " << like.err);
  CHECK(like.exit_code == 0);
  REQUIRE(!Lines(like.out).empty());
  CHECK(Lines(like.out).front() == "wire-2");
  CHECK(!Contains(like.out, id));
}

TEST_CASE("a text article at a 300-byte path is found by id:, path: and --like PATH", "[e2e][long-id]") {
  TempDir dir;
  const fs::path corpus = fs::canonical(dir.path()) / "corpus";
  fs::path folder = corpus;
  while (folder.string().size() < 240) folder /= "migration-talks-archive-" + std::to_string(folder.string().size());
  fs::create_directories(folder);
  const fs::path file = folder / (std::string(295 - folder.string().size(), 'h') + ".txt");
  REQUIRE(file.string().size() == 300);
  WriteFile(file, "Title: Cuba and US hold migration talks\n\n" + kTalks + "\n");
  WriteFile(corpus / "talks-again.txt", "Title: Migration talks continue in Havana\n\n" + kTalksAgain + "\n");
  WriteFile(corpus / "oil.txt", "Title: Oil prices fall\n\n" + kOil + "\n");
  const fs::path db = dir.path() / "idx";
  const RunResult indexed = Index(db, {corpus.string()});
  INFO("nsearch-index: " << indexed.err);
  REQUIRE(indexed.exit_code == 0);

  // However the path is spelled, it names the file.
  const std::string spelled = (folder / ".." / folder.filename() / "." / file.filename()).string();
  for (const std::string& query : {"id:" + file.string(), "path:" + file.string(), "path:" + spelled}) {
    const RunResult r = SearchIn(db, {"--paths", query});
    INFO("query: " << query << "\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == file.string() + "\n");
  }
  // Below a folder whose path fits in the cut terms: every file under it.
  const RunResult below = SearchIn(db, {"--paths", "dir:" + corpus.string(), "migration"});
  CHECK(below.exit_code == 0);
  CHECK(Lines(below.out).size() == 2);
  CHECK(Contains(below.out, file.string() + "\n"));
  // Below a folder too long for that: a clear error, not a silent nothing.
  const RunResult too_long = SearchIn(db, {"--paths", "dir:" + folder.string()});
  CHECK(too_long.exit_code == 2);
  CHECK(Contains(too_long.err, "cannot search below the folder '" + folder.string() + "'"));
  CHECK(too_long.out.empty());

  for (const std::string& reference : {file.string(), spelled}) {
    const RunResult like = SearchIn(db, {"--paths", "--like", reference});
    INFO("--like " << reference << "\nstderr: " << like.err);
    CHECK(like.exit_code == 0);
    REQUIRE(!Lines(like.out).empty());
    CHECK(Lines(like.out).front() == (corpus / "talks-again.txt").string());
    CHECK(!Contains(like.out, file.string()));
  }
}

TEST_CASE("an update of a JSON Lines file keeps its article with a 400-byte id", "[e2e][long-id]") {
  TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::create_directories(corpus);
  const std::string id = LongId(400);
  const std::string first = JsonLine(id, "Cuba and US hold migration talks", kTalks) +
                            JsonLine("wire-3", "Oil prices fall", kOil);
  WriteFile(corpus / "feed.jsonl", first);
  const fs::path db = dir.path() / "idx";
  REQUIRE(Index(db, {corpus.string()}).exit_code == 0);
  // The feed grows by one article: the long-id one is read again, replaced
  // in place, and must not then be removed as an article the file lost.
  WriteFile(corpus / "feed.jsonl", first + JsonLine("wire-2", "Migration talks continue in Havana", kTalksAgain));
  const RunResult updated = Index(db, {corpus.string()});
  INFO("nsearch-index: " << updated.err);
  REQUIRE(updated.exit_code == 0);
  const RunResult r = SearchIn(db, {"--format", "ids", "migration"});
  CHECK(r.exit_code == 0);
  CHECK(Lines(r.out).size() == 2);
  CHECK(Contains(r.out, id + "\n"));
  CHECK(SearchIn(db, {"--format", "ids", "id:" + id}).out == id + "\n");
  CHECK(SearchIn(db, {"--count", "migration OR oil"}).out == "3\n");
}
