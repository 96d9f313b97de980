#include "indexer/indexer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <exception>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <xapian.h>

#include "common/analyzer.h"
#include "common/dates.h"
#include "common/error.h"
#include "common/index_location.h"
#include "common/reader_lock.h"
#include "common/schema.h"
#include "common/stopwords.h"
#include "common/stored_document.h"
#include "common/text_codec.h"
#include "indexer/article_reader.h"
#include "indexer/document_builder.h"
#include "indexer/json_reader.h"
#include "common/source_state.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

constexpr unsigned kMaxDefaultJobs = 8;
// Operations a shard's queue holds (a few MB of articles). While one writer
// commits a batch, its queue must take what the reader finds for it, or the
// reader stalls and the other writers run dry.
constexpr std::size_t kQueueCapacity = 2048;
// The same when a BuildPool builds the queued articles' documents, which
// take more memory than the articles (about 40 KB each on the news corpus).
constexpr std::size_t kBuiltQueueCapacity = 256;
constexpr const char* kDefaultLanguage = "english";
constexpr const char* kStdinPath = "-";  // the source of articles read from standard input
// Block size of a new shard's build database. Every commit merges the
// batch's postings into the B-trees, reading and rewriting the blocks they
// touch; with Xapian's largest blocks the trees are shallower and a commit
// touches fewer of them. News corpus, 2 shards, builds alternating in two
// runs: median wall 18.2 -> 16.7 s (6 pairs) and 20.1 -> 19.9 s (5 pairs)
// with 64 KB instead of the default 8 KB; system time 3.7-4.2 -> 2.5-2.8 s
// in both. The compactor writes the shard proper with the default size, so
// the index (byte for byte) and its searches are the same.
constexpr unsigned kBuildBlockSize = 65536;
// A new shard's build parts double in size after every this many (WriteShard).
constexpr std::size_t kPartsPerDoubling = 8;

// Holds DIR/lock (flock) for the life of the object.
class IndexLock {
 public:
  IndexLock(const fs::path& index_dir, bool wait) {
    const fs::path path = index_dir / "lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw IndexError("cannot open " + path.string() + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
    if (errno == EWOULDBLOCK && wait) {
      if (::flock(fd_, LOCK_EX) == 0) return;
    }
    const int saved = errno;
    ::close(fd_);
    if (saved == EWOULDBLOCK) {
      throw IndexError("another nsearch-index is updating " + index_dir.string() +
                       "; wait for it to finish, or pass --wait to queue behind it");
    }
    throw IndexError("cannot lock " + path.string() + ": " + std::strerror(saved));
  }
  ~IndexLock() { ::close(fd_); }
  IndexLock(const IndexLock&) = delete;
  IndexLock& operator=(const IndexLock&) = delete;

 private:
  int fd_ = -1;
};

// DIR/pending: the files an incremental run is rewriting whose articles
// are more than one document (JSON and JSON Lines: several articles, ids of
// their own), one canonical path a line. Shards commit on their own, so a
// run killed or stopped part way may leave such a file's articles half
// replaced, with new source states beside old ones; the next run would then
// take the file as unchanged. So each such file is listed here, durably,
// before any of its changes is queued, and read again by every run until
// one completes (which removes the list).
class PendingFiles {
 public:
  explicit PendingFiles(const fs::path& index_dir) : path_(index_dir / "pending") {
    std::ifstream in(path_);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) paths_.insert(line);
    }
  }
  ~PendingFiles() {
    if (fd_ >= 0) ::close(fd_);
  }
  PendingFiles(const PendingFiles&) = delete;
  PendingFiles& operator=(const PendingFiles&) = delete;

  bool Contains(const std::string& path) const { return paths_.count(path) != 0; }

  // Lists `path` (synced) unless it is listed. Returns the error, naming
  // the list, when it cannot be written.
  std::optional<std::string> Add(const std::string& path) {
    if (!paths_.insert(path).second) return std::nullopt;
    if (fd_ < 0) fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const std::string line = path + "\n";
    if (fd_ < 0 || ::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
        ::fdatasync(fd_) != 0) {
      paths_.erase(path);
      return "cannot write " + path_.string() + ": " + std::strerror(errno);
    }
    return std::nullopt;
  }

  // Every listed file is indexed as it is now: the list goes.
  void Clear() {
    std::error_code ec;
    fs::remove(path_, ec);
    paths_.clear();
  }

 private:
  fs::path path_;
  std::set<std::string> paths_;
  int fd_ = -1;
};

// What a shard writer is asked to do.
struct ShardOp {
  enum Kind {
    kPut,      // add `article`, or replace the article with its id
    kDelete,   // delete `docid` if it still comes from `path` and its id is not in `keep_ids`
    kRestamp,  // `docid`'s file changed its mtime, not its bytes: record the new `source`
  } kind = kPut;
  Article article;
  SourceState source;
  bool body_in_file = false;  // kPut: the article is a text file nsearch can read again
  Xapian::docid docid = 0;
  std::string path;
  std::shared_ptr<const std::set<std::string>> keep_ids;
  // kPut: the document, when a BuildPool builds it (then `article` holds
  // only its id); else the writer builds it.
  std::shared_future<Xapian::Document> built;
};

// Threads that build documents (DocumentBuilder::Build: language, terms,
// compression) for writers that only write them. An update of an index of
// fewer shards than cores has one writer thread per shard; building is
// most of a writer's work, so without these an update of a one-shard
// index would run on one core. Each thread has its own DocumentBuilder.
class BuildPool {
 public:
  BuildPool(unsigned threads, const std::string& language, const std::string& dictionary) {
    for (unsigned i = 0; i < threads; ++i) {
      builders_.push_back(std::make_unique<DocumentBuilder>(language, dictionary));
      threads_.emplace_back(&BuildPool::Run, this, builders_.back().get());
    }
  }
  ~BuildPool() { Join(); }

  // Builds `article`'s document on a pool thread.
  std::shared_future<Xapian::Document> Submit(Article article, SourceState source, bool body_in_file) {
    auto task = std::make_shared<Task>(Task{std::move(article), std::move(source), body_in_file, {}});
    std::shared_future<Xapian::Document> result = task->done.get_future().share();
    {
      std::lock_guard lock(mu_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
    return result;
  }

  // Finishes the queued work and stops the threads; then languages() is complete.
  void Join() {
    {
      std::lock_guard lock(mu_);
      closing_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

  // Every language the pool's builders have stemmed an article in.
  std::set<std::string> languages() const {
    std::set<std::string> all;
    for (const auto& builder : builders_) all.insert(builder->languages().begin(), builder->languages().end());
    return all;
  }

 private:
  struct Task {
    Article article;
    SourceState source;
    bool body_in_file;
    std::promise<Xapian::Document> done;
  };

  void Run(DocumentBuilder* builder) {
    for (;;) {
      std::shared_ptr<Task> task;
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [&] { return !tasks_.empty() || closing_; });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      try {
        task->done.set_value(builder->Build(task->article, task->source, task->body_in_file));
      } catch (...) {
        task->done.set_exception(std::current_exception());
      }
    }
  }

  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<Task>> tasks_;
  bool closing_ = false;
  std::vector<std::unique_ptr<DocumentBuilder>> builders_;
  std::vector<std::thread> threads_;
};

// A blocking, bounded queue of operations feeding one shard writer.
class OpQueue {
 public:
  // Blocks while full. Returns false when the queue was closed.
  bool Push(ShardOp op) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_ || closed_; });
    if (closed_) return false;
    items_.push_back(std::move(op));
    not_empty_.notify_one();
    return true;
  }
  // Blocks while empty; nullopt once closed and drained.
  std::optional<ShardOp> Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    ShardOp op = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return op;
  }
  // Before the first Push.
  void SetCapacity(std::size_t capacity) { capacity_ = capacity; }
  // No more pushes; `discard` drops what is queued.
  void Close(bool discard) {
    std::lock_guard lock(mu_);
    closed_ = true;
    if (discard) items_.clear();
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<ShardOp> items_;
  std::size_t capacity_ = kQueueCapacity;
  bool closed_ = false;
};

