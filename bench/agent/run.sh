#!/bin/sh
# Start-to-exec cost of the entrypoint agent inside a container, in one hyperfine run there:
#   bare            a bare exec of the trivial target (/bin/true)
#   bash-checks     bench/agent/preflight.sh: the same six checks in bash, then exec
#   nss-entrypoint  the JVM distribution (entrypoint-agent/target/nss-entrypoint), as the image ships it
#   java-version    the distribution's own JVM running -version with the launcher's JVM options: the JVM's
#                   start alone, for scale (its runtime has no CDS archive of its own; the agent has its AOT cache)
#   baseline        only with NSS_ENTRYPOINT_BASELINE=DIR: another JVM distribution (e.g. the previous release's
#                   agent, built from its git revision), measured right after nss-entrypoint in the same run and
#                   container, so that a change's cost is a difference of two medians taken under the same load;
#                   NSS_ENTRYPOINT_BASELINE_NAME names it in the table
# The container is the stand-in runtime base (Debian bookworm) with the distribution, this directory and the host's
# hyperfine copied into an image layer, run as uid 1000 like the image's appuser, with a workspace that has data,
# an HF cache, --shm-size=1g, no token and no GPU (so the agent prints two hints, as in a typical CPU-only run).
# Writes the medians and ratios to bench/README.md under "## Entrypoint agent".
# Usage: sh bench/agent/run.sh [runs]
#   needs hyperfine, the stand-in images (sh it/stand-ins/make-stand-ins.sh) and the agent
#   (JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -B -ntp -pl entrypoint-agent -am package).
#   NSS_DOCKER picks the docker client (default /usr/bin/docker, which has BuildKit). NSS_BENCH_NICE=-15 runs
#   hyperfine and what it starts at that niceness in the container (--cap-add SYS_NICE), to shield the
#   measurement from other jobs on a busy machine; the niceness is recorded with the figures. Niceness only
#   orders processes of one CPU cgroup, and the container has its own: NSS_BENCH_CGROUP=NAME also puts the
#   container under the cpu cgroup NAME (made with cpu.shares 262144, the most, and removed afterwards; needs
#   the cgroupfs driver, as root), so that it is served before the machine's other cgroups and sessions.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
dist=${NSS_ENTRYPOINT_DIST:-$root/entrypoint-agent/target/nss-entrypoint}
runs=${1:-100}
readme=$root/bench/README.md
docker=${NSS_DOCKER:-/usr/bin/docker}
base=nss-it.local/cuda:12.8.1-runtime-ubuntu22.04
hyperfine=$(command -v hyperfine || true)

if [ -z "$hyperfine" ]; then
  echo "run.sh: hyperfine not found. Fix: apt-get install hyperfine" >&2
  exit 69
fi
baseline=${NSS_ENTRYPOINT_BASELINE:-}
baseline_name=${NSS_ENTRYPOINT_BASELINE_NAME:-$baseline}
if [ -n "$baseline" ] && [ ! -x "$baseline/bin/nss-entrypoint" ]; then
  echo "run.sh: NSS_ENTRYPOINT_BASELINE: $baseline/bin/nss-entrypoint not found. Fix: build that revision's agent (./mvnw -pl entrypoint-agent -am package) and name its target/nss-entrypoint" >&2
  exit 66
fi
if [ ! -x "$dist/bin/nss-entrypoint" ]; then
  echo "run.sh: $dist/bin/nss-entrypoint not found. Fix: JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -B -ntp -pl entrypoint-agent -am package" >&2
  exit 66
fi
if ! "$docker" image inspect "$base" > /dev/null 2>&1; then
  echo "run.sh: $base not found. Fix: sh it/stand-ins/make-stand-ins.sh" >&2
  exit 66
fi

work=$(mktemp -d)
tag=nss-bench-agent:$$
trap '"$docker" rmi -f "$tag" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT
mkdir -p "$work/context" "$work/out"
cp -a "$dist" "$work/context/nss-entrypoint"
cp "$here/preflight.sh" "$hyperfine" "$work/context/"
mkdir -p "$work/context/nss-entrypoint-baseline"
if [ -n "$baseline" ]; then
  cp -a "$baseline/." "$work/context/nss-entrypoint-baseline/"
fi
cat > "$work/context/Dockerfile" <<DOCKERFILE
FROM $base
COPY nss-entrypoint /opt/nss-entrypoint
COPY nss-entrypoint-baseline /opt/nss-entrypoint-baseline
COPY preflight.sh /opt/bench/preflight.sh
COPY hyperfine /usr/local/bin/hyperfine
RUN mkdir -p /workspace/.hf_cache && echo a,b > /workspace/data.csv && chown -R 1000:1000 /workspace
DOCKERFILE
DOCKER_BUILDKIT=1 "$docker" build -q -t "$tag" "$work/context" > /dev/null
chmod 777 "$work/out"

niceness=${NSS_BENCH_NICE:-0}
shield=
if [ -n "${NSS_BENCH_CGROUP:-}" ]; then
  mkdir -p "/sys/fs/cgroup/cpu/$NSS_BENCH_CGROUP"
  echo 262144 > "/sys/fs/cgroup/cpu/$NSS_BENCH_CGROUP/cpu.shares"
  trap '"$docker" rmi -f "$tag" > /dev/null 2>&1 || true; rm -rf "$work"; rmdir "/sys/fs/cgroup/cpu/$NSS_BENCH_CGROUP" 2> /dev/null || true' EXIT
  shield="--cgroup-parent=/$NSS_BENCH_CGROUP --cpu-shares=262144"
