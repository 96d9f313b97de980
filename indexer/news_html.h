// NewsHtml holds the rules by which the HTML reader finds a news page's main
// text: schema.org JSON-LD (a NewsArticle and its kin, alone, in an array or
// in an "@graph"), and the class, id and role names of the page furniture
// (cookie banners, related-story lists, share bars, sidebars) that is left
// out so that a word in it does not make the page match. The HTML tree walk
// that applies them is in html_reader.cc. Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nsearch {

// The fields of a schema.org article given as JSON-LD, as the page wrote
// them (trimmed; the date is not yet normalised).
struct JsonLdArticle {
  std::string headline;
  std::string body;       // articleBody
  std::string date;       // datePublished, else dateCreated
  std::string author;     // the names of author (a string, a Person or a list), ", "-joined
  std::string publisher;  // publisher.name (or a string)
  std::string url;        // url, else mainEntityOfPage (a string or its "@id")
  std::string language;   // inLanguage
  std::string section;    // articleSection (the first when a list)
};

// The first article in the text of one <script type="application/ld+json">
// whose @type is NewsArticle, Article, ReportageNewsArticle,
// AnalysisNewsArticle, OpinionNewsArticle, BackgroundNewsArticle,
// ReviewNewsArticle, Report or BlogPosting (a string or one of a list), and
// that has a headline or an articleBody. nullopt when there is none or the
// text is not JSON. Never throws (but std::bad_alloc).
std::optional<JsonLdArticle> FindJsonLdArticle(std::string_view script_text);

// True when an element with these class, id and role attributes is page
// furniture rather than the story: navigation, banner, complementary or
// contentinfo roles, a dialog, and class or id words such as "cookie",
// "consent", "related", "sidebar", "newsletter", "share", "promo",
// "most-read", "breadcrumb", "advert". Matched case-insensitively on the
// words of the attributes, split at spaces, '-' and '_'.
bool IsPageFurniture(std::string_view class_attr, std::string_view id_attr, std::string_view role_attr);

}  // namespace nsearch
