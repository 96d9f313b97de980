// The one rule for an article's id term and for canonical paths
// (common/article_id.h): the terms the indexer writes and every query form
// rebuilds, pinned byte for byte, since an index written with them must go
// on answering.
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "common/article_id.h"
#include "common/stable_hash.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using namespace nsearch;

TEST_CASE("an id that fits is its id term whole, a longer one is cut and hashed to 200 bytes", "[article_id]") {
  CHECK(IdTerm("wire-123") == "Qwire-123");
  CHECK(IdTerm("") == "Q");
  const std::string fits(schema::kMaxIdTermLength - 1, 'x');
  CHECK(IdTerm(fits) == "Q" + fits);
  CHECK(TermHoldsWhole(schema::kIdPrefix, fits));
  // One byte more: the first 182 bytes, "#" and 16 hex digits of the hash.
  const std::string over = fits + "x";
  CHECK_FALSE(TermHoldsWhole(schema::kIdPrefix, over));
  CHECK(IdTerm(over).size() == schema::kMaxIdTermLength);
  CHECK(IdTerm(over) == "Q" + std::string(182, 'x') + "#f111d5f6de692c63");
  // A 400-byte id: pinned, as indexes hold these terms.
  const std::string id(400, 'x');
  CHECK(IdTerm(id) == "Q" + std::string(182, 'x') + "#7b5f82f8b54c5f43");
  // Two long ids that differ only past the cut still have their own terms.
  CHECK(IdTerm(std::string(300, 'a') + "1") != IdTerm(std::string(300, 'a') + "2"));
  CHECK(IdTerm(std::string(300, 'a') + "1").substr(0, 183) == IdTerm(std::string(300, 'a') + "2").substr(0, 183));
  // File terms follow the same rule under their own prefix.
  CHECK(PathTerm("/news/a.jsonl") == "P/news/a.jsonl");
  CHECK(PathTerm(id) == "P" + std::string(182, 'x') + "#7b5f82f8b54c5f43");
  CHECK(BoundedTerm("XS", std::string(250, 'y')).size() == schema::kMaxIdTermLength);
  CHECK(BoundedTermKeptBytes(schema::kIdPrefix) == 182);
}

TEST_CASE("StableHash is the hash the shards and cut terms were made with", "[article_id]") {
  // Its offset basis is not the published FNV-1a one: changing it would
  // move articles to other shards and change every cut term.
  CHECK(StableHash("") == 0x14650fb0739d0383ULL);
  CHECK(StableHash(std::string(400, 'x')) == 0x7b5f82f8b54c5f43ULL);
}

TEST_CASE("CanonicalPath names a file as the indexer does, however the path is spelled", "[article_id]") {
  const nsearch::test::TempDir temp("nsearch-article-id");
  const fs::path dir = temp.path();  // canonical
  fs::create_directories(dir / "a" / "b");
  std::ofstream(dir / "a" / "b" / "f.txt") << "x";
  fs::create_directory_symlink(dir / "a", dir / "link");
  const std::string file = (dir / "a" / "b" / "f.txt").string();
  std::error_code ec;
  CHECK(CanonicalPath(file, ec) == file);
  CHECK(!ec);
  CHECK(CanonicalPath((dir / "a" / "." / "b" / ".." / "b" / "f.txt").string(), ec) == file);
  CHECK(CanonicalPath((dir / "link" / "b" / "f.txt").string(), ec) == file);
  CHECK(CanonicalPath((dir / "a" / "b").string() + "/", ec) == (dir / "a" / "b").string());
  // A path that does not exist (any more) keeps its tail, normalised.
  CHECK(CanonicalPath((dir / "link" / "gone" / ".." / "gone2" / "").string(), ec) == (dir / "a" / "gone2").string());
  CHECK(!ec);
  CHECK(CanonicalPath("/", ec) == "/");
  CHECK(CanonicalPath("//", ec) == "/");
  // Relative to the current directory.
  const fs::path here = fs::current_path();
  fs::current_path(dir / "a");
  const std::string relative = CanonicalPath("b/f.txt", ec);
  fs::current_path(here);
  CHECK(relative == file);
  // A 300-byte path in nested folders is a path like any other.
  fs::path deep = dir;
  while (deep.string().size() < 240) deep /= std::string(40, 'd');
  fs::create_directories(deep);
  const fs::path long_file = deep / (std::string(300 - deep.string().size() - 5, 'f') + ".txt");
  std::ofstream(long_file) << "x";
  REQUIRE(long_file.string().size() == 300);
  CHECK(CanonicalPath((deep / ".." / deep.filename() / long_file.filename()).string(), ec) == long_file.string());
}
