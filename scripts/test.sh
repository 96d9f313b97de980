#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: installs what is
# missing, builds and runs every test with CTest. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
nsearch_install_deps
nsearch_build build
ctest --test-dir build --output-on-failure -j"$(nproc)"
