// Language: how the articles of one language of an index are read, and the
// QueryParser that reads queries for them. Internal to the Searcher.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

namespace nsearch {

// A QueryParser set up for one language and the open shards, kept from
// query to query: setting one up (prefixes, field and range processors)
// cost as much as the parse itself (--batch of the bench queries: 75 of
// 126 M instructions of parsing in 13 languages).
struct LanguageParser {
  Xapian::QueryParser parser;
  std::string field_error;  // what a field processor could not read (AddBooleanFields)
  // The words the last parse stemmed, and their stems (the parser's
  // stemmer records them; the parser owns it).
  std::vector<std::pair<std::string, std::string>>* stems = nullptr;
};

struct Language {
  std::string name;                          // Snowball's
  Xapian::Stem stem;
  const Xapian::Stopper* stopper = nullptr;  // the stopword list the indexer used, if any
  std::unique_ptr<LanguageParser> parser;    // made on the first parse after the index is opened
};

}  // namespace nsearch
