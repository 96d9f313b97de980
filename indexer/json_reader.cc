#include "indexer/json_reader.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/dates.h"
#include "common/utf8.h"
#include "indexer/article_reader.h"

namespace nsearch {
namespace {

// ordered_json keeps an object's keys in file order: extra fields stay in
// order, and of two keys for one field ("Text", "text") the first wins.
using json = nlohmann::ordered_json;

// Deeper than any article needs. nlohmann's parser is not recursive, but
// its DOM parser would build whatever depth it is given.
constexpr std::size_t kMaxDepth = 64;
constexpr std::size_t kMaxMessageBytes = 160;

// Builds the DOM of one JSON value from nlohmann's SAX events, as
// json::parse does, but stops at the first level deeper than kMaxDepth, so a
// hostile input never becomes a deep tree. One pass: the lexer is the cost.
class BoundedDomBuilder final : public nlohmann::json_sax<json> {
 public:
  explicit BoundedDomBuilder(json& root) : root_(root) {}

  bool null() override { return Add(nullptr); }
  bool boolean(bool b) override { return Add(b); }
  bool number_integer(number_integer_t n) override { return Add(n); }
  bool number_unsigned(number_unsigned_t n) override { return Add(n); }
  bool number_float(number_float_t n, const string_t&) override { return Add(n); }
  bool string(string_t& s) override { return Add(std::move(s)); }
  bool binary(binary_t& b) override { return Add(json::binary(std::move(b))); }
  bool start_object(std::size_t) override { return Open(json::object()); }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const json::exception& e) override {
    message_ = e.what();
    return false;
  }

  const std::string& message() const { return message_; }
  bool too_deep() const { return too_deep_; }

 private:
  // Puts `v` where the parse is: the root, the next array element, or the
  // value of the last key. A container's address stays valid while it is
  // innermost, as only the innermost container grows.
  json& Place(json&& v) {
    if (open_.empty()) return root_ = std::move(v);
    json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return parent.back();
    }
    return parent[key_] = std::move(v);
  }
  bool Add(json&& v) {
    Place(std::move(v));
    return true;
  }
  bool Open(json&& container) {
    if (open_.size() >= kMaxDepth) {
      too_deep_ = true;
      return false;
    }
    open_.push_back(&Place(std::move(container)));
    return true;
  }
  bool Close() {
    open_.pop_back();
    return true;
  }

  json& root_;
  std::vector<json*> open_;
  std::string key_;
  bool too_deep_ = false;
  std::string message_;
};

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column
// 9: syntax error while parsing value - invalid literal; last read: 'tru,';
// expected ..." shortened to "line 1, column 9: syntax error while parsing
// value - invalid literal; expected ...". The last-read token is dropped: it
// may be megabytes of the input.
std::string ShortParseMessage(std::string message, bool single_line) {
  if (const auto at = message.find("parse error at "); at != std::string::npos) {
    message.erase(0, at + 15);
  } else if (message.rfind("[json.exception.", 0) == 0) {
    message.erase(0, message.find("] ") + 2);
  }
  if (single_line && message.rfind("line 1, ", 0) == 0) message.erase(0, 8);
  if (const auto last = message.find("; last read: '"); last != std::string::npos) {
    const auto expected = message.rfind("'; expected ");
    if (expected != std::string::npos && expected > last) {
      message.erase(last, expected + 1 - last);
    } else {
      message.erase(last);
    }
  }
  return TruncateUtf8(SanitiseUtf8(message), kMaxMessageBytes);
}

// Parses `text` as one JSON value. Returns the problem when it is malformed
// or nested too deep, and leaves `value` alone then.
std::optional<std::string> ParseChecked(std::string_view text, bool single_line, json& value) {
  json parsed;
  BoundedDomBuilder builder(parsed);
  if (!json::sax_parse(text.begin(), text.end(), &builder)) {
    if (builder.too_deep()) return "nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return "malformed JSON (" + ShortParseMessage(builder.message(), single_line) + ")";
  }
  value = std::move(parsed);
  return std::nullopt;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Trimmed(std::string_view s) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return SanitiseUtf8(s);
}

// The article fields a key can fill, and its rank among the keys for the
// same field: the lowest rank present wins, e.g. body over text over content.
enum class Field { kId, kTitle, kBody, kDate, kSource, kUrl, kAuthor, kLanguage };
struct KnownKey {
  std::string_view lower_name;
  Field field;
  int rank;
};
constexpr KnownKey kKnownKeys[] = {
    {"id", Field::kId, 0},           {"title", Field::kTitle, 0},
    {"headline", Field::kTitle, 1},  {"body", Field::kBody, 0},
    {"text", Field::kBody, 1},       {"content", Field::kBody, 2},
    {"date", Field::kDate, 0},       {"source", Field::kSource, 0},
    {"url", Field::kUrl, 0},         {"link", Field::kUrl, 1},
    {"author", Field::kAuthor, 0},   {"authors", Field::kAuthor, 1},
    {"language", Field::kLanguage, 0}, {"lang", Field::kLanguage, 1},
};
constexpr std::size_t kFieldCount = 8;

const KnownKey* FindKnownKey(const std::string& lower_name) {
  for (const KnownKey& k : kKnownKeys) {
    if (k.lower_name == lower_name) return &k;
  }
  return nullptr;
}

