// FeedReader turns an RSS (0.9x, 1.0 and 2.0) or Atom feed into Articles,
// one per <item> or <entry>, through libxml2's XML parser.
//
// An item's article has its title, link (Atom: the alternate link), date
// (pubDate, dc:date; Atom: published, else updated), authors (author,
// dc:creator; Atom: author/name) and as body its content (content:encoded;
// Atom: content), else its description or summary. HTML content (escaped,
// or Atom's type="html"/"xhtml") is read by the HTML reader, main text only
// (html_reader.h). The feed's title is the source, its language the
// language.
//
// Ids: the item's guid (Atom: id), else its link, else PATH#N for the Nth
// item of the file. Every article's path is `path`.
//
// Malformed XML is read as far as libxml2's recovery reaches; the first
// error is one problem ":LINE: malformed XML (...)", and the items it
// recovered are kept. An XML file that is not a feed is a problem
// ":1: not an RSS or Atom feed". No entity or DTD is fetched or expanded.
// Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "indexer/article_reader.h"

namespace nsearch {

// Reads a feed. Never throws (but std::bad_alloc) and never prints.
ParsedFile ParseFeed(std::string_view bytes, const std::string& path);

}  // namespace nsearch
