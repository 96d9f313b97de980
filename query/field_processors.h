// The QueryParser field processors of the boolean fields whose value needs
// reading before it becomes a term: site:, lang:, path:/dir:. (date:, year:
// and month: are in date_query.h; id: is a plain boolean prefix.) A value
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
// (absolute, symlinks followed), so it names what was indexed.
class PathFieldProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override;
};

// Adds every boolean field (site, lang, path, dir, id, date, year, month)
// to `parser`. A value a processor cannot read is not thrown through the
// parser: the first such message goes into `error` (which must outlive the
// parser's use) and the caller throws it after parse_query.
void AddBooleanFields(Xapian::QueryParser& parser, std::string& error);

}  // namespace nsearch