// One shard and the thread that writes it.
//
// Into a live shard (an update) documents are replaced in place. A new shard
// is written into build databases that are not synced (they live only until
// compacted) and are then compacted into the shard proper. Either way the
// writer commits every batch, which bounds memory; small batches were also
// measured to be faster than large ones (bench/README.md).
//
// A new shard's build is split into parts of IndexerOptions::part_size
// articles (doubling after every kPartsPerDoubling parts), each a database
// of its own, which the compactor merges. Every commit rewrites the postlist
// blocks its batch's terms touch, so a commit costs more the larger the
// database: with a single build database, 4x the news corpus took 4.4x the
// time of 1x. The compactor keeps the postlists
// split where one part ends, which costs space: parts of 11,000 articles
// made the 1x news index 1.2 MB larger (194.8 MB) and the 4x one 9 MB (754
// MB); the 4x build took 59 s instead of 66 (system time 31 -> 18 s), the
// 1x one 14.7-15.8 s instead of 15.5-18.8. (Parts of a batch each were about
// 15% faster again, but 29% larger on Reuters-21578; of 2,000 articles, 4%
// larger, over omindex's compacted size.)
struct Shard {
  fs::path write_path;      // the live shard, or a new shard's current build database
  std::vector<fs::path> parts;  // a new shard's earlier build databases, closed
  // A new shard's articles in other languages than the index's default, in
  // build databases of their own, closed when the writer ends: the
  // compactor puts them before the rest (WriteShard says why).
  std::vector<fs::path> other_parts;
  fs::path final_path;      // where the shard ends up
  std::string stub_line;    // its line in the stub, relative to the index dir
  Xapian::WritableDatabase db;
  std::unique_ptr<ReaderBarrier> readers;  // a live shard's: the searches to wait for (Commit)
  OpQueue queue;
  std::uint64_t added = 0, updated = 0, removed = 0;
  std::set<std::string> languages;  // that its articles were stemmed in
  std::vector<std::string> group_terms;  // an update's: the XG term of each article it wrote
  std::string error;        // set when the writer failed
};

// Commits what was written into `shard` since its last commit. A live
// shard (an update) is written in Xapian transactions, so that Xapian never
// commits on its own (outside one, it does every XAPIAN_FLUSH_THRESHOLD
// documents): after each commit, the next transaction may write over the
// blocks of the revision before, so the searches that may still be reading
// it must end first (common/reader_lock.h). `more`: whether another
// transaction follows.
void Commit(Shard& shard, bool more = true) {
  if (!shard.readers) {
    shard.db.commit();
    return;
  }
  shard.db.commit_transaction();
  shard.readers->Wait();
  if (more) shard.db.begin_transaction();
}

// Says that a writer has long been waiting for the searches of `shard`.
void ReportLongWait(const fs::path& shard) {
  std::fprintf(stderr, "nsearch-index: waiting for a search of %s to end (a stopped nsearch?)\n", shard.c_str());
}

std::string ShardError(const Shard& shard, const std::string& what) {
  return "cannot write index shard " + shard.write_path.string() + ": " + what;
}

// The id of document `docid`, from its Q term ("" when it has none).
std::string IdOf(const Xapian::Database& db, Xapian::docid docid) {
  Xapian::TermIterator t = db.termlist_begin(docid);
  t.skip_to(std::string(schema::kIdPrefix));
  if (t == db.termlist_end(docid)) return {};
  const std::string term = *t;
  return term.compare(0, schema::kIdPrefix.size(), schema::kIdPrefix) == 0 ? term.substr(schema::kIdPrefix.size())
                                                                           : std::string();
}

// The near-duplicate keys a new index's writers have written so far. An
// article whose key an earlier article had gets it in kDuplicateSlot as it is
// written; MarkDuplicateGroups gives it to the first of each group at the
// end. (Given to every member at the end, the values of the 4x news corpus,
// every article a copy of three others, took 9-14 s more to rewrite, and 110
// MB more memory: Xapian rewrites all of a document's values.)
class SeenGroups {
 public:
  // True when `key` was seen before.
  bool Seen(const std::string& key) {
    std::uint64_t packed = 0;
    if (key.size() == sizeof packed) {
      std::memcpy(&packed, key.data(), sizeof packed);
    } else {
      packed = StableHash(key);  // a collision only gives a lone article its key: harmless
    }
    std::lock_guard lock(mu_);
    return !keys_.insert(packed).second;
  }

 private:
  std::mutex mu_;
  std::unordered_set<std::uint64_t> keys_;
};

// The XG term of `doc` ("" when it has none: a body without words).
std::string GroupTermOf(const Xapian::Document& doc) {
  const std::string prefix(schema::kGroupPrefix);
  Xapian::TermIterator t = doc.termlist_begin();
  t.skip_to(prefix);
  if (t == doc.termlist_end() || (*t).compare(0, prefix.size(), prefix) != 0) return {};
  return *t;
}

// Gives the group key (kDuplicateSlot) to every article of a near-duplicate
// group of two or more, the group's articles in any of `shards` (an
// article's docid in the shards together: (docid - 1) * shards + shard + 1).
// Looks at the groups whose XG terms are in `terms`, or at every group when
// `terms` is null. Returns the articles it changed. Xapian rewrites their
// values (all of them, the stored text too), not their terms.
constexpr std::uint64_t kMarkCommitEvery = 2000;

