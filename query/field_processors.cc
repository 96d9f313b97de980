#include "query/field_processors.h"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "common/analyzer.h"
#include "common/article_id.h"
#include "common/error.h"
#include "common/fields.h"
#include "common/schema.h"
#include "common/url_host.h"
#include "query/date_query.h"

namespace fs = std::filesystem;

namespace nsearch {

Xapian::Query SiteFieldProcessor::operator()(const std::string& value) {
  const std::string host = UrlHost(value);
  if (host.empty()) throw Xapian::QueryParserError("site: wants a host name such as reuters.com, not '" + value + "'");
  return Xapian::Query(BoundedTerm(schema::kSitePrefix, host));
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
  const std::string text = CanonicalPath(value, ec);
  if (text.empty()) throw Xapian::QueryParserError("path: cannot resolve '" + value + "': " + ec.message());
  // A file's article has its path as its id (Q); articles of a JSON Lines
  // file carry a P term of it. Below a folder: every such term that starts
  // with "folder/", however many there are (a filter: no weight).
  // A cut term keeps the first BoundedTermKeptBytes of its path: "folder/"
  // must fit in them to be the start of every term below it.
  const std::string below = text == "/" ? text : text + "/";
  const std::size_t kept = std::min(BoundedTermKeptBytes(schema::kIdPrefix), BoundedTermKeptBytes(schema::kPathPrefix));
  const bool below_fits = below.size() <= kept;
  if (!below_fits && fs::is_directory(text, ec)) {
    throw Xapian::QueryParserError("path: cannot search below the folder '" + text + "': its path is over " +
                                   std::to_string(kept - 1) + " bytes; name its files");
  }
  std::vector<Xapian::Query> alternatives;
  for (const std::string_view prefix : {schema::kIdPrefix, schema::kPathPrefix}) {
    alternatives.emplace_back(BoundedTerm(prefix, text));
    if (below_fits) {
      alternatives.emplace_back(Xapian::Query::OP_WILDCARD, std::string(prefix) + below, 0,
                                Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_OR);
    }
  }
  return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

Xapian::Query IdFieldProcessor::operator()(const std::string& value) { return Xapian::Query(IdTerm(value)); }

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

// The processor that reads the values of `reader`; nullptr for free text.
Xapian::FieldProcessor* NewProcessor(FieldReader reader) {
  switch (reader) {
    case FieldReader::kWords: return nullptr;
    case FieldReader::kHost: return new SiteFieldProcessor;
    case FieldReader::kLanguage: return new LanguageFieldProcessor;
    case FieldReader::kPath: return new PathFieldProcessor;
    case FieldReader::kId: return new IdFieldProcessor;
    case FieldReader::kDate: return new DateFieldProcessor(DateField::kDate);
    case FieldReader::kYear: return new DateFieldProcessor(DateField::kYear);
    case FieldReader::kMonth: return new DateFieldProcessor(DateField::kMonth);
  }
  return nullptr;
}

}  // namespace

void AddBooleanFields(Xapian::QueryParser& parser, std::string& error) {
  for (const Field& field : kFields) {
    if (field.kind == FieldKind::kFreeText) continue;  // ConfigureQueryParser's
    Xapian::FieldProcessor* inner = NewProcessor(field.reader);
    auto* keeping = new ErrorKeepingProcessor(std::unique_ptr<Xapian::FieldProcessor>(inner), error);
    const std::string group(field.group);
    parser.add_boolean_prefix(std::string(field.name), keeping->release(), group.empty() ? nullptr : &group);
  }
}

}  // namespace nsearch
