// The one rule for the terms that name an article by a whole value: its id
// (Q), its file (P), its URL (U) and site (H); and the one rule for turning
// a path a user gives into the canonical path the indexer stores. The
// indexer writes these terms and every query form that looks an article up
// (id:, path:, dir:, site:, --like) rebuilds them here, so both sides agree
// for values of any length. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include "common/schema.h"

namespace nsearch {

// The bytes of a hashed value a bounded term keeps: "#" and 16 hex digits
// of StableHash(value) follow them.
inline constexpr std::size_t kTermHashBytes = 17;
constexpr std::size_t BoundedTermKeptBytes(std::string_view prefix) {
  return schema::kMaxIdTermLength - prefix.size() - kTermHashBytes;
}

// `prefix` + `value` when that fits in schema::kMaxIdTermLength bytes (Xapian
// refuses terms over 245); else `prefix`, the first
// BoundedTermKeptBytes(prefix) bytes of `value`, "#" and the 16 hex digits
// of StableHash(value), so that the term stays unique and is exactly
// kMaxIdTermLength bytes. Never throws.
std::string BoundedTerm(std::string_view prefix, std::string_view value);

// Whether BoundedTerm(prefix, value) holds `value` whole.
constexpr bool TermHoldsWhole(std::string_view prefix, std::string_view value) {
  return prefix.size() + value.size() <= schema::kMaxIdTermLength;
}

// The unique id term of the article whose id is `id` (schema::kIdPrefix):
// re-indexing replaces the document that has it.
inline std::string IdTerm(std::string_view id) { return BoundedTerm(schema::kIdPrefix, id); }

// The file term of an article read from `path` that is not its id
// (schema::kPathPrefix).
inline std::string PathTerm(std::string_view path) { return BoundedTerm(schema::kPathPrefix, path); }

// `path` as the indexer names files: made absolute against the current
// directory, symbolic links resolved as far as the path exists
// (std::filesystem::weakly_canonical), "." and ".." removed, and no
// trailing "/" (but "/" itself). This is the id of a file's article, so
// path:, dir: and --like of any spelling of a path find it. Sets `error`
// when the links cannot be resolved (a folder that cannot be read), and
// then returns the absolute path with "." and ".." removed; or "" when the
// path cannot even be made absolute (a relative path and no current
// directory). Never throws.
std::string CanonicalPath(std::string_view path, std::error_code& error);

}  // namespace nsearch
