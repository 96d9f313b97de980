#!/usr/bin/env bash
# Builds WORK/libxapian.a from Debian's source package xapian-core=VERSION,
# with Debian's patches and build flags (without debug information, as in
# the library Debian ships). Run by nsearch_static_xapian in
# scripts/deps.sh, which says why nsearch wants it. apt reads the deb-src
# twins of the system's Debian sources from a private configuration in
# WORK: the system's apt configuration is not changed.
set -euo pipefail
version=$1
work=$2
mkdir -p "$work/apt/lists/partial" "$work/apt/sources.list.d" "$work/apt/cache/archives/partial"
: > "$work/apt/sources.list"
if [ -f /etc/apt/sources.list ]; then
  sed -n 's/^deb \(.*debian.*\)/deb-src \1/p' /etc/apt/sources.list >> "$work/apt/sources.list"
fi
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && grep -qi debian "$f" || continue
  sed 's/^Types:.*/Types: deb-src/' "$f" > "$work/apt/sources.list.d/$(basename "$f")"
done
# Lists and cache in WORK too, so that it needs no root: nothing of the system's apt is written.
apt=(apt-get -q -o Dir::Etc::sourcelist="$work/apt/sources.list" -o Dir::Etc::sourceparts="$work/apt/sources.list.d"
     -o Dir::State::Lists="$work/apt/lists" -o Dir::Cache="$work/apt/cache" -o APT::Sandbox::User="$(id -un)")
"${apt[@]}" update > "$work/apt.log" 2>&1 || true  # one source without deb-src does not stop the others
cd "$work"
"${apt[@]}" source --download-only "xapian-core=$version" >> "$work/apt.log" 2>&1
# apt checked the files against Debian's signed index; dpkg-source, which lacks the
# maintainer's key, only warns that it cannot check the .dsc signature again.
dpkg-source -x xapian-core_*.dsc src > "$work/dpkg-source.log" 2>&1
cd src
./configure --disable-shared --enable-static --disable-documentation \
  CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)" CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS) -g0" > "$work/configure.log"
make -j"$(nproc)" libxapian.la > "$work/make.log" 2>&1
cp .libs/libxapian.a "$work/libxapian.a"
