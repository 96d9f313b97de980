// A corpus that an end-to-end test changes from run to run and whose article
// ids it knows, and checks that an index holds exactly those ids: shared by
// the tests of a killed nsearch-index, of searches beside a writer and of a
// full disk.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/support.h"

namespace e2e {

using Ids = std::set<std::string>;

// A pseudo-random word of 5 to 10 letters: the synthetic articles share
// little vocabulary, so none is a near-duplicate of another.
// They start with "zq", so no stem of theirs is a word of the fixtures.
inline std::string Word(std::mt19937& random) {
  std::string w = "zq";
  const int length = 3 + static_cast<int>(random() % 6);
  for (int i = 0; i < length; ++i) w += static_cast<char>('a' + random() % 26);
  return w;
}

inline std::string Words(std::mt19937& random, int n) {
  std::string text;
  for (int i = 0; i < n; ++i) text += Word(random) + (i % 12 == 11 ? ".\n" : " ");
  return text;
}

// A corpus the test changes from run to run and knows the article ids of:
// text files (their id is their path) and JSON Lines feeds of many articles
// each (ids of their own), so that one file's articles land in several
// shards and batches.
class Corpus {
 public:
  Corpus(const fs::path& root, std::uint32_t seed) : root_(root), random_(seed) {
    fs::create_directories(root_ / "text");
    fs::create_directories(root_ / "feeds");
    root_ = fs::canonical(root_);
    fs::copy(kNewsDir, root_ / "fixtures", fs::copy_options::recursive);
    for (const auto& entry : fs::recursive_directory_iterator(root_ / "fixtures")) {
      if (entry.is_regular_file()) fixed_.insert(entry.path().string());
    }
  }

  const fs::path& root() const { return root_; }

  void AddText(int n, const std::string& marker) {
    for (int i = 0; i < n; ++i) {
      const fs::path path = root_ / "text" / ("a" + std::to_string(next_text_++) + ".txt");
      WriteText(path, marker);
      texts_.push_back(path.string());
    }
  }
  void EditText(int n, const std::string& marker) {
    for (int i = 0; i < n && !texts_.empty(); ++i) WriteText(texts_[random_() % texts_.size()], marker);
  }
  void RemoveText(int n) {
    for (int i = 0; i < n && !texts_.empty(); ++i) {
      const std::size_t k = random_() % texts_.size();
      fs::remove(texts_[k]);
      texts_.erase(texts_.begin() + static_cast<std::ptrdiff_t>(k));
    }
  }
  void AddFeed(int articles, const std::string& marker) {
    const std::string name = (root_ / "feeds" / ("f" + std::to_string(next_feed_++) + ".jsonl")).string();
    std::vector<std::string>& ids = feeds_[name];
    for (int i = 0; i < articles; ++i) ids.push_back(NewFeedId());
    WriteFeed(name, marker);
  }
  // Rewrites a feed: some articles dropped, some new, every body changed.
  void EditFeed(const std::string& marker) {
    if (feeds_.empty()) return;
    auto it = std::next(feeds_.begin(), static_cast<std::ptrdiff_t>(random_() % feeds_.size()));
    std::vector<std::string>& ids = it->second;
    for (int i = 0; i < 4 && ids.size() > 1; ++i) ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(random_() % ids.size()));
    for (int i = 0; i < 6; ++i) ids.push_back(NewFeedId());
    WriteFeed(it->first, marker);
  }

  // The ids a complete index of the corpus holds.
  Ids ExpectedIds() const {
    Ids ids(fixed_.begin(), fixed_.end());
    ids.insert(texts_.begin(), texts_.end());
    for (const auto& [name, feed] : feeds_) ids.insert(feed.begin(), feed.end());
    return ids;
  }

 private:
  std::string NewFeedId() { return "feed-" + std::to_string(next_feed_id_++); }

  void WriteText(const std::string& path, const std::string& marker) {
    WriteFile(path, "Title: " + Words(random_, 6) + "\n\n" + marker + " " + Words(random_, 150));
  }
  void WriteFeed(const std::string& path, const std::string& marker) {
    std::string text;
    for (const std::string& id : feeds_[path]) {
      text += json{{"id", id}, {"title", Words(random_, 5)}, {"body", marker + " " + Words(random_, 120)}}.dump() + "\n";
    }
    WriteFile(path, text);
  }

  fs::path root_;
  std::mt19937 random_;
  std::set<std::string> fixed_;
  std::vector<std::string> texts_;
  std::map<std::string, std::vector<std::string>> feeds_;
  int next_text_ = 0, next_feed_ = 0, next_feed_id_ = 0;
};

// Every article id in the index at `db` under `root`: nsearch opens it and
// lists all of them (dir: matches every file's articles). nullopt, with the
// error in `err`, when nsearch fails.
inline std::optional<Ids> IdsIn(const fs::path& db, const fs::path& root, std::string* err = nullptr,
                         const std::string& query = "") {
  const std::string q = "dir:" + root.string() + (query.empty() ? "" : " " + query);
  const RunResult r = SearchIn(db, {"--format", "ids", "--all", "-n", "0", q});
  if (r.exit_code != 0 && !(r.exit_code == 1 && r.out.empty())) {
    if (err) *err = "exit " + std::to_string(r.exit_code) + ": " + r.err;
    return std::nullopt;
  }
  const std::vector<std::string> lines = Lines(r.out);
  return Ids(lines.begin(), lines.end());
}

inline std::vector<std::string> Generations(const fs::path& db) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(db)) {
    const std::string name = entry.path().filename().string();
    if (StartsWith(name, "gen-") || StartsWith(name, "XAPIANDB.")) names.push_back(name);
  }
  return names;
}

inline std::string Describe(const Ids& ids) {
  std::string out = std::to_string(ids.size()) + " ids";
  int shown = 0;
  for (const std::string& id : ids) {
    if (shown++ == 5) break;
    out += (shown == 1 ? ": " : ", ") + id;
  }
  return out;
}

inline Ids Minus(const Ids& a, const Ids& b) {
  Ids out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

// Checks that the index at `db` opens and holds exactly `expected` under
// `root`, saying what differs when not.
inline void CheckIds(const fs::path& db, const fs::path& root, const Ids& expected, const std::string& query = "") {
  std::string err;
  const std::optional<Ids> seen = IdsIn(db, root, &err, query);
  INFO("nsearch: " << err);
  REQUIRE(seen);
  INFO("missing: " << Describe(Minus(expected, *seen)) << "; unexpected: " << Describe(Minus(*seen, expected)));
  CHECK(*seen == expected);
}

}  // namespace e2e
