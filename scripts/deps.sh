# Sourced by setup.sh and test.sh: installs the Debian 12 packages nsearch
# needs, once, and only those that are missing. Needs root or sudo.
NSEARCH_PACKAGES=(
  build-essential cmake         # compiler and build
  libxapian-dev xapian-tools    # the index, matcher, xapian-compact/delve
  libstemmer-dev                # Snowball stemmers
  libcli11-dev                  # command lines
  nlohmann-json3-dev            # JSON output
  libzstd-dev                   # compression of the stored article text
  libxml2-dev                   # HTML articles
  libuchardet-dev               # charset detection for text that is not UTF-8
  libxxhash-dev                 # content hashes for incremental indexing
  libcld2-dev                   # language identification of articles
  libjemalloc-dev               # nsearch-index's memory allocator
  catch2                        # tests
  python3                       # bench/relevance/run, which the test suite runs on TIME
)

nsearch_install_deps() {
  local missing=()
  local p
  for p in "${NSEARCH_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

nsearch_build() {
  local build_dir=$1; shift
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$build_dir" -j"$(nproc)"
}
