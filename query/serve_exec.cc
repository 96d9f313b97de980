#include "query/serve_exec.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace nsearch {

int ExecServe(int argc, char** argv) {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) {
    std::fprintf(stderr, "nsearch: cannot find nsearch-serve: /proc/self/exe: %s\n", ec.message().c_str());
    return 2;
  }
  const std::string program = (self.parent_path() / "nsearch-serve").string();
  std::vector<char*> args = {const_cast<char*>("nsearch-serve")};
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  ::execv(program.c_str(), args.data());
  std::fprintf(stderr, "nsearch: cannot run %s: %s\n", program.c_str(), std::strerror(errno));
  return 2;
}

}  // namespace nsearch
