// A CSV watchlist (nsearch --batch FILE.csv --format csv): rows of
// name,query, as RFC 4180 writes them (fields in double quotes may hold
// commas, line breaks and "" for a quote; a first row "name,query" is a
// header). Each row's query is run and one CSV row written: name, query,
// total, new (indexed since the last run of the watchlist), and the best
// hit's title and path, each row ending in a line feed. Datashare's batch search does this for a list of
// people and companies.
#pragma once

#include <cstdio>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/searcher.h"

namespace nsearch {

struct WatchRow {
  std::size_t line = 0;  // where the row starts in its file, from 1
  std::string name;
  std::string query;
};

// The rows of the CSV read from `in`, empty lines skipped. Throws
// UsageError "FILE:LINE: why" (`file_name` as given) for a row that is not
// two fields, an unclosed or misplaced quote, or an empty query; nothing is
// run then.
std::vector<WatchRow> ReadWatchlist(std::istream& in, const std::string& file_name);

// `field` as one CSV field: in double quotes (its quotes doubled) when it
// holds a comma, a quote, a line break or space at either end.
std::string CsvField(std::string_view field);

struct WatchlistRun {
  int status = 1;               // 0: a query matched; 1: none did; 2: a query failed
  std::string indexed_through;  // of the first search: the watchlist's next mark
};

// Runs every row with `request` as the template and writes the header and
// one row per query to `out`; a query that fails is reported on stderr as
// "nsearch: FILE:LINE: why" and its row left out. The new count is of
// articles indexed at or after `new_since` (a stamp); without one every
// match is new. Throws std::runtime_error when `out` cannot be written.
WatchlistRun RunWatchlist(Searcher& searcher, const SearchRequest& request, const std::vector<WatchRow>& rows,
                          const std::optional<std::string>& new_since, const std::string& file_name, std::FILE* out);

}  // namespace nsearch
