#include "indexer/warc_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <unordered_map>

#include "common/dates.h"
#include "common/text_article.h"
#include "common/utf8.h"
#include "indexer/html_reader.h"

namespace nsearch {
namespace {

// A page bigger than this once decoded is not a news article; the bound also
// keeps a gzip bomb inside a record from using memory without end.
constexpr std::size_t kMaxPayloadBytes = 32 << 20;

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A library's message or a URL as one line of UTF-8, for a problem report.
std::string OneLine(std::string_view s) {
  std::string out = SanitiseUtf8(s);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Reads the current entry's data, at most `limit` bytes. nullopt, with
// `error` set, when libarchive fails (a truncated record).
std::optional<std::string> ReadData(archive* a, std::size_t limit, std::string& error) {
  std::string out;
  char buffer[64 << 10];
  while (true) {
    const la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
    if (n == 0) return out;
    if (n < 0) {
      error = OneLine(archive_error_string(a) ? archive_error_string(a) : "read error");
      return std::nullopt;
    }
    if (out.size() + static_cast<std::size_t>(n) > limit) {
      error = "payload larger than " + std::to_string(limit >> 20) + " MB";
      return std::nullopt;
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

// An HTTP response as recorded: status, the headers we need, the body.
struct HttpResponse {
  int status = 0;
  std::string content_type;  // lower case, without parameters
  std::string transfer_encoding;
  std::string content_encoding;
  std::string_view body;
};

std::optional<HttpResponse> SplitHttp(std::string_view payload) {
  if (payload.rfind("HTTP/", 0) != 0) return std::nullopt;
  std::size_t end = payload.find("\r\n\r\n");
  std::size_t body = end + 4;
  if (end == std::string_view::npos) {
    end = payload.find("\n\n");
    if (end == std::string_view::npos) return std::nullopt;
    body = end + 2;
  }
  HttpResponse r;
  r.body = payload.substr(body);
  std::string_view head = payload.substr(0, end);
  std::size_t line_end = head.find('\n');
  const std::string_view status_line = head.substr(0, line_end);
  if (const std::size_t sp = status_line.find(' '); sp != std::string_view::npos) {
    r.status = std::atoi(std::string(status_line.substr(sp + 1, 3)).c_str());
  }
  while (line_end != std::string_view::npos) {
    const std::size_t start = line_end + 1;
    line_end = head.find('\n', start);
    const std::string_view line = head.substr(start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string name = Lower(Trim(line.substr(0, colon)));
    const std::string value = Lower(Trim(line.substr(colon + 1)));
    if (name == "content-type") r.content_type = std::string(Trim(value.substr(0, value.find(';'))));
    if (name == "transfer-encoding") r.transfer_encoding = value;
    if (name == "content-encoding") r.content_encoding = value;
  }
  return r;
}

// Undoes "Transfer-Encoding: chunked"; what a cut-off body has is kept.
std::string Dechunk(std::string_view s) {
  std::string out;
  while (!s.empty()) {
    const std::size_t eol = s.find('\n');
    if (eol == std::string_view::npos) break;
    const std::size_t size = std::strtoul(std::string(s.substr(0, eol)).c_str(), nullptr, 16);
    s.remove_prefix(eol + 1);
    if (size == 0) break;
    out.append(s.substr(0, std::min(size, s.size())));
    s.remove_prefix(std::min(size, s.size()));
    if (s.rfind("\r\n", 0) == 0) s.remove_prefix(2);
    else if (s.rfind("\n", 0) == 0) s.remove_prefix(1);
  }
  return out;
}

// A gzip- or deflate-encoded body decoded by libarchive's raw format and
// gzip filter; nullopt when it cannot be.
std::optional<std::string> Gunzip(std::string_view body) {
  ArchivePtr a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_raw(a.get());
  archive_entry* entry = nullptr;
  if (archive_read_open_memory(a.get(), body.data(), body.size()) != ARCHIVE_OK ||
      archive_read_next_header(a.get(), &entry) != ARCHIVE_OK) {
    return std::nullopt;
  }
  std::string error;
  return ReadData(a.get(), kMaxPayloadBytes, error);
}

// The article of one response record, or nullopt when it holds none.
std::optional<Article> RecordArticle(std::string_view payload, const std::string& id, const std::string& url,
                                     const std::string& date, const std::string& path) {
  std::optional<HttpResponse> http = SplitHttp(payload);
  if (!http || http->status < 200 || http->status > 299) return std::nullopt;
  const bool html = http->content_type == "text/html" || http->content_type == "application/xhtml+xml";
  if (!html && http->content_type != "text/plain") return std::nullopt;
  std::string body(http->body);
  if (http->transfer_encoding.find("chunked") != std::string::npos) body = Dechunk(body);
  if (http->content_encoding == "gzip" || http->content_encoding == "x-gzip") {
    std::optional<std::string> plain = Gunzip(body);
    if (!plain) return std::nullopt;
    body = std::move(*plain);
  } else if (!http->content_encoding.empty() && http->content_encoding != "identity") {
    return std::nullopt;  // br, deflate, zstd: not decoded
  }
  Article a = html ? ParseHtmlArticle(body, id, path) : ParseTextArticle(body, id, path);
  if (a.title.empty() && a.body.empty()) return std::nullopt;
  if (!url.empty()) a.url = url;
  if (!date.empty()) {
    if (!a.date.empty() && a.date != date) a.extra_fields.emplace_back("Published", a.date);
    a.date = date;
  }
  return a;
}

}  // namespace

ParsedFile ParseWarc(std::string_view bytes, const std::string& path) {
  ParsedFile out;
  ArchivePtr a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_warc(a.get());
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    out.problems.push_back("#1: not a WARC file (" + OneLine(archive_error_string(a.get()) ?: "unreadable") + ")");
    return out;
  }
  std::unordered_map<std::string, std::size_t> by_id;  // id -> index in out.articles
  for (std::size_t record = 1;; ++record) {
    archive_entry* entry = nullptr;
    const int status = archive_read_next_header(a.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
      const char* why = archive_error_string(a.get());
      out.problems.push_back("#" + std::to_string(record) + ": " +
                             (record == 1 ? "not a WARC file or cut short: " : "archive cut short or corrupt: ") +
                             OneLine(why ? why : "read error"));
      break;
    }
    const char* uri = archive_entry_pathname(entry);
    std::string url = uri != nullptr ? SanitiseUtf8(uri) : "";
    if (url.size() >= 2 && url.front() == '<' && url.back() == '>') url = url.substr(1, url.size() - 2);  // WARC 1.0 as wget writes it
    // libarchive gives WARC-Date as the entry's ctime (mtime is Last-Modified).
    const std::time_t when = archive_entry_ctime_is_set(entry) ? archive_entry_ctime(entry) : archive_entry_mtime(entry);
    const std::string date = when > 0 ? UtcTimestamp(when) : std::string();
    std::string error;
    std::optional<std::string> payload = ReadData(a.get(), kMaxPayloadBytes, error);
    if (!payload) {
      out.problems.push_back("#" + std::to_string(record) + ": " + (url.empty() ? "" : OneLine(url) + ": ") + error);
      if (archive_errno(a.get()) != 0 || error.find("larger") == std::string::npos) break;
      continue;
    }
    const std::string id = url.empty() ? path + "#" + std::to_string(record) : url;
    std::optional<Article> article = RecordArticle(*payload, id, url, date, path);
    if (!article) continue;
    if (auto [it, fresh] = by_id.emplace(id, out.articles.size()); !fresh) {
      out.articles[it->second] = std::move(*article);  // the later capture of the same URL
    } else {
      out.articles.push_back(std::move(*article));
    }
  }
  return out;
}

}  // namespace nsearch
