// IndexSnapshot: the shards of an index open as one Xapian database, with
// what they say of themselves (schema version, languages, stopwords), the
// ReadLocks of the local ones and the remote ones left out. Opened again
// from the stub when the index changes. One per Searcher; not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <xapian.h>

#include "common/reader_lock.h"
#include "query/language.h"
#include "query/shards.h"

namespace nsearch {

class IndexSnapshot {
 public:
  // Opens the index in `index_dir` (Open), then lets go of its ReadLocks: a
  // writer must not wait for a Searcher that is not searching. Throws
  // IndexError as Open does.
  IndexSnapshot(std::filesystem::path index_dir, ShardOptions options);

  // Opens the index and reads what it says about itself, again from the
  // stub when an update discards the revision it opened meanwhile, a
  // bounded number of times. Throws IndexError, with a message saying what
  // to do, when there is no index, it cannot be read, a remote shard cannot
  // be reached (unless allow_partial), or a shard is of another schema
  // version.
  void Open();

  // Brings a long-lived snapshot to the latest revision of its shards: a
  // writer may have written over the blocks of the local revision it opened
  // (cost: one read of each local shard's version file), and a remote
  // shard's server reads the revision it opened until asked to reopen (cost:
  // one round trip per remote shard, none right after Open; a replica
  // applies changesets in place). Opens the index again from the stub when
  // a local shard changed or a remote one fails to reopen (its server
  // closed the connection, or its replica switched to a full copy and
  // removed the one opened); throws as Open does.
  void Refresh();

  // Take and let go of the local shards' ReadLocks (common/reader_lock.h).
  void Lock();
  void Unlock();
  bool AllLocked() const;  // whether every local shard's lock is held (some have no lock file)

  // Leaves `shard` out from the next Open() on (it failed during a search).
  void LeaveOut(MissingShard shard) { failed_.push_back(std::move(shard)); }

  bool AnyRemote() const;  // whether a shard of db() is remote
  // The language of that name, or the index's default.
  const Language& LanguageNamed(const std::string& name) const;

  const std::filesystem::path& dir() const { return index_dir_; }
  const ShardOptions& options() const { return options_; }
  Xapian::Database& db() { return db_; }
  const Xapian::Database& db() const { return db_; }
  Xapian::Database& spelling() { return spelling_; }
  const std::vector<StubShard>& shards() const { return shards_; }
  const std::vector<Xapian::Database>& shard_dbs() const { return shard_dbs_; }
  const std::vector<MissingShard>& missing() const { return missing_; }
  std::vector<Language>& languages() { return languages_; }
  // Counts the times the index was opened: what was read of the shards
  // opened before (a dictionary) is stale when it changes.
  std::uint64_t generation() const { return generation_; }

 private:
  void OpenOnce();  // Open, once: Xapian errors escape
  void ReadShardMetadata();

  std::filesystem::path index_dir_;
  ShardOptions options_;
  Xapian::Database db_;                      // every shard that answers, as one
  Xapian::Database spelling_;                // the local shards: spelling data (remote ones have none), revision
  std::vector<StubShard> shards_;            // those of db_
  std::vector<Xapian::Database> shard_dbs_;  // each of shards_ alone
  std::vector<ReadLock> locks_;              // of its local shards: held while Open() and searches run
  std::vector<MissingShard> missing_;        // left out (allow_partial)
  std::vector<MissingShard> failed_;         // failed during a search: left out from then on
  std::vector<Language> languages_;          // of the articles; the index's default first
  std::uint64_t generation_ = 0;
  bool fresh_ = false;  // opened, not searched since: Refresh has nothing to ask the remote shards
};

}  // namespace nsearch
