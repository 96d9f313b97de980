// The errors nsearch's libraries throw. Each carries a complete one-line
// message (naming the file, index or query concerned) that main() prints
// after the program name before exiting with status 2.
#pragma once

#include <stdexcept>
#include <string>

namespace nsearch {

// Something is wrong with what the user asked for: an option, a path.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The index is missing, unreadable, locked or of another schema version.
class IndexError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A query could not be parsed.
class QueryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// No article in the index has the id a request named.
class NotFoundError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace nsearch
