#!/usr/bin/env bash
# Mutation testing of the unit tests (PIT 1.30.2 + pitest-junit5-plugin 1.2.3, the "pit" profile of the root pom, 2 threads).
# Usage: bench/pit/run.sh [core|engine|container|doctor|slurm|entrypoint ...]   (default: all, one after the other)
# Writes one line per package to bench/pit/scores.txt (or $PIT_SCORES): date, machine, package, mutations, killed, score,
# and the surviving mutants to <module>/target/pit-<package>/survivors.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}" LANG=C.UTF-8
scores="${PIT_SCORES:-bench/pit/scores.txt}"
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(core engine container doctor entrypoint)

# The plugin's tests stage the agent jar: install it first.
./mvnw -B -ntp -o -q install -DskipTests -pl entrypoint-agent

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load at start $(cut -d' ' -f1 /proc/loadavg)"
for pkg in "${packages[@]}"; do
  case "$pkg" in
    core|engine|container|doctor|slurm) module=maven-plugin ;;
    entrypoint) module=entrypoint-agent ;;
    *) echo "unknown package '$pkg': use core, engine, container, doctor, slurm or entrypoint" >&2; exit 2 ;;
  esac
  reports="$module/target/pit-$pkg"
  mkdir -p "$module/target"
  start=$(date +%s)
  ./mvnw -B -ntp -o -Ppit -pl "$module" test-compile org.pitest:pitest-maven:mutationCoverage \
    -DtargetClasses="dev.nss.$pkg.*" -DtargetTests="dev.nss.*" -DreportsDirectory="$PWD/$reports" \
    > "$module/target/pit-$pkg.log" 2>&1 || { tail -40 "$module/target/pit-$pkg.log" >&2; exit 1; }
  seconds=$(( $(date +%s) - start ))
  xml="$reports/mutations.xml"
  total=$(grep -o "<mutation " "$xml" | wc -l)
  killed=$(grep -o "status='\(KILLED\|TIMED_OUT\|MEMORY_ERROR\|RUN_ERROR\)'" "$xml" | wc -l)
  score=$(awk -v k="$killed" -v t="$total" 'BEGIN { printf "%.0f", t ? 100 * k / t : 0 }')
  line="$(date -u +%F) | $machine | dev.nss.$pkg | $total mutations | $killed killed | ${score}% | ${seconds} s"
  echo "$line" | tee -a "$scores"
  python3 - "$xml" > "$reports/survivors.txt" <<'PY'
import sys, xml.etree.ElementTree as ET
for m in ET.parse(sys.argv[1]).getroot():
    if m.get('status') in ('SURVIVED', 'NO_COVERAGE'):
        print(m.get('status'), m.findtext('mutatedClass'), m.findtext('mutatedMethod'), 'line', m.findtext('lineNumber'),
              '-', m.findtext('description'))
PY
done
