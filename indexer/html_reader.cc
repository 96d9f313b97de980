#include "indexer/html_reader.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <initializer_list>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "common/dates.h"
#include "common/utf8.h"
#include "indexer/article_reader.h"
#include "indexer/news_html.h"

namespace nsearch {
namespace {

// How far into the page to look for a declared charset: browsers look at the
// first 1024 bytes; pages with long <head>s put it later.
constexpr std::size_t kCharsetScanBytes = 8192;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsOneOf(std::string_view s, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

// ---------------------------------------------------------------------------
// The page's charset.

// The charset the page declares in <meta charset=...> or <meta http-equiv
// content="...; charset=...">, lower case; empty when none.
std::string DeclaredCharset(std::string_view bytes) {
  const std::string head = Lower(bytes.substr(0, kCharsetScanBytes));
  for (std::size_t meta = head.find("<meta"); meta != std::string::npos;
       meta = head.find("<meta", meta + 5)) {
    const std::size_t end = head.find('>', meta);
    const std::string_view tag = std::string_view(head).substr(meta, end == std::string::npos ? std::string::npos : end - meta);
    std::size_t i = tag.find("charset");
    if (i == std::string_view::npos) continue;
    i += 7;
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t')) ++i;
    if (i >= tag.size() || tag[i] != '=') continue;
    ++i;
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t' || tag[i] == '"' || tag[i] == '\'')) ++i;
    std::size_t j = i;
    const auto name_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
    };
    while (j < tag.size() && name_char(tag[j])) ++j;
    if (j > i) return std::string(tag.substr(i, j - i));
  }
  return {};
}

// The page as UTF-8, converted from the charset it declares, or when it
// declares none (or declares UTF-8 and is not, or names a charset iconv does
// not know) from the one DecodeText detects. A byte order mark outranks a
// declaration, and a few declared names stand for their supersets, as in
// browsers. We convert rather than let libxml2 do it, because libxml2 stops
// at the first byte its converter rejects and drops the rest of the page.
std::string PageText(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return DecodeText(bytes.substr(3));
  if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF") return DecodeText(bytes);
  std::string declared = DeclaredCharset(bytes);
  // A <meta> that can be read as ASCII is not in UTF-16 or UTF-32.
  if (declared.rfind("utf-16", 0) == 0 || declared.rfind("utf-32", 0) == 0) declared = "utf-8";
  if (IsOneOf(declared, {"iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii"})) {
    declared = "windows-1252";
  } else if (IsOneOf(declared, {"gb2312", "x-gbk"})) {
    declared = "gbk";
  }
  const bool says_utf8 = IsOneOf(declared, {"utf-8", "utf8"});
  if (declared.empty() || says_utf8) return DecodeText(bytes);
  return DecodeTextAs(bytes, declared);
}

// ---------------------------------------------------------------------------
// The parsed tree.

std::string_view NameOf(const xmlNode* n) {
  return n->name ? std::string_view(reinterpret_cast<const char*>(n->name)) : std::string_view();
}

// The value of attribute `name` (lower case, as libxml2's HTML parser stores
// names), or nullopt when the element does not have it.
std::optional<std::string> Attr(const xmlNode* n, std::string_view name) {
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (a->name == nullptr || std::string_view(reinterpret_cast<const char*>(a->name)) != name) continue;
    std::string value;
    for (const xmlNode* c = a->children; c != nullptr; c = c->next) {
      if (c->content) value += reinterpret_cast<const char*>(c->content);
    }
    return value;
  }
  return std::nullopt;
}

std::string AttrOr(const xmlNode* n, std::string_view name) { return Attr(n, name).value_or(""); }

// Visits the tree under `root` in document order without recursion, since
// a hostile page can nest elements a hundred thousand deep. `enter(n)`
// returns whether to visit n's children; `leave(n)` follows n's subtree.
template <typename Enter, typename Leave>
void Walk(xmlNode* root, Enter enter, Leave leave) {
  xmlNode* n = root;
  while (true) {
    if (enter(n) && n->children != nullptr) {
      n = n->children;
      continue;
    }
    while (true) {
      leave(n);
      if (n == root) return;
      if (n->next != nullptr) {
        n = n->next;
        break;
      }
      n = n->parent;
    }
  }
}

template <typename Enter>
void Walk(xmlNode* root, Enter enter) {
  Walk(root, enter, [](xmlNode*) {});
}

// Elements whose content is not part of the article's visible text. With
// `furniture`, also those whose class, id or role names page furniture
// (news_html.h), except the page's frame and story elements, which sites
// give classes such as "has-sidebar".
bool IsLeftOut(const xmlNode* n, bool furniture = true) {
  if (n->type != XML_ELEMENT_NODE) return false;
  const std::string_view name = NameOf(n);
  if (IsOneOf(name, {"script", "style", "noscript", "template", "nav", "header", "footer",
                     "aside", "form", "iframe", "svg", "math", "head", "button", "select",
                     "textarea", "object", "embed", "canvas", "dialog"})) {
    return true;
  }
  if (Attr(n, "hidden").has_value() || Lower(AttrOr(n, "aria-hidden")) == "true") return true;
  return furniture && !IsOneOf(name, {"html", "body", "main", "article"}) &&
         IsPageFurniture(AttrOr(n, "class"), AttrOr(n, "id"), AttrOr(n, "role"));
}

bool IsBlock(std::string_view name) {
  return IsOneOf(name, {"address", "article", "blockquote", "body", "br", "caption", "dd", "details",
                        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2",
                        "h3", "h4", "h5", "h6", "hr", "html", "li", "main", "ol", "p", "pre",
                        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
                        "ul", "title", "legend", "center", "nav", "header", "footer", "aside",
                        "form", "iframe", "noscript", "head", "template"});
}

// Collects text as a reader sees it: runs of white space (no-break spaces
// included) become one space, block boundaries one line break.
class TextBuilder {
 public:
  void Text(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        Space();
      } else if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
        Space();
        ++i;
      } else {
        if (pending_space_) out_ += ' ';
        pending_space_ = false;
        out_ += c;
      }
    }
  }
  void Space() { pending_space_ = !out_.empty() && out_.back() != '\n'; }
  void Break() {
    pending_space_ = false;
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
  }
  std::string Finish() {
    while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) out_.pop_back();
    return SanitiseUtf8(out_);
  }

 private:
  std::string out_;
  bool pending_space_ = false;
};

