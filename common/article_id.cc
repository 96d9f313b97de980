#include "common/article_id.h"

#include <cstdio>
#include <filesystem>

#include "common/stable_hash.h"

namespace fs = std::filesystem;

namespace nsearch {

std::string BoundedTerm(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  if (TermHoldsWhole(prefix, value)) {
    term.append(value);
  } else {
    char hash[kTermHashBytes + 1];
    std::snprintf(hash, sizeof hash, "#%016llx", static_cast<unsigned long long>(StableHash(value)));
    term.append(value.substr(0, BoundedTermKeptBytes(prefix))).append(hash);
  }
  return term;
}

std::string CanonicalPath(std::string_view path, std::error_code& error) {
  error.clear();
  const fs::path absolute = fs::absolute(fs::path(path), error);
  if (error) return {};
  fs::path resolved = fs::weakly_canonical(absolute, error);
  if (error) resolved = absolute;
  // weakly_canonical keeps a trailing "/" of a part that does not exist.
  std::string text = resolved.lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

}  // namespace nsearch
