#!/bin/sh
# Makes the local stand-in base images that the integration tests and the quickstart's `stand-ins`
# profile build against on machines without registry access:
#   nss-it.local/cuda:12.8.1-runtime-ubuntu22.04, nss-it.local/cuda:12.8.1-devel-ubuntu22.04
#       a `debootstrap --variant=minbase bookworm` root with python3 and venv (no CUDA inside);
#   nss-it.local/python:3.11-slim   the same root, for containers/Dockerfile.test_ci
#   nss-it.local/uv:0.9.14   /uv and /uvx: the Python stand-in next to this script
#   nss-it.local/jdk:25      the Temurin 25 JDK of this machine (JAVA_HOME=/opt/java/openjdk)
# Never tags real upstream names. Images whose content label matches are kept, so a second run
# costs about a second. Needs root (debootstrap) and the Debian package mirror.
# Environment: NSS_DOCKER (default /usr/bin/docker), NSS_STAND_IN_JDK (default Temurin 25),
# NSS_DEBIAN_MIRROR (default: debootstrap's own).
set -eu

docker=${NSS_DOCKER:-/usr/bin/docker}
jdk=${NSS_STAND_IN_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
here=$(cd "$(dirname "$0")" && pwd)
repo=nss-it.local
label=dev.nss.it.stand-in
runtime_tag=$repo/cuda:12.8.1-runtime-ubuntu22.04
devel_tag=$repo/cuda:12.8.1-devel-ubuntu22.04
python_tag=$repo/python:3.11-slim
uv_tag=$repo/uv:0.9.14
jdk_tag=$repo/jdk:25
export DOCKER_BUILDKIT=1

hash_of() { cat "$@" | sha256sum | cut -c1-16; }
current() { "$docker" image inspect --format "{{index .Config.Labels \"$label\"}}" "$1" 2>/dev/null || true; }
say() { echo "[stand-ins] $*"; }
image_id() { "$docker" image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
# Removes a replaced stand-in once no tag points at it any more (fails quietly while something uses it).
drop() { [ -z "$1" ] || "$docker" image rm "$1" >/dev/null 2>&1 || true; }

# One run at a time on this machine (tests of several modules may call it at once).
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/nss-it-stand-ins.lock"
  flock 9
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

base_hash=$(hash_of "$0")
if [ "$(current "$runtime_tag")" != "$base_hash" ] || [ "$(current "$devel_tag")" != "$base_hash" ] \
  || [ "$(current "$python_tag")" != "$base_hash" ]; then
  old=$(image_id "$runtime_tag")
  command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
  say "debootstrap --variant=minbase bookworm (about a minute)"
  debootstrap --variant=minbase --include=python3,python3-venv bookworm "$work/root" ${NSS_DEBIAN_MIRROR:-} \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*_Packages
  tar -C "$work/root" -c . | "$docker" import \
    --change "LABEL $label=$base_hash" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' - "$runtime_tag" >/dev/null
  "$docker" tag "$runtime_tag" "$devel_tag"
  "$docker" tag "$runtime_tag" "$python_tag"
  rm -rf "$work/root"
  drop "$old"
  say "made $runtime_tag, $devel_tag and $python_tag"
fi

uv_hash=$(hash_of "$0" "$here/uv")
if [ "$(current "$uv_tag")" != "$uv_hash" ]; then
  old=$(image_id "$uv_tag")
  mkdir -p "$work/uv"
  cp "$here/uv" "$work/uv/uv"
  printf '#!/bin/sh\necho "uvx is not part of the uv stand-in" >&2\nexit 2\n' >"$work/uv/uvx"
  chmod 755 "$work/uv/uv" "$work/uv/uvx"
  tar -C "$work/uv" -c uv uvx | "$docker" import --change "LABEL $label=$uv_hash" - "$uv_tag" >/dev/null
  drop "$old"
  say "made $uv_tag"
fi

jdk_hash=$( (cat "$0" "$jdk/release"; echo "$base_hash") | sha256sum | cut -c1-16)
if [ "$(current "$jdk_tag")" != "$jdk_hash" ]; then
  [ -x "$jdk/bin/jlink" ] || { echo "no JDK 25 at $jdk: set NSS_STAND_IN_JDK" >&2; exit 1; }
  old=$(image_id "$jdk_tag")
  mkdir -p "$work/jdk"
  cp -rL "$jdk" "$work/jdk/openjdk"
  cat >"$work/jdk/Dockerfile" <<DOCKERFILE
FROM $runtime_tag
COPY openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DOCKERFILE
  "$docker" build -q --label "$label=$jdk_hash" -t "$jdk_tag" "$work/jdk" >/dev/null
  drop "$old"
  say "made $jdk_tag"
fi
say "ready: $runtime_tag $devel_tag $python_tag $uv_tag $jdk_tag"
