#include "query/index_snapshot.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <utility>

#include "common/analyzer.h"
#include "common/error.h"
#include "common/index_location.h"
#include "common/schema.h"
#include "common/stopwords.h"
#include "query/change_retries.h"
#include "query/snippet.h"

namespace fs = std::filesystem;

namespace nsearch {

IndexSnapshot::IndexSnapshot(fs::path index_dir, ShardOptions options)
    : index_dir_(std::move(index_dir)), options_(options) {
  Open();
  Unlock();  // a writer must not wait for a Searcher that is not searching
}

void IndexSnapshot::Lock() {
  for (ReadLock& lock : locks_) lock.Lock();
}

void IndexSnapshot::Unlock() {
  for (ReadLock& lock : locks_) lock.Unlock();
}

void IndexSnapshot::Open() {
  // An update that commits twice while the metadata is read discards the
  // revision opened (DatabaseModifiedError): start again from the stub.
  for (ChangeRetries retries;;) {
    try {
      OpenOnce();
      return;
    } catch (const Xapian::DatabaseError& e) {
      if (!retries.Again(Modified(e))) {
        throw IndexError("the index at " + index_dir_.string() + " kept changing while it was opened: " +
                         e.get_description());
      }
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot open the index at " + index_dir_.string() + ": " + e.get_description());
    }
  }
}

void IndexSnapshot::OpenOnce() {
  if (!IndexExists(index_dir_)) {
    throw IndexError("no index at " + index_dir_.string() + "; build one first with: nsearch-index --db " +
                     index_dir_.string() + " PATH...");
  }
  // A rebuild or --compact may remove the generation the stub named just
  // before Xapian opened it, and an update may discard the revision being
  // opened: read the stub again.
  for (ChangeRetries retries;;) {
    try {
      // Held while OpenShards waits for a writer, the old locks would keep
      // that writer waiting for this search: a deadlock until the search's
      // wait at the turnstile ends (common/reader_lock.h).
      Unlock();
      OpenedShards opened = OpenShards(index_dir_, options_, failed_);
      db_ = std::move(opened.all);
      spelling_ = std::move(opened.local);
      shards_ = std::move(opened.shards);
      shard_dbs_ = std::move(opened.each);
      missing_ = std::move(opened.missing);
      locks_ = std::move(opened.locks);  // the old ones are let go of
      break;
    } catch (const Xapian::DatabaseError& e) {
      if (!retries.Again(Modified(e))) {
        throw IndexError("cannot open the index at " + index_dir_.string() + ": " + e.get_description());
      }
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot open the index at " + index_dir_.string() + ": " + e.get_description());
    }
  }
  ReadShardMetadata();
  fresh_ = true;
}

void IndexSnapshot::Refresh() {
  const bool fresh = std::exchange(fresh_, false);
  if (MayHaveChanged(spelling_)) return Open();
  if (fresh || !AnyRemote()) return;
  try {
    // A new revision may list a new language: the shards say it again.
    if (db_.reopen()) ReadShardMetadata();
  } catch (const Xapian::Error&) {
    // The connection was closed (the server's --idle-timeout, a restart), or
    // the database its server opened was removed (a replica that switched to
    // a full copy, after a rebuild): connect again, which opens the replica's
    // new copy, or reports the shard that cannot be reached.
    Open();
  }
}

// Each shard says what it is (nsearch-index writes the same metadata into
// every shard of an index), and a stub may list shards of separately built
// indexes, while Database::get_metadata reads only the first shard. So the
// schema version is checked in every shard, and the languages (and those
// with stopwords) are those of any shard; the default language is the
// first shard's.
void IndexSnapshot::ReadShardMetadata() {
  const std::string wanted = std::to_string(schema::kSchemaVersion);
  // The default language first, then every other language articles are in.
  std::vector<std::string> names = {shard_dbs_.front().get_metadata(schema::kMetaLanguage)};
  std::set<std::string> with_stopwords;
  for (std::size_t i = 0; i < shard_dbs_.size(); ++i) {
    const Xapian::Database& shard = shard_dbs_[i];
    if (const std::string version = shard.get_metadata(schema::kMetaSchema); version != wanted) {
      const std::string which = i == 0 ? "the index at " + index_dir_.string()
                                       : "the shard " + shards_[i].Name() + " of the index at " + index_dir_.string();
      throw IndexError(which + " has schema version '" + version + "', this nsearch reads version " + wanted +
                       "; rebuild it with: nsearch-index --db " + (i == 0 ? index_dir_.string() : "DIR") +
                       " --rebuild");
    }
    std::istringstream lines(shard.get_metadata(schema::kMetaLanguages));
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && std::find(names.begin(), names.end(), line) == names.end()) names.push_back(line);
    }
    std::istringstream stopwords(shard.get_metadata(schema::kMetaStopwords));
    for (std::string line; std::getline(stopwords, line);) with_stopwords.insert(line);
  }
  bool same = names.size() == languages_.size();
  for (std::size_t i = 0; same && i < names.size(); ++i) same = languages_[i].name == names[i];
  if (!same) {
    languages_.clear();
    try {
      for (const std::string& name : names) {
        languages_.push_back({name, RememberingStem(MakeStemmer(name), "snowball:" + name),
                              with_stopwords.count(name) ? StopperFor(name) : nullptr, nullptr});
      }
    } catch (const UsageError& e) {
      throw IndexError("the index at " + index_dir_.string() + " needs a stemmer this nsearch lacks: " + e.what());
    }
  } else {
    for (Language& l : languages_) {
      l.stopper = with_stopwords.count(l.name) ? StopperFor(l.name) : nullptr;
      l.parser.reset();  // it names the shards opened before
    }
  }
  ++generation_;
}

bool IndexSnapshot::AllLocked() const {
  return std::all_of(locks_.begin(), locks_.end(), [](const ReadLock& l) { return l.held(); });
}

bool IndexSnapshot::AnyRemote() const {
  return std::any_of(shards_.begin(), shards_.end(), [](const StubShard& s) { return s.remote(); });
}

const Language& IndexSnapshot::LanguageNamed(const std::string& name) const {
  for (const Language& l : languages_) {
    if (l.name == name) return l;
  }
  return languages_.front();
}

}  // namespace nsearch
