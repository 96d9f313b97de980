// The Searcher against an index that an update changes while it is open.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "indexer/indexer.h"
#include "query/searcher.h"

namespace fs = std::filesystem;
using namespace nsearch;

namespace {

// A temporary folder of articles and the index of it, removed at exit.
struct Archive {
  fs::path dir;
  Archive() {
    char tmpl[] = "/tmp/nsearch-searcher-XXXXXX";
    dir = ::mkdtemp(tmpl);
    fs::create_directories(dir / "articles");
  }
  ~Archive() { fs::remove_all(dir); }

  void Write(const std::string& name, const std::string& text) { std::ofstream(dir / "articles" / name) << text; }

  // Indexes the articles folder: the first run builds the index, later ones
  // update it in place (one commit per article with batch_size 1).
  void Index(unsigned batch_size = 0) {
    IndexerOptions options;
    options.index_dir = dir / "index";
    options.roots = {dir / "articles"};
    options.jobs = 1;
    if (batch_size > 0) options.batch_size = batch_size;
    IndexProgress progress;
    std::atomic<bool> stop{false};
    Indexer(options, [](const SkippedInput&) {}).Run(progress, stop);
  }
};

std::set<std::string> Titles(Searcher& searcher, const std::string& query) {
  SearchRequest request;
  request.query = query;
  request.limit = 0;
  request.exact_total = true;
  request.snippets = false;
  const SearchResult result = searcher.Search(request);
  std::set<std::string> titles;
  for (const Hit& hit : result.hits) titles.insert(hit.article.title);
  CHECK(result.total == titles.size());
  return titles;
}

}  // namespace

// Xapian keeps a reader on the revision it opened, and once a later commit
// lands the writer may write over that revision's blocks: a search that
// read one as it changed can decode nonsense without an error. So a search
// that a commit overlapped, or followed, runs again on the index as last
// committed (Searcher::Search), and a long-lived Searcher (--batch) answers
// from the latest commit rather than from the revision it opened.
TEST_CASE("a Searcher opened before an update answers from the index as the update committed it", "[searcher]") {
  Archive archive;
  archive.Write("a.txt", "Title: Havana talks\n\nCuba and the United States met in Havana.\n");
  archive.Write("b.txt", "Title: Oil prices\n\nOil prices rose on Monday.\n");
  archive.Index();
  Searcher searcher(archive.dir / "index");
  REQUIRE(Titles(searcher, "cuba") == std::set<std::string>{"Havana talks"});

  archive.Write("c.txt", "Title: Flights to Cuba\n\nFlights to Cuba resumed.\n");
  archive.Index();
  CHECK(Titles(searcher, "cuba") == std::set<std::string>{"Havana talks", "Flights to Cuba"});

  fs::remove(archive.dir / "articles" / "a.txt");
  archive.Write("b.txt", "Title: Oil and Cuba\n\nCuba buys oil.\n");
  archive.Index(1);
  CHECK(Titles(searcher, "cuba") == std::set<std::string>{"Flights to Cuba", "Oil and Cuba"});
  CHECK(Titles(searcher, "oil").size() == 1);
}
