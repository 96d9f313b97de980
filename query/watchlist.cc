#include "query/watchlist.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <stdexcept>

#include "common/error.h"

namespace nsearch {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string Trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Reads RFC 4180 records from `text`, one at a time. A record ends at a
// line break outside quotes (CRLF or LF); a final one may end at the end.
class CsvReader {
 public:
  CsvReader(const std::string& text, const std::string& file_name) : text_(text), file_(file_name) {}

  // The next record's fields, and the line it starts on; false at the end.
  bool Next(std::vector<std::string>& fields, std::size_t& line) {
    fields.clear();
    if (at_ >= text_.size()) return false;
    line = line_;
    for (;;) {
      fields.push_back(Field(line));
      if (at_ >= text_.size()) return true;
      const char c = text_[at_++];
      if (c == ',') continue;
      if (c == '\r' && at_ < text_.size() && text_[at_] == '\n') ++at_;
      ++line_;
      return true;
    }
  }

 private:
  std::string Field(std::size_t record_line) {
    std::string field;
    if (at_ < text_.size() && text_[at_] == '"') {
      ++at_;
      for (;;) {
        if (at_ >= text_.size()) Fail(record_line, "a quoted field is not closed");
        const char c = text_[at_++];
        if (c == '"') {
          if (at_ < text_.size() && text_[at_] == '"') {
            field += '"';
            ++at_;
            continue;
          }
          break;
        }
        if (c == '\n') ++line_;
        field += c;
      }
      if (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '\n' && text_[at_] != '\r') {
        Fail(line_, "text after the closing quote of a field (write \"\" for a quote inside one)");
      }
      return field;
    }
    while (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '\n' &&
           !(text_[at_] == '\r' && at_ + 1 < text_.size() && text_[at_ + 1] == '\n')) {
      if (text_[at_] == '"') Fail(line_, "a quote inside a field that does not start with one");
      field += text_[at_++];
    }
    return field;
  }

  [[noreturn]] void Fail(std::size_t line, const std::string& why) const {
    throw UsageError(file_ + ":" + std::to_string(line) + ": " + why);
  }

  const std::string& text_;
  const std::string& file_;
  std::size_t at_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

std::vector<WatchRow> ReadWatchlist(std::istream& in, const std::string& file_name) {
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw UsageError("cannot read " + file_name + ": " + std::strerror(errno));
  CsvReader reader(text, file_name);
  std::vector<WatchRow> rows;
  std::vector<std::string> fields;
  std::size_t line = 0;
  bool first = true;
  while (reader.Next(fields, line)) {
    if (fields.size() == 1 && fields.front().empty()) continue;  // an empty line
    const bool header = first && fields.size() == 2 && Lower(Trimmed(fields[0])) == "name" &&
                        Lower(Trimmed(fields[1])) == "query";
    first = false;
    if (header) continue;
    if (fields.size() != 2) {
      throw UsageError(file_name + ":" + std::to_string(line) + ": a row of " + std::to_string(fields.size()) +
                       " fields; a watchlist row is name,query (quote a field that holds a comma)");
    }
    if (Trimmed(fields[1]).empty()) throw UsageError(file_name + ":" + std::to_string(line) + ": the query is empty");
    rows.push_back({line, fields[0], fields[1]});
  }
  return rows;
}

std::string CsvField(std::string_view field) {
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) return std::string(field);
  std::string out = "\"";
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

WatchlistRun RunWatchlist(Searcher& searcher, const SearchRequest& request, const std::vector<WatchRow>& rows,
                          const std::optional<std::string>& new_since, const std::string& file_name, std::FILE* out) {
  WatchlistRun run;
  bool failed = false, matched = false, first = true;
  std::string text = "name,query,total,new,title,path\n";
  const auto write = [&] {
    if (std::fwrite(text.data(), 1, text.size(), out) != text.size() || std::fflush(out) != 0) {
      throw std::runtime_error(std::string("cannot write the output: ") + std::strerror(errno));
    }
    text.clear();
  };
  write();
  for (const WatchRow& row : rows) {
    SearchRequest search = request;
    search.query = row.query;
    search.limit = 1;
    search.offset = 0;
    search.exact_total = true;
    search.snippets = false;
    try {
      const SearchResult all = searcher.Search(search);
      if (first) run.indexed_through = all.indexed_through;
      first = false;
      std::uint64_t fresh = all.total;
      if (new_since) {
        search.indexed_since = *new_since;
        fresh = searcher.Search(search).total;
      }
      matched = matched || all.total > 0;
      const Article* best = all.hits.empty() ? nullptr : &all.hits.front().article;
      text = CsvField(row.name) + "," + CsvField(row.query) + "," + std::to_string(all.total) + "," +
             std::to_string(fresh) + "," + (best ? CsvField(best->title) : "") + "," + (best ? CsvField(best->path) : "") + "\n";
      write();
    } catch (const QueryError& e) {
      std::fprintf(stderr, "nsearch: %s:%zu: %s\n", file_name.c_str(), row.line, e.what());
      failed = true;
    }
  }
  run.status = failed ? 2 : matched ? 0 : 1;
  return run;
}

}  // namespace nsearch
