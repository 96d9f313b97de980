#include "indexer/parse_protocol.h"

#include <cstring>

namespace nsearch {
namespace {

class Writer {
 public:
  Writer() { out_.resize(8); }  // the length, set by Finish
  void Number(std::uint64_t n) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  }
  void String(std::string_view s) {
    Number(s.size());
    out_.append(s);
  }
  std::string Finish() {
    const std::uint64_t n = out_.size() - 8;
    for (int i = 0; i < 8; ++i) out_[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return std::move(out_);
  }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }
  std::uint64_t Number() {
    if (in_.size() < 8) return Fail();
    const std::uint64_t n = DecodeLength(in_);
    in_.remove_prefix(8);
    return n;
  }
  std::string String() {
    const std::uint64_t n = Number();
    if (!ok_ || n > in_.size()) return Fail(), std::string();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  // A count of items each at least `min_bytes` long: at most what is left.
  std::uint64_t Count(std::size_t min_bytes) {
    const std::uint64_t n = Number();
    if (ok_ && n > in_.size() / min_bytes) return Fail();
    return n;
  }

 private:
  std::uint64_t Fail() {
    ok_ = false;
    in_ = {};
    return 0;
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

std::uint64_t DecodeLength(std::string_view eight_bytes) {
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(eight_bytes[i]);
  return n;
}

std::string EncodeRequest(std::string_view path, std::string_view bytes, const ParseOptions& options) {
  Writer w;
  w.String(path);
  w.String(bytes);
  w.Number(options.ocr ? 1 : 0);
  w.String(options.ocr_languages);
  w.Number(options.max_member_bytes);
  return w.Finish();
}

std::optional<ParseRequest> DecodeRequest(std::string_view message) {
  Reader r(message);
  ParseRequest request;
  request.path = r.String();
  request.bytes = r.String();
  request.options.ocr = r.Number() != 0;
  request.options.ocr_languages = r.String();
  request.options.max_member_bytes = r.Number();
  if (!r.ok() || !r.done()) return std::nullopt;
  return request;
}

std::string EncodeReply(const ParsedFile& parsed) {
  Writer w;
  w.Number(parsed.articles.size());
  for (const Article& a : parsed.articles) {
    for (const std::string* field : {&a.id, &a.path, &a.title, &a.date, &a.source, &a.author, &a.url, &a.language,
                                     &a.body}) {
      w.String(*field);
    }
    w.Number(a.extra_fields.size());
    for (const auto& [name, value] : a.extra_fields) {
      w.String(name);
      w.String(value);
    }
  }
  w.Number(parsed.problems.size());
  for (const std::string& p : parsed.problems) w.String(p);
  w.String(parsed.skip_kind);
  w.String(parsed.skip_reason);
  return w.Finish();
}

std::optional<ParsedFile> DecodeReply(std::string_view message) {
  Reader r(message);
  ParsedFile parsed;
  const std::uint64_t articles = r.Count(10 * 8);
  for (std::uint64_t i = 0; i < articles && r.ok(); ++i) {
    Article a;
    for (std::string* field : {&a.id, &a.path, &a.title, &a.date, &a.source, &a.author, &a.url, &a.language,
                               &a.body}) {
      *field = r.String();
    }
    const std::uint64_t extra = r.Count(16);
    for (std::uint64_t k = 0; k < extra && r.ok(); ++k) {
      std::string name = r.String();
      a.extra_fields.emplace_back(std::move(name), r.String());
    }
    parsed.articles.push_back(std::move(a));
  }
  const std::uint64_t problems = r.Count(8);
  for (std::uint64_t i = 0; i < problems && r.ok(); ++i) parsed.problems.push_back(r.String());
  parsed.skip_kind = r.String();
  parsed.skip_reason = r.String();
  if (!r.ok() || !r.done()) return std::nullopt;
  return parsed;
}

}  // namespace nsearch
