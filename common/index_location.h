// Where an index lives and how it is laid out on disk.
//
// An index is a directory DIR holding:
//   DIR/XAPIANDB           a Xapian stub database file listing the shards of
//                          the live generation ("glass gen-3/shard-0", ...);
//                          Xapian::Database(DIR) opens them all as one
//   DIR/gen-N/shard-K      the shards (glass databases) of generation N,
//                          each with its nsearch.textdict file and its
//                          nsearch.readers lock file (reader_lock.h)
//   DIR/lock               held (flock) by the one nsearch-index writing
// A new generation is published by renaming a new stub over XAPIANDB, which
// is atomic: readers see the old generation or the new one, never a mix.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace nsearch {

// The index directory: `option` (--db) when not empty, else $NSEARCH_DB,
// else `configured` (the config file's db) when not empty, else the default,
// $XDG_DATA_HOME/nsearch/index (~/.local/share/nsearch/index).
std::filesystem::path ResolveIndexDir(const std::string& option, const std::filesystem::path& configured = {});

// DIR/XAPIANDB; `index_dir` itself when it is a file: a stub database
// listing shards ("auto /a/gen-1/shard-0", "remote tcp h:p"), which a
// search can be given as its index, as Xapian's tools can.
std::filesystem::path StubPath(const std::filesystem::path& index_dir);

// True when `index_dir` holds a published index (its stub exists).
bool IndexExists(const std::filesystem::path& index_dir);

// The shard lines of the stub ("glass gen-3/shard-0", "remote tcp h:p", ...),
// comments and blank lines dropped. Throws IndexError naming the stub when it
// cannot be read.
std::vector<std::string> ReadStubLines(const std::filesystem::path& index_dir);

// Writes a stub listing `lines` to a temporary file, syncs it and renames it
// over DIR/XAPIANDB. Throws IndexError naming the file on failure.
void PublishStub(const std::filesystem::path& index_dir, const std::vector<std::string>& lines);

// SHARD/nsearch.textdict: the dictionary of the stored text (the
// nsearch.textdict metadata) as a file of its own, so that a search maps
// it rather than reading 256 KB through Xapian and copying them.
std::filesystem::path TextDictionaryPath(const std::filesystem::path& shard);

// Writes `dictionary` to TextDictionaryPath(shard) (atomically, synced),
// unless a file of its size is there; removes the file when `dictionary`
// is empty. Throws IndexError naming the file on failure.
void WriteTextDictionary(const std::filesystem::path& shard, const std::string& dictionary);

// For a stub line naming a local shard ("glass gen-3/shard-0" or "auto ..."),
// its path resolved against the stub's folder; empty for remote shards.
std::filesystem::path LocalShardPath(const std::filesystem::path& index_dir, const std::string& line);

}  // namespace nsearch
