#!/bin/sh
# Publish benchmark (see bench/README.md, "## Publish"), against a private docker-registry with htpasswd auth on a free
# 127.0.0.1 port (stopped by its PID at the end):
#   1. `mvn nss:push-gpu` (login from settings.xml, inspect, tag + push, logout, nss-image.json) vs the same by hand
#      (`docker login --password-stdin`, `docker tag`, `docker push`, `docker logout`) vs a no-op `mvn validate`;
#   2. `mvn nss:build-gpu-multiarch` of linux/amd64 + linux/arm64 without buildx (warm cache) vs the same by hand
#      (two `docker build --platform`, two pushes, `docker manifest create` + `push`).
# Image: it/src/it/multiarch (a static busybox per architecture; arm64 through qemu), one tag, so a run measures the
# goal's own cost, not the upload of a large image (layers already in the registry are skipped by both sides).
# Needs hyperfine, docker-registry, htpasswd, qemu binfmt for arm64, the engine's client /usr/bin/docker, and the plugin
# in NSS_BENCH_REPO (default it/target/it-repo, made by any IT run; else ~/.m2). Usage: sh bench/publish/run.sh [runs]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-7}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME DOCKER_BUILDKIT=1 DOCKER_CLI_EXPERIMENTAL=enabled LANG=C.UTF-8
docker=/usr/bin/docker
mvn=$(ls -d "$HOME"/.m2/wrapper/dists/apache-maven-3.9.16/*/bin/mvn 2>/dev/null | head -n 1)
[ -x "$mvn" ] || { echo "no Maven 3.9.16 from the wrapper: run ./mvnw -v once" >&2; exit 1; }
repo=${NSS_BENCH_REPO:-$root/it/target/it-repo}
[ -d "$repo" ] || repo=$HOME/.m2/repository
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -n 1)

work=$(mktemp -d)
reg_pid=
port=0
cleanup() {
  [ -z "$reg_pid" ] || kill "$reg_pid" 2>/dev/null || true
  for ref in $("$docker" images --digests --format '{{.Repository}}:{{.Tag}} {{.Repository}}@{{.Digest}}' \
      | tr ' ' '\n' | grep "^127.0.0.1:$port/bench/" | grep -v ':<none>$' | grep -v '@<none>$' || true) bench/arch:local; do
    "$docker" image rm --force "$ref" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The registry.
password=bench-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
printf '%s' "$password" >"$work/password"
htpasswd -iBc "$work/htpasswd" bench <"$work/password" 2>/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/registry.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/data
http:
  addr: 127.0.0.1:$port
auth:
  htpasswd:
    realm: bench
    path: $work/htpasswd
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
reg_pid=$!
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/")" = 401 ] && break
  sleep 0.1
done
cat >"$work/settings.xml" <<XML
<settings><servers><server><id>bench</id><username>bench</username><password>$password</password></server></servers></settings>
XML

# The project.
project=$work/project
cp -r "$root/it/src/it/multiarch" "$project"
cp /bin/busybox "$project/busybox-amd64"
cp "$(sh "$root/it/stand-ins/busybox-arm64.sh")" "$project/busybox-arm64"
cat >"$project/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.nss.bench</groupId>
  <artifactId>publish</artifactId>
  <version>0.1.0</version>
  <packaging>pom</packaging>
  <properties>
    <nss.containerCli>$docker</nss.containerCli>
    <nss.dockerfile>Dockerfile</nss.dockerfile>
    <nss.image>bench/arch:local</nss.image>
    <nss.registry>127.0.0.1:$port</nss.registry>
    <nss.registryServerId>bench</nss.registryServerId>
    <nss.registryInsecure>true</nss.registryInsecure>
    <nss.tags>latest</nss.tags>
  </properties>
  <build><plugins><plugin>
    <groupId>dev.nss</groupId><artifactId>nss-maven-plugin</artifactId><version>$version</version>
  </plugin></plugins></build>
</project>
POM
cd "$project"
"$docker" build -q --platform linux/amd64 --target runtime -t bench/arch:local -f Dockerfile . >/dev/null
m="$mvn -B -q -o -s $work/settings.xml -Dmaven.repo.local=$repo -Dmaven.repo.local.tail=$HOME/.m2/repository"
ref=127.0.0.1:$port/bench/arch
by_hand_push="$docker login --username bench --password-stdin 127.0.0.1:$port <$work/password >/dev/null 2>&1 \
 && $docker tag bench/arch:local $ref:latest && $docker push $ref:latest >/dev/null && $docker logout 127.0.0.1:$port >/dev/null"
by_hand_multiarch="$docker build -q --platform linux/amd64 --target runtime -t $ref:latest-linux-amd64 -f Dockerfile . >/dev/null \
 && $docker build -q --platform linux/arm64 --target runtime -t $ref:latest-linux-arm64 -f Dockerfile . >/dev/null \
 && $docker login --username bench --password-stdin 127.0.0.1:$port <$work/password >/dev/null 2>&1 \
 && $docker push $ref:latest-linux-amd64 >/dev/null && $docker push $ref:latest-linux-arm64 >/dev/null \
 && ($docker manifest rm $ref:latest >/dev/null 2>&1; true) \
 && $docker manifest create --insecure $ref:latest $ref:latest-linux-amd64 $ref:latest-linux-arm64 >/dev/null \
 && $docker manifest push --insecure --purge $ref:latest >/dev/null && $docker logout 127.0.0.1:$port >/dev/null"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
hyperfine -N --style basic --runs "$runs" --warmup 1 --export-json "$work/push.json" \
  -n "mvn nss:push-gpu" "$m nss:push-gpu" \
  -n "by hand: login, tag, push, logout" "sh -c '$by_hand_push'" \
  -n "mvn validate (no-op)" "$m validate" >"$work/push.txt"
hyperfine -N --style basic --runs "$runs" --warmup 1 --export-json "$work/multiarch.json" \
  -n "mvn nss:build-gpu-multiarch" "$m nss:build-gpu-multiarch" \
  -n "by hand: 2 builds, 2 pushes, manifest create + push" "sh -c '$by_hand_multiarch'" >"$work/multiarch.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$work" "$root" "$runs" "$load_before" "$load_after" <<'PY'
import json, sys, datetime, pathlib, re
work, root, runs, before, after = sys.argv[1:]
def rows(name):
    return [(r["command"], sorted(r["times"])[len(r["times"]) // 2] * 1000) for r in json.load(open(f"{work}/{name}.json"))["results"]]
push, multi = rows("push"), rows("multiarch")
out = [f"Measured {datetime.date.today()} on the build machine (2 cores, shared; load {before} before, {after} after), "
       f"{runs} runs each after one warm-up, medians. Image: it/src/it/multiarch (busybox, ~1 MB), one tag, layers already "
       "in the registry after the warm-up, so the figures are the goals' own cost.", "",
       "| Command | Median |", "|---|---|"]
out += [f"| {c} | {t:.0f} ms |" for c, t in push + multi]
goal, hand, noop = push[0][1], push[1][1], push[2][1]
mgoal, mhand = multi[0][1], multi[1][1]
out += ["", f"push-gpu = Maven's own start and set-up (the no-op validate, {noop:.0f} ms) + the commands by hand "
        f"({hand:.0f} ms) + {goal - noop - hand:.0f} ms of the goal (plugin loading, image inspect, the private login "
        f"directory, nss-image.json); {goal / (noop + hand):.2f}× validate + by hand.",
        f"build-gpu-multiarch = validate + the commands by hand ({mhand:.0f} ms) + {mgoal - noop - mhand:.0f} ms "
        f"(agent staging, labels, the binfmt check, the record); {mgoal / (noop + mhand):.2f}× validate + by hand."]
text = "\n".join(out) + "\n"
pathlib.Path(f"{root}/bench/publish/results.md").write_text("# Publish benchmark\n\n" + text)
readme = pathlib.Path(f"{root}/bench/README.md")
section = "## Publish\n\n`sh bench/publish/run.sh` (results in bench/publish/results.md).\n\n" + text
s = readme.read_text()
s = re.sub(r"## Publish\n.*?(?=\n## |\Z)", section.rstrip("\n") + "\n", s, flags=re.S) if "## Publish" in s else s.rstrip("\n") + "\n\n" + section
readme.write_text(s)
print(text)
PY
