#!/bin/sh
# Prints the path of a static linux/arm64 busybox for the multi-platform tests, downloading it once per machine
# (Debian's busybox-static:arm64, fetched with apt inside the nss-it.local/python stand-in, so that the host's dpkg gets
# no foreign architecture). Cached under ${XDG_CACHE_HOME:-$HOME/.cache}/nss-it/. Needs the stand-ins and the Debian mirror.
# Environment: NSS_DOCKER (default /usr/bin/docker).
set -eu

docker=${NSS_DOCKER:-/usr/bin/docker}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/nss-it
target=$cache/busybox-static-arm64
mkdir -p "$cache"

if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.busybox-arm64.lock"
  flock 9
fi

if [ ! -x "$target" ]; then
  work=$(mktemp -d "$cache/.download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  "$docker" run --rm --network host -v "$work:/out" nss-it.local/python:3.11-slim sh -c '
    set -e
    dpkg --add-architecture arm64
    apt-get update -qq
    cd /tmp
    apt-get download -qq busybox-static:arm64
    dpkg-deb -x busybox-static_*_arm64.deb root
    cp root/bin/busybox /out/busybox' >&2
  chmod 755 "$work/busybox"
  mv "$work/busybox" "$target"
fi
echo "$target"