// The visible text under `root`, one line per block.
std::string VisibleText(xmlNode* root, bool furniture = true) {
  TextBuilder text;
  Walk(
      root,
      [&](xmlNode* n) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
          if (n->content) text.Text(reinterpret_cast<const char*>(n->content));
          return false;
        }
        if (n->type != XML_ELEMENT_NODE) return false;
        if (n != root && IsLeftOut(n, furniture)) return false;
        if (IsBlock(NameOf(n))) text.Break();
        return true;
      },
      [&](xmlNode* n) {
        if (n->type == XML_ELEMENT_NODE && IsBlock(NameOf(n))) text.Break();
      });
  return text.Finish();
}

// The text under `n` on one line.
std::string OneLine(xmlNode* n) {
  std::string s = VisibleText(n);
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

std::string OneLine(std::string_view s) {
  TextBuilder text;
  text.Text(s);
  return text.Finish();
}

bool HasToken(std::string_view list, std::string_view token);

// The body text: of the first element marked itemprop=articleBody, else of
// the longest <article>, else of <main>, else of <body>. When leaving out
// the page furniture leaves nothing (a site that names its whole layout
// "with-sidebar"), the text is read again with it.
std::string BodyText(xmlNode* html) {
  std::vector<xmlNode*> articles;
  xmlNode* marked = nullptr;
  xmlNode* main = nullptr;
  xmlNode* body = nullptr;
  Walk(html, [&](xmlNode* n) {
    if (n->type != XML_ELEMENT_NODE || IsLeftOut(n)) return false;
    if (marked == nullptr && HasToken(AttrOr(n, "itemprop"), "articlebody")) marked = n;
    if (NameOf(n) == "article") {
      articles.push_back(n);  // nested <article>s (comments, say) are part of it
      return false;
    }
    if (NameOf(n) == "main" && main == nullptr) main = n;
    if (NameOf(n) == "body" && body == nullptr) body = n;
    return true;
  });
  if (marked != nullptr) {
    if (std::string text = VisibleText(marked); !text.empty()) return text;
  }
  std::string best;
  for (xmlNode* article : articles) {
    std::string text = VisibleText(article);
    if (text.size() > best.size()) best = std::move(text);
  }
  if (best.empty() && main != nullptr) best = VisibleText(main);
  if (best.empty()) best = VisibleText(body != nullptr ? body : html);
  if (best.empty()) best = VisibleText(body != nullptr ? body : html, /*furniture=*/false);
  return best;
}

// ---------------------------------------------------------------------------
// Metadata.

struct PageMetadata {
  // (lower-case name, property, itemprop or http-equiv; value) in page order.
  std::vector<std::pair<std::string, std::string>> meta;
  std::string title;          // the first <title>
  std::string h1;             // the first visible <h1>
  std::string canonical_url;  // <link rel=canonical href>
  std::vector<std::string> time_datetimes;  // every <time datetime>, in order
  std::string lang;           // <html lang>
  std::optional<JsonLdArticle> json_ld;  // the first schema.org article in a ld+json <script>

  // Every value given for `key`, in page order.
  std::vector<std::string_view> All(std::string_view key) const {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : meta) {
      if (k == key && !v.empty()) out.push_back(v);
    }
    return out;
  }
  std::string First(std::initializer_list<std::string_view> keys) const {
    for (const std::string_view key : keys) {
      for (const std::string_view v : All(key)) {
        if (std::string s = OneLine(v); !s.empty()) return s;
      }
    }
    return {};
  }
};

