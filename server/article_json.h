// The JSON documents of the HTTP API that nsearch's printers do not make:
// an article (GET /api/article) and an error. docs/http-api.md describes them.
#pragma once

#include <string>

#include "query/searcher.h"

namespace nsearch::server {

// `hit` of a SearchRequest with whole_text (ArticleRequestFrom) as the
// /api/article document, on one line with a newline.
std::string ArticleJson(const Hit& hit);

// {"error": message} on one line with a newline.
std::string ErrorJson(const std::string& message);

}  // namespace nsearch::server
