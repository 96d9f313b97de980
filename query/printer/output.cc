#include "query/printer/output.h"

#include <cstdarg>

namespace nsearch {

void Output::Write(std::string_view bytes) {
  if (text_ != nullptr) {
    text_->append(bytes);
  } else {
    std::fwrite(bytes.data(), 1, bytes.size(), file_);
  }
}

void Output::Put(char c) {
  if (text_ != nullptr) {
    text_->push_back(c);
  } else {
    std::fputc(c, file_);
  }
}

void Output::Format(const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  if (text_ == nullptr) {
    std::vfprintf(file_, format, args);
    va_end(args);
    return;
  }
  std::va_list again;
  va_copy(again, args);
  char buf[256];
  const int length = std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  if (length > 0 && static_cast<std::size_t>(length) < sizeof buf) {
    text_->append(buf, static_cast<std::size_t>(length));
  } else if (length > 0) {
    const std::size_t start = text_->size();
    text_->resize(start + static_cast<std::size_t>(length) + 1);
    std::vsnprintf(text_->data() + start, static_cast<std::size_t>(length) + 1, format, again);
    text_->resize(start + static_cast<std::size_t>(length));
  }
  va_end(again);
}

}  // namespace nsearch
