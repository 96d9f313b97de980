// HttpServer: nsearch serve's web server (docs/http-api.md): the page built
// into the program and the JSON API, over cpp-httplib. Connections are
// served by a pool of threads; searches by a SearcherPool of one Searcher
// per CPU, so that a slow or idle connection holds a thread but never a
// Searcher.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "query/shards.h"

namespace nsearch::server {

struct ServeOptions {
  std::filesystem::path index_dir;
  std::string host = "127.0.0.1";  // a name or address; IPv6 without brackets
  int port = 8080;                 // 0: any free port
  ShardOptions shards;
  unsigned searchers = 0;          // 0: one per CPU
  unsigned connection_threads = 32;
};

class HttpServer {
 public:
  explicit HttpServer(ServeOptions options);
  ~HttpServer();

  // Binds the listening socket and returns the port. Throws UsageError
  // naming the address when it cannot.
  int Bind();

  // The page's address: http://HOST:PORT/ (after Bind).
  std::string Url() const;

  // Serves until Stop(). Returns false if the server failed to serve.
  bool Run();

  // Makes Run() return after the requests in progress. Thread-safe.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether `host` (as --listen gives it) is a loopback name or address.
bool IsLoopback(const std::string& host);

}  // namespace nsearch::server
