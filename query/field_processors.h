// The QueryParser field processors of the filter fields of common/fields.h,
// whose value needs reading before it becomes a term: site:, lang:,
// path:/dir:, id:. (date:, year: and month: are in date_query.h.) A value
// that cannot be read throws Xapian::QueryParserError.
#pragma once

#include <string>

#include <xapian.h>

namespace nsearch {

// site:reuters.com, site:https://www.reuters.com/world -> the H term of the
// host; matches every host below it too (schema::kSitePrefix).
class SiteFieldProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override;
};

// lang:es, lang:spanish, lang:en-GB -> the L term of the Snowball name.
class LanguageFieldProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override;
};

// path:FILE or path:DIR (dir: is the same): the article of that file, or
// every article below that folder. A relative path is taken from the
// current directory and resolved like the indexer resolves its inputs
// (common/article_id.h: CanonicalPath), so it names what was indexed. The
// terms of a path too long for a whole term keep only its start, so below
// a folder whose path is that long nothing can be found by its terms: a
// folder on disk that long is an error.
class PathFieldProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override;
};

// id:ID -> the article's id term, by the indexer's rule (common/article_id.h),
// so that an id of any length finds its article.
class IdFieldProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override;
};

// Adds every filter and date field of common/fields.h (site, lang, path,
// dir, id, date, year, month) to `parser`. A value a processor cannot read is not thrown through the
// parser: the first such message goes into `error` (which must outlive the
// parser's use) and the caller throws it after parse_query.
void AddBooleanFields(Xapian::QueryParser& parser, std::string& error);

}  // namespace nsearch
