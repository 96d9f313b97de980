// nsearch --info: what the index holds, as aligned "name: value" lines for
// people, or as one JSON document (docs/json-output.md). What the index does
// not record is said so ("(not recorded)", null), never made up.
#pragma once

#include <string>

#include "query/index_info.h"
#include "query/printer/output.h"

namespace nsearch {

// The document nsearch --info --json prints, its newline included.
std::string InfoJson(const IndexInfo& info);

// Writes `info` to `out`: with `json`, InfoJson; else the lines for people.
void PrintIndexInfo(const IndexInfo& info, bool json, Output& out);

}  // namespace nsearch
