#include "server/http_server.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <functional>
#include <thread>
#include <utility>

#include <httplib.h>

#include "common/error.h"
#include "query/index_info.h"
#include "query/printer/info_printer.h"
#include "query/printer/json_printer.h"
#include "server/api_params.h"
#include "server/article_json.h"
#include "server/saved_json.h"
#include "server/searcher_pool.h"
#include "server/web_assets.h"

namespace nsearch::server {
namespace {

// The page may load only its own files, run no inline script or style, be
// framed by no other page and send forms nowhere else (docs/http-api.md).
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// A client that sends nothing for this long, while a request is due or on an
// idle keep-alive connection, is disconnected, and so is one that does not
// take an answer; a connection serves this many requests at most.
constexpr time_t kReadTimeoutSeconds = 5;
constexpr time_t kWriteTimeoutSeconds = 5;
constexpr time_t kKeepAliveSeconds = 5;
constexpr std::size_t kKeepAliveRequests = 100;
constexpr std::size_t kMaxErrorBytes = 1000;

const char* ContentType(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "json") return "application/json";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// HOST:PORT as a URL or a Host header writes it.
std::string Authority(const std::string& host, int port) {
  const std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return name + ":" + std::to_string(port);
}

void SendError(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(ErrorJson(message.size() > kMaxErrorBytes ? message.substr(0, kMaxErrorBytes) + "..." : message),
                  "application/json");
}

// Runs `make` for the body of a JSON answer, turning each kind of error into
// its status (docs/http-api.md).
void AnswerJson(httplib::Response& res, const std::function<std::string()>& make) {
  try {
    res.set_content(make(), "application/json");
    res.status = 200;
  } catch (const ParamError& e) {
    SendError(res, 400, e.what());
  } catch (const QueryError& e) {
    SendError(res, 400, e.what());
  } catch (const UsageError& e) {
    SendError(res, 400, e.what());
  } catch (const NotFoundError& e) {
    SendError(res, 404, e.what());
  } catch (const IndexError& e) {
    SendError(res, 503, e.what());
  }
}

}  // namespace

bool IsLoopback(const std::string& host) {
  return Lower(host) == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

struct HttpServer::Impl {
  explicit Impl(ServeOptions o)
      : options(std::move(o)),
        pool(options.index_dir, options.shards,
             options.searchers > 0 ? options.searchers : std::max(1u, std::thread::hardware_concurrency())) {}

  void Route();
  // Refuses what no endpoint serves: other methods, a body, another Host.
  httplib::Server::HandlerResponse Admit(const httplib::Request& req, httplib::Response& res) const;
  bool HostAllowed(const httplib::Request& req) const;

  ServeOptions options;
  SearcherPool pool;
  httplib::Server http;
  int port = 0;
};

bool HttpServer::Impl::HostAllowed(const httplib::Request& req) const {
  if (!req.has_header("Host")) return false;
  const std::string host = Lower(req.get_header_value("Host"));
  // A browser leaves out the default port.
  const auto allowed = [&](const std::string& name) {
    const std::string authority = Lower(Authority(name, port));
    return host == authority || (port == 80 && host == authority.substr(0, authority.rfind(':')));
  };
  return allowed(options.host) || allowed("localhost");
}

httplib::Server::HandlerResponse HttpServer::Impl::Admit(const httplib::Request& req, httplib::Response& res) const {
  if (req.method != "GET" && req.method != "HEAD") {
    SendError(res, 405, "only GET and HEAD requests are served");
    res.set_header("Allow", "GET, HEAD");
    return httplib::Server::HandlerResponse::Handled;
  }
  // httplib leaves a GET's body unread, to be taken for the next request.
  const bool body = req.has_header("Transfer-Encoding") ||
                    (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
  if (body) {
    SendError(res, 413, "requests have no body here");
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  }
  if (!HostAllowed(req)) {
    SendError(res, 403, "this server answers requests for " + Authority(options.host, port) + " or " +
                            Authority("localhost", port) + " only");
    return httplib::Server::HandlerResponse::Handled;
  }
  return httplib::Server::HandlerResponse::Unhandled;
}

void HttpServer::Impl::Route() {
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) { return Admit(req, res); });
  // httplib's own errors (an unknown path, a request line or body too
  // large) get a JSON body too; an answer that has one keeps it.
  http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const char* what = res.status == 404   ? "no such page"
                       : res.status == 413 ? "requests have no body here"
                       : res.status == 414 ? "the request line is too long"
                                           : "bad request";
    SendError(res, res.status, what);
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
    std::string what = "unknown error";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    SendError(res, 500, "internal error: " + what);
  });

  http.Get("/api/search", [this](const httplib::Request& req, httplib::Response& res) {
    AnswerJson(res, [&] {
      const SearchRequest request = SearchRequestFrom(req.params);
      return SearchJson(pool.Acquire()->Search(request));
    });
  });
  http.Get("/api/copies", [this](const httplib::Request& req, httplib::Response& res) {
    AnswerJson(res, [&] {
      const SearchRequest request = CopiesRequestFrom(req.params);
      return SearchJson(pool.Acquire()->Search(request));
    });
  });
  http.Get("/api/article", [this](const httplib::Request& req, httplib::Response& res) {
    AnswerJson(res, [&] {
      const SearchRequest request = ArticleRequestFrom(req.params);
      const SearchResult result = pool.Acquire()->Search(request);
      if (result.hits.empty()) throw NotFoundError("no article has the id '" + request.article + "' in this index");
      return ArticleJson(result.hits.front());
    });
  });
  http.Get("/api/info", [this](const httplib::Request& req, httplib::Response& res) {
    AnswerJson(res, [&] {
      ExpectNoParams(req.params);
      return InfoJson(ReadIndexInfo(options.index_dir, options.shards.remote_timeout_ms));
    });
  });
  http.Get("/api/saved", [this](const httplib::Request& req, httplib::Response& res) {
    AnswerJson(res, [&] {
      ExpectNoParams(req.params);
      return SavedJson(options.index_dir, pool);
    });
  });
  http.Get("/.*", [](const httplib::Request& req, httplib::Response& res) {
    const std::string path = req.path == "/" ? "/index.html" : req.path;
    const std::vector<WebAsset>& assets = WebAssets();
    const auto asset = std::find_if(assets.begin(), assets.end(), [&](const WebAsset& a) { return a.path == path; });
    if (asset == assets.end()) return SendError(res, 404, "no such page");
    res.set_content(asset->bytes.data(), asset->bytes.size(), ContentType(path));
  });
}