fi
set --
if [ -n "$baseline" ]; then
  set -- --command-name baseline "/opt/nss-entrypoint-baseline/bin/nss-entrypoint"
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Root in the container only to set the niceness; setpriv then drops to uid 1000 for everything measured.
# shellcheck disable=SC2086
"$docker" run --rm $shield --shm-size=1g --cap-add SYS_NICE -v "$work/out:/out" \
  -e NSS_ENTRYPOINT_TARGET=/bin/true -e HF_HOME=/workspace/.hf_cache -e HOME=/workspace -w /workspace "$tag" \
  nice -n "$niceness" setpriv --reuid=1000 --regid=1000 --clear-groups sh -c 'nice > /out/niceness; exec "$@"' sh \
  hyperfine --shell=none --warmup 10 --runs "$runs" --style basic --export-json /out/result.json \
  --command-name bare "/bin/true" \
  --command-name bash-checks "/bin/bash /opt/bench/preflight.sh" \
  --command-name nss-entrypoint "/opt/nss-entrypoint/bin/nss-entrypoint" "$@" \
  --command-name java-version "/opt/nss-entrypoint/runtime/bin/java -XX:+UseSerialGC -Xint -XX:-UsePerfData -Xss512k -Xms8m -Xmx64m -version" \
  > "$work/log" 2>&1 || {
  cat "$work/log" >&2
  exit 1
}
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
niceness=$(cat "$work/out/niceness")

# hyperfine's JSON lists the results in command order, one "median" per command.
medians=$(awk -F': ' '/"median"/ { gsub(/[ ,]/, "", $2); printf "%s ", $2 }' "$work/out/result.json")
set -- $medians
bare=$1
bash_checks=$2
agent=$3
if [ -n "$baseline" ]; then
  previous=$4
  java_version=$5
else
  java_version=$4
fi
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
target_met=$(awk -v s="$agent" 'BEGIN { print (s <= 0.030 ? "met" : "not met") }')

section=$work/section.md
{
  echo "## Entrypoint agent"
  echo
  echo "Start-to-exec time of the container entrypoint, measured inside a container: from launching it to the"
  echo "target program (\`/bin/true\`) having run. \`sh bench/agent/run.sh\` ($runs runs after 10 warm-ups,"
  echo "hyperfine \`--shell=none\` inside a container of the stand-in runtime base, uid 1000, docker $("$docker" version --format '{{.Server.Version}}' 2>/dev/null),"
  echo "$(nproc) CPUs, $(date -u +%Y-%m-%d), on a machine shared with other builds; load average $load_before before"
  echo "the run, $load_after after; niceness $niceness${shield:+; container CPU cgroup with cpu.shares 262144})."
  echo
  echo "| variant | median | vs bare exec | vs bash checks |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| bare exec of the target | $(ms "$bare") ms | 1.0x | |"
  echo "| bash script doing the six checks, then exec | $(ms "$bash_checks") ms | $(ratio "$bash_checks" "$bare")x | 1.0x |"
  echo "| nss-entrypoint, JVM distribution (as shipped) | $(ms "$agent") ms | $(ratio "$agent" "$bare")x | $(ratio "$agent" "$bash_checks")x |"
  if [ -n "$baseline" ]; then
    echo "| $baseline_name, the same run | $(ms "$previous") ms | $(ratio "$previous" "$bare")x | $(ratio "$previous" "$bash_checks")x |"
  fi
  echo "| for scale: its JVM running \`-version\` (no agent) | $(ms "$java_version") ms | $(ratio "$java_version" "$bare")x | $(ratio "$java_version" "$bash_checks")x |"
  echo
  echo "Target for the JVM distribution: a median of 30 ms or less in a container: $target_met in this run."
  if [ -n "$baseline" ]; then
    echo
    echo "nss-entrypoint against $baseline_name: $(ms "$agent") ms vs $(ms "$previous") ms, a difference of"
    echo "$(awk -v a="$agent" -v b="$previous" 'BEGIN { printf "%+.1f", (a - b) * 1000 }') ms (ratio $(awk -v a="$agent" -v b="$previous" 'BEGIN { printf "%.3f", a / b }'))."
  fi
  echo
  if [ -f "$here/NOTES.md" ]; then
    cat "$here/NOTES.md"
  fi
} > "$section"

# Replace the section (up to the next "## " heading) or append it; keep every other section.
if [ -f "$readme" ]; then
  awk -v section="$section" '
    /^## Entrypoint agent[[:space:]]*$/ { while ((getline line < section) > 0) print line; skipping = 1; done = 1; next }
    skipping && /^## / { skipping = 0 }
    !skipping { print }
    END { if (!done) { print ""; while ((getline line < section) > 0) print line } }
  ' "$readme" > "$work/README.md"
else
  { echo "# Benchmarks"; echo; cat "$section"; } > "$work/README.md"
fi
cp "$work/README.md" "$readme"
echo "bare $(ms "$bare") ms, bash-checks $(ms "$bash_checks") ms, nss-entrypoint $(ms "$agent") ms${baseline:+, baseline $(ms "$previous") ms} (load $load_before -> $load_after) -> $readme"
