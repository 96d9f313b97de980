// The Catch2 main for every nsearch test binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
