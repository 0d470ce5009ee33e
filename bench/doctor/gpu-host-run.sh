#!/bin/bash
# GPU-host verification of the doctor (DoctorMain, no Maven) and the agent's JVM distribution.
set -u
B=/tmp/nss-dev; rm -rf $B; mkdir -p $B
s=$(date +%s%N); tar -xJf target/gpu-host/bundle.tar.xz -C $B; echo "unpack_ms=$(( ($(date +%s%N)-s)/1000000 ))"
export PATH=/usr/local/nvidia/bin:$PATH
med() { sort -n | awk '{a[NR]=$1} END{printf "median_ms=%.1f min_ms=%.1f max_ms=%.1f n=%d\n", a[int((NR+1)/2)]/1000, a[1]/1000, a[NR]/1000, NR}'; }
tm() { n=$1; shift; for i in $(seq $n); do s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e-s)/1000 )); done | med; }
echo "== host"; uname -srm; grep PRETTY /etc/os-release; nproc; for p in nvidia-smi hyperfine python3 lspci docker podman java; do printf '%s: %s\n' $p "$(command -v $p || echo none)"; done
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
echo "== /proc/driver/nvidia"; ls /proc/driver/nvidia/gpus/; cat /proc/driver/nvidia/gpus/*/information; cat /proc/driver/nvidia/version
cat /proc/driver/nvidia/gpus/*/information > $OUT/proc-information.txt; cp /proc/driver/nvidia/version $OUT/proc-version.txt
D=$B/doctor; CP=$(ls $D/lib/*.jar | tr '\n' ':'); TCP=$(ls $D/test/*.jar | tr '\n' ':')
J="$D/runtime/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData"
echo "== (a) DoctorMain, all checks"; $J -cp $CP dev.nss.doctor.DoctorMain --json $OUT/nss-doctor.json 2>&1; echo "exit=$?"
echo "== (a) DoctorMain --checks gpu,nvidia-runtime,memory,disk,hf-cache,hf-token --gpu-flag="
$J -cp $CP dev.nss.doctor.DoctorMain --checks gpu,nvidia-runtime,memory,disk,hf-cache,hf-token --gpu-flag= 2>&1; echo "exit=$?"
echo "== GpuHostTest"; $J -cp $CP$TCP$D/test/classes:$D/test/plugin-test-classes RunTests dev.nss.doctor.GpuHostTest dev.nss.doctor.GpuChecksTest 2>&1 | grep -v '^$'
echo "== (b) agent"
mkdir -p /tmp/ws && echo "data: x" > /tmp/ws/config.yaml
printf '#!/bin/sh\necho "stand-in pid $$ args: $*"\n' > /tmp/stand-in; chmod +x /tmp/stand-in
A=$B/nss-entrypoint/bin/nss-entrypoint
export NSS_ENTRYPOINT_TARGET=/tmp/stand-in NSS_WORKSPACE=/tmp/ws
echo "-- PATH with /usr/local/nvidia/bin:"; $A run --config config.yaml; echo "exit=$?"
echo "-- PATH without it (contrast):"; PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin $A run; echo "exit=$?"
echo "-- strict:"; NSS_PREFLIGHT=strict $A run; echo "exit=$?"
echo "== timings (date +%s%N around each run; stdout/stderr to /dev/null)"
echo "bare exec of stand-in:    $(tm 30 /tmp/stand-in a b)"
echo "agent -> stand-in:        $(tm 30 $A a b)"
echo "agent NSS_PREFLIGHT=off:  $(NSS_PREFLIGHT=off tm 30 $A a b)"
echo "java -version (doctor rt): $(tm 10 $D/runtime/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -version)"
echo "DoctorMain all checks:    $(tm 10 $J -cp $CP dev.nss.doctor.DoctorMain --fail-on never)"
echo "DoctorMain --checks gpu:  $(tm 10 $J -cp $CP dev.nss.doctor.DoctorMain --checks gpu --fail-on never)"
echo "nvidia-smi query alone:   $(tm 10 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader)"
