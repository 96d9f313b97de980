#include "indexer/warc_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <optional>
#include <climits>
#include <cstdint>

#include "common/dates.h"
#include "common/text_article.h"
#include "common/utf8.h"
#include "indexer/html_reader.h"

namespace nsearch {
namespace {

// A page bigger than this once decoded is not a news article; the bound also
// keeps a gzip bomb inside a record from using memory without end.
constexpr std::size_t kMaxPayloadBytes = 32 << 20;
// A whole archive may expand to this many times its size, and at most 1 GiB.
constexpr std::size_t kMaxExpansion = 64;
constexpr std::size_t kMaxArchiveBytes = std::size_t{1} << 30;

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

// Inflates gzip (or zlib) data with zlib, member after member, as crawlers
// gzip each record on its own. What a cut-short or corrupt stream gave up to
// the fault is returned, with `error` saying why it stopped.
std::string Gunzip(std::string_view in, std::size_t limit, std::string& error) {
  std::string out;
  z_stream z{};
  if (inflateInit2(&z, 15 + 32) != Z_OK) {  // 32: a gzip or a zlib header
    error = "zlib could not start";
    return out;
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), UINT32_MAX));
  char buffer[64 << 10];
  while (true) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    const int status = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
    if (out.size() > limit) {
      error = "expands to more than " + std::to_string(limit >> 20) + " MB";
      break;
    }
    if (status == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      inflateReset(&z);  // the next member
      continue;
    }
    if (status == Z_BUF_ERROR && z.avail_in == 0) {
      error = "gzip data cut short";
      break;
    }
    if (status != Z_OK) {
      error = OneLine(z.msg != nullptr ? z.msg : "corrupt gzip data");
      break;
    }
  }
  inflateEnd(&z);
  return out;
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

// The article of one response record, or nullopt when it holds none.
std::optional<Article> RecordArticle(std::string_view payload, const std::string& id, const std::string& url,
                                     const std::string& date, const std::string& path) {
  std::optional<HttpResponse> http = SplitHttp(payload);
  if (!http || http->status < 200 || http->status > 299) return std::nullopt;
  const bool html = http->content_type == "text/html" || http->content_type == "application/xhtml+xml";
  if (!html && http->content_type != "text/plain") return std::nullopt;
  std::string body(http->body);
  if (http->transfer_encoding.find("chunked") != std::string::npos) body = Dechunk(body);
  if (http->content_encoding == "gzip" || http->content_encoding == "x-gzip" || http->content_encoding == "deflate") {
    std::string error;
    body = Gunzip(body, kMaxPayloadBytes, error);
    if (!error.empty()) return std::nullopt;
  } else if (!http->content_encoding.empty() && http->content_encoding != "identity") {
    return std::nullopt;  // br, zstd: not decoded
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

// One WARC record: the named fields of its header and its block.
struct WarcRecord {
  std::string type, uri, date, record_id;
  std::string_view block;
};

// The header field `name` (case-insensitive) of a record header, trimmed.
std::string Field(std::string_view header, std::string_view name) {
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find('\n', start);
    if (end == std::string_view::npos) end = header.size();
    const std::string_view line = header.substr(start, end - start);
    if (const std::size_t colon = line.find(':'); colon != std::string_view::npos &&
                                                  Lower(Trim(line.substr(0, colon))) == Lower(name)) {
      return std::string(Trim(line.substr(colon + 1)));
    }
    start = end + 1;
  }
  return {};
}

std::string WithoutAngles(std::string s) {
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  return s;
}

// Reads the record at `at` of a WARC stream (ISO 28500: "WARC/1.x", named
// fields, a blank line, Content-Length bytes of block, CRLF CRLF) and moves
// `at` past it. Sets `error` when there is no whole record there.
std::optional<WarcRecord> NextRecord(std::string_view warc, std::size_t& at, std::string& error) {
  while (at < warc.size() && (warc[at] == '\r' || warc[at] == '\n')) ++at;  // lenient about the separator
  if (at >= warc.size()) return std::nullopt;
  if (warc.substr(at, 5) != "WARC/") {
    error = "not a WARC record (no \"WARC/\" version line)";
    return std::nullopt;
  }
  std::size_t header_end = warc.find("\r\n\r\n", at);
  std::size_t block_start = header_end + 4;
  if (header_end == std::string_view::npos) {
    error = "record header cut short";
    return std::nullopt;
  }
  const std::string_view header = warc.substr(at, header_end - at);
  const std::string length_text = Field(header, "Content-Length");
  // Digits only, all of them: strtoull would take a sign, spaces, and stop
  // at a NUL byte with the rest of the field unread.
  unsigned long long length = 0;
  const char* const first = length_text.data();
  const char* const last = first + length_text.size();
  const auto [end, ec] = std::from_chars(first, last, length);
  if (length_text.empty() || ec != std::errc() || end != last) {
    error = "record without a valid Content-Length";
    return std::nullopt;
  }
  if (length > warc.size() - block_start) {
    error = "record cut short (" + std::to_string(warc.size() - block_start) + " of " + std::to_string(length) +
            " bytes)";
    return std::nullopt;
  }
  WarcRecord r;
  r.type = Lower(Field(header, "WARC-Type"));
  r.uri = WithoutAngles(Field(header, "WARC-Target-URI"));  // WARC 1.0 writers (wget) put it in <>
  r.date = Field(header, "WARC-Date");
  r.record_id = WithoutAngles(Field(header, "WARC-Record-ID"));
  r.block = warc.substr(block_start, length);
  at = block_start + length;
  return r;
}

}  // namespace

ParsedFile ParseWarc(std::string_view bytes, const std::string& path) {
  ParsedFile out;
  std::string gzip_error, inflated;
  std::string_view warc = bytes;
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b) {
    inflated = Gunzip(bytes, std::min(kMaxArchiveBytes, std::max<std::size_t>(bytes.size(), 1 << 20) * kMaxExpansion),
                      gzip_error);
    warc = inflated;
  }
  std::size_t at = 0;
  std::size_t record = 0;
  while (true) {
    std::string error;
    std::optional<WarcRecord> r = NextRecord(warc, at, error);
    if (!r) {
      if (!error.empty() || !gzip_error.empty()) {
        const std::string why = gzip_error.empty() ? error : (error.empty() ? gzip_error : error + ": " + gzip_error);
        out.problems.push_back("#" + std::to_string(record + 1) + ": " + why);
      }
      break;
    }
    ++record;
    if (r->type != "response") continue;
    const std::string url = OneLine(r->uri);
    std::string id = OneLine(r->record_id);
    if (id.empty()) id = url;
    if (id.empty()) id = path + "#" + std::to_string(record);
    const std::optional<std::string> date = NormaliseDate(r->date);
    std::optional<Article> article = RecordArticle(r->block, id, url, date.value_or(""), path);
    if (article) out.articles.push_back(std::move(*article));
  }
  return out;
}

}  // namespace nsearch
