// Article is the plain record an ArticleReader produces and the Indexer
// consumes: one news story, its header fields and its body, all valid UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nsearch {

struct Article {
  std::string id;        // unique and stable: the canonical path for files
  std::string path;      // canonical absolute path of the file it came from
  std::string title;     // from the Title field, else the first non-empty line
  std::string date;      // ISO 8601 as normalised by NormaliseDate, or empty
  std::string source;    // outlet or feed, e.g. "Reuters"
  std::string author;
  std::string url;
  std::string language;  // as given in the article; once indexed, the Snowball language it was stemmed in
  std::vector<std::pair<std::string, std::string>> extra_fields;  // other header fields, in order
  std::string body;
  // Set when `body` is only the start of the text (StoredDocument keeps a
  // preview of articles whose file can be read again; see stored_document.h).
  bool preview = false;
  // With a preview: the whole file's size and XXH3-64 hash (as in its
  // SourceState), which nsearch checks the file against before cutting a
  // snippet from it. Absent in indexes written before they were stored
  // (nsearch then reads the source state's value slot).
  struct FileContent {
    std::uint64_t size = 0;
    std::uint64_t hash = 0;
  };
  std::optional<FileContent> file_content;
};

}  // namespace nsearch
