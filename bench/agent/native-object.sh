#!/bin/sh
# Time and memory of the native agent's object build (./mvnw -pl entrypoint-agent -Pnative-object package):
# GraalVM's builder from Maven Central on the build JDK, up to the relocatable object file.
# Writes the figures to bench/README.md under "## Native object build".
# Usage: sh bench/agent/native-object.sh   (needs GNU time at /usr/bin/time; run it with JAVA_HOME=JDK 25)
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
readme=$root/bench/README.md
log=$root/entrypoint-agent/target/native/build.log
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -x /usr/bin/time ]; then
  echo "native-object.sh: GNU time not found. Fix: apt-get install time" >&2
  exit 69
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
(cd "$root" && /usr/bin/time -f '%e %M' -o "$work/time" ./mvnw -B -ntp -pl entrypoint-agent -Pnative-object \
  package -DskipTests > "$work/maven.log" 2>&1) || {
  tail -40 "$work/maven.log" >&2
  exit 1
}
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
read -r wall maxrss < "$work/time"
# The builder's own summary: "Finished generating 'nss-entrypoint' in 1m 12s." and "... | Peak RSS: 1.83GB | CPU load: 0.52"
builder_time=$(sed -n "s/^Finished generating 'nss-entrypoint' in \(.*\)\.$/\1/p" "$log")
builder_rss=$(sed -n 's/.*| Peak RSS: \([0-9.]*GB\) |.*/\1/p' "$log" | tail -n 1)
cpu_load=$(sed -n 's/.*| CPU load: \([0-9.]*\)$/\1/p' "$log" | tail -n 1)
reachable=$(sed -n 's/^ *\([0-9,]* types, *[0-9,]* fields, and *[0-9,]* methods\) found reachable$/\1/p' "$log")
reachable=$(echo "$reachable" | tr -s " ")
object_bytes=$(wc -c < "$root/entrypoint-agent/target/native/nss-entrypoint.o")

section=$work/section.md
{
  echo "## Native object build"
  echo
  echo "\`sh bench/agent/native-object.sh\` ($(date -u +%Y-%m-%d), $(nproc) CPUs, $(free -g | awk '/^Mem:/ { print $2 }') GiB, a machine shared with other"
  echo "builds: load average $load_before before, $load_after after): \`./mvnw -pl entrypoint-agent -Pnative-object"
  echo "package -DskipTests\`, GraalVM 25.0.4's builder from Maven Central on Temurin 25, to the relocatable object."
  echo
  echo "| figure | value |"
  echo "| --- | ---: |"
  echo "| whole Maven run (wall) | $wall s |"
  echo "| builder, as it reports itself | $builder_time |"
  echo "| builder's peak RSS (its report) | $builder_rss |"
  echo "| largest process's peak RSS (GNU time) | $((maxrss / 1024)) MiB |"
  echo "| builder's CPU load (cores busy, its report) | $cpu_load |"
  echo "| reachable | $reachable |"
  echo "| \`target/native/nss-entrypoint.o\` | $((object_bytes / 1024 / 1024)) MiB |"
  echo
  echo "A CPU load well below the 2 CPUs means the builder waited for other jobs: on a machine of its own the same"
  echo "build takes a fraction of this wall time."
  echo
  echo "No executable is linked (that needs a GraalVM distribution's C and static JDK libraries), so no start-up"
  echo "figure of a native agent is given here."
} > "$section"

if [ -f "$readme" ]; then
  awk -v section="$section" '
    /^## Native object build[[:space:]]*$/ { while ((getline line < section) > 0) print line; skipping = 1; done = 1; next }
    skipping && /^## / { skipping = 0 }
    !skipping { print }
    END { if (!done) { print ""; while ((getline line < section) > 0) print line } }
  ' "$readme" > "$work/README.md"
  cp "$work/README.md" "$readme"
fi
echo "native object: ${wall} s wall, builder $builder_time, peak RSS $builder_rss (load $load_before -> $load_after)"
