#include "indexer/live_index.h"

#include <charconv>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>

#include "common/analyzer.h"
#include "common/error.h"
#include "common/index_location.h"
#include "common/schema.h"
#include "indexer/id_terms.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

std::set<std::string> SplitLines(const std::string& text) {
  std::set<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.insert(line);
  }
  return lines;
}

// The share of the archive the shard `path` records (--shard-of).
Share RecordedShare(const Xapian::Database& db, const fs::path& path) {
  return ParseShare(db.get_metadata(schema::kMetaShare), "the index shard " + path.string() + "'s " + schema::kMetaShare);
}

// How many changesets the shard `path` keeps (--changesets): 0 when it
// records none.
unsigned RecordedChangesets(const Xapian::Database& db, const fs::path& path) {
  const std::string text = db.get_metadata(schema::kMetaChangesets);
  unsigned n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (!text.empty() && (ec != std::errc() || end != text.data() + text.size())) {
    throw IndexError("the index shard " + path.string() + "'s " + schema::kMetaChangesets + " is not a number: '" +
                     text + "'");
  }
  return n;
}

// Glass keeps the changesets a writer commits, for replication, when
// XAPIAN_MAX_CHANGESETS is set as the writer opens the shard. Set here,
// before the shards are opened for writing, while the run's only other
// thread (the progress line) reads no environment, and only when it
// changes (--watch runs again in one process); 0 leaves the environment
// as it is.
void KeepChangesets(unsigned changesets) {
  if (changesets == 0) return;
  const std::string value = std::to_string(changesets);
  const char* now = std::getenv("XAPIAN_MAX_CHANGESETS");
  if (now == nullptr || value != now) ::setenv("XAPIAN_MAX_CHANGESETS", value.c_str(), 1);
}

// A rebuild only reads what the live index remembers; given paths replace
// its roots.
void ReadRebuiltShard(const fs::path& path, const IndexerOptions& options, IndexState& state) {
  Xapian::Database db(path.string());
  if (options.roots.empty()) {
    for (const std::string& root : SplitLines(db.get_metadata(schema::kMetaRoots))) state.roots.insert(root);
  }
  if (state.language.empty()) state.language = db.get_metadata(schema::kMetaLanguage);
  if (!options.share) state.share = RecordedShare(db, path);
  if (!options.changesets) state.changesets = RecordedChangesets(db, path);
}

// Opens the live shard at `path` for an update, and adds what it remembers to `state`.
void OpenLiveShard(const fs::path& path, const std::string& line, const IndexerOptions& options, IndexState& state) {
  const fs::path& dir = options.index_dir;
  auto shard = std::make_unique<Shard>();
  shard->write_path = shard->final_path = path;
  shard->stub_line = line;
  shard->db = Xapian::WritableDatabase(path.string(), Xapian::DB_OPEN);
  CheckCompatible(shard->db, path);
  if (shard->db.get_metadata(schema::kMetaGroupsPending) == "1") state.groups_pending = true;
  const std::string index_language = shard->db.get_metadata(schema::kMetaLanguage);
  if (!state.language.empty() && state.language != index_language) {
    throw UsageError("the index at " + dir.string() + " has default language " + index_language + "; --language " +
                     state.language + " needs --rebuild");
  }
  state.language = index_language;
  const Share recorded = RecordedShare(shard->db, path);
  if (options.share && *options.share != recorded) {
    throw UsageError("the index at " + dir.string() + " holds " +
                     (recorded.whole() ? std::string("every article") : "share " + recorded.ToString()) +
                     "; --shard-of " + (options.share->whole() ? std::string("0/1") : options.share->ToString()) +
                     " needs --rebuild");
  }
  state.share = recorded;
  state.dictionary = shard->db.get_metadata(schema::kMetaTextDictionary);
  for (const std::string& root : SplitLines(shard->db.get_metadata(schema::kMetaRoots))) state.roots.insert(root);
  for (const std::string& l : SplitLines(shard->db.get_metadata(schema::kMetaLanguages))) state.languages.insert(l);
  state.shards.push_back(std::move(shard));
}

}  // namespace

IndexState ReadLiveIndex(const IndexerOptions& options) {
  const fs::path& dir = options.index_dir;
  IndexState state;
  state.exists = IndexExists(dir);
  state.new_index = !state.exists || options.rebuild;
  const bool new_index = state.new_index;
  state.language = options.language.empty() ? "" : CanonicalLanguage(options.language);
  if (options.share) state.share = *options.share;
  if (options.changesets) state.changesets = *options.changesets;
  if (!state.exists) return state;
  try {
    for (const std::string& line : ReadStubLines(dir)) {
      const fs::path path = LocalShardPath(dir, line);
      if (path.empty()) {
        throw IndexError("cannot update " + dir.string() + ": its stub lists a remote shard ('" + line +
                         "'); update the index whose stub lists the shards as local folders, which replicas "
                         "follow (docs/scaling.md)");
      }
      state.live_generations.insert(path.parent_path());
      if (new_index) {
        ReadRebuiltShard(path, options, state);
        continue;
      }
      if (state.shards.empty()) {
        if (!options.changesets) state.changesets = RecordedChangesets(Xapian::Database(path.string()), path);
        KeepChangesets(state.changesets);
      }
      OpenLiveShard(path, line, options, state);
    }
    if (!new_index && state.shards.empty()) {
      throw IndexError("the index stub " + StubPath(dir).string() + " lists no shards");
    }
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open the index at " + dir.string() + ": " + e.get_description());
  }
  return state;
}

void CheckCompatible(const Xapian::Database& db, const fs::path& shard) {
  const std::string version = db.get_metadata(schema::kMetaSchema);
  if (version != std::to_string(schema::kSchemaVersion)) {
    throw IndexError(shard.string() + " is an nsearch index of schema version '" + version + "', not " +
                     std::to_string(schema::kSchemaVersion) + "; build it anew with nsearch-index --rebuild");
  }
}

void LoadIndexedFiles(const Xapian::Database& db, unsigned shard, IndexedFiles& files) {
  // Ids from the Q terms, for the documents whose file is their id.
  const std::unordered_map<Xapian::docid, std::string> ids = IdsByDocid(db);
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

}  // namespace nsearch