bool HasToken(std::string_view list, std::string_view token) {
  const std::string lower = Lower(list);
  std::size_t pos = 0;
  while (pos < lower.size()) {
    const std::size_t end = std::min(lower.find_first_of(" \t\n", pos), lower.size());
    if (std::string_view(lower).substr(pos, end - pos) == token) return true;
    pos = end + 1;
  }
  return false;
}

PageMetadata ReadMetadata(xmlNode* html) {
  PageMetadata m;
  m.lang = OneLine(Attr(html, "lang").value_or(AttrOr(html, "xml:lang")));
  Walk(html, [&](xmlNode* n) {
    if (n->type != XML_ELEMENT_NODE) return false;
    const std::string_view name = NameOf(n);
    if (name == "script" && !m.json_ld && Lower(AttrOr(n, "type")).find("ld+json") != std::string::npos) {
      std::string script;
      for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
        if (c->content) script += reinterpret_cast<const char*>(c->content);
      }
      m.json_ld = FindJsonLdArticle(script);
    }
    if (IsOneOf(name, {"svg", "math", "script", "style", "template"})) return false;  // <svg><title>
    if (name == "meta") {
      const std::string content = AttrOr(n, "content");
      for (const char* key : {"property", "name", "itemprop", "http-equiv"}) {
        if (auto k = Attr(n, key)) m.meta.emplace_back(Lower(OneLine(*k)), content);
      }
      return false;
    }
    if (auto itemprop = Attr(n, "itemprop"); itemprop && Lower(*itemprop) == "datepublished") {
      std::string value = Attr(n, "datetime").value_or(AttrOr(n, "content"));
      if (value.empty()) value = OneLine(n);
      m.meta.emplace_back("datepublished", value);
    }
    // Microdata: <h1 itemprop="headline">, <span itemprop="author"> (or its itemprop=name).
    if (auto itemprop = Attr(n, "itemprop"); itemprop && name != "meta") {
      if (HasToken(*itemprop, "headline")) m.meta.emplace_back("headline", OneLine(n));
      if (HasToken(*itemprop, "author")) {
        xmlNode* who = n;
        Walk(n, [&](xmlNode* c) {
          if (c->type == XML_ELEMENT_NODE && c != n && HasToken(AttrOr(c, "itemprop"), "name")) who = c;
          return who == n;
        });
        m.meta.emplace_back("itemprop-author", Attr(who, "content").value_or(OneLine(who)));
      }
    }
    if (name == "title" && m.title.empty()) m.title = OneLine(n);
    if (name == "link" && m.canonical_url.empty() && HasToken(AttrOr(n, "rel"), "canonical")) {
      m.canonical_url = OneLine(AttrOr(n, "href"));
    }
    if (name == "time") {
      if (auto dt = Attr(n, "datetime")) m.time_datetimes.push_back(*dt);
    }
    return true;
  });
  Walk(html, [&](xmlNode* n) {
    if (n->type != XML_ELEMENT_NODE || IsLeftOut(n) || !m.h1.empty()) return false;
    if (NameOf(n) == "h1") m.h1 = OneLine(n);
    return m.h1.empty();
  });
  return m;
}

