#!/bin/sh
# Shipping benchmark (see bench/README.md, "## Shipping the GPU image"), against a private docker-registry with
# htpasswd auth on a free 127.0.0.1 port (stopped by its PID at the end). The project is the IT sample with a
# synthetic dependency set (bench/ship/synthetic-deps.py: a HEAVY_MB torch stand-in, triton, vllm, two light
# packages), built against the stand-in base images with the argv nss:build-gpu runs, pushed with the argv
# nss:push-gpu runs (docker tag + push; podman push --format v2s2), each engine logged in through a private config.
#   a. bytes newly uploaded after a source-only change: the Dockerfile.cuda before the layer plan (REV_BEFORE) and now
#   b. bytes newly uploaded after a light dependency bump (light-a 1.0.0 -> 1.0.1), and whether the heavy layers moved
#   c. cold runners: an empty private image store and build cache (podman: its own --root/--runroot/--tmpdir; docker: a
#      private dockerd with its own socket, data-root, exec-root, pidfile and bridge) rebuilding a source-only change,
#      without and with --cache-from the registry cache that a warm runner wrote (podman --cache-to; docker 20.10
#      without buildx: the inline cache, BUILDKIT_INLINE_CACHE=1, then the image pushed as the cache reference).
#      REPEATS rounds, each a fresh store per build, the two variants alternating; medians.
# "Newly uploaded" is the growth of the registry's blob store (its filesystem), the blobs that a push added.
# Usage: sh bench/ship/run.sh [engines] [HEAVY_MB]   (engines: "docker podman", the default)
# Environment: PARTS ("ab c", the default: which parts run), WHICH ("before after": the Dockerfiles of part a),
# REPEATS (3: rounds of part c), REV_BEFORE (the commit whose Dockerfile.cuda is "before"), STEP_TIMES (a file: the
# builds' log is copied there at the end, each line starting with the seconds since its build started).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
engines=${1:-docker podman}
heavy=${2:-400}
rev_before=${REV_BEFORE:-8e0c936}
parts=${PARTS:-ab c}
which_files=${WHICH:-before after}
repeats=${REPEATS:-3}
export DOCKER_BUILDKIT=1 LANG=C.UTF-8
work=$(mktemp -d /var/tmp/nss-bench-ship.XXXXXX)
reg_pid=
port=0
stores=
base_images="nss-it.local/cuda:12.8.1-runtime-ubuntu22.04 nss-it.local/jdk:25 nss-bench-ship/uv:0.9.14"
# A private podman store has its own --tmpdir too: `system reset` removes the tmpdir, and the default one (/run/libpod)
# is the shared store's (its "alive" file gone, the next podman command elsewhere refreshes every container's state).
store() { # a fresh private podman store with the stand-in base images, in $s
  s=$work/store-$1
  stores="$stores $s"
  for image in $base_images; do
    /usr/bin/podman save "$image" | /usr/bin/podman --root "$s" --runroot "$s.run" --tmpdir "$s.tmp" load -q >/dev/null
  done
}
drop_store() {
  /usr/bin/podman --root "$1" --runroot "$1.run" --tmpdir "$1.tmp" system reset --force >/dev/null 2>&1 || true
  rm -rf "$1" "$1.run" "$1.tmp"
}
# A private dockerd: own socket, data-root, exec-root, pidfile and bridge (never --bridge=none: that deletes the
# shared docker0), no iptables changes. Its builds run with --network host (no NAT on the private bridge).
dockerd_pid=
bridge=nssship$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
dockerd_dir=$work/dockerd
start_dockerd() { # a fresh data-root each time: an empty image store and build cache
  stop_dockerd
  rm -rf "$dockerd_dir"
  mkdir -p "$dockerd_dir"
  ip link show "$bridge" >/dev/null 2>&1 || { ip link add name "$bridge" type bridge \
    && ip addr add 10.213.78.1/24 dev "$bridge" && ip link set "$bridge" up; }
  /usr/sbin/dockerd --host "unix://$dockerd_dir/docker.sock" --data-root "$dockerd_dir/data" \
    --exec-root "$dockerd_dir/exec" --pidfile "$dockerd_dir/docker.pid" --bridge="$bridge" --iptables=false \
    --ip-forward=false >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 300); do DOCKER_HOST=unix://$dockerd_dir/docker.sock /usr/bin/docker info >/dev/null 2>&1 && break; sleep 0.1; done
  /usr/bin/docker save $base_images | DOCKER_HOST=unix://$dockerd_dir/docker.sock /usr/bin/docker load -q >/dev/null
}
stop_dockerd() {
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.1; done
    dockerd_pid=
  fi
  if [ -d "$dockerd_dir" ]; then
    grep " $dockerd_dir" /proc/mounts | cut -d' ' -f2 | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$dockerd_dir"
  fi
  ip link del "$bridge" 2>/dev/null || true
}
cleanup() {
  [ -z "$reg_pid" ] || kill "$reg_pid" 2>/dev/null || true
  for tag in $(/usr/bin/docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "^(nss-bench-ship|127.0.0.1:$port/)" || true); do
    /usr/bin/docker image rm --force "$tag" >/dev/null 2>&1 || true
  done
  for tag in $(/usr/bin/podman images --format '{{.Repository}}:{{.Tag}}' | grep -E "^(localhost/nss-bench-ship|127.0.0.1:$port/)" || true); do
    /usr/bin/podman image rm --force "$tag" >/dev/null 2>&1 || true
  done
  for store in $stores; do drop_store "$store"; done
  stop_dockerd
  [ -z "${STEP_TIMES:-}" ] || cp "$work/build.log" "$STEP_TIMES"
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 1" INT TERM
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
# The agent jar of this checkout (./mvnw -o -pl entrypoint-agent package -DskipTests), else the ITs' copy.
jar=$(ls "$root"/entrypoint-agent/target/nss-entrypoint-*[0-9T].jar \
  "$root"/it/target/it-repo/dev/nss/nss-entrypoint/*/nss-entrypoint-*[0-9T].jar 2>/dev/null | head -n 1)
[ -n "$jar" ] || { echo "no agent jar: run ./mvnw -o -pl entrypoint-agent package -DskipTests" >&2; exit 1; }
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
  # globals: podman's global options (--root ...); for docker, environment assignments (DOCKER_HOST=...)
  if [ "$engine" = podman ]; then cli="/usr/bin/podman$globals"; elif [ -n "$globals" ]; then
    cli="env$globals /usr/bin/docker"; else cli=/usr/bin/docker; fi
  stamp=cat
  [ -z "${STEP_TIMES:-}" ] || stamp='perl -MTime::HiRes=time -ne BEGIN{$|=1;$s=time}printf("%6.1f\t%s",time-$s,$_)'
  (cd "$project" && { $cli build --platform linux/amd64 --tag "$tag" --target runtime --progress=plain "$@" \
    --build-arg CUDA_IMAGE_REPO=nss-it.local/cuda --build-arg UV_IMAGE=nss-bench-ship/uv \
    --build-arg NSS_JDK_IMAGE=nss-it.local/jdk:25 --build-arg NSS_ENTRYPOINT_BUILD=jvm \
    --label org.opencontainers.image.base.name=nss-it.local/cuda:12.8.1-runtime-ubuntu22.04 \
    -f "$dockerfile" . 2>&1; echo $? >"$work/build.rc"; } | $stamp >>"$work/build.log")
  [ "$(cat "$work/build.rc")" = 0 ] || { tail -n 40 "$work/build.log" >&2; exit 1; }
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

case " $parts " in *" ab "*)
  echo "| engine | Dockerfile | change | image (MB) | newly uploaded (MB) | share of image | heavy layers re-uploaded |"
  echo "| --- | --- | --- | ---: | ---: | ---: | --- |"
  for engine in $engines; do
    for which in $which_files; do
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
  ;;
esac

# c. cold runners. A warm runner (its own store) builds the first version and exports the cache; after a source-only
# change, fresh stores build it without and with --cache-from. Timed: the build alone (the base images are loaded
# into each fresh store before the clock starts, as a runner would have them pulled).
seconds() { python3 -c "print(f'{$(now) - $1:.1f}')"; }
median() { printf '%s\n' "$@" | sort -n | python3 -c "import sys,statistics; print(f'{statistics.median(float(l) for l in sys.stdin):.1f}')"; }
# cold ENGINE VARIANT: one timed build on a fresh store (VARIANT: plain or cached), its seconds in $t
cold() {
  lines=$(wc -l <"$work/build.log")
  if [ "$1" = podman ]; then
    store "$(echo "$2" | cut -c1)"
    t0=$(now)
    if [ "$2" = plain ]; then
      build podman "$work/Dockerfile.after" nss-bench-ship/gpu:cold --root "$s" --runroot "$s.run" --tmpdir "$s.tmp"
    else
      REGISTRY_AUTH_FILE=$work/auth.json build podman "$work/Dockerfile.after" nss-bench-ship/gpu:cold \
        --root "$s" --runroot "$s.run" --tmpdir "$s.tmp" -- --tls-verify=false --cache-from "$cache/podman"
    fi
    t=$(seconds "$t0")
    drop_store "$s"
    stores=$(echo "$stores" | sed "s| $s||")
  else
    start_dockerd
    t0=$(now)
    if [ "$2" = plain ]; then
      build docker "$work/Dockerfile.after" nss-bench-ship/gpu:cold DOCKER_HOST="unix://$dockerd_dir/docker.sock" \
        -- --network host
    else
      build docker "$work/Dockerfile.after" nss-bench-ship/gpu:cold DOCKER_HOST="unix://$dockerd_dir/docker.sock" \
        DOCKER_CONFIG="$work/docker-config" -- --network host --cache-from "$cache/docker"
    fi
    t=$(seconds "$t0")
    stop_dockerd
  fi
  # what the engine took from a cache (BuildKit: "CACHED"; buildah: "Using cache")
  reused=$(tail -n +"$((lines + 1))" "$work/build.log" | grep -c -E '^#[0-9]+ CACHED|Using cache' || true)
}
case " $parts " in *" c "*)
  cache=$registry/bench/cache
  echo
  echo "| cold runner, source-only change | engine | runs | build times (s) | median (s) |"
  echo "| --- | --- | ---: | --- | ---: |"
  for engine in $engines; do
    python3 "$here/synthetic-deps.py" "$project" 1.0.0 "$heavy"
    say "$engine: warm runner exports the build cache to $cache/$engine"
    if [ "$engine" = podman ]; then
      store w
      REGISTRY_AUTH_FILE=$work/auth.json build podman "$work/Dockerfile.after" nss-bench-ship/gpu:warm \
        --root "$s" --runroot "$s.run" --tmpdir "$s.tmp" -- --tls-verify=false --cache-to "$cache/podman"
      drop_store "$s"
    else
      start_dockerd
      build docker "$work/Dockerfile.after" nss-bench-ship/gpu:warm DOCKER_HOST="unix://$dockerd_dir/docker.sock" \
        -- --network host --build-arg BUILDKIT_INLINE_CACHE=1
      DOCKER_HOST=unix://$dockerd_dir/docker.sock /usr/bin/docker tag nss-bench-ship/gpu:warm "$cache/docker"
      DOCKER_HOST=unix://$dockerd_dir/docker.sock DOCKER_CONFIG=$work/docker-config /usr/bin/docker push \
        "$cache/docker" >"$work/push.log" 2>&1
      stop_dockerd
    fi
    source_change
    plain= cached=
    for round in $(seq 1 "$repeats"); do
      if [ $((round % 2)) = 1 ]; then order="plain cached"; else order="cached plain"; fi
      for variant in $order; do
        say "$engine cold runner, round $round: $variant (load $(cut -d' ' -f1-3 /proc/loadavg))"
        cold "$engine" "$variant"
        if [ "$variant" = plain ]; then plain="$plain $t"; else cached="$cached $t"; fi
        say "  $t s, $reused build steps taken from a cache"
      done
    done
    # shellcheck disable=SC2086
    m_plain=$(median $plain) m_cached=$(median $cached)
    echo "| without a registry cache | $engine | $repeats | $plain | $m_plain |"
    echo "| with --cache-from | $engine | $repeats | $cached | $m_cached |"
    echo "| ratio (without / with) | $engine | | | $(python3 -c "print(f'{$m_plain / $m_cached:.2f}x')") |"
  done
  ;;
esac
say "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r), docker $(/usr/bin/docker version --format '{{.Server.Version}}'), $(/usr/bin/podman --version), $(date -u +%Y-%m-%d)"