// The text a field's value gives, or empty when the value is of no use for
// that field (a date that does not parse, a title that is a number, ...).
std::string FieldText(Field field, const json& v) {
  switch (field) {
    case Field::kId:
      if (v.is_string()) return Trimmed(v.get_ref<const std::string&>());
      if (v.is_number()) return v.dump();
      return {};
    case Field::kDate:
      if (!v.is_string()) return {};
      return NormaliseDate(v.get_ref<const std::string&>()).value_or("");
    case Field::kSource:
      // NewsAPI and others give {"id": ..., "name": "Reuters"}.
      if (v.is_object()) {
        for (const auto& [key, inner] : v.items()) {
          if (Lower(key) == "name" && inner.is_string()) return Trimmed(inner.get_ref<const std::string&>());
        }
        return {};
      }
      break;
    case Field::kAuthor:
      if (v.is_array()) {
        std::string joined;
        for (const json& name : v) {
          if (!name.is_string()) continue;
          const std::string one = Trimmed(name.get_ref<const std::string&>());
          if (one.empty()) continue;
          if (!joined.empty()) joined += ", ";
          joined += one;
        }
        return joined;
      }
      break;
    default:
      break;
  }
  return v.is_string() ? Trimmed(v.get_ref<const std::string&>()) : std::string();
}

std::string ScalarText(const json& v) {
  if (v.is_string()) return Trimmed(v.get_ref<const std::string&>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  return {};
}

// Builds the article one JSON object describes. Returns the problem instead
// when it is not an object or has neither title nor body.
std::optional<std::string> ToArticle(const json& value, const std::string& default_id,
                                     const std::string& path, Article& a) {
  if (!value.is_object()) return std::string("not a JSON object");
  std::string found[kFieldCount];
  int found_rank[kFieldCount];
  std::fill(std::begin(found_rank), std::end(found_rank), 1000);
  a = Article{};
  for (const auto& [key, v] : value.items()) {
    if (const KnownKey* known = FindKnownKey(Lower(key))) {
      const auto slot = static_cast<std::size_t>(known->field);
      if (known->rank >= found_rank[slot]) continue;
      std::string text = FieldText(known->field, v);
      if (text.empty()) continue;
      found[slot] = std::move(text);
      found_rank[slot] = known->rank;
    } else if (std::string text = ScalarText(v); !text.empty()) {
      a.extra_fields.emplace_back(SanitiseUtf8(key), std::move(text));
    }
  }
  const auto take = [&](Field f) { return std::move(found[static_cast<std::size_t>(f)]); };
  a.id = take(Field::kId);
  if (a.id.empty()) a.id = default_id;
  a.path = path;
  a.title = take(Field::kTitle);
  a.body = take(Field::kBody);
  a.date = take(Field::kDate);
  a.source = take(Field::kSource);
  a.url = take(Field::kUrl);
  a.author = take(Field::kAuthor);
  a.language = take(Field::kLanguage);
  if (a.title.empty() && a.body.empty()) return std::string("no title or body");
  if (a.title.empty()) a.title = TitleFromBody(a.body);
  return std::nullopt;
}

JsonArticles ParseLines(std::string_view bytes, const std::string& path) {
  JsonArticles out;
  std::size_t line_number = 0;
  for (std::size_t pos = 0; pos < bytes.size();) {
    const std::size_t eol = std::min(bytes.find('\n', pos), bytes.size());
    std::string_view line = bytes.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_number;
    if (std::all_of(line.begin(), line.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
      continue;
    }
    // A line in another charset is decoded by itself, so that one bad line
    // does not decide how the others are read.
    std::string decoded;
    if (!IsValidUtf8(line)) line = decoded = DecodeText(line);

    const std::string where = "line " + std::to_string(line_number) + ": ";
    json value;
    if (auto problem = ParseChecked(line, /*single_line=*/true, value)) {
      out.problems.push_back(where + *problem);
      continue;
    }
    Article a;
    if (auto problem = ToArticle(value, path + "#" + std::to_string(line_number), path, a)) {
      out.problems.push_back(where + *problem);
      continue;
    }
    out.articles.push_back(std::move(a));
  }
  return out;
}

JsonArticles ParseDocument(std::string_view bytes, const std::string& path) {
  JsonArticles out;
  std::string decoded;
  std::string_view text = bytes;  // nlohmann skips a byte order mark itself
  if (!IsValidUtf8(text)) text = decoded = DecodeText(text);

  json value;
  if (auto problem = ParseChecked(text, /*single_line=*/false, value)) {
    JsonArticles lines = ParseLines(text, path);
    if (!lines.articles.empty()) return lines;
    out.problems.push_back(*problem);
    return out;
  }
  if (value.is_object()) {
    Article a;
    if (auto problem = ToArticle(value, path, path, a)) {
      out.problems.push_back(*problem);
    } else {
      out.articles.push_back(std::move(a));
    }
    return out;
  }
  if (!value.is_array()) {
    out.problems.push_back("not a JSON object or an array of objects");
    return out;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string number = std::to_string(i + 1);
    Article a;
    if (auto problem = ToArticle(value[i], path + "#" + number, path, a)) {
      out.problems.push_back("item " + number + ": " + *problem);
    } else {
      out.articles.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace

JsonArticles ParseJsonArticles(std::string_view bytes, const std::string& path, bool json_lines) {
  return json_lines ? ParseLines(bytes, path) : ParseDocument(bytes, path);
}

}  // namespace nsearch
