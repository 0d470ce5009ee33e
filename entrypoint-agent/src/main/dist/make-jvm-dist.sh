#!/bin/sh
# Builds the JVM distribution of nss-entrypoint: a jlink'd java.base runtime, the agent jar, a JDK
# AOT cache from a training run, and the launcher bin/nss-entrypoint. The launcher runs the JVM for
# the checks and then execs the target itself: the JVM never links a native function.
# Usage: sh make-jvm-dist.sh <jdk-home> <agent-jar> <out-dir>
# Used as is by the Maven build (package phase) and by the image's jvm builder stage.
# NSS_ENTRYPOINT_JIT=interpreter (default) or c1 selects the JVM's compiler mode (see below).
set -eu

if [ "$#" -ne 3 ]; then
  echo "usage: sh make-jvm-dist.sh <jdk-home> <agent-jar> <out-dir>" >&2
  exit 64
fi
jdk=$1
jar=$2
out=$3

if [ ! -x "$jdk/bin/jlink" ]; then
  echo "make-jvm-dist.sh: $jdk/bin/jlink not found: pass the home of a JDK 25 (e.g. \$JAVA_HOME)" >&2
  exit 66
fi
if [ ! -f "$jar" ]; then
  echo "make-jvm-dist.sh: agent jar $jar not found" >&2
  exit 66
fi

# The agent runs ~15 ms of Java code and then execs: no JIT compilation can pay off, and C1's
# compiler thread only competes for the CPU (measured: median 34 ms with -Xint, 40 ms with C1 only;
# see bench/README.md). NSS_ENTRYPOINT_JIT=c1 builds the C1-only variant.
case ${NSS_ENTRYPOINT_JIT:-interpreter} in
  interpreter) jit=-Xint ;;
  c1) jit=-XX:TieredStopAtLevel=1 ;;
  *)
    echo "make-jvm-dist.sh: NSS_ENTRYPOINT_JIT must be interpreter or c1, not '$NSS_ENTRYPOINT_JIT'" >&2
    exit 64
    ;;
esac

case $out in
  *\'*)
    echo "make-jvm-dist.sh: the output path must not contain a single quote: $out" >&2
    exit 64
    ;;
esac
rm -rf "$out"
mkdir -p "$out/bin" "$out/lib"
# The AOT cache records the class path: train with the absolute path the launcher will use.
out=$(cd "$out" && pwd -P)

# --strip-java-debug-attributes works without objcopy (--strip-debug needs it).
"$jdk/bin/jlink" --add-modules java.base --strip-java-debug-attributes \
  --no-header-files --no-man-pages --output "$out/runtime"
cp "$jar" "$out/lib/nss-entrypoint.jar"

# The options of the training run and of the launcher must match, or the cache is rejected.
# -Xlog:disable: the JVM logs warnings to stdout by default, and stdout belongs to the target.
# -Dnss.entrypoint.scriptExec: the agent exits 0 where it would exec, and the launcher execs.
opts="-XX:+UseSerialGC $jit -XX:-UsePerfData -Xss512k -Xms8m -Xmx64m -Xlog:disable -Xlog:all=error:stderr -Dnss.entrypoint.scriptExec=true"

# The training run is an ordinary start (checks, hints, report, target resolution) and exits
# normally, which is when the JVM writes the cache. JDK 25.0.3 has been seen to crash (SIGSEGV in
# AOTClassLocationConfig::dumptime_init_helper) while writing it, rarely: a run that crashes or
# leaves no cache is repeated, up to three runs, and its crash log stays out of the output.
train=$(mktemp -d)
mkdir "$train/workspace"
echo data > "$train/workspace/data.csv"
attempt=1
while :; do
  rm -f "$out/lib/nss-entrypoint.aot"
  status=0
  # shellcheck disable=SC2086
  env NSS_ENTRYPOINT_TARGET=/bin/sh NSS_PREFLIGHT=warn \
    NSS_WORKSPACE="$train/workspace" NSS_PREFLIGHT_REPORT="$train/report.json" HF_HOME="$train/missing" \
    "$out/runtime/bin/java" $opts -XX:ErrorFile="$train/hs_err_pid%p.log" \
    -XX:AOTCacheOutput="$out/lib/nss-entrypoint.aot" \
    -cp "$out/lib/nss-entrypoint.jar" dev.nss.entrypoint.Main -c 'exit 0' '' >"$train/log" 2>&1 || status=$?
  if [ "$status" -eq 0 ] && [ -s "$out/lib/nss-entrypoint.aot" ]; then
    break
  fi
  if [ "$attempt" -ge 3 ]; then
    cat "$train/log" >&2
    rm -rf "$train"
    echo "make-jvm-dist.sh: the AOT training run failed $attempt times (last status $status)" >&2
    exit 70
  fi
  echo "make-jvm-dist.sh: AOT training run $attempt failed (status $status); running it again" >&2
  attempt=$((attempt + 1))
done
rm -rf "$train"

cat > "$out/bin/nss-entrypoint" <<LAUNCHER
#!/bin/sh
# nss-entrypoint launcher. The JVM runs the checks and exits 0 when the target is to start (78, 126
# or 127 when not); then this shell, tini's child, becomes the target: same PID, same arguments.
# Where it was built to, unless it was moved: then its home is found through symlinks.
home='$out'
if [ ! "\$0" -ef "\$home/bin/nss-entrypoint" ]; then
  self=\$0
  while [ -L "\$self" ]; do
    link=\$(readlink "\$self")
    case \$link in
      /*) self=\$link ;;
      *) self=\${self%/*}/\$link ;;
    esac
  done
  case \$self in
    */*) home=\${self%/*}/.. ;;
    *) home=.. ;;
  esac
  home=\$(cd "\$home" && pwd -P)
fi
"\$home/runtime/bin/java" $opts -XX:AOTCache="\$home/lib/nss-entrypoint.aot" \\
  -cp "\$home/lib/nss-entrypoint.jar" dev.nss.entrypoint.Main "\$@" || exit
exec "\${NSS_ENTRYPOINT_TARGET-safe-synthesizer}" "\$@"
LAUNCHER
chmod 755 "$out/bin/nss-entrypoint"
