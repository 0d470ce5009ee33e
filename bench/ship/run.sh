#!/bin/sh
# Shipping benchmark (see bench/README.md, "## Shipping the GPU image"), against a private docker-registry with
# htpasswd auth on a free 127.0.0.1 port (stopped by its PID at the end). The project is the IT sample with a
# synthetic dependency set (bench/ship/synthetic-deps.py: a HEAVY_MB torch stand-in, triton, vllm, two light
# packages), built against the stand-in base images with the argv nss:build-gpu runs, pushed with the argv
# nss:push-gpu runs (docker tag + push; podman push --format v2s2), each engine logged in through a private config.
#   a. bytes newly uploaded after a source-only change: the Dockerfile.cuda before the layer plan (REV_BEFORE) and now
#   b. bytes newly uploaded after a light dependency bump (light-a 1.0.0 -> 1.0.1), and whether the heavy layers moved
#   c. podman, a cold runner (an empty private store: --root) rebuilding a source-only change, without and with
#      --cache-from the registry cache a warm runner wrote with --cache-to
# "Newly uploaded" is the growth of the registry's blob store (its filesystem), the blobs that a push added.
# Usage: sh bench/ship/run.sh [engines] [HEAVY_MB]   (engines: "docker podman", the default)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
engines=${1:-docker podman}
heavy=${2:-400}
rev_before=${REV_BEFORE:-8e0c936}
export DOCKER_BUILDKIT=1 LANG=C.UTF-8
work=$(mktemp -d /var/tmp/nss-bench-ship.XXXXXX)
reg_pid=
port=0
stores=
cleanup() {
  [ -z "$reg_pid" ] || kill "$reg_pid" 2>/dev/null || true
  for tag in $(/usr/bin/docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "^(nss-bench-ship|127.0.0.1:$port/)" || true); do
    /usr/bin/docker image rm --force "$tag" >/dev/null 2>&1 || true
  done
  for tag in $(/usr/bin/podman images --format '{{.Repository}}:{{.Tag}}' | grep -E "^(localhost/nss-bench-ship|127.0.0.1:$port/)" || true); do
    /usr/bin/podman image rm --force "$tag" >/dev/null 2>&1 || true
  done
  for store in $stores; do /usr/bin/podman --root "$store" --runroot "$store.run" system reset --force >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
say() { echo "[ship] $*" >&2; }
now() { date +%s.%N; }

# The registry.
password=bench-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
printf '%s' "$password" >"$work/password"
htpasswd -iBc "$work/htpasswd" bench <"$work/password" 2>/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
registry=127.0.0.1:$port
cat >"$work/registry.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/data
http:
  addr: $registry
auth:
  htpasswd:
    realm: bench
    path: $work/htpasswd
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
reg_pid=$!
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$registry/v2/")" = 401 ] && break
  sleep 0.1
done
mkdir -p "$work/docker-config"
echo '{"auths": {"nss.invalid": {}}}' >"$work/docker-config/config.json"
DOCKER_CONFIG=$work/docker-config /usr/bin/docker login -u bench --password-stdin "$registry" <"$work/password" >/dev/null
REGISTRY_AUTH_FILE=$work/auth.json /usr/bin/podman login --tls-verify=false -u bench --password-stdin "$registry" \
  <"$work/password" >/dev/null
blob_bytes() { du -sb "$work/data/docker/registry/v2/blobs" 2>/dev/null | cut -f1 || echo 0; }

# The uv stand-in of this checkout, as an image in both stores.
mkdir -p "$work/uv"
cp "$root/it/stand-ins/uv" "$work/uv/uv"
printf 'FROM nss-it.local/uv:0.9.14\nCOPY uv /uv\n' >"$work/uv/Dockerfile"
/usr/bin/docker build -q -t nss-bench-ship/uv:0.9.14 "$work/uv" >/dev/null
/usr/bin/podman build -q -t nss-bench-ship/uv:0.9.14 "$work/uv" >/dev/null

