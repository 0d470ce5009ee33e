#!/bin/sh
# Makes the stand-in base images of make-stand-ins.sh available in the image store of the CLI named as the argument
# (docker or podman; default /usr/bin/docker). Podman has its own store: when docker (NSS_STAND_IN_SOURCE, default
# /usr/bin/docker) answers, the stand-ins are made there and copied with `docker save | podman load` (seconds, where a
# debootstrap takes a minute), only those whose content label differs; without docker they are made with podman itself.
set -eu

cli=${1:-/usr/bin/docker}
source_cli=${NSS_STAND_IN_SOURCE:-/usr/bin/docker}
here=$(cd "$(dirname "$0")" && pwd)
label=dev.nss.it.stand-in
tags="nss-it.local/cuda:12.8.1-runtime-ubuntu22.04 nss-it.local/cuda:12.8.1-devel-ubuntu22.04
  nss-it.local/python:3.11-slim nss-it.local/uv:0.9.14 nss-it.local/jdk:25"

label_in() { "$1" image inspect --format "{{index .Config.Labels \"$label\"}}" "$2" 2>/dev/null || true; }

if [ "$cli" = "$source_cli" ] || ! { [ -x "$source_cli" ] && timeout 10 "$source_cli" version >/dev/null 2>&1; }; then
  NSS_DOCKER=$cli exec sh "$here/make-stand-ins.sh"
fi
NSS_DOCKER=$source_cli sh "$here/make-stand-ins.sh"

# One copy at a time into this store.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/nss-it-stand-ins-$(basename "$cli").lock"
  flock 9
fi
stale=""
for tag in $tags; do
  [ "$(label_in "$cli" "$tag")" = "$(label_in "$source_cli" "$tag")" ] || stale="$stale $tag"
done
if [ -n "$stale" ]; then
  echo "[stand-ins] copying$stale from $source_cli into $cli"
  # shellcheck disable=SC2086
  "$source_cli" save $stale | "$cli" load -q >/dev/null
fi
echo "[stand-ins] ready in $cli"
