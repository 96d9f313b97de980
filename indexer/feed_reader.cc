#include "indexer/feed_reader.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <climits>
#include <initializer_list>
#include <memory>
#include <set>

#include "common/dates.h"
#include "common/text_article.h"
#include "common/utf8.h"
#include "indexer/html_reader.h"

namespace nsearch {
namespace {

std::string_view LocalName(const xmlNode* n) {
  return n->name ? std::string_view(reinterpret_cast<const char*>(n->name)) : std::string_view();
}

// The namespace prefix the document used ("dc", "content"), empty when none.
std::string_view Prefix(const xmlNode* n) {
  return n->ns && n->ns->prefix ? std::string_view(reinterpret_cast<const char*>(n->ns->prefix)) : std::string_view();
}

std::string Attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

std::string Content(const xmlNode* n) {
  xmlChar* v = xmlNodeGetContent(n);
  if (v == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

// Text on one line, runs of white space made one space.
std::string OneLine(std::string_view s) {
  std::string out;
  bool space = false;
  for (const char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return SanitiseUtf8(out);
}

std::vector<const xmlNode*> Children(const xmlNode* n, std::string_view name) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && LocalName(c) == name) out.push_back(c);
  }
  return out;
}

const xmlNode* Child(const xmlNode* n, std::string_view name, std::string_view prefix = {}) {
  for (const xmlNode* c : Children(n, name)) {
    if (prefix.empty() || Prefix(c) == prefix) return c;
  }
  return nullptr;
}

std::string ChildText(const xmlNode* n, std::string_view name, std::string_view prefix = {}) {
  const xmlNode* c = Child(n, name, prefix);
  return c ? OneLine(Content(c)) : std::string();
}

// Markup of an Atom type="xhtml" element's children, for the HTML reader.
std::string InnerMarkup(const xmlNode* n) {
  std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buffer(xmlBufferCreate(), xmlBufferFree);
  for (xmlNode* c = n->children; c != nullptr; c = c->next) xmlNodeDump(buffer.get(), n->doc, c, 0, 0);
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())), xmlBufferLength(buffer.get()));
}

// The body of an element holding an item's text: HTML read for its main text.
std::string BodyOf(const xmlNode* n, bool atom, const std::string& id, const std::string& path) {
  const std::string type = atom ? Attr(n, "type") : std::string("html");
  if (type == "xhtml") return ParseHtmlArticle(InnerMarkup(n), id, path).body;
  const std::string text = Content(n);
  if (type == "html" || type == "text/html") return ParseHtmlArticle(text, id, path).body;
  return ParseTextArticle("\n" + text, id, path).body;  // the blank line: no header block
}

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!n.empty()) out += (out.empty() ? "" : ", ") + n;
  }
  return out;
}

// "editor@example.com (Ana Ruiz)" -> "Ana Ruiz", as RSS 2.0 writes authors.
std::string RssAuthor(std::string s) {
  const std::size_t open = s.find('('), close = s.rfind(')');
  if (s.find('@') != std::string::npos && open != std::string::npos && close > open) return OneLine(s.substr(open + 1, close - open - 1));
  return s;
}

struct Channel {
  std::string title;
  std::string language;
};

