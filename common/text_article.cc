#include "common/text_article.h"

#include <algorithm>
#include <cctype>

#include "common/dates.h"
#include "common/utf8.h"

namespace nsearch {
namespace {

constexpr std::size_t kMaxFieldNameLength = 40;
constexpr std::size_t kMaxFallbackTitleBytes = 200;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "Name: value" with a name of letters, digits, '-' and '_' starting with a letter.
bool SplitFieldLine(std::string_view line, std::string_view& name, std::string_view& value) {
  const std::size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon > kMaxFieldNameLength) return false;
  if (!std::isalpha(static_cast<unsigned char>(line[0]))) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (!std::isalnum(c) && c != '-' && c != '_') return false;
  }
  name = line.substr(0, colon);
  value = Trim(line.substr(colon + 1));
  return true;
}

bool IsKnownField(const std::string& lower_name) {
  return lower_name == "title" || lower_name == "date" || lower_name == "source" ||
         lower_name == "author" || lower_name == "url" || lower_name == "language" ||
         lower_name == "lang" || lower_name == "id";
}

// Reads the header block at the start of `text` into `a`. Returns the offset
// of the body, or 0 when `text` has no header block: every line before the
// first blank line must be a field, and at least one must be a known field.
std::size_t ParseHeaderBlock(std::string_view text, Article& a) {
  Article parsed;
  bool known = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t eol = text.find('\n', pos);
    const std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(pos, next - pos);
    if (Trim(line).empty()) {
      if (!known) return 0;
      const std::string keep_id = a.id, keep_path = a.path;
      a = std::move(parsed);
      if (a.id.empty()) a.id = keep_id;
      a.path = keep_path;
      return next;
    }
    std::string_view name, value;
    if (!SplitFieldLine(Trim(line), name, value)) return 0;
    const std::string key = Lower(name);
    known = known || IsKnownField(key);
    if (key == "title") parsed.title = value;
    else if (key == "date") parsed.date = NormaliseDate(value).value_or("");
    else if (key == "source") parsed.source = value;
    else if (key == "author") parsed.author = value;
    else if (key == "url") parsed.url = value;
    else if (key == "language" || key == "lang") parsed.language = value;
    else if (key == "id") parsed.extra_fields.emplace_back("Id", std::string(value));
    else parsed.extra_fields.emplace_back(std::string(name), std::string(value));
    pos = next;
  }
  return 0;  // only field lines and no blank line: a one-paragraph article, not a header
}

}  // namespace

std::string TitleFromBody(std::string_view body) {
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t eol = body.find('\n', pos);
    const std::string_view line = Trim(body.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos));
    if (!line.empty()) return TruncateUtf8(line, kMaxFallbackTitleBytes);
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return {};
}

Article ParseTextArticle(std::string_view bytes, const std::string& id, const std::string& path) {
  std::string text = DecodeText(bytes);
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  // find is memchr: most files have no '\r', and each search parses the
  // files of its hits again for their snippets.
  if (text.find('\r') != std::string::npos) text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());

  Article a;
  a.id = id;
  a.path = path;
  const std::size_t body_start = ParseHeaderBlock(text, a);
  // The body is the text's trimmed tail: moved, not copied.
  const std::string_view body = Trim(std::string_view(text).substr(body_start));
  const auto begin = static_cast<std::size_t>(body.data() - text.data());
  text.erase(begin + body.size());
  text.erase(0, begin);
  a.body = std::move(text);
  if (a.title.empty()) a.title = TitleFromBody(a.body);
  return a;
}

}  // namespace nsearch
