#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a first search: installs
# what is missing, builds, indexes corpus/ and runs a sample query.
#   scripts/setup.sh            index into the default index location
#   NSEARCH_DB=DIR scripts/setup.sh   ... or into DIR
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
nsearch_install_deps
nsearch_build build
build/indexer/nsearch-index corpus
echo
echo '$ nsearch "deportation flights"'
build/query/nsearch "deportation flights"
echo
echo "Built: build/query/nsearch and build/indexer/nsearch-index (cmake --install build puts them on PATH)."