Article ItemArticle(const xmlNode* item, bool atom, const Channel& channel, const std::string& fallback_id,
                    const std::string& path) {
  Article a;
  a.path = path;
  a.title = ChildText(item, "title");
  std::vector<std::string> authors;
  if (atom) {
    for (const xmlNode* link : Children(item, "link")) {
      const std::string rel = Attr(link, "rel");
      if (rel.empty() || rel == "alternate") {
        a.url = OneLine(Attr(link, "href"));
        break;
      }
    }
    a.id = ChildText(item, "id");
    a.date = NormaliseDate(ChildText(item, "published")).value_or(NormaliseDate(ChildText(item, "updated")).value_or(""));
    for (const xmlNode* author : Children(item, "author")) authors.push_back(ChildText(author, "name"));
  } else {
    a.url = ChildText(item, "link");
    a.id = ChildText(item, "guid");
    a.date = NormaliseDate(ChildText(item, "pubDate")).value_or(NormaliseDate(ChildText(item, "date", "dc")).value_or(""));
    for (const xmlNode* author : Children(item, "author")) authors.push_back(RssAuthor(OneLine(Content(author))));
    for (const xmlNode* creator : Children(item, "creator")) authors.push_back(OneLine(Content(creator)));
  }
  std::sort(authors.begin(), authors.end());  // dc:creator often repeats author
  authors.erase(std::unique(authors.begin(), authors.end()), authors.end());
  a.author = Joined(authors);
  if (a.id.empty()) a.id = a.url;
  if (a.id.empty()) a.id = fallback_id;
  const xmlNode* text = atom ? Child(item, "content") : Child(item, "encoded", "content");
  if (text == nullptr) text = atom ? Child(item, "summary") : Child(item, "description");
  if (text != nullptr) a.body = BodyOf(text, atom, a.id, path);
  // Titles may hold markup: Atom's type="html" or "xhtml", escaped tags in RSS.
  if (const xmlNode* t = Child(item, "title"); t != nullptr) {
    const std::string type = atom ? Attr(t, "type") : std::string();
    if (type == "xhtml") a.title = OneLine(ParseHtmlArticle(InnerMarkup(t), a.id, path).body);
    if (type == "html" || (!atom && a.title.find('<') != std::string::npos)) {
      a.title = OneLine(ParseHtmlArticle(Content(t), a.id, path).body);
    }
  }
  a.source = channel.title;
  if (xmlChar* lang = xmlNodeGetLang(item); lang != nullptr) {
    a.language = OneLine(reinterpret_cast<const char*>(lang));
    xmlFree(lang);
  }
  if (a.language.empty()) a.language = channel.language;
  if (a.title.empty()) a.title = TitleFromBody(a.body);
  return a;
}

struct FirstError {
  int line = 0;
  std::string message;
};

void KeepFirstError(void* context, xmlErrorPtr error) {
  auto& first = *static_cast<FirstError*>(context);
  if (error == nullptr || first.line != 0 || error->level < XML_ERR_ERROR) return;
  first.line = std::max(1, error->line);
  first.message = OneLine(error->message ? error->message : "error");
}

void IgnoreGenericError(void*, const char*, ...) {}

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

}  // namespace

ParsedFile ParseFeed(std::string_view bytes, const std::string& path) {
  ParsedFile out;
  [[maybe_unused]] static const bool initialised = [] {
    xmlInitParser();
    return true;
  }();
  FirstError first;
  xmlSetGenericErrorFunc(nullptr, IgnoreGenericError);
  xmlSetStructuredErrorFunc(&first, KeepFirstError);
  // No NOENT and no DTDLOAD: entities stay unexpanded and nothing is fetched.
  const int options = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  const std::unique_ptr<xmlDoc, DocFree> doc(
      xmlReadMemory(bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), INT_MAX)), path.c_str(), nullptr, options));
  xmlSetStructuredErrorFunc(nullptr, [](void*, xmlErrorPtr) {});
  if (first.line != 0) out.problems.push_back(":" + std::to_string(first.line) + ": malformed XML (" + first.message + ")");
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (root == nullptr) return out;
  const std::string_view root_name = LocalName(root);
  const bool atom = root_name == "feed";
  if (!atom && root_name != "rss" && root_name != "RDF") {
    if (out.problems.empty()) out.problems.push_back(":1: not an RSS or Atom feed (root element <" + std::string(root_name) + ">)");
    return out;
  }
  const xmlNode* channel_node = atom ? root : Child(root, "channel");
  Channel channel;
  if (channel_node != nullptr) {
    channel.title = ChildText(channel_node, "title");
    channel.language = ChildText(channel_node, "language");
    if (channel.language.empty()) {
      xmlChar* lang = xmlNodeGetLang(channel_node);
      if (lang != nullptr) channel.language = OneLine(reinterpret_cast<const char*>(lang));
      xmlFree(lang);
    }
  }
  // RSS 2.0 items are in the channel, RSS 1.0 items beside it.
  std::vector<const xmlNode*> items = Children(atom ? root : (channel_node ? channel_node : root), atom ? "entry" : "item");
  if (!atom && channel_node != nullptr) {
    for (const xmlNode* item : Children(root, "item")) items.push_back(item);
  }
  std::set<std::string> ids;
  std::size_t n = 0;
  for (const xmlNode* item : items) {
    ++n;
    Article a = ItemArticle(item, atom, channel, path + "#" + std::to_string(n), path);
    if (a.title.empty() && a.body.empty()) {
      out.problems.push_back(":" + std::to_string(xmlGetLineNo(item)) + ": item with no title or text");
      continue;
    }
    if (!ids.insert(a.id).second) a.id = path + "#" + std::to_string(n);
    out.articles.push_back(std::move(a));
  }
  return out;
}

}  // namespace nsearch
