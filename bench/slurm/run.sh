#!/bin/sh
# Slurm overhead benchmark (see bench/README.md, "## Slurm"): on a private one-node cluster with two fake GPUs
# (it/slurm/one-node-cluster.sh), interleaved runs of the same short program (the IT sample's `generate`, which
# reports and exits 0) through
#   a. mvn nss:run-gpu      (the container on this host)
#   b. mvn nss:submit-slurm (the same container as a Slurm job, waiting for its end; the goal polls every 250 ms)
#   c. sbatch --wait of the script b wrote (Slurm's own wait, which polls at ~2 s then 10 s)
# and the submit-to-start time the goal reports ("started ... after X s in the queue"). Medians of N runs each.
# Needs root, slurm-wlm, munge, python3, /usr/bin/docker and the plugin in the Maven repository REPO (default
# ~/.m2/repository; ./mvnw install). IMAGE: an existing runtime image to run (default: build nss-bench/gpu:slurm with
# nss:build-gpu against the stand-ins). Writes bench/slurm/results.md.  Usage: sh bench/slurm/run.sh [runs]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-10}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
: "${REPO:=$HOME/.m2/repository}"
export JAVA_HOME LANG=C.UTF-8
docker=/usr/bin/docker
mvn=$(ls -d "$HOME"/.m2/wrapper/dists/apache-maven-3.9.16/*/bin/mvn 2>/dev/null | head -n 1)
[ -x "$mvn" ] || { echo "no Maven 3.9.16 from the wrapper: run ./mvnw -v once" >&2; exit 1; }

work=$(mktemp -d)
cleanup() {
  bash "$root/it/slurm/one-node-cluster.sh" stop "$work/cluster" || true
  [ -n "${built:-}" ] && "$docker" image rm -f "$built" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

project=$work/project
. "$root/bench/sample-project.sh"
sample_project "$project" "    <nss.containerCli>$docker</nss.containerCli>
    <nss.entrypointBuild>jvm</nss.entrypointBuild>
    <nss.hfCache>$work/hf-cache</nss.hfCache>"
cd "$project"
mvn_cmd="$mvn -B -o -Dmaven.repo.local=$REPO -Dmaven.repo.local.tail=$HOME/.m2/repository"
if [ -z "${IMAGE:-}" ]; then
  sh "$root/it/stand-ins/make-stand-ins.sh"
  IMAGE=nss-bench/gpu:slurm
  built=$IMAGE
  $mvn_cmd -q nss:build-gpu -Dnss.image="$IMAGE" >/dev/null
fi

eval "$(bash "$root/it/slurm/one-node-cluster.sh" start "$work/cluster")"
export SLURM_CONF
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
common="-Dnss.image=$IMAGE -Dnss.skipBuild=true -Dnss.gpuFlag= -Dnss.cmd=generate"

ms() { echo $(( $(date +%s%N) / 1000000 )); }
: >"$work/times"
i=0
while [ "$i" -le "$runs" ]; do   # run 0 warms up and is not counted
  t0=$(ms); $mvn_cmd $common nss:run-gpu >"$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
  t1=$(ms); $mvn_cmd $common nss:submit-slurm >"$work/submit.log" 2>&1 || { cat "$work/submit.log"; exit 1; }
  t2=$(ms); timeout 120 sbatch --wait --quiet "$project/target/nss-slurm/nss-run.sh" >/dev/null
  t3=$(ms)
  queue=$(sed -n 's/.*started on .* after \([0-9.]*\) s in the queue.*/\1/p' "$work/submit.log")
  [ "$i" -gt 0 ] && echo "$((t1 - t0)) $((t2 - t1)) $((t3 - t2)) $queue" >>"$work/times"
  i=$((i + 1))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$work/times" "$runs" "$load_before" "$load_after" >"$here/results.md" <<'PY'
import statistics, sys, datetime
rows = [line.split() for line in open(sys.argv[1])]
run, submit, sbatch = ([float(r[i]) / 1000 for r in rows] for i in range(3))
queue = [float(r[3]) for r in rows]
m = statistics.median
print(f"Slurm overhead, {datetime.date.today()}, {sys.argv[2]} interleaved runs each after one warm-up, "
      f"one-node cluster (slurm-wlm 22.05, 2 fake GPUs) on a 2-CPU machine shared with other builds; "
      f"load average {sys.argv[3]} before, {sys.argv[4]} after.\n")
print("| what | median | vs run-gpu |")
print("| --- | ---: | ---: |")
print(f"| `mvn nss:run-gpu` (container on this host) | {m(run):.2f} s | 1.00x |")
print(f"| `mvn nss:submit-slurm` (same container as a Slurm job, waiting) | {m(submit):.2f} s | {m(submit) / m(run):.2f}x |")
print(f"| `sbatch --wait` of the same script (no Maven) | {m(sbatch):.2f} s | {m(sbatch) / m(run):.2f}x |")
print(f"\nEnd-to-end overhead of submit-slurm over run-gpu: {m(submit) - m(run):+.2f} s (median of the differences: "
      f"{m([s - r for s, r in zip(submit, run)]):+.2f} s). Submit-to-start as the goal saw it (polling every 0.25 s): "
      f"median {m(queue):.2f} s, min {min(queue):.2f} s, max {max(queue):.2f} s.")
PY
cat "$here/results.md"
