// How a test that cannot run here says so. Catch2 v2 has no SKIP: the test
// prints kSkipMarker and the reason on stdout and returns, and CTest, which
// matches the marker (SKIP_REGULAR_EXPRESSION in tests/CMakeLists.txt, which
// also defines NSEARCH_TEST_SKIP_MARKER), reports it skipped, not passed.
#pragma once

#include <iostream>
#include <string>

namespace nsearch::test {

inline constexpr const char* kSkipMarker = NSEARCH_TEST_SKIP_MARKER;

// Prints the marker and `reason` ("needs root to mount a tmpfs: ..."); the
// caller returns from the test case right after.
inline void ReportSkipped(const std::string& reason) {
  std::cout << kSkipMarker << " " << reason << std::endl;
}

}  // namespace nsearch::test
