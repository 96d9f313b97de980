// Reading the tables of the Markdown docs that tests hold the code to
// (docs/json-output.md, docs/query-syntax.md).
#pragma once

#include <string>
#include <vector>

namespace nsearch::test {

// The cells of a Markdown table row "| a | b | c |", each trimmed of spaces.
std::vector<std::string> MarkdownCells(const std::string& row);

}  // namespace nsearch::test
