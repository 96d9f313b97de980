// How the printers make article text safe for their formats, in one place:
// JSON text on one line with invalid UTF-8 replaced, and text on one line
// for the line-based formats (a title or snippet may hold tabs and breaks).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nsearch {

// `j` on one line, with its newline. Bytes that are not valid UTF-8 become
// U+FFFD, so that every document a printer writes is valid JSON.
std::string JsonLine(const nlohmann::json& j);

// Appends `text` to `out` with each byte that is in `breaks` written as a
// space: OneLine(out, field, "\t\n\r") for a TSV field.
void AppendOneLine(std::string& out, std::string_view text, std::string_view breaks);
std::string OneLine(std::string_view text, std::string_view breaks);

}  // namespace nsearch
