// RemoteShardServer: a real xapian-tcpsrv serving one database on
// 127.0.0.1, on a free port, for the end-to-end tests of remote shards.
//
// Every server runs in a process group of its own and is killed, with the
// connection handlers it forked, when its RemoteShardServer goes out of
// scope (tests/support/loopback.h): a failed REQUIRE, an exception or a
// crash of the test code leaves no server behind (only a SIGKILL of the
// test program itself could).
#pragma once

#include "tests/e2e/support.h"
#include "tests/support/loopback.h"

namespace e2e {

inline const std::string kTcpsrvBin = XAPIAN_TCPSRV_BIN;

using Socket = nsearch::test::LoopbackSocket;

// A port no one listens on right now (the kernel's pick for port 0).
inline unsigned short FreePort() { return nsearch::test::FreeLoopbackPort(); }

// xapian-tcpsrv serving `shard`, ready to accept connections once
// constructed; stopped by Stop() or on destruction.
class RemoteShardServer : public nsearch::test::LoopbackServer {
 public:
  explicit RemoteShardServer(const fs::path& shard)
      : LoopbackServer("xapian-tcpsrv serving " + shard.string(), [&](unsigned short port) {
          return std::vector<std::string>{kTcpsrvBin, "--interface", "127.0.0.1", "--port", std::to_string(port),
                                          "--quiet", shard.string()};
        }) {}
};

}  // namespace e2e
