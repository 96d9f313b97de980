#include "indexer/indexer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <exception>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <xapian.h>

#include "common/analyzer.h"
#include "common/error.h"
#include "common/index_location.h"
#include "common/schema.h"
#include "common/stopwords.h"
#include "common/stored_document.h"
#include "common/text_codec.h"
#include "indexer/article_reader.h"
#include "indexer/document_builder.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

constexpr unsigned kMaxDefaultJobs = 8;
constexpr std::size_t kQueueCapacity = 64;
constexpr const char* kDefaultLanguage = "english";

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

// A blocking, bounded queue of articles feeding one shard writer.
class ArticleQueue {
 public:
  // Blocks while full. Returns false when the queue was closed.
  bool Push(Article article) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return items_.size() < kQueueCapacity || closed_; });
    if (closed_) return false;
    items_.push_back(std::move(article));
    not_empty_.notify_one();
    return true;
  }
  // Blocks while empty; nullopt once closed and drained.
  std::optional<Article> Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    Article a = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return a;
  }
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
  std::deque<Article> items_;
  bool closed_ = false;
};

// One shard and the thread that writes it.
//
// Into a live shard (an update) documents are replaced in place. A new shard
// is written into a build database that is not synced (it lives only until
// compacted) and is then compacted into the shard proper. Either way the
// writer commits every batch, which bounds memory; small batches were also
// measured to be faster than large ones (bench/README.md).
//
// (Writing each batch into its own part database and merging the parts with
// the compactor was about 15% faster, but the merged postlists stayed split
// at every part boundary: 29% larger on Reuters-21578.)
struct Shard {
  fs::path write_path;      // the live shard, or a new shard's build database
  fs::path final_path;      // where the shard ends up
  std::string stub_line;    // its line in the stub, relative to the index dir
  Xapian::WritableDatabase db;
  ArticleQueue queue;
  std::uint64_t added = 0, replaced = 0;
  std::string error;        // set when the writer failed
};

std::string ShardError(const Shard& shard, const std::string& what) {
  return "cannot write index shard " + shard.write_path.string() + ": " + what;
}

