// nsearch-serve, run as `nsearch serve`: serves the web page and the HTTP
// API (docs/http-api.md) over one index until SIGINT or SIGTERM, then exits 0.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "cli/config.h"
#include "common/error.h"
#include "common/index_location.h"
#include "server/http_server.h"

namespace {

// HOST:PORT, [IPV6]:PORT or :PORT into `options`. Throws UsageError.
void ParseListen(const std::string& listen, nsearch::server::ServeOptions& options) {
  const std::size_t colon = listen.rfind(':');
  const auto bad = [&] {
    return nsearch::UsageError("--listen wants HOST:PORT (127.0.0.1:8080, [::1]:0, localhost:8080), not '" + listen + "'");
  };
  if (colon == std::string::npos) throw bad();
  std::string host = listen.substr(0, colon);
  const std::string port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    throw bad();
  }
  options.host = host;
  options.port = std::stoi(port);
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_option, listen = "127.0.0.1:8080";
  CLI::App app(
      "nsearch serve: a web page and an HTTP JSON API over the index (docs/http-api.md), read-only,\n"
      "until SIGINT or SIGTERM. It listens on loopback unless --listen names another address.");
  app.name("nsearch serve");
  nsearch::cli::AddIndexOption(app, db_option);
  nsearch::cli::AddConfigOption(app);
  nsearch::server::ServeOptions options;
  app.add_option("--listen", listen, "Address to serve on, HOST:PORT (default 127.0.0.1:8080; port 0: any free one)")
      ->type_name("HOST:PORT");
  app.add_option("--remote-timeout", options.shards.remote_timeout_ms,
                 "Milliseconds a remote shard may take to connect, and to answer each request (default " +
                     std::to_string(nsearch::kDefaultRemoteTimeoutMs) + ")")
      ->type_name("MS")
      ->check(CLI::Range(1u, 3600000u));
  if (const auto status = nsearch::cli::Parse(app, argc, argv)) return *status;

  return nsearch::cli::RunReportingErrors("nsearch", [&] {
    const nsearch::Config config = nsearch::cli::LoadConfig(app);
    options.index_dir = nsearch::ResolveIndexDir(db_option, config.db);
    ParseListen(listen, options);
    // A closed connection must not kill the server (httplib sends without
    // MSG_NOSIGNAL), and SIGINT/SIGTERM go to the thread that waits for
    // them, in every thread the server starts.
    ::signal(SIGPIPE, SIG_IGN);
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    nsearch::server::HttpServer server(options);
    server.Bind();
    if (!nsearch::server::IsLoopback(options.host)) {
      std::fprintf(stderr,
                   "nsearch: warning: listening on %s: the whole archive is readable by anyone who can reach "
                   "that address\n",
                   listen.c_str());
    }
    std::printf("nsearch: serving %s\n", server.Url().c_str());
    std::fflush(stdout);
    std::thread stopper([&] {
      int signal = 0;
      sigwait(&stop_signals, &signal);
      server.Stop();
    });
    const bool served = server.Run();
    if (!served) {
      std::fprintf(stderr, "nsearch: the server stopped on an error\n");
      std::fflush(stderr);
      std::_Exit(2);  // the stopper still waits for a signal
    }
    stopper.join();
    return 0;
  });
}