std::uint64_t MarkDuplicateGroups(const std::vector<Xapian::WritableDatabase*>& shards,
                                  const std::vector<std::string>* terms, const std::function<void()>& commit_all) {
  Xapian::Database all;
  for (Xapian::WritableDatabase* shard : shards) all.add_database(*shard);
  std::vector<std::string> groups;
  if (terms != nullptr) {
    for (const std::string& term : *terms) {
      if (!term.empty() && all.get_termfreq(term) >= 2) groups.push_back(term);
    }
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  } else {
    const std::string prefix(schema::kGroupPrefix);
    for (auto t = all.allterms_begin(prefix); t != all.allterms_end(prefix); ++t) {
      if (t.get_termfreq() >= 2) groups.push_back(*t);
    }
  }
  // Every member, then in docid order: within each database, its value
  // chunks (of consecutive docids) one after the other.
  std::vector<std::pair<Xapian::docid, std::string>> members;
  for (const std::string& term : groups) {
    const std::string key = schema::GroupKey(term);
    if (key.empty()) continue;
    for (auto p = all.postlist_begin(term); p != all.postlist_end(term); ++p) members.emplace_back(*p, key);
  }
  std::sort(members.begin(), members.end());
  const std::size_t n = shards.size();
  std::uint64_t changed = 0;
  for (const auto& [docid, key] : members) {
    Xapian::WritableDatabase& db = *shards[(docid - 1) % n];
    const Xapian::docid local = (docid - 1) / n + 1;
    Xapian::Document doc = db.get_document(local);
    if (doc.get_value(schema::kDuplicateSlot) == key) continue;
    doc.add_value(schema::kDuplicateSlot, key);
    db.replace_document(local, doc);
    // Xapian holds the rewritten values until a commit: bound them. (An
    // update's pending mark stays set until its last commit, so a run that
    // dies after this one is still repaired.)
    if (++changed % kMarkCommitEvery == 0) commit_all();
  }
  return changed;
}

void ApplyDelete(Shard& shard, const ShardOp& op) {
  Xapian::Document doc;
  try {
    doc = shard.db.get_document(op.docid);
  } catch (const Xapian::DocNotFoundError&) {
    return;  // already gone
  }
  const std::string id = IdOf(shard.db, op.docid);
  if (op.keep_ids && op.keep_ids->count(id) != 0) return;  // its file still has it: replaced, not removed
  const std::optional<SourceState> source = DecodeSourceState(doc.get_value(schema::kSourceSlot));
  const std::string& from = source && !source->path.empty() ? source->path : id;
  if (from != op.path) return;  // the id has since come from another file
  shard.db.delete_document(op.docid);
  ++shard.removed;
}

Xapian::WritableDatabase CreateBuildDatabase(const fs::path& path) {
  return Xapian::WritableDatabase(path.string(), Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS,
                                  kBuildBlockSize);
}

// Closes a new shard's current build database and starts the next part.
void StartPart(Shard& shard) {
  shard.db.commit();
  shard.db.close();
  shard.parts.push_back(shard.write_path);
  shard.write_path = shard.parts.front().string() + "-" + std::to_string(shard.parts.size());
  shard.db = CreateBuildDatabase(shard.write_path);
}

// Writes the operations of `shard`'s queue until it closes.
//
// In a new index, the articles in another language than `language` (the
// index's default, Lnone included) go to build databases of their own
// (Shard::other_parts), which the compactor puts first: they get the lowest
// document ids. A search reads the query in the default language AND_NOT
// the other languages' L terms, and in each other language filtered to its
// own (Searcher::Parse); Xapian drops an AND_NOT's excluded side, and an
// OR's or MAX's branch, once its postings end. With those articles first
// that happens within the first few percent of the ids, and the rest of
// the match runs as a plain one (news corpus x4, 6,416 articles not in
// English: `university` 16.8 -> 13.4 M instructions and 260 -> 189 block
// reads a search, `first OR hrly` 27.2 -> 20.3 M; bench/README.md). An
// update appends its articles after the others whatever their language.
void WriteShard(Shard& shard, bool new_index, SeenGroups& seen, unsigned batch_size, std::uint64_t part_size,
                const std::string& language, std::shared_future<std::string> dictionary, IndexProgress& progress,
                std::atomic<bool>& failed) {
  // The open build database of other languages' articles, in parts like
  // the shard's own (StartPart).
  Xapian::WritableDatabase other;
  fs::path other_path;
  unsigned other_in_batch = 0;
  std::uint64_t other_in_part = 0, other_part_size = part_size;
  auto close_other = [&] {
    other.commit();
    other.close();
    shard.other_parts.push_back(other_path);
  };
  try {
    DocumentBuilder builder(language, dictionary.get());
    unsigned in_batch = 0;
    std::uint64_t in_part = 0;
    while (std::optional<ShardOp> op = shard.queue.Pop()) {
      switch (op->kind) {
        case ShardOp::kPut: {
          Xapian::Document doc =
              op->built.valid() ? op->built.get() : builder.Build(op->article, op->source, op->body_in_file);
          if (new_index) {
            if (const std::string term = GroupTermOf(doc); !term.empty()) {
              const std::string key = schema::GroupKey(term);
              if (seen.Seen(key)) doc.add_value(schema::kDuplicateSlot, key);
            }
          }
          if (new_index && doc.get_value(schema::kLanguageSlot) != language) {  // in batches of its own
            if (other_path.empty() || other_in_part == other_part_size) {
              if (!other_path.empty()) {
                close_other();
                if (shard.other_parts.size() % kPartsPerDoubling == 0 && other_part_size <= UINT64_MAX / 2) {
                  other_part_size *= 2;
                }
              }
              const fs::path& base = shard.parts.empty() ? shard.write_path : shard.parts.front();
              other_path = base.string() + "-other-" + std::to_string(shard.other_parts.size());
              other = CreateBuildDatabase(other_path);
              other_in_batch = 0;
              other_in_part = 0;
            }
            ++other_in_part;
            other.add_document(doc);
            ++shard.added;
            progress.articles_done.fetch_add(1, std::memory_order_relaxed);
            if (++other_in_batch >= batch_size) {
              other.commit();
              other_in_batch = 0;
            }
            continue;
          }
          if (new_index) {
            if (in_part == part_size) {
              StartPart(shard);
              in_batch = in_part = 0;
              // The spelling pass and the compactor open every part at once,
              // and each costs memory (4x news corpus: peak RSS 94.5 MB with
              // 8 parts a shard, 89.7 MB with one): after every
              // kPartsPerDoubling parts they double, so that their number
              // grows with the logarithm of the archive, not with it.
              if (shard.parts.size() % kPartsPerDoubling == 0 && part_size <= UINT64_MAX / 2) {
                part_size *= 2;
              }
            }
            ++in_part;
            shard.db.add_document(doc);
            ++shard.added;
          } else {
            // Until MarkDuplicateGroups has run, this article's group may
            // lack keys: say so in the commit that writes it.
            if (shard.group_terms.empty()) shard.db.set_metadata(schema::kMetaGroupsPending, "1");
            shard.group_terms.push_back(GroupTermOf(doc));
            const std::string id_term = IdTerm(op->article.id);
            (shard.db.term_exists(id_term) ? shard.updated : shard.added) += 1;
            shard.db.replace_document(id_term, doc);
          }
          progress.articles_done.fetch_add(1, std::memory_order_relaxed);
          break;
        }
        case ShardOp::kDelete:
          ApplyDelete(shard, *op);
          break;
        case ShardOp::kRestamp: {
          // Only a value changes: Xapian rewrites just that, not the terms.
          Xapian::Document doc = shard.db.get_document(op->docid);
          doc.add_value(schema::kSourceSlot, EncodeSourceState(op->source));
          shard.db.replace_document(op->docid, doc);
          break;
        }
      }
      if (++in_batch >= batch_size) {
        Commit(shard);
        in_batch = 0;
      }
    }
    Commit(shard);
    if (!other_path.empty()) {
      close_other();
      other_path.clear();
    }
    shard.languages = builder.languages();
  } catch (const Xapian::Error& e) {
    shard.error = ShardError(shard, e.get_description());
  } catch (const std::exception& e) {
    shard.error = ShardError(shard, e.what());
  }
  if (!shard.error.empty()) {
    failed = true;
    shard.queue.Close(/*discard=*/true);
  }
}