HttpServer::HttpServer(ServeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  httplib::Server& http = impl_->http;
  const unsigned threads = impl_->options.connection_threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_read_timeout(kReadTimeoutSeconds);
  http.set_write_timeout(kWriteTimeoutSeconds);
  http.set_keep_alive_timeout(kKeepAliveSeconds);
  http.set_keep_alive_max_count(kKeepAliveRequests);
  http.set_payload_max_length(0);
  http.set_tcp_nodelay(true);  // small answers on kept-alive connections: no wait for a delayed ACK
  http.set_default_headers({{"Cache-Control", "no-cache"},
                            {"Content-Security-Policy", kContentSecurityPolicy},
                            {"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "no-referrer"}});
  impl_->Route();
}

HttpServer::~HttpServer() = default;

int HttpServer::Bind() {
  const ServeOptions& o = impl_->options;
  const int port = o.port == 0 ? impl_->http.bind_to_any_port(o.host)
                               : (impl_->http.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port <= 0) throw UsageError("cannot listen on " + Authority(o.host, o.port) + ": " + std::strerror(errno));
  impl_->port = port;
  return port;
}

std::string HttpServer::Url() const { return "http://" + Authority(impl_->options.host, impl_->port) + "/"; }

bool HttpServer::Run() { return impl_->http.listen_after_bind(); }

void HttpServer::Stop() { impl_->http.stop(); }

}  // namespace nsearch::server
