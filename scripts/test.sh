#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: installs what is
# missing, builds and runs every test with CTest, twice: in build/, and in
# build-sanitize/ built with AddressSanitizer and UndefinedBehaviorSanitizer
# (-DNSEARCH_SANITIZE=ON), where any report fails the test that caused it.
# .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
nsearch_install_deps
nsearch_build build
ctest --test-dir build --output-on-failure -j"$(nproc)"

# Under the sanitizers. The relevance check (label "relevance") is left
# out: it measures ranking on the TIME collection, not memory safety, and
# every code path it takes (indexing text articles, searching) is run by
# the other tests; instrumented it would only add minutes to CI.
nsearch_build build-sanitize -DNSEARCH_SANITIZE=ON
# (The tests point LeakSanitizer at tests/lsan.supp themselves.)
export UBSAN_OPTIONS="print_stacktrace=1"
ctest --test-dir build-sanitize --output-on-failure -j"$(nproc)" --label-exclude relevance