void WriteShard(Shard& shard, bool new_index, unsigned batch_size, const std::map<std::string, std::string>& metadata,
                IndexProgress& progress, std::atomic<bool>& failed) {
  try {
    DocumentBuilder builder(metadata.at(schema::kMetaLanguage), metadata.at(schema::kMetaTextDictionary));
    unsigned in_batch = 0;
    while (std::optional<Article> article = shard.queue.Pop()) {
      Xapian::Document doc = builder.Build(*article);
      if (new_index) {
        shard.db.add_document(doc);
        ++shard.added;
      } else {
        const std::string id_term = IdTerm(article->id);
        (shard.db.term_exists(id_term) ? shard.replaced : shard.added) += 1;
        shard.db.replace_document(id_term, doc);
      }
      progress.articles_done.fetch_add(1, std::memory_order_relaxed);
      if (++in_batch >= batch_size) {
        shard.db.commit();
        in_batch = 0;
      }
    }
    for (const auto& [key, value] : metadata) shard.db.set_metadata(key, value);
    shard.db.commit();
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

// Compacts a new shard's build database into the shard proper (synced) at
// Xapian's FULL level, then removes the build database.
void CompactShard(Shard& shard) {
  shard.db.close();
  Xapian::Database(shard.write_path.string()).compact(shard.final_path.string(), Xapian::Compactor::FULL);
  fs::remove_all(shard.write_path);
}

// A zstd dictionary for the stored text of a new index, trained on up to
// kDictionarySampleBytes of articles spread evenly over `files`.
std::string TrainDictionary(const std::vector<SourceFile>& files, std::uint64_t max_file_bytes) {
  constexpr std::size_t kDictionarySampleBytes = 3 << 20;
  constexpr std::size_t kMaxSamples = 4000;
  constexpr std::size_t kDictionaryBytes = 256 << 10;
  std::vector<std::string> samples;
  std::size_t total = 0;
  const std::size_t step = std::max<std::size_t>(1, files.size() / kMaxSamples);
  for (std::size_t i = 0; i < files.size() && total < kDictionarySampleBytes; i += step) {
    ReadOutcome outcome = ReadArticleFile(files[i].path, max_file_bytes);
    if (!outcome.article) continue;
    samples.push_back(EncodeStoredDocument(*outcome.article));
    total += samples.back().size();
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

// Generations not named by the live stub are what an interrupted or failed
// build left behind; with the lock held, nothing else can be using them.
void RemoveUnpublishedGenerations(const fs::path& index_dir, const std::set<fs::path>& live) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(index_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("gen-", 0) == 0 && live.count(entry.path()) == 0) fs::remove_all(entry.path(), ec);
  }
}

std::string JoinLines(const std::set<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

void CheckCompatible(const Xapian::Database& db, const fs::path& shard) {
  const std::string version = db.get_metadata(schema::kMetaSchema);
  if (version != std::to_string(schema::kSchemaVersion)) {
    throw IndexError(shard.string() + " is not an nsearch index of schema version " +
                     std::to_string(schema::kSchemaVersion) + " (found '" + version +
                     "'); remove it and index again");
  }
}

}  // namespace

Indexer::Indexer(IndexerOptions options, SkipReporter on_skip)
    : options_(std::move(options)), on_skip_(std::move(on_skip)) {}

IndexSummary Indexer::Run(IndexProgress& progress, const std::atomic<bool>& stop) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path dir = options_.index_dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IndexError("cannot create index directory " + dir.string() + ": " + ec.message());
  IndexLock lock(dir, options_.wait_for_lock);

  IndexSummary summary;
  summary.new_index = !IndexExists(dir);
  std::string language = options_.language.empty() ? "" : CanonicalLanguage(options_.language);
  std::vector<std::unique_ptr<Shard>> shards;
  std::set<std::string> roots;
  std::string dictionary;

  // Find the inputs first: a run that finds nothing to index changes nothing.
  WalkResult walk = WalkInputs(options_.roots, stop);
  for (const SkippedInput& s : walk.skipped) on_skip_(s);
  summary.skipped = walk.skipped.size();
  summary.ignored = walk.ignored;
  if (stop && summary.new_index) {  // interrupted while looking: nothing was written
    summary.interrupted = true;
    return summary;
  }
  if (walk.files.empty() && summary.new_index) {
    throw UsageError("nothing to index: no .txt or .md articles found under the paths given");
  }

  try {
    if (summary.new_index) {
      if (language.empty()) language = kDefaultLanguage;
      unsigned jobs = options_.jobs;
      if (jobs == 0) jobs = std::clamp(std::thread::hardware_concurrency(), 1u, kMaxDefaultJobs);
      RemoveUnpublishedGenerations(dir, {});
      const std::string gen = "gen-" + std::to_string(NextGeneration(dir));
      fs::create_directories(dir / gen);
      for (unsigned k = 0; k < jobs; ++k) {
        auto shard = std::make_unique<Shard>();
        shard->write_path = dir / gen / ("build-" + std::to_string(k));
        shard->final_path = dir / gen / ("shard-" + std::to_string(k));
        shard->stub_line = "glass " + gen + "/shard-" + std::to_string(k);
        shard->db = Xapian::WritableDatabase(shard->write_path.string(),
                                             Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS);
        shards.push_back(std::move(shard));
      }
    } else {
      std::set<fs::path> live;
      for (const std::string& line : ReadStubLines(dir)) {
        const fs::path path = LocalShardPath(dir, line);
        if (path.empty()) {
          throw IndexError("cannot update " + dir.string() + ": its stub lists a remote shard ('" + line +
                           "'); update that shard where it lives");
        }
        live.insert(path.parent_path());
        auto shard = std::make_unique<Shard>();
        shard->write_path = shard->final_path = path;
        shard->stub_line = line;
        shard->db = Xapian::WritableDatabase(path.string(), Xapian::DB_OPEN);
        CheckCompatible(shard->db, path);
        const std::string index_language = shard->db.get_metadata(schema::kMetaLanguage);
        if (!language.empty() && language != index_language) {
          throw UsageError("the index at " + dir.string() + " is stemmed as " + index_language +
                           "; --language " + language + " needs a new index (remove " + dir.string() + ")");
        }
        language = index_language;
        dictionary = shard->db.get_metadata(schema::kMetaTextDictionary);
        std::istringstream known(shard->db.get_metadata(schema::kMetaRoots));
        for (std::string root; std::getline(known, root);) roots.insert(root);
        shards.push_back(std::move(shard));
      }
      if (shards.empty()) throw IndexError("the index stub " + StubPath(dir).string() + " lists no shards");
      RemoveUnpublishedGenerations(dir, live);
    }
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open the index at " + dir.string() + ": " + e.get_description());
  } catch (const fs::filesystem_error& e) {
    throw IndexError("cannot prepare the index at " + dir.string() + ": " + e.what());
  }
  summary.shards = static_cast<unsigned>(shards.size());
  for (const fs::path& root : options_.roots) {
    fs::path abs = fs::absolute(root, ec);
    if (!ec) roots.insert(abs.lexically_normal().string());
  }

  progress.files_total = walk.files.size();
  for (const SourceFile& f : walk.files) progress.bytes_total += f.size;
  const std::map<std::string, std::string> metadata = {
      {schema::kMetaSchema, std::to_string(schema::kSchemaVersion)},
      {schema::kMetaLanguage, language},
      {schema::kMetaStopwords, StopperFor(language) ? language : ""},
      {schema::kMetaTextDictionary, summary.new_index ? TrainDictionary(walk.files, options_.max_file_bytes) : dictionary},
      {schema::kMetaRoots, JoinLines(roots)},
  };

  // Read on this thread; build and write documents on one thread per shard.
  std::atomic<bool> failed{false};
  std::vector<std::thread> writers;
  for (auto& shard : shards) {
    writers.emplace_back(WriteShard, std::ref(*shard), summary.new_index, std::max(1u, options_.batch_size),
                         std::cref(metadata), std::ref(progress), std::ref(failed));
  }
  for (const SourceFile& file : walk.files) {
    if (stop || failed) break;
    ReadOutcome outcome = ReadArticleFile(file.path, options_.max_file_bytes);
    progress.files_done.fetch_add(1, std::memory_order_relaxed);
    progress.bytes_done.fetch_add(file.size, std::memory_order_relaxed);
    if (!outcome.article) {
      ++summary.skipped;
      on_skip_({file.path, outcome.skip_reason});
      continue;
    }
    summary.bytes += outcome.bytes;
    Shard& shard = *shards[StableHash(outcome.article->id) % shards.size()];
    shard.queue.Push(std::move(*outcome.article));
  }
  for (auto& shard : shards) shard->queue.Close(/*discard=*/stop.load());
  for (std::thread& t : writers) t.join();
  summary.interrupted = stop && !failed;

  for (const auto& shard : shards) {
    // A new index is not published; an updated one keeps the batches committed before the failure.
    if (!shard->error.empty()) throw IndexError(shard->error);
    summary.added += shard->added;
    summary.replaced += shard->replaced;
  }

  if (summary.new_index) {
    // Compact the shards in parallel (also when interrupted: what was indexed
    // is kept), then publish the new generation.
    progress.compacting = true;
    std::vector<std::string> errors(shards.size());
    std::vector<std::thread> compactors;
    for (std::size_t k = 0; k < shards.size(); ++k) {
      compactors.emplace_back([&, k] {
        try {
          CompactShard(*shards[k]);
        } catch (const Xapian::Error& e) {
          errors[k] = ShardError(*shards[k], e.get_description());
        } catch (const std::exception& e) {
          errors[k] = ShardError(*shards[k], e.what());
        }
      });
    }
    for (std::thread& t : compactors) t.join();
    for (const std::string& e : errors) {
      if (!e.empty()) throw IndexError(e);
    }
    std::vector<std::string> lines;
    for (const auto& shard : shards) lines.push_back(shard->stub_line);
    PublishStub(dir, lines);
  }

  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace nsearch
