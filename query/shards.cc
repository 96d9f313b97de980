#include "query/shards.h"

#include <algorithm>
#include <charconv>
#include <future>
#include <string_view>

#include "common/error.h"
#include "common/index_location.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

// "HOST:PORT" or "[IPV6]:PORT" into its parts; false when it is neither.
bool SplitHostPort(const std::string& text, std::string& host, unsigned& port) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) return false;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return false;  // an IPv6 address needs its brackets
  }
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(first, last, port);
  return ec == std::errc() && end == last && port > 0 && port < 65536;
}

}  // namespace

std::string StubShard::Name() const {
  switch (kind) {
    case Kind::kTcp:
      return (host.find(':') == std::string::npos ? host : "[" + host + "]") + ":" + std::to_string(port);
    case Kind::kProgram:
      return args.empty() ? program : program + " " + args;
    case Kind::kLocal:
      break;
  }
  return path.string();
}

StubShard ParseStubLine(const fs::path& index_dir, const std::string& line) {
  StubShard shard;
  shard.line = line;
  shard.path = LocalShardPath(index_dir, line);
  if (!shard.path.empty()) return shard;
  auto fail = [&](const std::string& why) -> StubShard {
    throw IndexError("cannot read the shard '" + line + "' in " + StubPath(index_dir).string() + ": " + why);
  };
  std::vector<std::string> words;
  for (std::size_t at = 0; at < line.size();) {
    const std::size_t start = line.find_first_not_of(" \t", at);
    if (start == std::string::npos) break;
    const std::size_t end = std::min(line.find_first_of(" \t", start), line.size());
    words.push_back(line.substr(start, end - start));
    at = end;
  }
  if (words.empty() || words[0] != "remote") {
    return fail("nsearch reads 'glass PATH', 'auto PATH', 'remote tcp HOST:PORT' and 'remote :PROGRAM ARGS'");
  }
  if (words.size() >= 2 && words[1].front() == ':') {
    shard.kind = StubShard::Kind::kProgram;
    const std::size_t colon = line.find(':');
    const std::size_t program_end = std::min(line.find_first_of(" \t", colon), line.size());
    shard.program = line.substr(colon + 1, program_end - colon - 1);
    const std::size_t args_start = line.find_first_not_of(" \t", program_end);
    if (args_start != std::string::npos) shard.args = line.substr(args_start);
    if (shard.program.empty()) return fail("no program after ':'");
    return shard;
  }
  // "remote tcp HOST:PORT" (nsearch's documented form) or Xapian's "remote HOST:PORT".
  const bool tcp_word = words.size() == 3 && words[1] == "tcp";
  if (!(tcp_word || words.size() == 2)) return fail("expected 'remote tcp HOST:PORT'");
  shard.kind = StubShard::Kind::kTcp;
  if (!SplitHostPort(words.back(), shard.host, shard.port)) {
    return fail("'" + words.back() + "' is not HOST:PORT (a port from 1 to 65535; [ADDRESS]:PORT for IPv6)");
  }
  return shard;
}

std::string NetworkFailure(const Xapian::Error& error, unsigned timeout_ms) {
  if (std::string_view(error.get_type()) == "NetworkTimeoutError") {  // Xapian::Error has no virtual functions
    return "no answer within " + std::to_string(timeout_ms) + " ms";
  }
  std::string what = error.get_msg();
  if (const char* detail = error.get_error_string(); detail != nullptr && *detail != '\0') {
    what += std::string(": ") + detail;
  }
  return what;
}

const StubShard* ShardOfError(const std::vector<StubShard>& shards, const Xapian::Error& error) {
  const std::string context = error.get_context();
  for (const StubShard& shard : shards) {
    if (shard.kind == StubShard::Kind::kTcp &&
        context == "remote:tcp(" + shard.host + ":" + std::to_string(shard.port) + ")") {
      return &shard;
    }
    if (shard.kind == StubShard::Kind::kProgram && context.rfind("remote:prog(" + shard.program, 0) == 0) {
      return &shard;
    }
  }
  return nullptr;
}

namespace {

// A remote shard opened, or why it could not be.
struct RemoteOpening {
  Xapian::Database db;
  std::string failure;  // empty when `db` is open
};

RemoteOpening OpenRemote(const StubShard& shard, unsigned timeout) {
  try {
    return {shard.kind == StubShard::Kind::kTcp ? Xapian::Remote::open(shard.host, shard.port, timeout, timeout)
                                                : Xapian::Remote::open(shard.program, shard.args, timeout),
            {}};
  } catch (const Xapian::Error& e) {
    // NetworkError, or a server of another protocol version, or one
    // serving something that is not a database.
    return {{}, NetworkFailure(e, timeout)};
  }
}

}  // namespace

OpenedShards OpenShards(const fs::path& index_dir, const ShardOptions& options, const std::vector<MissingShard>& skip) {
  OpenedShards opened;
  const std::vector<std::string> lines = ReadStubLines(index_dir);
  if (lines.empty()) throw IndexError("the index stub " + StubPath(index_dir).string() + " lists no shards");
  const unsigned timeout = options.remote_timeout_ms;
  std::vector<StubShard> shards;
  for (const std::string& line : lines) shards.push_back(ParseStubLine(index_dir, line));
  // Remote shards are opened all at once, each on a thread of its own: a
  // connection costs a round trip, a fork of the server and the opening of
  // its database, and a hung one its whole timeout, which would otherwise
  // add up over the shards. Local ones are opened here meanwhile.
  std::vector<std::future<RemoteOpening>> remote(shards.size());
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const auto skipped = std::find_if(skip.begin(), skip.end(),
                                      [&](const MissingShard& m) { return m.name == shards[i].Name(); });
    if (shards[i].remote() && skipped == skip.end()) {
      remote[i] = std::async(std::launch::async, OpenRemote, std::cref(shards[i]), timeout);
    }
  }
  for (std::size_t i = 0; i < shards.size(); ++i) {
    StubShard& shard = shards[i];
    const auto skipped = std::find_if(skip.begin(), skip.end(),
                                      [&](const MissingShard& m) { return m.name == shard.Name(); });
    if (skipped != skip.end()) {
      opened.missing.push_back(*skipped);
      continue;
    }
    if (!shard.remote()) {
      ReadLock lock(shard.path);
      lock.Lock();
      Xapian::Database db(shard.path.string());  // errors pass through (see the header); ~future waits
      opened.locks.push_back(std::move(lock));
      opened.all.add_database(db);
      opened.local.add_database(db);
      opened.each.push_back(std::move(db));
      opened.shards.push_back(std::move(shard));
      continue;
    }
    RemoteOpening result = remote[i].get();
    if (!result.failure.empty()) {
      if (!options.allow_partial) {
        throw IndexError("index shard " + shard.Name() + " (" + StubPath(index_dir).string() +
                         ") cannot be reached: " + result.failure + "; --allow-partial searches the other shards");
      }
      opened.missing.push_back({shard.Name(), result.failure});
      continue;
    }
    opened.all.add_database(result.db);
    opened.each.push_back(std::move(result.db));
    opened.shards.push_back(std::move(shard));
  }
  if (opened.shards.empty()) {
    std::string names;
    for (const MissingShard& m : opened.missing) names += (names.empty() ? "" : ", ") + m.name + " (" + m.reason + ")";
    throw IndexError("no shard of the index at " + index_dir.string() + " can be reached: " + names);
  }
  return opened;
}

}  // namespace nsearch
