#include "indexer/office_reader.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "common/dates.h"
#include "common/text_article.h"
#include "common/utf8.h"
#include "indexer/html_reader.h"

namespace nsearch {
namespace {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using XmlDoc = std::unique_ptr<xmlDoc, DocFree>;

void IgnoreGenericError(void*, const char*, ...) {}

XmlDoc ParseXml(const std::string& text) {
  xmlSetGenericErrorFunc(nullptr, IgnoreGenericError);
  xmlSetStructuredErrorFunc(nullptr, [](void*, auto) {});
  // No XML_PARSE_NOENT (no entity expansion) and no XML_PARSE_HUGE (libxml2's depth and size limits stay).
  return XmlDoc(xmlReadMemory(text.data(), static_cast<int>(std::min<std::size_t>(text.size(), INT_MAX)), nullptr,
                              nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

std::string_view Name(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

std::string Content(const xmlNode* n) {
  std::unique_ptr<xmlChar, decltype(xmlFree)> text(xmlNodeGetContent(n), xmlFree);
  return text ? SanitiseUtf8(reinterpret_cast<const char*>(text.get())) : std::string();
}

std::string Attribute(const xmlNode* n, const char* name) {
  std::unique_ptr<xmlChar, decltype(xmlFree)> value(xmlGetProp(n, reinterpret_cast<const xmlChar*>(name)), xmlFree);
  return value ? SanitiseUtf8(reinterpret_cast<const char*>(value.get())) : std::string();
}

std::string Trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

// Each element under `root`, in document order (libxml2 bounds the depth).
template <typename F>
void Walk(const xmlNode* root, F&& visit) {
  for (const xmlNode* n = root; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (!visit(n)) continue;  // false: its children are done
    Walk(n->children, visit);
  }
}

// The body text of a .docx's document.xml or an .odt's content.xml: runs of
// text, tabs and breaks; a paragraph or heading a line.
std::string WordText(const xmlNode* root, bool odt) {
  std::string out;
  std::function<void(const xmlNode*)> text_of = [&](const xmlNode* parent) {
    for (const xmlNode* n = parent->children; n != nullptr; n = n->next) {
      if (n->type == XML_TEXT_NODE && odt) {
        out += reinterpret_cast<const char*>(n->content);
      } else if (n->type == XML_ELEMENT_NODE) {
        const std::string_view name = Name(n);
        if (!odt && name == "t") out += Content(n);
        else if (name == "tab") out += '\t';
        else if (name == "br" || name == "cr" || name == "line-break") out += '\n';
        else if (odt && name == "s") out += ' ';
        else if (name == "p" || name == "h") { text_of(n); out += '\n'; }
        else if (name != "del" && name != "instrText" && name != "note-citation") text_of(n);
      }
    }
  };
  text_of(root);
  return SanitiseUtf8(out);
}

// Dublin Core and Office metadata fields by local name, first of each.
std::map<std::string, std::string> Metadata(const xmlNode* root) {
  std::map<std::string, std::string> fields;
  Walk(root, [&](const xmlNode* n) {
    const std::string name(Name(n));
    if (n->children != nullptr && n->children->type == XML_TEXT_NODE && !fields.count(name)) {
      fields[name] = Trimmed(Content(n));
    }
    return true;
  });
  return fields;
}

void ApplyMetadata(const std::map<std::string, std::string>& m, Article& a) {
  auto first = [&m](std::initializer_list<const char*> names) {
    for (const char* n : names) {
      if (auto it = m.find(n); it != m.end() && !it->second.empty()) return it->second;
    }
    return std::string();
  };
  a.title = first({"title"});
  a.author = first({"creator", "initial-creator"});
  a.date = NormaliseDate(first({"created", "creation-date", "date", "modified"})).value_or("");
  a.language = first({"language"});
}

// A folder-relative href of an EPUB's package resolved against its folder.
std::string Resolve(const std::string& dir, std::string href) {
  if (auto hash = href.find('#'); hash != std::string::npos) href.erase(hash);
  std::string out = dir + href, clean;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= out.size()) {
    std::size_t end = out.find('/', start);
    if (end == std::string::npos) end = out.size();
    std::string part = out.substr(start, end - start);
    if (part == "..") { if (!parts.empty()) parts.pop_back(); }
    else if (!part.empty() && part != ".") parts.push_back(part);
    start = end + 1;
  }
  for (const std::string& p : parts) clean += (clean.empty() ? "" : "/") + p;
  return clean;
}

std::string Epub(std::map<std::string, std::string>& parts, Article& a, std::string& error) {
  XmlDoc container = ParseXml(parts["META-INF/container.xml"]);
  std::string opf_path;
  if (container) Walk(xmlDocGetRootElement(container.get()), [&](const xmlNode* n) {
    if (Name(n) == "rootfile" && opf_path.empty()) opf_path = Attribute(n, "full-path");
    return true;
  });
  XmlDoc opf = parts.count(opf_path) ? ParseXml(parts[opf_path]) : nullptr;
  if (!opf) return error = "not an EPUB: no package document (META-INF/container.xml)", "";
  const xmlNode* root = xmlDocGetRootElement(opf.get());
  std::map<std::string, std::string> manifest;
  std::vector<std::string> spine;
  Walk(root, [&](const xmlNode* n) {
    if (Name(n) == "item") manifest[Attribute(n, "id")] = Attribute(n, "href");
    if (Name(n) == "itemref") spine.push_back(Attribute(n, "idref"));
    return Name(n) != "metadata";
  });
  Walk(root, [&](const xmlNode* n) {
    if (Name(n) != "metadata") return true;
    ApplyMetadata(Metadata(n->children), a);
    return false;
  });
  const std::string dir = opf_path.find('/') == std::string::npos ? "" : opf_path.substr(0, opf_path.rfind('/') + 1);
  std::string body;
  for (const std::string& idref : spine) {
    auto it = parts.find(Resolve(dir, manifest[idref]));
    if (it == parts.end()) continue;
    const std::string text = Trimmed(ParseHtmlArticle(it->second, a.id, a.path).body);
    if (!text.empty()) body += (body.empty() ? "" : "\n\n") + text;
  }
  return body;
}

}  // namespace

ParsedFile ParseOfficeDocument(std::string_view bytes, const std::string& id, const std::string& path,
                               const ParseOptions& options, ExpansionBudget& budget) {
  ParsedFile out;
  auto skip = [&out](std::string reason) {
    out.skip_kind = "malformed";
    out.skip_reason = std::move(reason);
    return std::move(out);
  };
  std::string ext = id.substr(id.find_last_of('.') + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::set<std::string> wanted_parts =
      ext == "docx" ? std::set<std::string>{"word/document.xml", "docProps/core.xml"}
      : ext == "odt" ? std::set<std::string>{"content.xml", "meta.xml"}
                     : std::set<std::string>{};
  std::map<std::string, std::string> parts;
  int members = 0;
  const std::string error = ForEachMember(
      bytes, options.max_member_bytes, budget,
      [&](const std::string& name) {
        return ext == "epub" ? name.size() < 4096 : wanted_parts.count(name) != 0;  // an EPUB's parts: all its own
      },
      [&](ArchiveMember& m) {
        if (m.problem.empty()) parts[m.name] = std::move(m.data);
      },
      members);
  if (!error.empty() && parts.empty()) return skip("broken ." + ext + " file: " + error);
  Article a;
  a.id = id;
  a.path = path;
  std::string body, why;
  if (ext == "epub") {
    body = Epub(parts, a, why);
  } else {
    const std::string main_part = ext == "docx" ? "word/document.xml" : "content.xml";
    XmlDoc doc = parts.count(main_part) ? ParseXml(parts[main_part]) : nullptr;
    if (!doc) return skip("not a ." + ext + " file: no readable " + main_part);
    body = WordText(xmlDocGetRootElement(doc.get()), ext == "odt");
    if (XmlDoc meta = ParseXml(parts[ext == "docx" ? "docProps/core.xml" : "meta.xml"])) {
      ApplyMetadata(Metadata(xmlDocGetRootElement(meta.get())), a);
    }
  }
  if (!why.empty()) return skip(why);
  a.body = Trimmed(body);
  if (a.body.empty()) return skip("no text");
  if (a.title.empty()) a.title = TitleFromBody(a.body);
  out.articles.push_back(std::move(a));
  return out;
}

}  // namespace nsearch