# The project: the IT sample, the synthetic dependencies, the agent jar where the goals stage it.
project=$work/project
cp -r "$root/it/src/it/safe-synthesizer" "$project"
cp "$root/containers/.dockerignore" "$project/.dockerignore"
mkdir -p "$project/.nss-build/entrypoint"
jar=$(ls "$root"/it/target/it-repo/dev/nss/nss-entrypoint/*/nss-entrypoint-*.jar "$HOME"/.m2/repository/dev/nss/nss-entrypoint/*/nss-entrypoint-*.jar 2>/dev/null | head -n 1)
cp "$jar" "$project/.nss-build/entrypoint/nss-entrypoint.jar"
python3 "$here/synthetic-deps.py" "$project" 1.0.0 "$heavy"
cp "$root/containers/Dockerfile.cuda" "$work/Dockerfile.after"
git -C "$root" show "$rev_before:containers/Dockerfile.cuda" >"$work/Dockerfile.before"

# build ENGINE DOCKERFILE TAG [podman global options] [-- build options]
build() {
  engine=$1 dockerfile=$2 tag=$3
  shift 3
  globals=
  while [ $# -gt 0 ] && [ "$1" != -- ]; do globals="$globals $1"; shift; done
  [ $# -eq 0 ] || shift
  if [ "$engine" = docker ]; then cli=/usr/bin/docker; else cli="/usr/bin/podman$globals"; fi
  (cd "$project" && $cli build --platform linux/amd64 --tag "$tag" --target runtime --progress=plain "$@" \
    --build-arg CUDA_IMAGE_REPO=nss-it.local/cuda --build-arg UV_IMAGE=nss-bench-ship/uv \
    --build-arg NSS_JDK_IMAGE=nss-it.local/jdk:25 --build-arg NSS_ENTRYPOINT_BUILD=jvm \
    -f "$dockerfile" . >>"$work/build.log" 2>&1) || { tail -n 40 "$work/build.log" >&2; exit 1; }
}
push() {
  engine=$1 image=$2 ref=$3
  if [ "$engine" = docker ]; then
    /usr/bin/docker tag "$image" "$ref"
    DOCKER_CONFIG=$work/docker-config /usr/bin/docker push "$ref" >"$work/push.log" 2>&1
  else
    REGISTRY_AUTH_FILE=$work/auth.json /usr/bin/podman push --format v2s2 --tls-verify=false "$image" "$ref" \
      >"$work/push.log" 2>&1
  fi
}
image_bytes() { # the image's layers, uncompressed
  if [ "$1" = docker ]; then /usr/bin/docker image inspect --format '{{.Size}}' "$2"; else
    /usr/bin/podman image inspect --format '{{.Size}}' "$2"; fi
}
layers() {
  if [ "$1" = docker ]; then cli=/usr/bin/docker; else cli=/usr/bin/podman; fi
  $cli image inspect --format '{{range .RootFS.Layers}}{{println .}}{{end}}' "$2" | grep .
}
source_change() { printf '\n# source-only change %s\n' "$(now)" >>"$project/src/safe_synthesizer/cli.py"; }
pct() { python3 -c "print(f'{100*$1/$2:.3f}')"; }
mb() { python3 -c "print(f'{$1/1e6:.1f}')"; }

echo "| engine | Dockerfile | change | image (MB) | newly uploaded (MB) | share of image | heavy layers re-uploaded |"
echo "| --- | --- | --- | ---: | ---: | ---: | --- |"
for engine in $engines; do
  for which in before after; do
    python3 "$here/synthetic-deps.py" "$project" 1.0.0 "$heavy"
    repo=$registry/bench/$engine-$which
    say "$engine, Dockerfile $which: first build and push"
    build "$engine" "$work/Dockerfile.$which" nss-bench-ship/gpu:$engine-$which-1
    push "$engine" nss-bench-ship/gpu:$engine-$which-1 "$repo:1"
    layers "$engine" nss-bench-ship/gpu:$engine-$which-1 >"$work/layers-1"
    size=$(image_bytes "$engine" nss-bench-ship/gpu:$engine-$which-1)
    say "$engine, Dockerfile $which: source-only change"
    source_change
    build "$engine" "$work/Dockerfile.$which" nss-bench-ship/gpu:$engine-$which-2
    before=$(blob_bytes)
    push "$engine" nss-bench-ship/gpu:$engine-$which-2 "$repo:2"
    added=$(( $(blob_bytes) - before ))
    cp "$work/push.log" "$work/push-$engine-$which-source.log"
    echo "| $engine | $which | source only | $(mb "$size") | $(mb "$added") | $(pct "$added" "$size") % | |"
    if [ "$which" = after ]; then
      say "$engine: light dependency bump"
      python3 "$here/synthetic-deps.py" "$project" 1.0.1 "$heavy"
      build "$engine" "$work/Dockerfile.$which" nss-bench-ship/gpu:$engine-$which-3
      before=$(blob_bytes)
      push "$engine" nss-bench-ship/gpu:$engine-$which-3 "$repo:3"
      added=$(( $(blob_bytes) - before ))
      cp "$work/push.log" "$work/push-$engine-bump.log"
      layers "$engine" nss-bench-ship/gpu:$engine-$which-3 >"$work/layers-3"
      # Layers 7 and 8 of the runtime image (base, apt, user, agent, link, python, torch, engine, deps, project).
      moved=no
      for n in 7 8; do [ "$(sed -n "${n}p" "$work/layers-1")" = "$(sed -n "${n}p" "$work/layers-3")" ] || moved=yes; done
      echo "| $engine | $which | light bump | $(mb "$size") | $(mb "$added") | $(pct "$added" "$size") % | $moved |"
      say "push output after the bump ($engine):"; sed 's/^/    /' "$work/push.log" >&2
    fi
  done
done

# c. podman cold runners. A warm runner (its own store) builds the first version with --cache-to; after a source-only
# change, fresh stores build it without and with --cache-from.
store() { # a fresh private podman store with the stand-in base images
  s=$work/store-$1
  stores="$stores $s"
  for image in nss-it.local/cuda:12.8.1-runtime-ubuntu22.04 nss-it.local/jdk:25 nss-bench-ship/uv:0.9.14; do
    /usr/bin/podman save "$image" | /usr/bin/podman --root "$s" --runroot "$s.run" load -q >/dev/null
  done
  echo "$s"
}
if echo "$engines" | grep -q podman; then
  python3 "$here/synthetic-deps.py" "$project" 1.0.0 "$heavy"
  cache=$registry/bench/cache:buildcache
  warm=$(store warm)
  say "podman: warm runner builds with --cache-to $cache"
  REGISTRY_AUTH_FILE=$work/auth.json build podman "$work/Dockerfile.after" nss-bench-ship/gpu:warm \
    --root "$warm" --runroot "$warm.run" -- --tls-verify=false --cache-to "$cache"
  source_change
  echo
  echo "| podman cold runner, source-only change | build time (s) |"
  echo "| --- | ---: |"
  cold=$(store cold)
  t0=$(now)
  build podman "$work/Dockerfile.after" nss-bench-ship/gpu:cold --root "$cold" --runroot "$cold.run"
  t_cold=$(python3 -c "print(f'{$(now) - $t0:.1f}')")
  echo "| without a registry cache | $t_cold |"
  cached=$(store cached)
  t0=$(now)
  REGISTRY_AUTH_FILE=$work/auth.json build podman "$work/Dockerfile.after" nss-bench-ship/gpu:cached \
    --root "$cached" --runroot "$cached.run" -- --tls-verify=false --cache-from "$cache"
  t_cached=$(python3 -c "print(f'{$(now) - $t0:.1f}')")
  echo "| with --cache-from $cache | $t_cached |"
  echo "| ratio | $(python3 -c "print(f'{$t_cold / $t_cached:.1f}x')") |"
fi
say "machine: $(nproc) CPUs, $(uname -r), docker $(/usr/bin/docker version --format '{{.Server.Version}}'), $(/usr/bin/podman --version), $(date -u +%Y-%m-%d)"
