#!/usr/bin/env bash
# Builds target/gpu-host/bundle.tar.xz, what bench/doctor/gpu-host-run.sh unpacks on a GPU host without Java or Maven:
#   doctor/runtime         a jlink'd JDK 25 runtime (java.base, java.logging)
#   doctor/lib/*.jar       the plugin jar and its run-time dependencies (DoctorMain's class path)
#   doctor/test/*.jar      JUnit; doctor/test/classes the RunTests launcher; doctor/test/plugin-test-classes the plugin's tests
#   nss-entrypoint/        the agent's JVM distribution, as ./mvnw -pl entrypoint-agent package makes it
# Then, e.g. through the device tool: carry target/gpu-host and run `bash bench/doctor/gpu-host-run.sh` with OUT set.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}" LANG=C.UTF-8
out=target/gpu-host
stage="$out/stage"
rm -rf "$out"
mkdir -p "$stage/doctor/lib" "$stage/doctor/test/classes"

./mvnw -B -ntp -o -q package -DskipTests -pl entrypoint-agent,maven-plugin
cp "$(ls maven-plugin/target/nss-maven-plugin-*.jar | grep -v -- -tests.jar)" "$stage/doctor/lib/"
./mvnw -B -ntp -o -q dependency:copy-dependencies -pl maven-plugin -DincludeScope=runtime \
  -DoutputDirectory="$PWD/$stage/doctor/lib"
./mvnw -B -ntp -o -q dependency:copy-dependencies -pl maven-plugin -DincludeScope=test \
  -DincludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian \
  -DoutputDirectory="$PWD/$stage/doctor/test"
platform=$(ls "$stage"/doctor/test/junit-platform-engine-*.jar | sed 's/.*junit-platform-engine-\(.*\)\.jar/\1/')
./mvnw -B -ntp -o -q dependency:copy -Dartifact="org.junit.platform:junit-platform-launcher:$platform" \
  -DoutputDirectory="$PWD/$stage/doctor/test"
cp -r maven-plugin/target/test-classes "$stage/doctor/test/plugin-test-classes"
"$JAVA_HOME/bin/javac" -d "$stage/doctor/test/classes" -cp "$(ls "$stage"/doctor/test/*.jar | tr '\n' ':')" \
  bench/doctor/RunTests.java
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging --strip-debug --no-header-files --no-man-pages \
  --compress=zip-9 --output "$stage/doctor/runtime"
cp -r entrypoint-agent/target/nss-entrypoint "$stage/nss-entrypoint"

tar -cJf "$out/bundle.tar.xz" -C "$stage" doctor nss-entrypoint
rm -rf "$stage"
echo "$out/bundle.tar.xz: $(du -h "$out/bundle.tar.xz" | cut -f1)"
