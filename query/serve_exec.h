// `nsearch serve ARGS...` runs the program nsearch-serve (server/), which
// holds the web server: nsearch itself stays free of the HTTP library
// (server/CMakeLists.txt says why).
#pragma once

namespace nsearch {

// Replaces this process with nsearch-serve from this program's own folder,
// given argv[2...]. Returns only on failure, with exit status 2, having
// said why on stderr.
int ExecServe(int argc, char** argv);

}  // namespace nsearch
