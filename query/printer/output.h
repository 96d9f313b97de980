// Output is where a printer writes: a stdio stream (nsearch's standard
// output) or a std::string (a record of --batch, the body of an HTTP
// answer), so that every front end gets the same bytes from the same code.
// Not thread-safe; it does not own what it writes to.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace nsearch {

class Output {
 public:
  // Writes to `file`. A failed write is not reported here: the stream's
  // error flag is set, and the caller's fflush or ferror sees it.
  explicit Output(std::FILE* file) : file_(file) {}
  // Appends to `text`, which must outlive this Output.
  explicit Output(std::string& text) : text_(&text) {}

  void Write(std::string_view bytes);
  void Put(char c);
  // printf's formatting.
  void Format(const char* format, ...) __attribute__((format(printf, 2, 3)));

 private:
  std::FILE* file_ = nullptr;
  std::string* text_ = nullptr;
};

}  // namespace nsearch