std::string PublicationDate(const PageMetadata& m) {
  for (const std::string_view key :
       {"article:published_time", "datepublished", "date", "pubdate", "publishdate", "publish-date",
        "publish_date", "dc.date", "dc.date.issued", "dc.date.created", "dcterms.date",
        "dcterms.issued", "dcterms.created", "og:published_time", "article.published",
        "parsely-pub-date", "sailthru.date", "citation_publication_date"}) {
    for (const std::string_view v : m.All(key)) {
      if (auto date = NormaliseDate(v)) return *date;
    }
  }
  for (const std::string& v : m.time_datetimes) {
    if (auto date = NormaliseDate(v)) return *date;
  }
  return {};
}

bool LooksLikeUrl(std::string_view s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

// The authors named in meta author (all of them) or else article:author
// (which is often a profile URL rather than a name: those are left out).
std::string Authors(const PageMetadata& m) {
  for (const std::string_view key : {"author", "itemprop-author", "article:author", "dc.creator", "parsely-author"}) {
    std::vector<std::string> names;
    for (const std::string_view v : m.All(key)) {
      std::string name = OneLine(v);
      if (name.empty() || LooksLikeUrl(name)) continue;
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
    }
    if (names.empty()) continue;
    std::string joined = names[0];
    for (std::size_t i = 1; i < names.size(); ++i) joined += ", " + names[i];
    return joined;
  }
  return {};
}

// "Headline | The Site" -> "Headline" when the site is the page's source.
std::string WithoutSiteName(std::string title, std::string_view site) {
  if (site.empty()) return title;
  for (const std::string_view sep : {" | ", " - ", " – ", " — ", " :: ", " · "}) {
    const std::string suffix = std::string(sep) + std::string(site);
    if (title.size() > suffix.size() && title.compare(title.size() - suffix.size(), suffix.size(), suffix) == 0) {
      title.erase(title.size() - suffix.size());
      break;
    }
  }
  return title;
}

struct DocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

// XML_PARSE_HUGE lifts the 256-level depth limit at which libxml2 stops
// parsing: old pages that never close a <font> or <div> would lose the
// rest of their text. Our walks are iterative, and libxml2 builds and frees
// a million levels in about a second.
// The text is UTF-8 already: IGNORE_ENC keeps libxml2 from switching
// to the charset a <meta> names.
std::unique_ptr<xmlDoc, DocDeleter> ParseTree(const std::string& text) {
  const int options = static_cast<int>(XML_PARSE_HUGE) | HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                      HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC;
  return std::unique_ptr<xmlDoc, DocDeleter>(
      htmlReadMemory(text.data(), static_cast<int>(std::min<std::size_t>(text.size(), INT_MAX)), nullptr,
                     "UTF-8", options));
}

// The text of an articleBody that holds markup ("<p>...</p>"), else the text as one paragraph per line.
std::string MarkupText(const std::string& s) {
  if (s.find('<') != std::string::npos && s.find('>') != std::string::npos) {
    if (auto doc = ParseTree(s); doc && xmlDocGetRootElement(doc.get())) {
      return VisibleText(xmlDocGetRootElement(doc.get()));
    }
  }
  std::string out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    if (std::string line = OneLine(std::string_view(s).substr(start, end - start)); !line.empty()) {
      out += (out.empty() ? "" : "\n") + line;
    }
    start = end + 1;
  }
  return out;
}