// The spelling data nsearch's "did you mean" draws on: the plain words of
// the articles (unprefixed terms, lower-cased as written: no stems, no field
// terms, nothing with a digit) that at least kMinSpellingArticles articles
// have, with their document frequency.
//
// Built from the index's vocabulary at the end of a run rather than per
// article: adding every article's words cost 40% more indexing time, and
// every shard held its own copy of the vocabulary (11 MB of the news
// corpus's index). A word in a single article is more often a typo or a
// code than a word worth suggesting. An update adds the words that have
// become frequent enough; words are never taken out.
//
// The first shard holds them all, so that a search front-end that keeps
// it local still has them when the other shards are served remotely
// (Xapian's remote protocol carries no spelling data: docs/scaling.md). It
// adds them while the other shards are being compacted.
using Spellings = std::vector<std::pair<std::string, Xapian::doccount>>;

// The words to add: those not yet in any shard's spelling table.
Spellings SpellingsToAdd(const std::vector<std::unique_ptr<Shard>>& shards) {
  constexpr Xapian::doccount kMinSpellingArticles = 2;
  constexpr std::size_t kMaxSpellingBytes = 32;
  // All shards as one: their words merged in order, with summed frequencies.
  Xapian::Database all;
  for (const auto& shard : shards) {
    for (const fs::path& part : shard->other_parts) all.add_database(Xapian::Database(part.string()));
    for (const fs::path& part : shard->parts) all.add_database(Xapian::Database(part.string()));
    all.add_database(shard->db);
  }
  Xapian::TermIterator known = all.spellings_begin();  // in the same order
  Spellings additions;
  Xapian::TermIterator t = all.allterms_begin();
  // Unprefixed words sort after every upper-case prefix: from "a" on.
  for (t.skip_to("a"); t != all.allterms_end(); ++t) {
    const std::string word = *t;
    if (word.size() > kMaxSpellingBytes || word.find_first_of("0123456789") != std::string::npos) continue;
    const Xapian::doccount articles = t.get_termfreq();
    if (articles < kMinSpellingArticles) continue;
    known.skip_to(word);
    if (known != all.spellings_end() && *known == word) continue;
    additions.emplace_back(word, articles);
  }
  return additions;
}

void AddSpellings(Xapian::WritableDatabase& db, const Spellings& words, const std::function<void()>& commit) {
  // Xapian holds spelling changes in memory until a commit, and every
  // commit rewrites the blocks the words' fragments touched: batches of
  // 2,000 words took 4.1 s on the news corpus, 10,000 1.7 s, 20,000 1.0 s.
  // The run's peak memory (the writers', before this) grew 1.3 MB with
  // 20,000 (95.9 MB); with a single commit, 34 MB.
  constexpr std::size_t kSpellingBatch = 20000;
  for (std::size_t i = 0; i < words.size(); ++i) {
    db.add_spelling(words[i].first, words[i].second);
    if ((i + 1) % kSpellingBatch == 0) commit();
  }
}

// Text articles are cheap for nsearch to read again from their files, so
// the index keeps only a preview of their body (stored_document.h).
bool IsTextFormat(ArticleFormat format) { return format == ArticleFormat::kText || format == ArticleFormat::kOther; }

// Compacts the build databases of new shards, in order (every shard's
// other-language parts, then each shard's own parts, then the next
// shard's), into one shard proper at `target` (synced) at Xapian's FULL
// level, then removes them. `spelling`, when given, is a database of
// spelling data alone (no documents), merged in by the compactor and then
// removed.
void CompactShards(const std::vector<Shard*>& shards, const fs::path& target, const fs::path& spelling = {}) {
  Xapian::Database sources;
  // Every shard's articles in other languages first (WriteShard says why).
  for (Shard* shard : shards) {
    for (const fs::path& part : shard->other_parts) sources.add_database(Xapian::Database(part.string()));
  }
  for (Shard* shard : shards) {
    shard->db.close();
    for (const fs::path& part : shard->parts) sources.add_database(Xapian::Database(part.string()));
    sources.add_database(Xapian::Database(shard->write_path.string()));
  }
  if (!spelling.empty()) sources.add_database(Xapian::Database(spelling.string()));
  sources.compact(target.string(), Xapian::Compactor::FULL);
  for (Shard* shard : shards) {
    for (const fs::path& part : shard->other_parts) fs::remove_all(part);
    for (const fs::path& part : shard->parts) fs::remove_all(part);
    fs::remove_all(shard->write_path);
  }
  if (!spelling.empty()) fs::remove_all(spelling);
}

// Runs `work(k)` for k in [0, n) on n threads; throws IndexError with the
// first error.
void InParallel(std::size_t n, const std::function<void(std::size_t)>& work,
                const std::function<std::string(std::size_t)>& what) {
  std::vector<std::string> errors(n);
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < n; ++k) {
    threads.emplace_back([&, k] {
      try {
        work(k);
      } catch (const Xapian::Error& e) {
        errors[k] = what(k) + ": " + e.get_description();
      } catch (const std::exception& e) {
        errors[k] = what(k) + ": " + e.what();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& e : errors) {
    if (!e.empty()) throw IndexError(e);
  }
}

// A fixed-size random sample of the files a walk finds (reservoir sampling,
// with a fixed seed so that the same corpus gives the same index).
class FileSampler {
 public:
  static constexpr std::size_t kMaxSamples = 4000;

  void Offer(const std::string& path) {
    ++seen_;
    if (paths_.size() < kMaxSamples) {
      paths_.push_back(path);
    } else if (const std::uint64_t slot = random_() % seen_; slot < kMaxSamples) {
      paths_[slot] = path;
    }
  }
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  std::vector<std::string> paths_;
  std::uint64_t seen_ = 0;
  std::mt19937_64 random_{20221123};
};

// A zstd dictionary for the stored text of a new index, trained on up to
// kDictionarySampleBytes of the articles in `paths`.
std::string TrainDictionary(const std::vector<std::string>& paths, std::uint64_t max_file_bytes) {
  constexpr std::size_t kDictionarySampleBytes = 3 << 20;
  constexpr std::size_t kDictionaryBytes = 256 << 10;
  std::vector<std::string> samples;
  std::size_t total = 0;
  for (std::size_t i = 0; i < paths.size() && total < kDictionarySampleBytes; ++i) {
    const LoadedFile file = LoadArticleFile(paths[i], max_file_bytes);
    if (!file.skip_kind.empty()) continue;
    const bool text = IsTextFormat(FormatOf(paths[i]));
    std::optional<Article::FileContent> content;  // as DocumentBuilder::Build stores it
    if (text) content = Article::FileContent{file.bytes.size(), ContentHash(file.bytes)};
    for (Article& article : ParseArticleFile(file.bytes, paths[i]).articles) {
      article.file_content = content;
      samples.push_back(EncodeStoredDocument(article, text));
      total += samples.back().size();
      if (total >= kDictionarySampleBytes) break;
    }
  }
  return TrainTextDictionary(samples, kDictionaryBytes);
}

unsigned NextGeneration(const fs::path& index_dir) {
  unsigned highest = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(index_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("gen-", 0) == 0) highest = std::max(highest, static_cast<unsigned>(std::atoi(name.c_str() + 4)));
  }
  return highest + 1;
}

// Removes the generations not in `keep`: after a rebuild, the old live one;
// otherwise what an interrupted or failed build left behind. With the lock
// held, no writer can be using them; a reader still searching an old
// generation keeps its open files (and retries on the new stub if it fails).
void RemoveGenerationsExcept(const fs::path& index_dir, const std::set<fs::path>& keep) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(index_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("gen-", 0) == 0 && keep.count(entry.path()) == 0) fs::remove_all(entry.path(), ec);
  }
}

