// Shards: opens the shards an index's stub lists (common/index_location.h),
// local and remote, as one Xapian database with global term statistics.
//
// nsearch reads the stub itself rather than handing it to Xapian, because
// Xapian's stub syntax carries no timeouts: each remote shard is opened with
// Xapian::Remote::open and nsearch's timeout, and a shard that cannot be
// reached is named. Stub lines nsearch reads:
//
//   glass PATH | auto PATH       a local shard; PATH relative to the index directory
//   remote tcp HOST:PORT         a shard served by xapian-tcpsrv ([::1]:PORT for IPv6)
//   remote HOST:PORT             the same, as Xapian's own stub syntax writes it
//   remote :PROGRAM ARGS...      a shard served over a program's stdin/stdout (xapian-progsrv)
//
// Free functions; nothing shared between calls.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <xapian.h>

#include "common/reader_lock.h"

namespace nsearch {

// How long a remote shard may take to accept a connection, and then to
// answer each request, before it counts as unreachable.
inline constexpr unsigned kDefaultRemoteTimeoutMs = 5000;

struct ShardOptions {
  unsigned remote_timeout_ms = kDefaultRemoteTimeoutMs;  // must be > 0: a hung shard never hangs nsearch
  bool allow_partial = false;  // leave out remote shards that cannot be reached, rather than fail
};

// One line of the stub.
struct StubShard {
  enum class Kind { kLocal, kTcp, kProgram };
  Kind kind = Kind::kLocal;
  std::string line;             // as the stub has it
  std::filesystem::path path;   // kLocal: resolved against the index directory
  std::string host;             // kTcp, without IPv6 brackets
  unsigned port = 0;            // kTcp
  std::string program, args;    // kProgram

  // How messages name the shard: HOST:PORT, the program and its arguments,
  // or the path.
  std::string Name() const;
  bool remote() const { return kind != Kind::kLocal; }
};

// Parses stub line `line` of the index in `index_dir`. Throws IndexError
// naming the line and the stub when nsearch does not read that form.
StubShard ParseStubLine(const std::filesystem::path& index_dir, const std::string& line);

// A remote shard left out of a search, and why.
struct MissingShard {
  std::string name;    // StubShard::Name()
  std::string reason;  // one line: "connection refused", "no answer within 5000 ms", ...
};

struct OpenedShards {
  Xapian::Database all;                // every shard that opened, in stub order, as one database
  Xapian::Database local;              // the local shards only (Xapian's spelling data is local-only)
  std::vector<StubShard> shards;       // the shards of `all`, in order
  std::vector<Xapian::Database> each;  // each of them alone, in the same order: what it says of itself
  std::vector<MissingShard> missing;   // left out (only with allow_partial)
  std::vector<ReadLock> locks;         // of the local shards, held (reader_lock.h)
};

// Opens the shards of the index in `index_dir`, except those named in
// `skip` (they are reported missing with `skip`'s reason), each local one
// with its ReadLock held from before it is opened. Throws IndexError
// naming the shard when a remote one cannot be reached (unless
// allow_partial), when the stub cannot be read or lists no shards, and when
// no shard at all could be opened. A local shard that cannot be opened
// throws the Xapian error as it is: a rebuild may have just removed its
// generation, and the caller reads the stub again.
OpenedShards OpenShards(const std::filesystem::path& index_dir, const ShardOptions& options,
                        const std::vector<MissingShard>& skip = {});

// What a Xapian network error from a remote shard says, in a few words:
// "connection refused", "no answer within 5000 ms".
std::string NetworkFailure(const Xapian::Error& error, unsigned timeout_ms);

// The index of the shard in `shards` (of `shard_count`) that holds the
// document `did` of the database they make together: Xapian interleaves
// the shards' documents.
inline std::size_t ShardOfDocument(Xapian::docid did, std::size_t shard_count) {
  return static_cast<std::size_t>((did - 1) % shard_count);
}

// The shard of `shards` that a Xapian network error's context
// ("remote:tcp(HOST:PORT)", "remote:prog(PROGRAM ARGS)") names; nullptr when
// it names none of them.
const StubShard* ShardOfError(const std::vector<StubShard>& shards, const Xapian::Error& error);

}  // namespace nsearch
