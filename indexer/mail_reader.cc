#include "indexer/mail_reader.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#include "common/dates.h"
#include "common/utf8.h"
#include "indexer/document_reader.h"
#include "indexer/html_reader.h"

namespace nsearch {
namespace {

struct GObjectUnref {
  void operator()(void* p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A part's content with its transfer encoding (base64, quoted-printable) undone.
std::string DecodedContent(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, mem.get());
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

// A text part's content as UTF-8, from the charset it declares, else detected.
std::string PartText(GMimePart* part) {
  const std::string bytes = DecodedContent(part);
  const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  const std::string name = charset != nullptr ? Lower(charset) : std::string();
  if (name.empty() || name == "utf-8" || name == "utf8" || name == "us-ascii") return DecodeText(bytes);
  return DecodeTextAs(bytes, name);
}

// The names of the senders, ", "-joined; an address where there is no name.
std::string Senders(GMimeMessage* message) {
  InternetAddressList* from = g_mime_message_get_from(message);
  std::string out;
  for (int i = 0; from != nullptr && i < internet_address_list_length(from); ++i) {
    InternetAddress* address = internet_address_list_get_address(from, i);
    std::string name = Trim(internet_address_get_name(address) ? internet_address_get_name(address) : "");
    if (name.empty() && INTERNET_ADDRESS_IS_MAILBOX(address)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
      name = Trim(addr ? addr : "");
    }
    if (!name.empty()) out += (out.empty() ? "" : ", ") + name;
  }
  return SanitiseUtf8(out);
}

// "The Morning Briefing <briefing.example.com>" -> "The Morning Briefing".
std::string ListName(GMimeMessage* message) {
  const char* list_id = g_mime_object_get_header(GMIME_OBJECT(message), "List-Id");
  if (list_id == nullptr) return {};
  std::string_view s(list_id);
  if (const std::size_t lt = s.find('<'); lt != std::string_view::npos && lt > 0) s = s.substr(0, lt);
  return SanitiseUtf8(Trim(s));
}

// What a message's parts give: its text, and the attached files read as articles.
struct MessageParts {
  std::string plain;
  std::string html;
  bool has_plain = false;
  bool has_html = false;
  std::vector<std::pair<std::string, std::string>> attachments;  // (file name, bytes)
};

void VisitPart(GMimeObject*, GMimeObject* object, gpointer data) {
  auto& parts = *static_cast<MessageParts*>(data);
  if (!GMIME_IS_PART(object)) return;
  GMimePart* part = GMIME_PART(object);
  GMimeContentType* type = g_mime_object_get_content_type(object);
  const char* filename = g_mime_part_get_filename(part);
  if (g_mime_part_is_attachment(part) || (filename != nullptr && *filename != '\0')) {
    if (filename == nullptr || *filename == '\0') return;
    std::string name = SanitiseUtf8(filename);
    std::replace(name.begin(), name.end(), '\n', ' ');
    if (const std::size_t slash = name.find_last_of("/\\"); slash != std::string::npos) name.erase(0, slash + 1);
    const ArticleFormat format = FormatOf(name);
    // Mail and archives are not read inside a message: a bounded, flat reading.
    if (format == ArticleFormat::kOther || format == ArticleFormat::kMbox || format == ArticleFormat::kEml ||
        format == ArticleFormat::kWarc) {
      return;
    }
    parts.attachments.emplace_back(std::move(name), DecodedContent(part));
    return;
  }
  if (type == nullptr) return;
  if (!parts.has_plain && g_mime_content_type_is_type(type, "text", "plain")) {
    parts.plain = PartText(part);
    parts.has_plain = true;
  } else if (!parts.has_html && g_mime_content_type_is_type(type, "text", "html")) {
    parts.html = PartText(part);
    parts.has_html = true;
  }
}

// Trims each line's end and drops blank runs at the ends, as the text reader does.
std::string TidyBody(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    out.append(line);
    out += '\n';
    start = end + 1;
  }
  const std::size_t first = out.find_first_not_of("\n");
  if (first == std::string::npos) return {};
  out.erase(0, first);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// The articles of one message: the message itself, then its attachments.
// `fallback_id` is the id when it has no (or a repeated) Message-ID.
void AddMessage(GMimeMessage* message, const std::string& path, const std::string& fallback_id,
                std::set<std::string>& ids, ParsedFile& out) {
  Article a;
  const char* message_id = g_mime_message_get_message_id(message);
  a.id = message_id != nullptr ? SanitiseUtf8(Trim(message_id)) : std::string();
  if (a.id.empty() || !ids.insert(a.id).second) a.id = fallback_id;
  a.path = path;
  a.title = SanitiseUtf8(Trim(g_mime_message_get_subject(message) ? g_mime_message_get_subject(message) : ""));
  if (const char* date = g_mime_object_get_header(GMIME_OBJECT(message), "Date")) {
    a.date = NormaliseDate(date).value_or("");
  }
  a.author = Senders(message);
  a.source = ListName(message);

  MessageParts parts;
  g_mime_message_foreach(message, VisitPart, &parts);
  if (parts.has_plain) {
    a.body = TidyBody(parts.plain);
  } else if (parts.has_html) {
    Article page = ParseHtmlArticle(parts.html, a.id, path);
    a.body = std::move(page.body);
    if (a.language.empty()) a.language = page.language;
  }
  if (a.title.empty()) a.title = TitleFromBody(a.body);
  const std::string message_key = a.id;
  if (!a.title.empty() || !a.body.empty()) out.articles.push_back(std::move(a));

  for (auto& [name, bytes] : parts.attachments) {
    const std::string attachment_id = message_key + "#" + name;
    if (LooksBinary(bytes)) continue;  // a "notes.txt" that is not text
    // Read here, in the parse worker: the attachment's own format's reader.
    ParsedFile inner = ParseDocument(bytes, attachment_id, ParseOptions{});
    for (Article& article : inner.articles) {
      article.path = path;
      if (!ids.insert(article.id).second) continue;  // the same file attached twice
      out.articles.push_back(std::move(article));
    }
    for (const std::string& problem : inner.problems) out.problems.push_back("#" + attachment_id + ": " + problem);
  }
}

// Counts lines up to byte offsets asked for in increasing order.
class LineCounter {
 public:
  explicit LineCounter(std::string_view bytes) : bytes_(bytes) {}
  std::size_t LineAt(std::size_t offset) {
    offset = std::min(offset, bytes_.size());
    if (offset < at_) {
      at_ = 0;
      line_ = 1;
    }
    line_ += static_cast<std::size_t>(std::count(bytes_.begin() + at_, bytes_.begin() + offset, '\n'));
    at_ = offset;
    return line_;
  }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

ParsedFile ParseMbox(std::string_view bytes, const std::string& path) {
  InitGMime();
  ParsedFile out;
  if (bytes.rfind("From ", 0) != 0 && bytes.find("\nFrom ") == std::string_view::npos) {
    out.problems.push_back(":1: no \"From \" line: not an mbox mailbox");
    return out;
  }
  std::set<std::string> ids;
  LineCounter lines(bytes);
  GPtr<GMimeStream> whole(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  std::size_t n = 0;  // messages seen, good or bad
  // GMime stops at a message it cannot read; reading goes on from the next
  // From line in a parser of its own.
  for (gint64 base = 0; base >= 0 && static_cast<std::size_t>(base) < bytes.size();) {
    GPtr<GMimeStream> rest(g_mime_stream_substream(whole.get(), base, static_cast<gint64>(bytes.size())));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(rest.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MBOX);
    gint64 next = -1;
    while (!g_mime_parser_eos(parser.get())) {
      GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
      const gint64 at = base + std::max<gint64>(0, g_mime_parser_get_mbox_marker_offset(parser.get()));
      ++n;
      if (!message) {
        out.problems.push_back(":" + std::to_string(lines.LineAt(static_cast<std::size_t>(at))) +
                               ": no mail message after this From line (no header)");
        const std::size_t from = bytes.find("\nFrom ", static_cast<std::size_t>(at) + 1);
        next = from == std::string_view::npos ? -1 : static_cast<gint64>(from + 1);
        break;
      }
      AddMessage(message.get(), path, path + "#" + std::to_string(n), ids, out);
    }
    base = next;
  }
  return out;
}

ParsedFile ParseEml(std::string_view bytes, const std::string& path) {
  InitGMime();
  ParsedFile out;
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!message || g_mime_header_list_get_count(g_mime_object_get_header_list(GMIME_OBJECT(message.get()))) == 0) {
    out.problems.push_back(":1: not a mail message (no header)");
    return out;
  }
  std::set<std::string> ids;
  AddMessage(message.get(), path, path, ids, out);
  return out;
}

}  // namespace nsearch
