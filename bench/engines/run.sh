#!/bin/sh
# Podman vs docker, the same goals on the same project (see bench/README.md, "## Podman vs docker"):
#   - build-gpu from scratch: `CLI build --no-cache` with the goal's own argv (every layer rebuilt; the apt and uv cache
#     mounts stay warm, as on a developer's machine);
#   - build-gpu after a source-only change: `mvn nss:build-gpu` (the dependency layer is reused);
#   - build-gpu with nothing changed: `mvn nss:build-gpu` (every layer from the cache);
#   - run-gpu of the built image: `mvn nss:run-gpu -Dnss.skipBuild=true -Dnss.cmd=generate` (no GPU flag; the sample
#     program's generate, so the agent's checks run), and the engine alone: `CLI run --rm --entrypoint true IMAGE`.
# Engines alternate within each round, so that load changes on this shared machine hit both alike; medians.
# Builds against the stand-in base images, so it needs no registry. Needs root (stand-ins), python3, docker (BuildKit
# client /usr/bin/docker) and podman, and the plugin installed in ~/.m2 (./mvnw install).
# Writes bench/engines/results.md. Usage: sh bench/engines/run.sh [rounds] [cold-rounds]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=${1:-7}
cold_rounds=${2:-3}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME LANG=C.UTF-8
mvn=$(ls -d "$HOME"/.m2/wrapper/dists/apache-maven-3.9.16/*/bin/mvn 2>/dev/null | head -n 1)
[ -x "$mvn" ] || { echo "no Maven 3.9.16 from the wrapper: run ./mvnw -v once" >&2; exit 1; }
image=nss-bench/engines:latest

work=$(mktemp -d)
cleanup() {
  rm -rf "$work"
  /usr/bin/docker image rm -f "$image" >/dev/null 2>&1 || true
  podman image rm -f "$image" >/dev/null 2>&1 || true
}
trap cleanup EXIT

. "$root/bench/sample-project.sh"
for cli in /usr/bin/docker /usr/bin/podman; do
  sh "$root/it/stand-ins/stand-ins-into.sh" "$cli" >/dev/null
  name=$(basename "$cli")
  sample_project "$work/$name" "    <nss.containerCli>$cli</nss.containerCli>
    <nss.entrypointBuild>jvm</nss.entrypointBuild>
    <nss.image>$image</nss.image>
    <nss.gpuFlag></nss.gpuFlag>"
  (cd "$work/$name" && "$mvn" -B -o -q nss:build-gpu >/dev/null)
done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$work" "$mvn" "$image" "$rounds" "$cold_rounds" "$here/results.md" "$load_before" "$version" <<'PY'
import os, re, shlex, statistics, subprocess, sys, time
work, mvn, image, rounds, cold_rounds, out, load_before, version = sys.argv[1:9]
rounds, cold_rounds = int(rounds), int(cold_rounds)
engines = {"docker": "/usr/bin/docker", "podman": "/usr/bin/podman"}
env = dict(os.environ, DOCKER_BUILDKIT="1")

def timed(argv, cwd):
    start = time.monotonic()
    r = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    took = time.monotonic() - start
    if r.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(argv), r.stdout.decode()[-3000:]))
    return took

def goal_build_argv(name):
    # The exact build command of the goal, from its dry run.
    r = subprocess.run([mvn, "-B", "-o", "nss:build-gpu", "-Dnss.dryRun=true"], cwd=os.path.join(work, name),
                       env=env, stdout=subprocess.PIPE, check=True)
    for line in r.stdout.decode().splitlines():
        m = re.match(r"^\[INFO\] \[dry-run\] (\S+ build .*)$", line)
        if m:
            return shlex.split(m.group(1))
    sys.exit("no dry-run build line for " + name)

def staged(name, argv):
    # The goal stages the agent before its build; the direct build gets the same file, outside the timing.
    project = os.path.join(work, name)
    jar = os.path.expanduser("~/.m2/repository/dev/nss/nss-entrypoint")
    os.makedirs(os.path.join(project, ".nss-build/entrypoint"), exist_ok=True)
    subprocess.run(["cp", os.path.join(jar, version, "nss-entrypoint-%s.jar" % version),
                    os.path.join(project, ".nss-build/entrypoint/nss-entrypoint.jar")], check=True)
    return argv

results = {name: {"cold": [], "source": [], "warm": [], "run": [], "engine-run": []} for name in engines}
build_argv = {name: goal_build_argv(name) for name in engines}
for r in range(cold_rounds):
    for name in (list(engines) if r % 2 == 0 else list(reversed(engines))):
        argv = staged(name, build_argv[name])
        argv = argv[:2] + ["--no-cache"] + argv[2:]
        results[name]["cold"].append(timed(argv, os.path.join(work, name)))
        subprocess.run(["rm", "-rf", os.path.join(work, name, ".nss-build")])
for r in range(rounds):
    for name in (list(engines) if r % 2 == 0 else list(reversed(engines))):
        project = os.path.join(work, name)
        cli = os.path.join(project, "src/safe_synthesizer/cli.py")
        with open(cli, "a") as f:
            f.write("\n# bench change %d\n" % r)
        results[name]["source"].append(timed([mvn, "-B", "-o", "-q", "nss:build-gpu"], project))
        results[name]["warm"].append(timed([mvn, "-B", "-o", "-q", "nss:build-gpu"], project))
        results[name]["run"].append(timed([mvn, "-B", "-o", "-q", "nss:run-gpu", "-Dnss.skipBuild=true",
                                           "-Dnss.cmd=generate"], project))
        results[name]["engine-run"].append(timed([engines[name], "run", "--rm", "--entrypoint", "true", image],
                                                 project))

def med(xs):
    return statistics.median(xs)

rows = [("cold", "build-gpu, every layer rebuilt (`CLI build --no-cache`, the goal's argv; cache mounts warm)", cold_rounds),
        ("source", "build-gpu after a source-only change (`mvn nss:build-gpu`)", rounds),
        ("warm", "build-gpu, nothing changed (`mvn nss:build-gpu`)", rounds),
        ("run", "run-gpu of the built image (`mvn nss:run-gpu -Dnss.skipBuild=true -Dnss.cmd=generate`)", rounds),
        ("engine-run", "the engine alone: `CLI run --rm --entrypoint true IMAGE`", rounds)]
versions = {}
for name, cli in engines.items():
    fmt = "{{.Server.Version}}" if name == "docker" else "{{.Client.Version}}"
    versions[name] = subprocess.run([cli, "version", "--format", fmt], stdout=subprocess.PIPE).stdout.decode().strip()
lines = ["# Podman vs docker (bench/engines/run.sh)", "",
         "%s, %s; %d CPUs; docker %s (BuildKit), podman %s (buildah); load average before: %s, after: %s." % (
             time.strftime("%Y-%m-%d"), os.uname().nodename, os.cpu_count(), versions["docker"], versions["podman"],
             load_before, " ".join(open("/proc/loadavg").read().split()[0:3])), "",
         "| What | runs | docker median | podman median | podman / docker |", "|---|---|---|---|---|"]
for key, what, n in rows:
    d, p = med(results["docker"][key]), med(results["podman"][key])
    lines.append("| %s | %d | %.2f s | %.2f s | %.2f |" % (what, n, d, p, p / d))
lines += ["", "Every sample (s):", ""]
for name in engines:
    for key, _, _ in rows:
        lines.append("- %s %s: %s" % (name, key, ", ".join("%.2f" % x for x in results[name][key])))
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
