#include "indexer/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>

#include "common/utf8.h"
#include "indexer/document_reader.h"

namespace nsearch {
namespace {

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

// `s` with each control character (a newline in a hostile name or in
// libarchive's message) made `with`: a problem is one line, an id one too.
std::string OneLine(std::string s, char with) {
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = with;
  }
  return s;
}

std::string ErrorOf(archive* a) {
  const char* e = archive_error_string(a);
  return e != nullptr ? OneLine(SanitiseUtf8(e), ' ') : "unknown libarchive error";
}

// A name that would leave the folder it is extracted into: absolute, or a
// ".." component. nsearch extracts nothing, but such a member is a sign of
// a hostile archive and its name is no path to show.
bool IsUnsafeName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.front() == '\\') return true;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

std::string NameOf(archive_entry* entry) {
  const char* utf8 = archive_entry_pathname_utf8(entry);
  const char* raw = utf8 != nullptr ? utf8 : archive_entry_pathname(entry);
  std::string name = raw != nullptr ? OneLine(SanitiseUtf8(raw), '?') : std::string();
  while (name.rfind("./", 0) == 0) name.erase(0, 2);
  return name;
}

// Reads the current member's data into `m.data`, within the limits.
// Returns false when the archive cannot be read further (`fatal` set).
bool ReadData(archive* a, ArchiveMember& m, std::uint64_t max_member_bytes, ExpansionBudget& budget,
              std::string& fatal) {
  char buffer[64 << 10];
  for (;;) {
    const la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
    if (n == 0) return true;
    if (n < 0) {
      m.data.clear();
      m.problem = "cannot read member: " + ErrorOf(a);
      if (n == ARCHIVE_FATAL) fatal = "damaged archive: " + ErrorOf(a);
      return n != ARCHIVE_FATAL;
    }
    const auto k = static_cast<std::uint64_t>(n);
    if (m.data.size() + k > max_member_bytes) {
      m.data.clear();
      m.problem = "larger than the size limit once expanded (> " + std::to_string(max_member_bytes) +
                  " bytes; see --max-size)";
      return true;
    }
    if (k > budget.left) {
      m.data.clear();  // the archive's own line (`fatal`) says why
      fatal = "members expand beyond " + std::to_string(kMaxExpansionRatio) +
              " times the file's size (a zip bomb?): the rest is not read";
      budget.left = 0;
      return false;
    }
    budget.left -= k;
    m.data.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

ExpansionBudget ExpansionBudget::For(std::uint64_t file_bytes, std::uint64_t max_member_bytes) {
  const std::uint64_t ratio = file_bytes > kMaxExpandedBytes / kMaxExpansionRatio ? kMaxExpandedBytes
                                                                                  : file_bytes * kMaxExpansionRatio;
  return ExpansionBudget{std::min(kMaxExpandedBytes, std::max(ratio, max_member_bytes))};
}

std::string ForEachMember(std::string_view bytes, std::uint64_t max_member_bytes, ExpansionBudget& budget,
                          const std::function<bool(const std::string& name)>& wanted,
                          const std::function<void(ArchiveMember&)>& on_member, int& members_read) {
  members_read = 0;
  std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_zip(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) return "not an archive: " + ErrorOf(a.get());
  std::string fatal;
  for (;;) {
    archive_entry* entry = nullptr;
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) return "";
    if (rc == ARCHIVE_FATAL || rc == ARCHIVE_RETRY) {
      return members_read == 0 ? "not an archive: " + ErrorOf(a.get()) : "damaged archive: " + ErrorOf(a.get());
    }
    ++members_read;
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    ArchiveMember m;
    m.name = NameOf(entry);
    if (IsUnsafeName(m.name)) {
      m.problem = "unsafe member name (absolute, or with ..): not read";
      on_member(m);
      continue;
    }
    if (!wanted(m.name)) continue;
    if (archive_entry_is_encrypted(entry)) {
      m.problem = "encrypted member: not read";
      on_member(m);
      continue;
    }
    const bool more = ReadData(a.get(), m, max_member_bytes, budget, fatal);
    if (more || !m.problem.empty()) on_member(m);
    if (!more) return fatal;
  }
}

ParsedFile ParseContainer(std::string_view bytes, const std::string& id, const std::string& path,
                          const ParseOptions& options, int depth, ExpansionBudget& budget) {
  ParsedFile out;
  // Problems are named by member from the top-level file: "#a.zip#b.pdf: ...".
  const std::string prefix = id.size() > path.size() ? id.substr(path.size()) : std::string();
  auto wanted = [](const std::string& name) { return FormatOf(name) != ArticleFormat::kOther; };
  auto on_member = [&](ArchiveMember& m) {
    const std::string member_id = id + "#" + m.name;
    const std::string where = prefix + "#" + m.name + ": ";
    if (!m.problem.empty()) return out.problems.push_back(where + m.problem);
    const ArticleFormat format = FormatOf(m.name);
    if (format == ArticleFormat::kContainer && depth + 1 >= kMaxContainerDepth) {
      return out.problems.push_back(where + "containers nested more than " + std::to_string(kMaxContainerDepth) +
                                    " deep: not read");
    }
    if (!IsBinaryFormat(format) && LooksBinary(m.data)) return out.problems.push_back(where + "binary file (NUL bytes)");
    if (m.data.find_first_not_of(" \t\r\n\f\v") == std::string::npos) return out.problems.push_back(where + "empty file");
    ParsedFile member = ParseDocumentAs(m.data, format, member_id, path, options, depth + 1, budget);
    m.data = std::string();
    if (!member.skip_kind.empty()) out.problems.push_back(where + member.skip_reason);
    for (std::string& p : member.problems) {
      // A nested container's problems already name their member; others get this one's name,
      // a place in it (mail's ":LINE", a WARC's "#N") right after the name.
      if (format == ArticleFormat::kContainer) {
        out.problems.push_back(std::move(p));
      } else if (!p.empty() && (p[0] == ':' || p[0] == '#')) {
        out.problems.push_back(prefix + "#" + m.name + std::move(p));
      } else {
        out.problems.push_back(where + std::move(p));
      }
    }
    for (Article& article : member.articles) out.articles.push_back(std::move(article));
  };
  int members_read = 0;
  const std::string error = ForEachMember(bytes, options.max_member_bytes, budget, wanted, on_member, members_read);
  if (!error.empty()) {
    if (members_read == 0 && out.articles.empty() && out.problems.empty()) {
      out.skip_kind = "malformed";
      out.skip_reason = error;
    } else {
      out.problems.push_back(prefix.empty() ? error : prefix + ": " + error);
    }
  }
  return out;
}

}  // namespace nsearch