std::string JoinLines(const std::set<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

std::set<std::string> SplitLines(const std::string& text) {
  std::set<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.insert(line);
  }
  return lines;
}

void CheckCompatible(const Xapian::Database& db, const fs::path& shard) {
  const std::string version = db.get_metadata(schema::kMetaSchema);
  if (version != std::to_string(schema::kSchemaVersion)) {
    throw IndexError(shard.string() + " is an nsearch index of schema version '" + version + "', not " +
                     std::to_string(schema::kSchemaVersion) + "; build it anew with nsearch-index --rebuild");
  }
}

// True when `path` is `root` or lies below it (both canonical).
bool IsUnder(const std::string& path, const std::string& root) {
  if (path.size() < root.size() || path.compare(0, root.size(), root) != 0) return false;
  return path.size() == root.size() || path[root.size()] == '/' || root == "/";
}

// The indexed files of the live shards: each file's state when it was read
// and the documents that came from it.
struct IndexedFile {
  SourceState state;
  std::vector<std::pair<unsigned, Xapian::docid>> docs;  // (shard, docid)
  bool seen = false;                                    // found by this run's walk
};
using IndexedFiles = std::unordered_map<std::string, IndexedFile>;

void LoadIndexedFiles(const Xapian::Database& db, unsigned shard, IndexedFiles& files) {
  // Ids from the Q terms, for the documents whose file is their id.
  std::unordered_map<Xapian::docid, std::string> ids;
  const std::string q(schema::kIdPrefix);
  for (Xapian::TermIterator t = db.allterms_begin(q); t != db.allterms_end(q); ++t) {
    const std::string term = *t;
    for (Xapian::PostingIterator p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
      ids.emplace(*p, term.substr(q.size()));
    }
  }
  for (Xapian::ValueIterator v = db.valuestream_begin(schema::kSourceSlot); v != db.valuestream_end(schema::kSourceSlot);
       ++v) {
    std::optional<SourceState> state = DecodeSourceState(*v);
    if (!state) continue;
    std::string path = state->path;
    if (path.empty()) {
      auto id = ids.find(v.get_docid());
      if (id == ids.end()) continue;
      path = id->second;
    }
    IndexedFile& file = files[path];
    file.state = std::move(*state);
    file.docs.emplace_back(shard, v.get_docid());
  }
}

// The source state recorded with an article read from `file`.
SourceState StateFor(const LoadedFile& file, const std::string& path, const Article& article) {
  SourceState state;
  state.hash = file.hash;
  state.mtime_ns = file.mtime_ns;
  state.size = file.size;
  // The path is left out when the id term holds it whole.
  if (article.id != path || IdTerm(article.id) != std::string(schema::kIdPrefix) + path) state.path = path;
  return state;
}

// JSON Lines from standard input, one article per line, sent to the shards
// as they are read (so a feed of any length needs little memory). Their
// source is "-": no later run removes them as files that are gone. An
// article without an id gets one from its bytes, so feeding the same line
// again replaces it.
template <typename Push>
void ReadStandardInput(Push& push, std::size_t shards, const Indexer::SkipReporter& on_skip, IndexSummary& summary,
                       IndexProgress& progress, const std::atomic<bool>& stop) {
  std::string line;
  for (std::uint64_t number = 1; !stop && std::getline(std::cin, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    summary.bytes += line.size() + 1;
    progress.bytes_done.fetch_add(line.size() + 1, std::memory_order_relaxed);
    JsonArticles parsed = ParseJsonArticles(line, kStdinPath, /*json_lines=*/true);
    for (const std::string& problem : parsed.problems) {
      ++summary.skipped["malformed"];
      // The parser numbers the line it was given, always line 1.
      std::string reason = problem;
      if (reason.rfind("line 1", 0) == 0) reason = "line " + std::to_string(number) + reason.substr(6);
      on_skip({kStdinPath, "malformed", reason});
    }
    for (Article& article : parsed.articles) {
      if (article.id == std::string(kStdinPath) + "#1") {
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(ContentHash(line)));
        article.id = std::string("stdin:") + hex;
      }
      ShardOp op;
      op.source.path = kStdinPath;
      const unsigned shard = static_cast<unsigned>(StableHash(article.id) % shards);
      op.article = std::move(article);
      push(shard, std::move(op));
    }
  }
}

}  // namespace

Indexer::Indexer(IndexerOptions options, SkipReporter on_skip)
    : options_(std::move(options)), on_skip_(std::move(on_skip)) {}

std::uint64_t IndexSummary::skipped_total() const {
  std::uint64_t n = 0;
  for (const auto& [kind, count] : skipped) n += count;
  return n;
}

