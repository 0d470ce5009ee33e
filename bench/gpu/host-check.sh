#!/usr/bin/env bash
# The doctor's GPU findings on a GPU host: the bundled defaults, then build arguments that disagree with the host
# (CUDA_VERSION above the driver's CUDA, CUDA_ARCH_FLAGS without the GPU's compute capability, a GPU memory minimum
# above the GPU's), and the container agent's cuda-driver check in this environment. Runs in well under a minute.
#
# What it needs, in this order (it says which is missing):
#   1. target/gpu-check/ (made by `bash bench/gpu/host-check.sh --bundle` on any machine with the repo, a JDK 25 and
#      Maven's cache or network; carry it to the GPU host) — then the GPU host needs nothing else: no Java, no Maven.
#   2. else a JDK 25 (JAVA_HOME, else java on PATH) and Maven Central or a filled ~/.m2: the script makes the bundle
#      first with ./mvnw (a few minutes).
# nvidia-smi on PATH or in /usr/local/nvidia/bin. No Docker or Podman is needed: the container checks are not run.
# Output: stdout; with OUT set, also the JSON reports there.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUNDLE=target/gpu-check
CHECKS=gpu,cuda-driver,gpu-arch,gpu-memory,nvml,cdi-gpus

make_bundle() {
  local jdk="${JAVA_HOME:-}"
  if [ -z "$jdk" ] && command -v javac >/dev/null; then jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")"); fi
  if [ -z "$jdk" ] || [ ! -x "$jdk/bin/jlink" ] || ! "$jdk/bin/java" -version 2>&1 | grep -q 'version "25'; then
    echo "host-check: needs $BUNDLE (make it with 'bash bench/gpu/host-check.sh --bundle' elsewhere and copy it here)"
    echo "            or a JDK 25 with jlink (set JAVA_HOME; e.g. Temurin 25) and Maven Central or a filled ~/.m2"
    exit 2
  fi
  export JAVA_HOME="$jdk" LANG=C.UTF-8
  rm -rf "$BUNDLE"; mkdir -p "$BUNDLE/lib"
  ./mvnw -B -ntp -q package -DskipTests -pl maven-plugin,entrypoint-agent -am || exit 2
  cp "$(ls maven-plugin/target/nss-maven-plugin-*.jar | grep -v -E -- '-(tests|sources|javadoc)\.jar$')" "$BUNDLE/lib/" || exit 2
  ./mvnw -B -ntp -q dependency:copy-dependencies -pl maven-plugin -DincludeScope=runtime \
    -DoutputDirectory="$PWD/$BUNDLE/lib" || exit 2
  cp entrypoint-agent/target/nss-entrypoint/lib/nss-entrypoint.jar "$BUNDLE/" || exit 2
  "$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging --strip-debug --no-header-files --no-man-pages \
    --compress=zip-9 --output "$BUNDLE/runtime" || exit 2
  echo "host-check: made $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
}

if [ "${1:-}" = "--bundle" ]; then make_bundle; exit 0; fi
[ -x "$BUNDLE/runtime/bin/java" ] || make_bundle

export PATH="$PATH:/usr/local/nvidia/bin"
if ! command -v nvidia-smi >/dev/null; then echo "host-check: nvidia-smi not found: not a GPU host"; exit 2; fi
J=("$BUNDLE/runtime/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
CP=$(ls "$BUNDLE"/lib/*.jar | tr '\n' ':')
OUT=${OUT:-$(mktemp -d)}

echo "== host"
nvidia-smi | head -4
nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv,noheader
cat /proc/driver/nvidia/version 2>/dev/null | head -1
(ldconfig -p 2>/dev/null || /sbin/ldconfig -p) | grep -F libnvidia-ml || echo "ldconfig -p: no libnvidia-ml"
ls /etc/cdi /var/run/cdi 2>/dev/null || echo "no /etc/cdi, no /var/run/cdi"
env | grep -E '^(CUDA_VERSION|NVIDIA_REQUIRE_CUDA|NVIDIA_VISIBLE_DEVICES)=' | cut -c1-120

cuda=$(nvidia-smi | sed -n 's/.*CUDA Version: *\([0-9]*\)\.\([0-9]*\).*/\1 \2/p' | head -1)
above="$(echo "$cuda" | awk '{print $1 "." $2 + 1 ".0"}')"
cc=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d ' .')
case ";75;80;86;" in *";$cc;"*) without="89;90;90a" ;; *) without="75;80;86" ;; esac

doctor() { # name, then DoctorMain options
  local name=$1; shift
  echo "== doctor: $name"
  s=$(date +%s%N)
  "${J[@]}" -cp "$CP" dev.nss.doctor.DoctorMain --checks "$CHECKS" --fail-on never --json "$OUT/doctor-$name.json" "$@" \
    2>&1 | grep -v -e '^report:' -e '^SLF4J:'
  echo "($(( ($(date +%s%N) - s) / 1000000 )) ms)"
}
doctor defaults
doctor cuda-above-driver --cuda-version "$above"
doctor arch-without-gpu --cuda-arch-flags "$without"
doctor gpu-memory-minimum --min-gpu-memory 1024G
doctor no-gpu-flag --gpu-flag= --cuda-version "$above" --cuda-arch-flags "$without"

agent() { # name, then env assignments
  local name=$1; shift
  echo "== agent: $name"
  local out rc
  out=$(env "$@" NSS_ENTRYPOINT_TARGET=/bin/true NSS_WORKSPACE=/tmp NSS_PREFLIGHT_REPORT="$OUT/agent-$name.json" \
    "$BUNDLE/runtime/bin/java" --enable-native-access=ALL-UNNAMED -cp "$BUNDLE/nss-entrypoint.jar" dev.nss.entrypoint.Main \
    run 2>&1)
  rc=$?
  echo "$out" | grep -F '[nss-container] WARNING' || echo "(no WARNING)"
  echo "exit=$rc; cuda-driver check: $(grep -o '"cuda-driver", "level": "[A-Z]*"[^}]*"durationMs": [0-9.]*' "$OUT/agent-$name.json" | sed 's/.*"level": "\([A-Z]*\)".*"durationMs": \(.*\)/\1, \2 ms/')"
}
agent as-is
agent cuda-above-driver CUDA_VERSION="$above"
agent cuda-above-driver-strict CUDA_VERSION="$above" NSS_PREFLIGHT=strict
echo "reports: $OUT"
