# Sourced by setup.sh and test.sh: installs the Debian 12 packages nsearch
# needs, once, and only those that are missing. Needs root or sudo.
NSEARCH_PACKAGES=(
  build-essential cmake         # compiler and build
  libxapian-dev xapian-tools    # the index, matcher, xapian-compact/delve; xapian-tcpsrv and xapian-replicate(-server) for remote shards and replicas
  dpkg-dev uuid-dev zlib1g-dev  # a static libxapian from Debian's source (nsearch_static_xapian); zlib also inflates .warc.gz
  libstemmer-dev                # Snowball stemmers
  libcli11-dev                  # command lines
  nlohmann-json3-dev            # JSON output
  libzstd-dev                   # compression of the stored article text
  libxml2-dev                   # HTML articles, RSS/Atom feeds
  libgmime-3.0-dev              # .eml and .mbox mail: one article per message
  libuchardet-dev               # charset detection for text that is not UTF-8
  libxxhash-dev                 # content hashes for incremental indexing
  libcld2-dev                   # language identification of articles
  libjemalloc-dev               # nsearch-index's memory allocator
  pkg-config                    # finds the libraries below (CMakeLists.txt)
  libpoppler-cpp-dev            # PDF articles (the parse worker, indexer/pdf_reader.h)
  libarchive-dev                # .zip/.tar/.tar.gz containers, .docx, .odt and .epub (indexer/archive_reader.h)
  libtesseract-dev              # --ocr of images and scanned PDF pages (indexer/ocr.h); brings Leptonica
  tesseract-ocr-eng             # --ocr's English traineddata (add tesseract-ocr-LANG for others)
  tesseract-ocr-spa             # --ocr of Spanish, a language of the fixtures and of the news corpus
  zip poppler-utils             # tests: zip rewrites a container; make-fixtures.py renders scans with pdftoppm
  libcpp-httplib-dev            # nsearch serve: the HTTP server (cpp-httplib)
  catch2                        # tests
  python3                       # bench/relevance/run, which the test suite runs on TIME
  chromium chromium-driver python3-selenium  # tests/browser: nsearch serve's page in headless Chromium
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

# Prints the path of a libxapian.a of the installed Xapian, built once into
# .deps/ from Debian's own source package of that version
# (scripts/static-xapian.sh): Debian ships only the shared library, which
# costs every nsearch process about 0.8 ms to load (CMakeLists.txt). Needs
# the network the first time. When it cannot, it says so on stderr and
# fails: nsearch then links the shared library and works the same, only
# slower to start. NSEARCH_SHARED_XAPIAN=1 skips it.
nsearch_static_xapian() {
  local version
  version=$(dpkg-query -W -f='${source:Version}' libxapian30 2>/dev/null) || {
    echo "no libxapian30 package installed" >&2
    return 1
  }
  local dir
  dir="$(pwd)/.deps/xapian-core-$version"
  if [ -f "$dir/libxapian.a" ]; then
    echo "$dir/libxapian.a"
    return 0
  fi
  echo "Building a static Xapian $version from Debian's source package (once, into .deps/; a few minutes)..." >&2
  local work="$dir.tmp"
  rm -rf "$work"
  if ! bash scripts/static-xapian.sh "$version" "$work" >&2; then
    echo "could not build a static Xapian (logs in $work): linking the shared libxapian" >&2
    return 1
  fi
  mkdir -p "$dir"
  mv "$work/libxapian.a" "$dir/libxapian.a"
  rm -rf "$work"
  echo "$dir/libxapian.a"
}

nsearch_build() {
  local build_dir=$1; shift
  local xapian_static=""
  if [ "${NSEARCH_SHARED_XAPIAN:-0}" != 1 ]; then
    xapian_static=$(nsearch_static_xapian) || xapian_static=""
  fi
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNSEARCH_XAPIAN_STATIC="$xapian_static" "$@" >/dev/null
  cmake --build "$build_dir" -j"$(nproc)"
}
