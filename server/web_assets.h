// The files of the web page (web/ in the source tree), built into the
// program by server/embed_assets.cmake.
#pragma once

#include <string_view>
#include <vector>

namespace nsearch::server {

struct WebAsset {
  std::string_view path;   // "/index.html": the file's path under web/, with a leading slash
  std::string_view bytes;  // its content, as in the source tree
};

// Every file under web/, in the order of their paths.
const std::vector<WebAsset>& WebAssets();

}  // namespace nsearch::server
