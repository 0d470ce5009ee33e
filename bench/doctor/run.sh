#!/bin/sh
# Wall time of the whole doctor (DoctorMain, every default check) on docker and on podman, the engines up.
#
#   sh bench/doctor/run.sh [RUNS] [BEFORE_REV]
#
# RUNS (default 10): hyperfine runs per engine after one warm-up, with the probe cache filled; the first run with
# an empty cache (which runs the buildkit probe) is timed once on its own. BEFORE_REV (optional, e.g. 232470d):
# also time the doctor of that revision, BEFORE_RUNS times (default 3; a run that waits out a hang takes 30 s).
#
# No Maven: core, engine and doctor (which depend on nothing else of the plugin) are compiled with javac from this
# working tree (and from BEFORE_REV through git archive), and run with `java -cp` plus oshi-core, jna, jna-platform
# and slf4j-api from the local Maven repository (MAVEN_REPO, default ~/.m2/repository; versions from the poms).
# The probe cache goes to a temp XDG_CACHE_HOME, so the user's own cache is neither used nor changed.
# Needs JDK 17+ (JAVA_HOME, default Temurin 25), hyperfine, python3, /usr/bin/docker (the client with BuildKit)
# and /usr/bin/podman answering. Prints a Markdown summary with the machine, date and load.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-10}
before_rev=${2:-}
before_runs=${BEFORE_RUNS:-3}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export LANG=C.UTF-8
repo=${MAVEN_REPO:-$HOME/.m2/repository}
engines="/usr/bin/docker /usr/bin/podman"

for cli in $engines; do
  "$cli" info --format '{{json .}}' >/dev/null 2>&1 || { echo "$cli info fails: start the engine" >&2; exit 1; }
done
command -v hyperfine >/dev/null || { echo "no hyperfine (.ci/engine install installs it)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Run-time dependencies of the doctor, at the versions the poms name.
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$2" | head -n 1; }
oshi=$(prop oshi.version "$root/pom.xml")
jna=$(prop jna.version "$repo/com/github/oshi/oshi-parent/$oshi/oshi-parent-$oshi.pom")
slf4j=$(prop slf4j.version "$repo/com/github/oshi/oshi-parent/$oshi/oshi-parent-$oshi.pom")
deps="$repo/com/github/oshi/oshi-core/$oshi/oshi-core-$oshi.jar:$repo/net/java/dev/jna/jna/$jna/jna-$jna.jar"
deps="$deps:$repo/net/java/dev/jna/jna-platform/$jna/jna-platform-$jna.jar:$repo/org/slf4j/slf4j-api/$slf4j/slf4j-api-$slf4j.jar"
for jar in $(echo "$deps" | tr ':' ' '); do
  [ -f "$jar" ] || { echo "missing $jar: build the project once (./mvnw -o -pl maven-plugin compile)" >&2; exit 1; }
done

# compile NAME SRC_ROOT: the doctor's packages under SRC_ROOT into $work/NAME.
compile() {
  src="$2/maven-plugin/src/main/java/dev/nss"
  mkdir -p "$work/$1"
  # shellcheck disable=SC2046
  "$JAVA_HOME/bin/javac" --release 17 -nowarn -d "$work/$1" -cp "$deps" \
    $(find "$src/core" "$src/engine" "$src/doctor" -name '*.java')
}
compile after "$root"
labels="after"
if [ -n "$before_rev" ]; then
  mkdir -p "$work/before-src"
  git -C "$root" archive "$before_rev" maven-plugin/src/main/java/dev/nss | tar -x -C "$work/before-src"
  compile before "$work/before-src"
  labels="before after"
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
results="$work/results.txt"
: >"$results"
for label in $labels; do
  n=$runs
  [ "$label" = before ] && n=$before_runs
  for cli in $engines; do
    engine=$(basename "$cli")
    cache="$work/cache-$label-$engine"
    doctor="$JAVA_HOME/bin/java -cp $work/$label:$deps dev.nss.doctor.DoctorMain --cli $cli --gpu-flag= --fail-on never --hf-cache $work/hf"
    # The first run, with an empty probe cache.
    start=$(date +%s%N)
    XDG_CACHE_HOME=$cache $doctor >"$work/first-$label-$engine.txt"
    first_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    XDG_CACHE_HOME=$cache hyperfine -N -w 1 -r "$n" --export-json "$work/$label-$engine.json" \
      -n "$label $engine" "$doctor" >/dev/null
    median=$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["results"][0]["median"], 2))' \
      "$work/$label-$engine.json")
    buildkit=$(grep -E '^(✓|!|✗|ok|x) +buildkit' "$work/first-$label-$engine.txt" | sed 's/  */ /g' | cut -d' ' -f1,3-12)
    echo "$label|$engine|$n|$median|$(awk "BEGIN{printf \"%.2f\", $first_ms/1000}")|$buildkit" >>"$results"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "Doctor wall time, $(date -u +%Y-%m-%d), $(hostname -s): $(nproc) CPUs ($cpu), $(uname -sr)"
echo "$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1); $(/usr/bin/docker version --format 'Docker Engine {{.Server.Version}}' 2>/dev/null);" \
  "podman $(podman version --format '{{.Client.Version}}') (buildah $(podman info --format '{{.Host.BuildahVersion}}'))"
echo "load average $load_before before, $load_after after"
echo
echo "Median: hyperfine runs after one warm-up run (which fills the probe cache; code without one probes every run)."
echo
echo "| code | engine | runs | median | first run, empty cache | buildkit (first run) |"
echo "|---|---|---:|---:|---:|---|"
while IFS='|' read -r label engine n median first buildkit; do
  echo "| $label | $engine | $n | $median s | $first s | $buildkit |"
done <"$results"
