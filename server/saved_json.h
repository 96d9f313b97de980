// GET /api/saved (docs/http-api.md): the saved searches of the user the
// server runs as (cli/saved_searches.h), each with the number of articles a
// `nsearch --new @NAME` would show now. Only reads: no mark moves.
#pragma once

#include <filesystem>
#include <string>

#include "server/searcher_pool.h"

namespace nsearch::server {

// The document of GET /api/saved for the index at `index_dir`, searched
// with `pool`. A saved search that cannot be read or run is listed with its
// "error"; one that names another index with "new": null and that "index".
// Throws UsageError when the saved searches' folder cannot be read, and
// IndexError as the pool does.
std::string SavedJson(const std::filesystem::path& index_dir, SearcherPool& pool);

}  // namespace nsearch::server
