#include "common/url_host.h"

#include <algorithm>
#include <cctype>

namespace nsearch {

std::string UrlHost(std::string_view url) {
  std::size_t begin = url.find("://");
  begin = begin == std::string_view::npos ? 0 : begin + 3;
  std::size_t end = url.find_first_of("/?#", begin);
  std::string_view authority = url.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') {  // IPv6 literal: keep it whole
    const std::size_t close = authority.find(']');
    authority = authority.substr(0, close == std::string_view::npos ? authority.size() : close + 1);
  } else if (const std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  std::string host(authority);
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.rfind("www.", 0) == 0 && host.size() > 4) host.erase(0, 4);
  const bool printable = std::all_of(host.begin(), host.end(), [](unsigned char c) { return c > ' '; });
  return printable ? host : std::string();
}

std::vector<std::string> SiteKeys(const std::string& host) {
  std::vector<std::string> keys;
  if (host.empty()) return keys;
  keys.push_back(host);
  const bool numeric = host.front() == '[' || std::all_of(host.begin(), host.end(), [](unsigned char c) {
                         return std::isdigit(c) || c == '.';
                       });
  if (numeric) return keys;
  for (std::size_t dot = host.find('.'); dot != std::string::npos; dot = host.find('.', dot + 1)) {
    const std::string parent = host.substr(dot + 1);
    if (parent.find('.') == std::string::npos) break;  // "com": a top-level domain is no site
    keys.push_back(parent);
  }
  return keys;
}

}  // namespace nsearch
