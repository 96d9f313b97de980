#include "query/field_processors.h"

#include <filesystem>
#include <memory>

#include "common/analyzer.h"
#include "common/error.h"
#include "common/schema.h"
#include "common/url_host.h"
#include "query/date_query.h"

namespace fs = std::filesystem;

namespace nsearch {

Xapian::Query SiteFieldProcessor::operator()(const std::string& value) {
  const std::string host = UrlHost(value);
  if (host.empty()) throw Xapian::QueryParserError("site: wants a host name such as reuters.com, not '" + value + "'");
  return Xapian::Query(std::string(schema::kSitePrefix) + host);
}

Xapian::Query LanguageFieldProcessor::operator()(const std::string& value) {
  // "en-GB", "pt_BR": the language, not the region, picks the stemmer.
  const std::string language = value.substr(0, value.find_first_of("-_"));
  try {
    return Xapian::Query(std::string(schema::kLanguagePrefix) + CanonicalLanguage(language));
  } catch (const UsageError& e) {
    throw Xapian::QueryParserError("lang: " + std::string(e.what()));
  }
}

Xapian::Query PathFieldProcessor::operator()(const std::string& value) {
  if (value.empty()) throw Xapian::QueryParserError("path: wants a file or folder");
  std::error_code ec;
  fs::path path = fs::absolute(value, ec);
  if (ec) throw Xapian::QueryParserError("path: cannot resolve '" + value + "': " + ec.message());
  const fs::path resolved = fs::weakly_canonical(path, ec);
  if (!ec) path = resolved;
  std::string text = path.lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  // A file's article has its path as its id (Q); articles of a JSON Lines
  // file carry a P term of it. Below a folder: every such term that starts
  // with "folder/", however many there are (a filter: no weight).
  std::vector<Xapian::Query> alternatives;
  for (const std::string_view prefix : {schema::kIdPrefix, schema::kPathPrefix}) {
    const std::string term = std::string(prefix) + text;
    alternatives.emplace_back(term);
    alternatives.emplace_back(Xapian::Query::OP_WILDCARD, text == "/" ? term : term + "/", 0,
                              Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_OR);
  }
  return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

namespace {

// Xapian 1.4.22's QueryParser leaks the tokens it holds when a field
// processor throws before the parser has taken in the query's first token
// ("month:x": LeakSanitizer, found by the query fuzz target). So errors are
// not thrown through the parser: this keeps the first one in `error` and
// matches nothing, and the caller throws it once parse_query returns.
class ErrorKeepingProcessor : public Xapian::FieldProcessor {
 public:
  ErrorKeepingProcessor(std::unique_ptr<Xapian::FieldProcessor> inner, std::string& error)
      : inner_(std::move(inner)), error_(error) {}
  Xapian::Query operator()(const std::string& value) override {
    try {
      return (*inner_)(value);
    } catch (const Xapian::QueryParserError& e) {
      if (error_.empty()) error_ = e.get_msg();
      return Xapian::Query::MatchNothing;
    }
  }

 private:
  std::unique_ptr<Xapian::FieldProcessor> inner_;
  std::string& error_;
};

}  // namespace

void AddBooleanFields(Xapian::QueryParser& parser, std::string& error) {
  auto keeping = [&](Xapian::FieldProcessor* inner) {
    return (new ErrorKeepingProcessor(std::unique_ptr<Xapian::FieldProcessor>(inner), error))->release();
  };
  parser.add_boolean_prefix("site", keeping(new SiteFieldProcessor));
  parser.add_boolean_prefix("lang", keeping(new LanguageFieldProcessor));
  // path: and dir: are one field: path:a dir:b matches either.
  const std::string path_group = "path";
  parser.add_boolean_prefix("path", keeping(new PathFieldProcessor), &path_group);
  parser.add_boolean_prefix("dir", keeping(new PathFieldProcessor), &path_group);
  parser.add_boolean_prefix("id", std::string(schema::kIdPrefix));
  parser.add_boolean_prefix("date", keeping(new DateFieldProcessor(DateField::kDate)));
  parser.add_boolean_prefix("year", keeping(new DateFieldProcessor(DateField::kYear)));
  parser.add_boolean_prefix("month", keeping(new DateFieldProcessor(DateField::kMonth)));
}

}  // namespace nsearch