IndexSummary Indexer::Run(IndexProgress& progress, const std::atomic<bool>& stop) {
  const auto started = std::chrono::steady_clock::now();
  const std::string started_utc = UtcTimestamp(std::time(nullptr));  // nsearch.updated
  const fs::path dir = options_.index_dir;
  if (options_.roots.empty() && !options_.read_stdin && !IndexExists(dir)) {
    throw UsageError("no index at " + dir.string() + " yet; name the paths to index");
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IndexError("cannot create index directory " + dir.string() + ": " + ec.message());
  IndexLock lock(dir, options_.wait_for_lock);
  PendingFiles pending(dir);

  IndexSummary summary;
  const bool exists = IndexExists(dir);
  summary.new_index = !exists || options_.rebuild;
  std::string language = options_.language.empty() ? "" : CanonicalLanguage(options_.language);
  std::set<std::string> roots, languages;
  std::string dictionary;
  std::shared_future<std::string> dictionary_ready;  // what the writers compress with
  std::vector<std::unique_ptr<Shard>> shards;  // live shards (an update) or new ones (a build)
  std::set<fs::path> live_generations;
  bool groups_pending = false;  // a run before this one may have left a group unmarked

  // What the live index remembers: its roots, language and dictionary.
  try {
    if (exists) {
      for (const std::string& line : ReadStubLines(dir)) {
        const fs::path path = LocalShardPath(dir, line);
        if (path.empty()) {
          throw IndexError("cannot update " + dir.string() + ": its stub lists a remote shard ('" + line +
                           "'); update the index whose stub lists the shards as local folders, then copy the shards out "
                           "(docs/scaling.md)");
        }
        live_generations.insert(path.parent_path());
        auto shard = std::make_unique<Shard>();
        shard->write_path = shard->final_path = path;
        shard->stub_line = line;
        if (summary.new_index) {
          // A rebuild only reads what the live index remembers; given
          // paths replace its roots.
          Xapian::Database db(path.string());
          if (options_.roots.empty()) {
            for (const std::string& root : SplitLines(db.get_metadata(schema::kMetaRoots))) roots.insert(root);
          }
          if (language.empty()) language = db.get_metadata(schema::kMetaLanguage);
          continue;
        }
        shard->db = Xapian::WritableDatabase(path.string(), Xapian::DB_OPEN);
        CheckCompatible(shard->db, path);
        if (shard->db.get_metadata(schema::kMetaGroupsPending) == "1") groups_pending = true;
        const std::string index_language = shard->db.get_metadata(schema::kMetaLanguage);
        if (!language.empty() && language != index_language) {
          throw UsageError("the index at " + dir.string() + " has default language " + index_language +
                           "; --language " + language + " needs --rebuild");
        }
        language = index_language;
        dictionary = shard->db.get_metadata(schema::kMetaTextDictionary);
        for (const std::string& root : SplitLines(shard->db.get_metadata(schema::kMetaRoots))) roots.insert(root);
        for (const std::string& l : SplitLines(shard->db.get_metadata(schema::kMetaLanguages))) languages.insert(l);
        shards.push_back(std::move(shard));
      }
      if (!summary.new_index && shards.empty()) {
        throw IndexError("the index stub " + StubPath(dir).string() + " lists no shards");
      }
    }
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open the index at " + dir.string() + ": " + e.get_description());
  }

  // The roots of this run: those given, else those the index remembers
  // (unless it only reads standard input into the live index).
  std::vector<fs::path> run_roots = options_.roots;
  if (run_roots.empty() && (!options_.read_stdin || options_.rebuild)) {
    if (roots.empty()) {
      throw UsageError(exists ? "the index at " + dir.string() + " remembers no folders; name the paths to index"
                              : "no index at " + dir.string() + " yet; name the paths to index");
    }
    run_roots.assign(roots.begin(), roots.end());
  }
  std::vector<std::string> canonical_roots;
  for (const fs::path& root : run_roots) {
    fs::path abs = fs::weakly_canonical(fs::absolute(root, ec), ec);
    if (ec) continue;
    canonical_roots.push_back(abs.string());
    roots.insert(abs.string());
  }

  // Find the inputs first: a run that finds nothing to index changes nothing.
  // This walk only counts them (for the progress line) and samples some for
  // the dictionary; a second walk reads them, so that the list of files is
  // never held in memory, which would grow with the archive.
  FileSampler sampler;
  WalkResult walk = WalkInputs(run_roots, stop, dir, [&](const SourceFile& f) { sampler.Offer(f.path); });
  std::vector<std::string> protected_paths;  // unreadable folders: what was indexed under them stays
  auto protect = [&](const SkippedInput& s) {
    if (s.kind != "missing") protected_paths.push_back(fs::weakly_canonical(fs::absolute(s.path, ec), ec).string());
  };
  for (const SkippedInput& s : walk.skipped) {
    on_skip_(s);
    ++summary.skipped[s.kind];
    protect(s);
  }
  summary.ignored = walk.ignored;
  if (stop && summary.new_index) {  // interrupted while looking: nothing was written
    summary.interrupted = true;
    return summary;
  }
  if (walk.files == 0 && summary.new_index && !options_.read_stdin) {
    throw UsageError("nothing to index: no article files found under the paths given");
  }

  // --jobs, else every core (up to kMaxDefaultJobs).
  const unsigned cores = options_.jobs > 0 ? options_.jobs
                                           : std::clamp(std::thread::hardware_concurrency(), 1u, kMaxDefaultJobs);
  IndexedFiles indexed;
  try {
    if (summary.new_index) {
      if (language.empty()) language = kDefaultLanguage;
      // One writer thread per shard of its own. With one shard to publish
      // (the default), the writers' shards are merged into it at the end.
      const unsigned jobs = options_.shards > 1 ? options_.shards : cores;
      RemoveGenerationsExcept(dir, live_generations);
      const std::string gen = "gen-" + std::to_string(NextGeneration(dir));
      fs::create_directories(dir / gen);
      for (unsigned k = 0; k < jobs; ++k) {
        auto shard = std::make_unique<Shard>();
        shard->write_path = dir / gen / ("build-" + std::to_string(k));
        shard->final_path = dir / gen / ("shard-" + std::to_string(k));
        shard->stub_line = "glass " + gen + "/shard-" + std::to_string(k);
        shard->db = CreateBuildDatabase(shard->write_path);
        shards.push_back(std::move(shard));
      }
      // Trained while this thread reads the first articles into the queues.
      dictionary_ready = std::async(std::launch::async, TrainDictionary, sampler.paths(), options_.max_file_bytes);
    } else {
      RemoveGenerationsExcept(dir, live_generations);
      for (unsigned k = 0; k < shards.size(); ++k) LoadIndexedFiles(shards[k]->db, k, indexed);
      // Nothing is written into a live shard before the searches that may
      // read a revision older than the one opened have ended (Commit).
      for (auto& shard : shards) {
        shard->readers = std::make_unique<ReaderBarrier>(shard->final_path, ReportLongWait);
        shard->readers->Wait();
        shard->db.begin_transaction();
      }
      std::promise<std::string> live;
      live.set_value(dictionary);
      dictionary_ready = live.get_future();
    }
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot prepare the index at " + dir.string() + ": " + e.get_description());
  } catch (const fs::filesystem_error& e) {
    throw IndexError("cannot prepare the index at " + dir.string() + ": " + e.what());
  }
  summary.shards = static_cast<unsigned>(shards.size());

  progress.files_total = walk.files;
  progress.bytes_total = walk.bytes;

  // An update of fewer shards than cores: the writers only write, and a
  // pool of one thread per core builds their documents. News corpus,
  // 20,389 articles added to a one-shard index of 23,066: 18.2-18.4 s
  // without the pool, 13.8-14.4 s with it (two shards: 9.6-9.7 s), peak RSS
  // 60 -> 76-80 MB (bench/README.md, ninth session).
  std::unique_ptr<BuildPool> pool;
  if (!summary.new_index && shards.size() < cores) {
    pool = std::make_unique<BuildPool>(cores, language, dictionary);
    for (auto& shard : shards) shard->queue.SetCapacity(kBuiltQueueCapacity);
  }
  // Read on this thread; build and write documents on one thread per shard.
  std::atomic<bool> failed{false};
  SeenGroups seen_groups;  // a new index's (WriteShard)
  std::vector<std::thread> writers;
  const unsigned batch_size =
      options_.batch_size > 0 ? options_.batch_size : summary.new_index ? kNewIndexBatch : kUpdateBatch;
  for (auto& shard : shards) {
    writers.emplace_back(WriteShard, std::ref(*shard), summary.new_index, std::ref(seen_groups), batch_size,
                         options_.part_size,
                         std::cref(language), dictionary_ready, std::ref(progress), std::ref(failed));
  }
  auto push = [&](unsigned shard, ShardOp op) {
    if (pool && op.kind == ShardOp::kPut) {
      std::string id = op.article.id;
      op.built = pool->Submit(std::move(op.article), op.source, op.body_in_file);
      op.article = Article();
      op.article.id = std::move(id);
    }
    shards[shard]->queue.Push(std::move(op));
  };
  auto remove_docs = [&](const std::string& path, const IndexedFile& file,
                         std::shared_ptr<const std::set<std::string>> keep_ids) {
    for (const auto& [shard, docid] : file.docs) {
      ShardOp op;
      op.kind = ShardOp::kDelete;
      op.docid = docid;
      op.path = path;
      op.keep_ids = keep_ids;
      push(shard, std::move(op));
    }
  };

  std::atomic<bool> halt{false};  // stops the second walk
  std::string pending_error;      // DIR/pending could not be written
  auto read_file = [&](const SourceFile& file) {
    if (stop || failed) {
      halt = true;
      return;
    }
    auto done = [&] {
      progress.files_done.fetch_add(1, std::memory_order_relaxed);
      progress.bytes_done.fetch_add(file.size, std::memory_order_relaxed);
    };
    IndexedFile* before = nullptr;
    const bool half_done = pending.Contains(file.path);  // by a run that did not complete: read it again
    if (auto it = indexed.find(file.path); it != indexed.end()) {
      before = &it->second;
      before->seen = true;
      if (!half_done && before->state.SameStat(file.size, file.mtime_ns)) {
        summary.unchanged += before->docs.size();
        done();
        return;
      }
    }
    LoadedFile loaded = LoadArticleFile(file.path, options_.max_file_bytes);
    done();
    if (!loaded.skip_kind.empty()) {
      ++summary.skipped[loaded.skip_kind];
      on_skip_({file.path, loaded.skip_kind, loaded.skip_reason});
      return;  // what an earlier run indexed from it stays
    }
    summary.bytes += loaded.bytes.size();
    if (before != nullptr && !half_done && before->state.hash == loaded.hash) {
      // Touched, not changed: record the new mtime so the next run need not read it.
      for (const auto& [shard, docid] : before->docs) {
        ShardOp op;
        op.kind = ShardOp::kRestamp;
        op.docid = docid;
        op.source = before->state;
        op.source.size = loaded.size;
        op.source.mtime_ns = loaded.mtime_ns;
        push(shard, std::move(op));
      }
      summary.unchanged += before->docs.size();
      return;
    }
    ParsedFile parsed = ParseArticleFile(loaded.bytes, file.path);
    for (const std::string& problem : parsed.problems) {
      ++summary.skipped["malformed"];
      on_skip_(ProblemInput(file.path, problem));
    }
    auto ids = std::make_shared<std::set<std::string>>();
    const ArticleFormat format = FormatOf(file.path);
    const bool text_file = IsTextFormat(format);
    // A text or HTML file is one article whose id is its path: one document
    // replaced at once. A JSON file's articles are not (PendingFiles).
    if (!summary.new_index && HoldsManyArticles(format)) {
      if (std::optional<std::string> error = pending.Add(file.path)) {
        pending_error = std::move(*error);
        failed = true;  // stops the walk; thrown once the writers are done
        return;
      }
    }
    for (Article& article : parsed.articles) {
      ids->insert(article.id);
      ShardOp op;
      op.body_in_file = text_file;
      op.source = StateFor(loaded, file.path, article);
      const unsigned shard = static_cast<unsigned>(StableHash(article.id) % shards.size());
      op.article = std::move(article);
      push(shard, std::move(op));
    }
    // Articles the file no longer has (its id replaces the others in place).
    // A file read with problems (a cut-short archive) keeps what it no longer yields.
    if (before != nullptr && parsed.problems.empty()) remove_docs(file.path, *before, ids);
  };
  // A folder that became unreadable since the first walk protects what is under it too.
  for (const SkippedInput& s : WalkInputs(run_roots, halt, dir, read_file).skipped) protect(s);

  if (options_.read_stdin && !stop && !failed) ReadStandardInput(push, shards.size(), on_skip_, summary, progress, stop);

  // Articles whose files are gone: under a root walked this run, not seen,
  // and not under a folder that could not be read.
  if (!stop && !failed) {
    for (const auto& [path, file] : indexed) {
      if (file.seen) continue;
      auto under = [&path = path](const std::string& root) { return IsUnder(path, root); };
      if (std::none_of(canonical_roots.begin(), canonical_roots.end(), under)) continue;
      if (std::any_of(protected_paths.begin(), protected_paths.end(), under)) continue;
      remove_docs(path, file, nullptr);
    }
  }
  for (auto& shard : shards) shard->queue.Close(/*discard=*/stop.load());
  for (std::thread& t : writers) t.join();
  if (pool) {
    pool->Join();
    const std::set<std::string> built_in = pool->languages();
    languages.insert(built_in.begin(), built_in.end());
  }
  summary.interrupted = stop && !failed;

  if (!pending_error.empty()) throw IndexError(pending_error);
  for (const auto& shard : shards) {
    // A new index is not published; an updated one keeps the batches committed before the failure.
    if (!shard->error.empty()) throw IndexError(shard->error);
    summary.added += shard->added;
    summary.updated += shard->updated;
    summary.removed += shard->removed;
    languages.insert(shard->languages.begin(), shard->languages.end());
  }
  dictionary = dictionary_ready.get();

  // The near-duplicate groups (MarkDuplicateGroups). An update's: those of
  // the articles it wrote, or all of them after a run that did not get this
  // far; committed below with the metadata, which clears the pending mark. A
  // new index's: all, in its build databases, before they are compacted
  // (marked after, in the compacted shards, they made the news index 239 MB
  // instead of 196: every changed block split).
  try {
    if (summary.new_index) {
      std::vector<Xapian::WritableDatabase> parts;
      std::vector<Xapian::WritableDatabase*> dbs;
      for (const auto& shard : shards) {
        for (const fs::path& part : shard->other_parts) {
          parts.emplace_back(part.string(), Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        }
        for (const fs::path& part : shard->parts) {
          parts.emplace_back(part.string(), Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        }
      }
      std::size_t next = 0;
      for (const auto& shard : shards) {
        for (std::size_t i = 0; i < shard->other_parts.size() + shard->parts.size(); ++i) dbs.push_back(&parts[next++]);
        dbs.push_back(&shard->db);
      }
      MarkDuplicateGroups(dbs, nullptr, [&] {
        for (Xapian::WritableDatabase* db : dbs) db->commit();
      });
      for (Xapian::WritableDatabase& part : parts) {
        part.commit();
        part.close();
      }
    } else if (groups_pending || std::any_of(shards.begin(), shards.end(),
                                             [](const auto& shard) { return !shard->group_terms.empty(); })) {
      std::vector<Xapian::WritableDatabase*> dbs;
      std::vector<std::string> terms;
      for (const auto& shard : shards) {
        dbs.push_back(&shard->db);
        terms.insert(terms.end(), shard->group_terms.begin(), shard->group_terms.end());
      }
      MarkDuplicateGroups(dbs, groups_pending ? nullptr : &terms, [&] {
        for (const auto& shard : shards) Commit(*shard);
      });
      // Several shards commit one after the other below: the marks first,
      // each shard still marked pending, so that a run that dies between
      // two of those commits leaves no shard's marks unknown to the next.
      if (shards.size() > 1) {
        for (const auto& shard : shards) {
          shard->db.set_metadata(schema::kMetaGroupsPending, "1");
          Commit(*shard);
        }
      }
    }
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot mark the near-duplicate groups of the index at " + dir.string() + ": " +
                     e.get_description());
  }

  Spellings spellings;
  if (!stop) {
    try {
      spellings = SpellingsToAdd(shards);
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot read the words of the index at " + dir.string() + ": " + e.get_description());
    }
  }

  // Every shard records the same metadata: the compactor keeps the first
  // shard's when it merges them.
  std::set<std::string> stopword_languages;
  for (const std::string& l : languages) {
    if (StopperFor(l) != nullptr) stopword_languages.insert(l);
  }
  if (languages.empty()) languages.insert(language);
  const std::map<std::string, std::string> metadata = {
      {schema::kMetaSchema, std::to_string(schema::kSchemaVersion)},
      {schema::kMetaLanguage, language},
      {schema::kMetaLanguages, JoinLines(languages)},
      {schema::kMetaStopwords, JoinLines(stopword_languages)},
      {schema::kMetaTextDictionary, dictionary},
      {schema::kMetaRoots, JoinLines(roots)},
      {schema::kMetaUpdated, started_utc},
      {schema::kMetaGroupsPending, ""},  // removes it
  };
  // In a new index of two shards or more, the second shard's thread adds
  // half of the spelling words to a database of their own before it
  // compacts its shard, and the first shard's compaction merges that in (the
  // spelling table comes out byte for byte the same). Otherwise the first
  // shard's thread adds them all while the others, compacted, wait: on the
  // news corpus the tail after the writers took 1.74 s, with one core idle
  // for 1.1 s of it; split, 1.34-1.41 s (compacting two sources costs 0.2 s
  // more than one).
  const bool split_spellings = summary.new_index && shards.size() >= 2 && !spellings.empty();
  Spellings second_part;
  if (split_spellings) {
    const auto first_part = static_cast<std::ptrdiff_t>(spellings.size() / 2);
    second_part.assign(std::make_move_iterator(spellings.begin() + first_part),
                       std::make_move_iterator(spellings.end()));
    spellings.resize(static_cast<std::size_t>(first_part));
  }
  // A new index of one shard (the default) is built by several writers, each
  // into a shard of its own, which one compaction merges at the end: a
  // search then opens one database rather than one per writer (news
  // corpus, fresh `nsearch` over 100 bench queries: median 0.40-0.50 ms
  // less; bench/README.md, ninth session). The merge runs on one core, where
  // the writers' shards compacted in parallel: 0.3-1.5 s more per build.
  const bool merge = summary.new_index && options_.shards <= 1 && shards.size() > 1;
  const fs::path spelling_path = shards.front()->final_path.parent_path() / "spelling-build";
  std::promise<void> second_part_added;
  std::future<void> second_part_ready = second_part_added.get_future();
  InParallel(
      shards.size(),
      [&](std::size_t k) {
        if (k == 1 && split_spellings) {
          try {
            Xapian::WritableDatabase db(spelling_path.string(),
                                        Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS);
            AddSpellings(db, second_part, [&] { db.commit(); });
            db.commit();
            db.close();
            second_part_added.set_value();
          } catch (...) {
            second_part_added.set_exception(std::current_exception());
            throw;
          }
        }
        if (k == 0) AddSpellings(shards[k]->db, spellings, [&] { Commit(*shards[k]); });
        for (const auto& [key, value] : metadata) shards[k]->db.set_metadata(key, value);
        Commit(*shards[k], /*more=*/false);
        // A new generation: compact (also when interrupted: what was indexed is kept).
        if (summary.new_index && !merge) {
          progress.compacting = true;
          if (k == 0 && split_spellings) {
            second_part_ready.get();
            CompactShards({shards[k].get()}, shards[k]->final_path, spelling_path);
          } else {
            CompactShards({shards[k].get()}, shards[k]->final_path);
          }
        }
        if (!merge) {
          WriteTextDictionary(shards[k]->final_path, dictionary);
          CreateReadersLock(shards[k]->final_path);
        }
      },
      [&](std::size_t k) { return "cannot write index shard " + shards[k]->write_path.string(); });
  if (merge) {
    progress.compacting = true;
    std::vector<Shard*> all;
    for (const auto& shard : shards) all.push_back(shard.get());
    const fs::path& target = shards.front()->final_path;
    try {
      CompactShards(all, target, split_spellings ? spelling_path : fs::path());
      WriteTextDictionary(target, dictionary);
      CreateReadersLock(target);
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot write index shard " + target.string() + ": " + e.get_description());
    } catch (const std::exception& e) {
      throw IndexError("cannot write index shard " + target.string() + ": " + e.what());
    }
    shards.resize(1);
    summary.shards = 1;
  }

  if (summary.new_index) {
    std::vector<std::string> lines;
    for (const auto& shard : shards) lines.push_back(shard->stub_line);
    PublishStub(dir, lines);
    RemoveGenerationsExcept(dir, {shards.front()->final_path.parent_path()});
  }
  if (!stop) pending.Clear();  // every file is indexed as it is now

  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

IndexSummary Indexer::Compact() {
  const auto started = std::chrono::steady_clock::now();
  const fs::path dir = options_.index_dir;
  if (!IndexExists(dir)) throw IndexError("no index at " + dir.string() + " to compact");
  IndexLock lock(dir, options_.wait_for_lock);
  IndexSummary summary;
  Xapian::Database all;
  std::set<fs::path> live;
  for (const std::string& line : ReadStubLines(dir)) {
    const fs::path path = LocalShardPath(dir, line);
    if (path.empty()) {
      throw IndexError("cannot compact " + dir.string() + ": its stub lists a remote shard ('" + line +
                       "'); compact the index whose stub lists the shards as local folders (docs/scaling.md)");
    }
    live.insert(path.parent_path());
    try {
      Xapian::Database shard(path.string());
      CheckCompatible(shard, path);
      all.add_database(shard);
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot open index shard " + path.string() + ": " + e.get_description());
    }
  }
  RemoveGenerationsExcept(dir, live);
  const std::string gen = "gen-" + std::to_string(NextGeneration(dir));
  const fs::path target = dir / gen / "shard-0";
  try {
    fs::create_directories(dir / gen);
    all.compact(target.string(), Xapian::Compactor::FULL);
    WriteTextDictionary(target, all.get_metadata(schema::kMetaTextDictionary));
    CreateReadersLock(target);
  } catch (const Xapian::Error& e) {
    fs::remove_all(dir / gen);
    throw IndexError("cannot compact the index at " + dir.string() + " into " + target.string() + ": " +
                     e.get_description());
  }
  PublishStub(dir, {"glass " + gen + "/shard-0"});
  RemoveGenerationsExcept(dir, {dir / gen});
  summary.shards = 1;
  summary.unchanged = all.get_doccount();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace nsearch
