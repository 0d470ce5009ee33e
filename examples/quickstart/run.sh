#!/bin/sh
# From a fresh clone: builds the nss plugin, then runs the quickstart project end to end:
# nss:doctor, nss:build-gpu, nss:run-gpu.
#   examples/quickstart/run.sh [--stand-ins] [--slurm]
# --stand-ins: build against the local stand-in base images (machines without registry access).
# --slurm: then run the same image as a Slurm job with nss:submit-slurm, on the cluster of SLURM_CONF, else on a
#          private one-node cluster with two fake GPUs started here (root, slurm-wlm and munge; stopped at the end).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
if [ ! -x "$JAVA_HOME/bin/java" ]; then
  echo "run.sh: no JDK at JAVA_HOME=$JAVA_HOME: building nss needs JDK 25 (Eclipse Temurin 25); set JAVA_HOME to it" >&2
  exit 69
fi

stand_ins=false
slurm=false
for arg in "$@"; do
  case $arg in
    --stand-ins) stand_ins=true ;;
    --slurm) slurm=true ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (use --stand-ins, --slurm or nothing)" >&2; exit 64 ;;
  esac
done

say() { printf '\n== %s\n' "$*"; }
set --

# The container CLI, chosen as the goals choose it: NSS_CONTAINER_CLI, else podman if on PATH, else docker, except where
# that docker has no buildx (BuildKit needs it) and the engine's own client /usr/bin/docker exists. The goals get it as
# nss.containerCli, and --stand-ins makes the stand-in images in that CLI's image store.
cli=${NSS_CONTAINER_CLI:-}
if [ -z "$cli" ]; then
  if command -v podman >/dev/null 2>&1; then
    cli=podman
  else
    cli=docker
    if command -v docker >/dev/null 2>&1 && ! docker buildx version >/dev/null 2>&1 && [ -x /usr/bin/docker ] \
        && [ "$(command -v docker)" != /usr/bin/docker ]; then
      cli=/usr/bin/docker
      echo "run.sh: $(command -v docker) has no buildx; using /usr/bin/docker (set NSS_CONTAINER_CLI to choose)"
    fi
  fi
fi
cli_path=$(command -v "$cli" || true)
[ -n "$cli_path" ] || { echo "run.sh: container CLI '$cli' not found (set NSS_CONTAINER_CLI)" >&2; exit 69; }
echo "run.sh: container CLI $cli_path"
set -- "$@" "-Dnss.containerCli=$cli_path"

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "run.sh: no nvidia-smi here: the doctor only reports, and the container runs without --gpus all"
  set -- "$@" -Dnss.doctor.failOn=never -Dnss.gpuFlag=
fi

# Only what the goals need (the parent pom, the agent, the plugin) from this checkout, into the local repository; the
# it module is not built, tests are neither built nor run, and the code-style check and the sources and javadoc jars
# are left to the README's install command.
say "Installing the nss plugin and agent (./mvnw -pl maven-plugin -am install, tests not built)"
(cd "$root" && ./mvnw -B -ntp -q -pl maven-plugin -am -Dmaven.test.skip=true -Dspotless.check.skip=true \
  -Dmaven.source.skip=true -Dmaven.javadoc.skip=true install)

if $stand_ins; then
  say "Making the stand-in base images"
  sh "$root/it/stand-ins/stand-ins-into.sh" "$cli_path"
  set -- "$@" -Pstand-ins
fi

cd "$here"
say "mvn nss:doctor"
"$root/mvnw" -B -ntp "$@" nss:doctor
say "mvn nss:build-gpu"
"$root/mvnw" -B -ntp "$@" nss:build-gpu
say "mvn nss:run-gpu"
"$root/mvnw" -B -ntp "$@" -Dnss.skipBuild=true nss:run-gpu
if $slurm; then
  if [ -z "${SLURM_CONF:-}" ]; then
    cluster=$(mktemp -d)
    trap 'bash "$root/it/slurm/one-node-cluster.sh" stop "$cluster"; rm -rf "$cluster"' EXIT
    say "Starting a one-node Slurm cluster with two fake GPUs in $cluster"
    eval "$(bash "$root/it/slurm/one-node-cluster.sh" start "$cluster")"
    export SLURM_CONF
  fi
  say "mvn nss:submit-slurm"
  "$root/mvnw" -B -ntp "$@" -Dnss.skipBuild=true nss:submit-slurm
fi
say "Done: image nss-quickstart:latest ran safe-synthesizer through tini and nss-entrypoint"
