#include "indexer/news_html.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include <nlohmann/json.hpp>

namespace nsearch {
namespace {

using Json = nlohmann::json;

// JSON-LD nests objects in @graph arrays and lists; a page is not expected
// to go deeper than this, and a hostile one must not make the search recurse
// without end (nlohmann's parser itself recurses, so the text is bounded too).
constexpr int kMaxDepth = 16;
constexpr std::size_t kMaxScriptBytes = 4 << 20;

bool IsArticleType(const Json& type) {
  static const std::initializer_list<std::string_view> kTypes = {
      "NewsArticle",         "Article",           "ReportageNewsArticle", "AnalysisNewsArticle",
      "OpinionNewsArticle",  "BackgroundNewsArticle", "ReviewNewsArticle", "Report",
      "BlogPosting",         "LiveBlogPosting"};
  auto one = [&](const Json& t) {
    if (!t.is_string()) return false;
    std::string_view s = t.get_ref<const std::string&>();
    if (const std::size_t colon = s.rfind(':'); colon != std::string_view::npos) s.remove_prefix(colon + 1);  // schema:NewsArticle
    if (const std::size_t slash = s.rfind('/'); slash != std::string_view::npos) s.remove_prefix(slash + 1);  // https://schema.org/NewsArticle
    return std::find(kTypes.begin(), kTypes.end(), s) != kTypes.end();
  };
  if (type.is_array()) return std::any_of(type.begin(), type.end(), one);
  return one(type);
}

std::string Trimmed(std::string s) {
  const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!s.empty() && space(s.back())) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && space(s[i])) ++i;
  return s.substr(i);
}

// A string, or a thing's "name" (or, for `with_id`, its "@id"), or the first
// such of a list.
std::string NameOf(const Json& v, bool with_id = false) {
  if (v.is_string()) return Trimmed(v.get<std::string>());
  if (v.is_object()) {
    for (const char* key : {"name", "@id"}) {
      if (std::string(key) == "@id" && !with_id) continue;
      if (auto it = v.find(key); it != v.end() && it->is_string()) return Trimmed(it->get<std::string>());
    }
  }
  if (v.is_array() && !v.empty()) return NameOf(v.front(), with_id);
  return {};
}

std::string Field(const Json& o, const char* key, bool with_id = false) {
  auto it = o.find(key);
  return it == o.end() ? std::string() : NameOf(*it, with_id);
}

// Every author's name, in order, each once.
std::string Authors(const Json& o) {
  auto it = o.find("author");
  if (it == o.end()) return {};
  std::vector<std::string> names;
  const auto add = [&](const Json& a) {
    std::string name = NameOf(a);
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
  };
  if (it->is_array()) {
    for (const Json& a : *it) add(a);
  } else {
    add(*it);
  }
  std::string joined;
  for (const std::string& n : names) joined += (joined.empty() ? "" : ", ") + n;
  return joined;
}

const Json* FindArticle(const Json& v, int depth) {
  if (depth > kMaxDepth) return nullptr;
  if (v.is_array()) {
    for (const Json& item : v) {
      if (const Json* found = FindArticle(item, depth + 1)) return found;
    }
    return nullptr;
  }
  if (!v.is_object()) return nullptr;
  if (auto type = v.find("@type"); type != v.end() && IsArticleType(*type) &&
                                    (v.contains("headline") || v.contains("articleBody"))) {
    return &v;
  }
  if (auto graph = v.find("@graph"); graph != v.end()) return FindArticle(*graph, depth + 1);
  return nullptr;
}

}  // namespace

std::optional<JsonLdArticle> FindJsonLdArticle(std::string_view script_text) {
  if (script_text.size() > kMaxScriptBytes) return std::nullopt;
  // Pages wrap JSON-LD in HTML comments or CDATA markers now and then.
  std::string text(script_text);
  for (const std::string_view marker : {"<!--", "-->", "<![CDATA[", "]]>"}) {
    for (std::size_t at = text.find(marker); at != std::string::npos; at = text.find(marker)) text.erase(at, marker.size());
  }
  // Depth is bounded before nlohmann recurses into the text.
  int depth = 0, deepest = 0;
  for (const char c : text) {
    if (c == '{' || c == '[') deepest = std::max(deepest, ++depth);
    if (c == '}' || c == ']') --depth;
  }
  if (deepest > 4 * kMaxDepth) return std::nullopt;
  const Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return std::nullopt;
  const Json* o = FindArticle(doc, 0);
  if (o == nullptr) return std::nullopt;
  JsonLdArticle a;
  a.headline = Field(*o, "headline");
  a.body = Field(*o, "articleBody");
  a.date = Field(*o, "datePublished");
  if (a.date.empty()) a.date = Field(*o, "dateCreated");
  a.author = Authors(*o);
  a.publisher = Field(*o, "publisher");
  a.url = Field(*o, "url");
  if (a.url.empty()) a.url = Field(*o, "mainEntityOfPage", /*with_id=*/true);
  a.language = Field(*o, "inLanguage");
  a.section = Field(*o, "articleSection");
  return a;
}

bool IsPageFurniture(std::string_view class_attr, std::string_view id_attr, std::string_view role_attr) {
  std::string role(role_attr);
  std::transform(role.begin(), role.end(), role.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const std::string_view r : {"navigation", "banner", "complementary", "contentinfo", "dialog", "alertdialog", "search"}) {
    if (role == r) return true;
  }
  // Words that name furniture, whole words of a class or id ("related-stories",
  // "cookie_banner", "c-sidebar"), never parts of one ("sharealike" is not "share").
  static const std::initializer_list<std::string_view> kWords = {
      "cookie",   "cookies",   "consent",  "gdpr",      "related",  "recommended", "sidebar",
      "newsletter", "share",   "sharing",  "social",    "promo",    "breadcrumb",  "breadcrumbs",
      "advert",   "advertisement", "ad",   "ads",       "taboola",  "outbrain",    "trending",
      "popular",  "mostread",  "most",     "comments",  "subscribe", "paywall",    "footer",
      "nav",      "navbar",    "menu",     "masthead",  "banner"};
  for (const std::string_view attr : {class_attr, id_attr}) {
    std::size_t i = 0;
    while (i < attr.size()) {
      const auto sep = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '-' || c == '_'; };
      while (i < attr.size() && sep(attr[i])) ++i;
      std::size_t j = i;
      while (j < attr.size() && !sep(attr[j])) ++j;
      std::string word(attr.substr(i, j - i));
      std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (!word.empty() && std::find(kWords.begin(), kWords.end(), word) != kWords.end()) return true;
      i = j;
    }
  }
  return false;
}

}  // namespace nsearch
