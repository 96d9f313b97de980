// ArchiveReader reads containers (.zip, .tar, .tar.gz, .tgz) through
// libarchive (libarchive-dev), into memory only: nothing is ever written to
// disk, so a member named "../x" or "/etc/x" is only a bad name. Each
// member of a format nsearch reads becomes articles of its own, with ids
// "PATH#MEMBER" ("PATH#a.zip#b.pdf" inside a container inside a
// container) and PATH as their path; members of other formats are passed
// over, as the file walker passes over such files.
//
// Bounds against hostile archives: a member larger than --max-size
// expanded is not read; a file's members together (at every depth) expand
// to at most kMaxExpansionRatio times the file's size (but at least
// --max-size, and at most kMaxExpandedBytes); containers nest at most
// kMaxContainerDepth deep. Each refusal is a problem line
// "#MEMBER: reason" (article_reader.h). Runs in the parse worker.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "indexer/article_reader.h"

namespace nsearch {

inline constexpr std::uint64_t kMaxExpansionRatio = 100;
inline constexpr std::uint64_t kMaxExpandedBytes = 1ULL << 30;
inline constexpr int kMaxContainerDepth = 4;

// What is left of a file's expansion allowance, shared by its nested
// containers and Office files.
struct ExpansionBudget {
  std::uint64_t left = 0;
  static ExpansionBudget For(std::uint64_t file_bytes, std::uint64_t max_member_bytes);
};

// One member read into memory, or why not (`problem`, with `data` empty).
struct ArchiveMember {
  std::string name;  // as stored, made valid UTF-8, control characters made '?'
  std::string data;
  std::string problem;
};

// Calls `on_member` for each regular member that `wanted(name)` accepts, in
// archive order; a member's data is at most `max_member_bytes` and counts
// against `budget`. Returns "" when the archive was read to its end, else
// why not ("truncated archive", "expands more than 100 times its size").
// `members_read` counts the members seen. Never throws (but bad_alloc).
std::string ForEachMember(std::string_view bytes, std::uint64_t max_member_bytes, ExpansionBudget& budget,
                          const std::function<bool(const std::string& name)>& wanted,
                          const std::function<void(ArchiveMember&)>& on_member, int& members_read);

// The articles of a container's members; `id` is the container's own id
// (its path, or "PATH#a.zip" when nested `depth` deep). A container that
// cannot be opened at all is a skip.
ParsedFile ParseContainer(std::string_view bytes, const std::string& id, const std::string& path,
                          const ParseOptions& options, int depth, ExpansionBudget& budget);

}  // namespace nsearch
