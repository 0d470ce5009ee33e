#!/bin/sh
# Image build benchmark, in one run (see bench/README.md, "## Image build"):
#   1. warm cache: `mvn nss:build-gpu` vs the same `docker build` run directly vs a no-op `mvn validate`
#      of the same project (medians, ratios, and the plugin's own cost = build-gpu - validate - docker build);
#   2. the size of the entrypoint agent's layer in jvm mode;
#   3. a cold build (`docker build --no-cache`: every layer rebuilt, apt/uv cache mounts kept) vs a
#      source-only rebuild through `mvn nss:build-gpu`.
# Builds against the stand-in base images (it/stand-ins/make-stand-ins.sh), so it needs no registry.
# Needs hyperfine, python3, the engine's client /usr/bin/docker with BuildKit, and the plugin installed in
# ~/.m2 (./mvnw install). Writes bench/build/results.md and replaces the "## Image build" section of
# bench/README.md. Usage: sh bench/build/run.sh [warm-runs] [cold-runs]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
warm_runs=${1:-15}
cold_runs=${2:-3}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME DOCKER_BUILDKIT=1
docker=/usr/bin/docker
mvn=$(ls -d "$HOME"/.m2/wrapper/dists/apache-maven-3.9.16/*/bin/mvn 2>/dev/null | head -n 1)
[ -x "$mvn" ] || { echo "no Maven 3.9.16 from the wrapper: run ./mvnw -v once" >&2; exit 1; }
image=nss-bench/gpu:latest

work=$(mktemp -d)
cleanup() { rm -rf "$work"; "$docker" image rm -f "$image" >/dev/null 2>&1 || true; }
trap cleanup EXIT

sh "$root/it/stand-ins/make-stand-ins.sh"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# The project: the IT sample with the repository's containers/ and the stand-in build args.
project=$work/project
. "$root/bench/sample-project.sh"
sample_project "$project" "    <project.build.outputTimestamp>2026-01-01T00:00:00Z</project.build.outputTimestamp>
    <nss.containerCli>$docker</nss.containerCli>
    <nss.entrypointBuild>jvm</nss.entrypointBuild>
    <nss.image>$image</nss.image>"
cd "$project"
mvn_cmd="$mvn -B -o -q"

# Warm the cache, and learn the exact docker command the goal runs from its dry run.
$mvn_cmd nss:build-gpu >/dev/null
docker_cmd=$($mvn -B -o nss:build-gpu -Dnss.dryRun=true | sed -n 's/^\[INFO\] \[dry-run\] \(.*docker build .*\)$/\1/p')
[ -n "$docker_cmd" ] || { echo "no [dry-run] docker build line from nss:build-gpu" >&2; exit 1; }
echo "docker command: $docker_cmd"
# The goal stages the agent before its build and removes it after; the plain docker build gets it staged
# the same way, outside the timing.
# A private copy: other builds on this machine may reinstall the jar in ~/.m2 meanwhile.
jar=$work/nss-entrypoint.jar
cp "$HOME/.m2/repository/dev/nss/nss-entrypoint/$version/nss-entrypoint-$version.jar" "$jar"
stage="sh -c 'mkdir -p .nss-build/entrypoint && cp $jar .nss-build/entrypoint/nss-entrypoint.jar'"

# Interleaved rounds (validate, build-gpu, docker build, build-gpu with nss.skip, in rotating order), so that load
# changing on this shared machine hits them alike; the plugin's own cost is the median of the per-round differences,
# and the skipped goal (plugin loaded and configured, nothing done) shows how much of it Maven's plugin set-up is.
python3 - "$work/warm.json" "$warm_runs" "$mvn_cmd validate" "$mvn_cmd nss:build-gpu" "$docker_cmd" "$jar" \
    "$mvn_cmd nss:build-gpu -Dnss.skip=true" <<'PY'
import json, os, shutil, statistics, subprocess, sys, time
out, runs, validate, build, docker, jar, skip = sys.argv[1], int(sys.argv[2]), *sys.argv[3:8]
commands = {"validate": validate.split(), "build-gpu": build.split(), "docker": docker.split(), "skip": skip.split()}
def stage():
    os.makedirs(".nss-build/entrypoint", exist_ok=True)
    shutil.copyfile(jar, ".nss-build/entrypoint/nss-entrypoint.jar")
def timed(name):
    if name == "docker":
        stage()
    t = time.perf_counter()
    subprocess.run(commands[name], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t
order = list(commands)
for _ in range(2):
    for name in order:
        timed(name)
times = {name: [] for name in commands}
for i in range(runs):
    for name in order[i % len(order):] + order[:i % len(order)]:
        times[name].append(timed(name))
own = [b - v - d for b, v, d in zip(times["build-gpu"], times["validate"], times["docker"])]
result = {name: statistics.median(t) for name, t in times.items()}
result["own"] = statistics.median(own)
result["load"] = statistics.median([k - v for k, v in zip(times["skip"], times["validate"])])
result["times"] = times
json.dump(result, open(out, "w"))
print({k: round(v * 1000) for k, v in result.items() if k != "times"}, "ms (medians)")
PY

# The agent's layer in jvm mode and what is in it.
layer=$("$docker" history --no-trunc --human=false --format '{{.Size}}	{{.CreatedBy}}' "$image" \
  | awk -F'\t' '$2 ~ /COPY \/opt\/nss-entrypoint \/opt\/nss-entrypoint/ {print $1; exit}')
parts=$("$docker" run --rm --entrypoint du "$image" -sk /opt/nss-entrypoint/runtime /opt/nss-entrypoint/lib \
  | awk '{printf "%s%s %.1f MB", sep, $2, $1/1024; sep=", "}')

# Cold (no layer cache) vs source-only rebuild.
# Each rebuild makes a new image: remove the previous one first (outside the timing), so none is left dangling.
drop="$docker image rm -f $image"
hyperfine --show-output --runs "$cold_runs" --export-json "$work/cold.json" --prepare "$drop >/dev/null; $stage" \
  -n "cold: docker build --no-cache" "$docker_cmd --no-cache"
rm -rf .nss-build
hyperfine --style basic --runs "$warm_runs" --export-json "$work/source.json" \
  --prepare "$drop >/dev/null; echo '# edit '\$(date +%s%N) >> $project/src/safe_synthesizer/cli.py" \
  -n "source-only: mvn nss:build-gpu" "$mvn_cmd nss:build-gpu"

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$work" "$root" "$layer" "$parts" "$warm_runs" "$cold_runs" "$load_before" "$load_after" <<'PY'
import json, os, sys, datetime
work, root, layer, parts, warm_runs, cold_runs, load_before, load_after = sys.argv[1:9]
def med(name):
    return {r["command"]: r["median"] for r in json.load(open(os.path.join(work, name)))["results"]}
warm = json.load(open(os.path.join(work, "warm.json"))); cold = med("cold.json"); src = med("source.json")
build, dock, val, own = warm["build-gpu"], warm["docker"], warm["validate"], warm["own"]
ms = lambda s: f"{s * 1000:.0f} ms"
cold_s, src_s = cold["cold: docker build --no-cache"], src["source-only: mvn nss:build-gpu"]
lines = [
    "## Image build",
    "",
    f"`sh bench/build/run.sh` ({datetime.date.today()}, {os.cpu_count()} CPUs, Docker engine 20.10 with BuildKit,",
    "stand-in base images, agent in jvm mode; medians; a machine shared with other builds:",
    f"load average {load_before} before, {load_after} after).",
    "",
    f"Warm cache, {warm_runs} interleaved rounds after 2 warm-up rounds (each round runs validate, build-gpu, docker"
    " build and build-gpu with -Dnss.skip=true once, in rotating order):",
    "",
    "| command | median | vs docker build |",
    "| --- | ---: | ---: |",
    f"| `mvn nss:build-gpu` | {ms(build)} | {build / dock:.1f}x |",
    f"| the same `docker build` run directly | {ms(dock)} | 1.0x |",
    f"| `mvn validate` (no-op, same project) | {ms(val)} | {val / dock:.1f}x |",
    "",
    f"The plugin's own cost, median of the per-round build-gpu - validate - docker build: **{ms(own)}**"
    f" (target <= 150 ms: {'met' if own <= 0.150 else 'not met'}); from the medians above: {ms(build - val - dock)}.",
    f"`mvn nss:build-gpu` / `mvn validate` = {build / val:.2f}x. Of the plugin's cost, Maven loading and configuring"
    f" the plugin (`mvn nss:build-gpu -Dnss.skip=true` - `mvn validate`, per-round median) is {ms(warm['load'])}.",
    "",
    f"Entrypoint agent layer (jvm mode, `COPY --from=agent /opt/nss-entrypoint`): {int(layer) / 1e6:.1f} MB ({parts}).",
    "",
    "| rebuild | median |",
    "| --- | ---: |",
    f"| cold: `docker build --no-cache` (all layers; apt/uv cache mounts warm), {cold_runs} runs | {cold_s:.1f} s |",
    f"| source-only change, `mvn nss:build-gpu`, {warm_runs} runs | {src_s:.1f} s |",
    "",
    f"Source-only rebuild / cold = {src_s / cold_s:.2f}: the `uv sync --no-install-project` layer stays cached.",
    "",
]
text = "\n".join(lines)
open(os.path.join(root, "bench/build/results.md"), "w").write(text)
readme = os.path.join(root, "bench/README.md")
old = open(readme).read() if os.path.exists(readme) else "# Benchmarks\n"
start = old.find("## Image build")
if start < 0:
    new = old.rstrip("\n") + "\n\n" + text
else:
    end = old.find("\n## ", start + 1)
    new = old[:start] + text + ("" if end < 0 else old[end + 1:])
open(readme, "w").write(new.rstrip("\n") + "\n")
print(text)
PY
