// HtmlReader turns the bytes of one HTML page (a saved news article) into an
// Article, through libxml2's error-tolerant HTML parser.
//
// A schema.org article given as JSON-LD (news_html.h) outranks the markup for
// each field it has: headline, articleBody, datePublished, author,
// publisher (the source when og:site_name is missing), url, inLanguage.
//
// Header fields come from the page's metadata: the title from og:title, else
// itemprop=headline, else <title>, else the first <h1>; the date from article:published_time, the
// date/pubdate/DC meta variants or itemprop=datePublished, else the first
// <time datetime>; the author from meta author or article:author; the source
// from og:site_name; the URL from og:url or <link rel=canonical>; the
// language from <html lang>, as given ("es", "en-US"). The description,
// keywords and article:section become extra fields.
//
// The body is the visible text of the element marked itemprop=articleBody,
// else of the page's <article> (the longest one if there are several), else
// its <main>, else its <body>, leaving out scripts, styles, navigation,
// headers, footers, asides, forms, dialogs, iframes, SVG, hidden elements and
// the page furniture that class, id or role names (IsPageFurniture: cookie
// banners, related stories, share bars, sidebars): one line per block
// element, runs of white space made one space, entities decoded.
//
// Stateless and thread-safe (libxml2's error handlers are per thread; this
// sets the calling thread's to ones that print nothing).
#pragma once

#include <string>
#include <string_view>

#include "common/article.h"

namespace nsearch {

// Parses an HTML page. The charset is the one the page declares (<meta
// charset> or http-equiv; Latin-1 read as Windows-1252); when it declares
// none, or declares UTF-8 but is not, the text is decoded as DecodeText
// does. A byte that is invalid in the charset becomes U+FFFD, and the rest
// of the page is still read.
// Every field is valid UTF-8; a page without a title gets one from its body
// (TitleFromBody). `id` and `path` are copied into the result. Never throws
// (but std::bad_alloc) and never prints; garbage or empty input gives an
// Article with empty fields.
Article ParseHtmlArticle(std::string_view bytes, const std::string& id, const std::string& path);

}  // namespace nsearch
