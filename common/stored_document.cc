#include "common/stored_document.h"

#include <charconv>

#include "common/utf8.h"

namespace nsearch {
namespace {

void AppendField(std::string& out, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  out.append(key);
  out += '\t';
  for (char c : value) out += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
  out += '\n';
}

// "SIZE HASH" (decimal, hex) as EncodeStoredDocument writes it; nullopt for
// anything else.
std::optional<Article::FileContent> ParseFileContent(std::string_view text) {
  Article::FileContent content;
  const char* const last = text.data() + text.size();
  const std::from_chars_result size = std::from_chars(text.data(), last, content.size);
  if (size.ec != std::errc() || size.ptr == last || *size.ptr != ' ') return std::nullopt;
  const char* const hex = size.ptr + 1;
  const std::from_chars_result hash = std::from_chars(hex, last, content.hash, 16);
  if (hash.ec != std::errc() || hash.ptr != last || hash.ptr == hex) return std::nullopt;
  return content;
}

}  // namespace

std::string EncodeStoredDocument(const Article& article, bool body_in_file) {
  const bool preview = article.preview || (body_in_file && article.body.size() > kPreviewBytes);
  std::string out;
  out.reserve((preview ? kPreviewBytes : article.body.size()) + 256);
  AppendField(out, "id", article.id);
  if (article.path != article.id) AppendField(out, "path", article.path);
  AppendField(out, "title", article.title);
  AppendField(out, "date", article.date);
  AppendField(out, "source", article.source);
  AppendField(out, "author", article.author);
  AppendField(out, "url", article.url);
  AppendField(out, "language", article.language);
  if (preview) AppendField(out, "preview", "1");
  if (preview && article.file_content) {
    char digits[48];
    char* end = std::to_chars(digits, digits + 20, article.file_content->size).ptr;
    *end++ = ' ';
    end = std::to_chars(end, digits + sizeof digits, article.file_content->hash, 16).ptr;
    AppendField(out, "file", std::string_view(digits, static_cast<std::size_t>(end - digits)));
  }
  for (const auto& [name, value] : article.extra_fields) AppendField(out, "x-" + name, value);
  out += '\n';
  out += preview ? TruncateUtf8(article.body, kPreviewBytes) : article.body;
  return out;
}

Article DecodeStoredDocument(std::string_view data, bool with_body) {
  Article a;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const std::size_t eol = data.find('\n', pos);
    const std::string_view line = data.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    pos = eol == std::string_view::npos ? data.size() : eol + 1;
    if (line.empty()) break;  // end of the fields
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    const std::string_view key = line.substr(0, tab);
    std::string value(line.substr(tab + 1));
    if (key == "id") a.id = std::move(value);
    else if (key == "path") a.path = std::move(value);
    else if (key == "title") a.title = std::move(value);
    else if (key == "date") a.date = std::move(value);
    else if (key == "source") a.source = std::move(value);
    else if (key == "author") a.author = std::move(value);
    else if (key == "url") a.url = std::move(value);
    else if (key == "language") a.language = std::move(value);
    else if (key == "preview") a.preview = value == "1";
    else if (key == "file") a.file_content = ParseFileContent(value);
    else if (key.substr(0, 2) == "x-") a.extra_fields.emplace_back(std::string(key.substr(2)), std::move(value));
  }
  if (with_body && pos < data.size()) a.body.assign(data.substr(pos));
  if (a.path.empty()) a.path = a.id;
  return a;
}

}  // namespace nsearch
