#!/bin/sh
# Start-to-exec cost of the entrypoint agent, in one hyperfine run:
#   bare            a bare exec of the trivial target (/bin/true)
#   bash-checks     bench/agent/preflight.sh: the same six checks in bash, then exec
#   nss-entrypoint  the JVM distribution (entrypoint-agent/target/nss-entrypoint)
#   nss-entrypoint-c1  the same jar, distribution rebuilt here with NSS_ENTRYPOINT_JIT=c1
# Writes the medians and ratios to bench/README.md under "## Entrypoint agent".
# Usage: sh bench/agent/run.sh [runs]   (needs hyperfine; build the agent first:
#        on a busy shared machine, run it as root under "nice -n -15" to shield it from other jobs;
#        JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -B -ntp -pl entrypoint-agent -am package)
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
dist=${NSS_ENTRYPOINT_DIST:-$root/entrypoint-agent/target/nss-entrypoint}
runs=${1:-100}
readme=$root/bench/README.md

if ! command -v hyperfine > /dev/null 2>&1; then
  echo "run.sh: hyperfine not found. Fix: apt-get install hyperfine" >&2
  exit 69
fi
if [ ! -x "$dist/bin/nss-entrypoint" ]; then
  echo "run.sh: $dist/bin/nss-entrypoint not found. Fix: JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -B -ntp -pl entrypoint-agent -am package" >&2
  exit 66
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jdk=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
NSS_ENTRYPOINT_JIT=c1 sh "$root/entrypoint-agent/src/main/dist/make-jvm-dist.sh" \
  "$jdk" "$dist/lib/nss-entrypoint.jar" "$work/c1"
# A container-like layout where every check has something to look at: a workspace with data,
# an HF cache, no token and no GPU (so two hints are printed, as in a typical CPU-only run).
mkdir -p "$work/workspace/.hf_cache"
echo "a,b" > "$work/workspace/data.csv"
export NSS_WORKSPACE="$work/workspace"
export HF_HOME="$work/workspace/.hf_cache"
export NSS_ENTRYPOINT_TARGET=/bin/true
export HOME="$work"
unset HF_TOKEN HUGGING_FACE_HUB_TOKEN HF_TOKEN_PATH XDG_CACHE_HOME NSS_PREFLIGHT NSS_PREFLIGHT_REPORT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
niceness=$(nice)
hyperfine --shell=none --warmup 10 --runs "$runs" --style basic --export-json "$work/result.json" \
  --command-name bare "/bin/true" \
  --command-name bash-checks "/bin/bash $here/preflight.sh" \
  --command-name nss-entrypoint "$dist/bin/nss-entrypoint" \
  --command-name nss-entrypoint-c1 "$work/c1/bin/nss-entrypoint" 2> "$work/stderr" || {
  cat "$work/stderr" >&2
  exit 1
}

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# hyperfine's JSON lists the results in command order, one "median" per command.
medians=$(awk -F': ' '/"median"/ { gsub(/[ ,]/, "", $2); printf "%s ", $2 }' "$work/result.json")
set -- $medians
bare=$1
bash_checks=$2
agent=$3
agent_c1=$4
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

section=$work/section.md
{
  echo "## Entrypoint agent"
  echo
  echo "Start-to-exec time of the container entrypoint: from launching it to the target program (\`/bin/true\`)"
  echo "having run. \`sh bench/agent/run.sh\` ($runs runs after 10 warm-ups, hyperfine \`--shell=none\`, $(nproc) CPUs,"
  echo "$(date -u +%Y-%m-%d), outside a container, on a machine shared with other builds; load average"
  echo "$load_before before the run, $load_after after; niceness $niceness)."
  echo
  echo "| variant | median | vs bare exec | vs bash checks |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| bare exec of the target | $(ms "$bare") ms | 1.0x | |"
  echo "| bash script doing the six checks, then exec | $(ms "$bash_checks") ms | $(ratio "$bash_checks" "$bare")x | 1.0x |"
  echo "| nss-entrypoint, JVM distribution (interpreter only, as shipped) | $(ms "$agent") ms | $(ratio "$agent" "$bare")x | $(ratio "$agent" "$bash_checks")x |"
  echo "| nss-entrypoint, JVM distribution with C1 only (\`NSS_ENTRYPOINT_JIT=c1\`) | $(ms "$agent_c1") ms | $(ratio "$agent_c1" "$bare")x | $(ratio "$agent_c1" "$bash_checks")x |"
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
echo "bare $(ms "$bare") ms, bash-checks $(ms "$bash_checks") ms, nss-entrypoint $(ms "$agent") ms, c1 $(ms "$agent_c1") ms -> $readme"
