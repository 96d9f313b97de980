#include "query/printer/escape.h"

namespace nsearch {

std::string JsonLine(const nlohmann::json& j) {
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  return text;
}

void AppendOneLine(std::string& out, std::string_view text, std::string_view breaks) {
  for (const char c : text) out += breaks.find(c) == std::string_view::npos ? c : ' ';
}

std::string OneLine(std::string_view text, std::string_view breaks) {
  std::string out;
  out.reserve(text.size());
  AppendOneLine(out, text, breaks);
  return out;
}

}  // namespace nsearch
