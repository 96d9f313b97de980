#include "indexer/article_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>

#include "common/dates.h"
#include "common/utf8.h"
#include "indexer/html_reader.h"
#include "indexer/isolated_parse.h"
#include "indexer/json_reader.h"
#include "common/source_state.h"

namespace nsearch {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

LoadedFile LoadArticleFile(const std::filesystem::path& path, std::uint64_t max_bytes) {
  LoadedFile out;
  auto skip = [&](const char* kind, std::string reason) {
    out.skip_kind = kind;
    out.skip_reason = std::move(reason);
    out.bytes.clear();
    out.bytes.shrink_to_fit();
    return std::move(out);
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return skip("unreadable", std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return skip("unreadable", "not a regular file");
  }
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  if (out.size > max_bytes) {
    ::close(fd);
    return skip("too large", "larger than the size limit (" + std::to_string(out.size) + " > " +
                                 std::to_string(max_bytes) + " bytes; see --max-size)");
  }
  out.bytes.resize(static_cast<std::size_t>(out.size));
  std::size_t got = 0;
  while (got < out.bytes.size()) {
    const ssize_t n = ::read(fd, out.bytes.data() + got, out.bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      return skip("unreadable", std::strerror(saved));
    }
    if (n == 0) break;  // the file shrank while we read it
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  out.bytes.resize(got);
  out.size = got;
  out.hash = ContentHash(out.bytes);

  if (!IsBinaryFormat(FormatOf(path)) && LooksBinary(out.bytes)) return skip("binary", "binary file (NUL bytes)");
  if (Trim(out.bytes).empty()) return skip("empty", "empty file");
  return out;
}

ParsedFile ParseTextFormats(std::string_view bytes, ArticleFormat format, const std::string& id, const std::string& path) {
  ParsedFile out;
  if (format == ArticleFormat::kJson || format == ArticleFormat::kJsonLines) {
    JsonArticles json = ParseJsonArticles(bytes, id, format == ArticleFormat::kJsonLines);
    out.articles = std::move(json.articles);
    out.problems = std::move(json.problems);
    for (Article& a : out.articles) a.path = path;
  } else if (format == ArticleFormat::kHtml) {
    out.articles.push_back(ParseHtmlArticle(bytes, id, path));
  } else {
    out.articles.push_back(ParseTextArticle(bytes, id, path));
  }
  return out;
}

ParsedFile ParseArticleFile(std::string_view bytes, const std::string& path, const ParseOptions& options) {
  const ArticleFormat format = FormatOf(path);
  if (format == ArticleFormat::kImage && !options.ocr) return {};  // an article only with --ocr
  if (ParsedInWorker(format)) return ParseInWorker(bytes, path, options);
  return ParseTextFormats(bytes, format, path, path);
}

ArticleFormat FormatOf(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto ends = [&name](std::string_view suffix) {
    return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  const std::string ext = std::filesystem::path(name).extension().string();
  if (ext == ".txt" || ext == ".md") return ArticleFormat::kText;
  if (ext == ".json") return ArticleFormat::kJson;
  if (ext == ".jsonl" || ext == ".ndjson") return ArticleFormat::kJsonLines;
  if (ext == ".html" || ext == ".htm") return ArticleFormat::kHtml;
  if (ext == ".pdf") return ArticleFormat::kPdf;
  if (ext == ".docx" || ext == ".odt" || ext == ".epub") return ArticleFormat::kOffice;
  if (ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".tif" || ext == ".tiff") return ArticleFormat::kImage;
  if (ext == ".zip" || ext == ".tar" || ext == ".tgz" || ends(".tar.gz")) return ArticleFormat::kContainer;
  if (ext == ".mbox") return ArticleFormat::kMbox;
  if (ext == ".eml") return ArticleFormat::kEml;
  if (ext == ".rss" || ext == ".atom" || ext == ".xml") return ArticleFormat::kFeed;
  if (ext == ".warc" || ends(".warc.gz")) return ArticleFormat::kWarc;
  return ArticleFormat::kOther;
}

bool IsBinaryFormat(ArticleFormat format) {
  return format == ArticleFormat::kPdf || format == ArticleFormat::kOffice || format == ArticleFormat::kImage ||
         format == ArticleFormat::kContainer || format == ArticleFormat::kWarc;
}

bool HoldsManyArticles(ArticleFormat format) {
  return format == ArticleFormat::kJson || format == ArticleFormat::kJsonLines || format == ArticleFormat::kContainer ||
         format == ArticleFormat::kMbox || format == ArticleFormat::kEml || format == ArticleFormat::kWarc ||
         format == ArticleFormat::kFeed;
}

bool ParsedInWorker(ArticleFormat format) {
  return format == ArticleFormat::kPdf || format == ArticleFormat::kOffice || format == ArticleFormat::kImage ||
         format == ArticleFormat::kContainer || format == ArticleFormat::kMbox || format == ArticleFormat::kEml ||
         format == ArticleFormat::kWarc || format == ArticleFormat::kFeed;
}

std::string TesseractLanguage(const std::string& snowball) {
  static const std::map<std::string, std::string> codes = {
      {"english", "eng"},    {"spanish", "spa"}, {"french", "fra"},   {"german", "deu"},  {"italian", "ita"},
      {"portuguese", "por"}, {"dutch", "nld"},   {"swedish", "swe"},  {"danish", "dan"},  {"norwegian", "nor"},
      {"finnish", "fin"},    {"russian", "rus"}, {"hungarian", "hun"}, {"romanian", "ron"}, {"turkish", "tur"},
  };
  auto it = codes.find(snowball);
  return it == codes.end() ? "" : it->second;
}

SkippedInput ProblemInput(const std::string& path, const std::string& problem) {
  if (!problem.empty() && (problem[0] == ':' || problem[0] == '#')) {
    // The place ends at the first ": " after it.
    if (const std::size_t end = problem.find(": ", 1); end != std::string::npos) {
      return {path + problem.substr(0, end), "malformed", problem.substr(end + 2)};
    }
  }
  return {path, "malformed", problem};
}

}  // namespace nsearch
