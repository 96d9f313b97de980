#include "indexer/new_index_build.h"

#include <exception>
#include <future>
#include <iterator>
#include <vector>

#include "common/error.h"
#include "indexer/dictionary_training.h"
#include "indexer/generations.h"
#include "indexer/new_shard_writer.h"
#include "indexer/shard_compaction.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

constexpr const char* kDefaultLanguage = "english";

// Adds `words` to a database of spelling data alone at `path`, for the
// compaction of the first shard to merge in; `added` says when it is done.
void AddSpellingPart(const fs::path& path, const Spellings& words, std::promise<void>& added) {
  try {
    Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS);
    AddSpellings(db, words, [&] { db.commit(); });
    db.commit();
    db.close();
    added.set_value();
  } catch (...) {
    added.set_exception(std::current_exception());
    throw;
  }
}

}  // namespace

void NewIndexBuild::PrepareShards(const FileSampler& sample) {
  const fs::path& dir = run_.options.index_dir;
  IndexState& state = run_.state;
  try {
    if (state.language.empty()) state.language = kDefaultLanguage;
    // One writer thread per shard of its own. With one shard to publish
    // (the default), the writers' shards are merged into it at the end.
    const unsigned jobs = run_.options.shards > 1 ? run_.options.shards : run_.cores;
    RemoveGenerationsExcept(dir, state.live_generations);
    const std::string gen = "gen-" + std::to_string(NextGeneration(dir));
    fs::create_directories(dir / gen);
    for (unsigned k = 0; k < jobs; ++k) {
      auto shard = std::make_unique<Shard>();
      shard->write_path = dir / gen / ("build-" + std::to_string(k));
      shard->final_path = dir / gen / ("shard-" + std::to_string(k));
      shard->stub_line = "glass " + gen + "/shard-" + std::to_string(k);
      shard->db = CreateBuildDatabase(shard->write_path);
      state.shards.push_back(std::move(shard));
    }
    // Trained while this thread reads the first articles into the queues.
    dictionary_ = std::async(std::launch::async, TrainDictionary, sample.paths(), run_.options.max_file_bytes);
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot prepare the index at " + dir.string() + ": " + e.get_description());
  } catch (const fs::filesystem_error& e) {
    throw IndexError("cannot prepare the index at " + dir.string() + ": " + e.what());
  }
}

std::unique_ptr<ShardWriter> NewIndexBuild::MakeWriter(Shard& shard, const WriterSettings& settings) {
  return std::make_unique<NewShardWriter>(shard, settings);
}

void NewIndexBuild::Finish(Spellings spellings, const Metadata& metadata) {
  const auto& shards = run_.state.shards;
  // A new index of one shard (the default) is built by several writers,
  // each into a shard of its own, which one compaction merges at the end: a
  // search then opens one database rather than one per writer (news corpus,
  // a fresh `nsearch` over 100 bench queries: median 0.40-0.50 ms less).
  // The merge runs on one core, where the writers' shards compacted in
  // parallel: 0.3-1.5 s more per build.
  const bool merge = run_.options.shards <= 1 && shards.size() > 1;
  const fs::path spelling_path = shards.front()->final_path.parent_path() / "spelling-build";
  CommitAndCompact(std::move(spellings), metadata, merge, spelling_path);
  if (merge) Merge(spelling_path);
  Publish();
}

// In a new index of two shards or more, the second shard's thread adds half
// of the spelling words to a database of their own before it compacts its
// shard, and the first shard's compaction merges that in (the spelling
// table comes out byte for byte the same). Otherwise the first shard's
// thread adds them all while the others, compacted, wait: on the news
// corpus the tail after the writers took 1.74 s, with one core idle for
// 1.1 s of it; split, 1.34-1.41 s.
void NewIndexBuild::CommitAndCompact(Spellings spellings, const Metadata& metadata, bool merge,
                                     const fs::path& spelling_path) {
  const auto& shards = run_.state.shards;
  split_spellings_ = shards.size() >= 2 && !spellings.empty();
  Spellings second_part;
  if (split_spellings_) {
    const auto first_part = static_cast<std::ptrdiff_t>(spellings.size() / 2);
    second_part.assign(std::make_move_iterator(spellings.begin() + first_part),
                       std::make_move_iterator(spellings.end()));
    spellings.resize(static_cast<std::size_t>(first_part));
  }
  std::promise<void> second_part_added;
  std::future<void> second_part_ready = second_part_added.get_future();
  InParallel(
      shards.size(),
      [&](std::size_t k) {
        if (k == 1 && split_spellings_) AddSpellingPart(spelling_path, second_part, second_part_added);
        if (k == 0) AddSpellings(shards[k]->db, spellings, [&] { Commit(*shards[k]); });
        CommitLast(*shards[k], metadata);
        if (merge) return;
        run_.progress.compacting = true;
        if (k == 0 && split_spellings_) {
          second_part_ready.get();
          CompactShards({shards[k].get()}, shards[k]->final_path, spelling_path);
        } else {
          CompactShards({shards[k].get()}, shards[k]->final_path);
        }
        Seal(shards[k]->final_path, dictionary());
      },
      [&](std::size_t k) { return ShardWhat(k); });
}

// Compacts every writer's shard into the first one's place.
void NewIndexBuild::Merge(const fs::path& spelling_path) {
  auto& shards = run_.state.shards;
  run_.progress.compacting = true;
  std::vector<Shard*> all;
  for (const auto& shard : shards) all.push_back(shard.get());
  const fs::path& target = shards.front()->final_path;
  try {
    CompactShards(all, target, split_spellings_ ? spelling_path : fs::path());
    Seal(target, dictionary());
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot write index shard " + target.string() + ": " + e.get_description());
  } catch (const std::exception& e) {
    throw IndexError("cannot write index shard " + target.string() + ": " + e.what());
  }
  shards.resize(1);
  run_.summary.shards = 1;
}

void NewIndexBuild::Publish() {
  std::vector<std::string> lines;
  for (const auto& shard : run_.state.shards) lines.push_back(shard->stub_line);
  PublishGeneration(run_.options.index_dir, lines, run_.state.shards.front()->final_path.parent_path());
}

}  // namespace nsearch