// The page's JSON-LD article outranks what the markup says, field by field.
void ApplyJsonLd(const JsonLdArticle& j, Article& a) {
  if (std::string body = MarkupText(j.body); !body.empty()) a.body = std::move(body);
  if (std::string title = OneLine(j.headline); !title.empty()) a.title = std::move(title);
  if (auto date = NormaliseDate(j.date)) a.date = *date;
  if (std::string author = OneLine(j.author); !author.empty()) a.author = std::move(author);
  if (a.source.empty()) a.source = OneLine(j.publisher);
  if (a.url.empty() && LooksLikeUrl(j.url)) a.url = OneLine(j.url);
  if (a.language.empty()) a.language = OneLine(j.language);
  const bool has_section = std::any_of(a.extra_fields.begin(), a.extra_fields.end(),
                                       [](const auto& f) { return f.first == "Section"; });
  if (!has_section && !j.section.empty()) a.extra_fields.emplace_back("Section", OneLine(j.section));
}

// HTML_PARSE_NOERROR and NOWARNING silence the parser's own reports; these
// catch what other parts of libxml2 may raise (encoding, I/O, memory), as an
// indexer must not print per-file parser noise.
void IgnoreGenericError(void*, const char*, ...) {}


}  // namespace

Article ParseHtmlArticle(std::string_view bytes, const std::string& id, const std::string& path) {
  Article a;
  a.id = id;
  a.path = path;
  if (bytes.empty()) return a;

  [[maybe_unused]] static const bool initialised = [] {
    xmlInitParser();
    return true;
  }();
  xmlSetGenericErrorFunc(nullptr, IgnoreGenericError);
  xmlSetStructuredErrorFunc(nullptr, [](void*, auto) {});

  const std::string text = PageText(bytes);
  const std::unique_ptr<xmlDoc, DocDeleter> doc = ParseTree(text);
  if (!doc) return a;
  xmlNode* html = xmlDocGetRootElement(doc.get());
  if (html == nullptr) return a;

  const PageMetadata m = ReadMetadata(html);
  a.source = m.First({"og:site_name"});
  a.title = m.First({"og:title"});
  if (a.title.empty()) a.title = m.First({"headline"});  // microdata
  if (a.title.empty()) a.title = WithoutSiteName(m.title, a.source);
  if (a.title.empty()) a.title = m.h1;
  a.date = PublicationDate(m);
  a.author = Authors(m);
  a.url = m.First({"og:url"});
  if (a.url.empty()) a.url = m.canonical_url;
  a.language = m.lang.empty() ? m.First({"content-language"}) : m.lang;
  const auto extra = [&](const char* field, std::string value) {
    if (!value.empty()) a.extra_fields.emplace_back(field, std::move(value));
  };
  extra("Description", m.First({"description", "og:description"}));
  extra("Keywords", m.First({"keywords", "news_keywords"}));
  extra("Section", m.First({"article:section"}));

  a.body = BodyText(html);
  if (m.json_ld) ApplyJsonLd(*m.json_ld, a);
  if (a.title.empty()) a.title = TitleFromBody(a.body);
  return a;
}

}  // namespace nsearch
