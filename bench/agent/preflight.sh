#!/bin/bash
# The six nss-entrypoint checks written as a plain bash entrypoint, then exec: the baseline the
# JVM agent is measured against (bench/agent/run.sh). Same variables, same order, same rules.
p='[nss-container]'
warnings=0
ws=${NSS_WORKSPACE:-/workspace}
warn() { echo "$p WARNING: $*" >&2; warnings=$((warnings + 1)); }
hint() { echo "$p HINT: $*" >&2; }

# 1. workspace missing or empty (.hf_cache alone does not count); reads at most two entries
if [ ! -d "$ws" ]; then
  warn "$ws does not exist: no data or config is mounted. Fix: docker run -v /absolute/path/to/your/project:$ws ..."
else
  content=
  shopt -s nullglob dotglob
  for entry in "$ws"/*; do
    [ "${entry##*/}" = .hf_cache ] && continue
    content=1
    break
  done
  shopt -u nullglob dotglob
  [ -n "$content" ] || warn "$ws is empty: no data or config is mounted. Fix: docker run -v /absolute/path/to/your/project:$ws ..."
fi

# 2. HF_HOME
if [ -z "${HF_HOME// /}" ]; then
  hint "HF_HOME is not set. Fix: docker run -e HF_HOME=/workspace/.hf_cache ..."
elif [ ! -d "$HF_HOME" ]; then
  warn "HF_HOME=$HF_HOME is not an existing directory. Fix: docker run -v \"\$HOME/.cache/huggingface\":$HF_HOME ..."
elif [ ! -w "$HF_HOME" ]; then
  warn "HF_HOME=$HF_HOME is not writable by uid $(id -u). Fix: docker run --user \$(id -u):\$(id -g) ..."
fi

# 3. token: variables, else the first configured token file
if [ -z "${HF_TOKEN//[[:space:]]/}" ] && [ -z "${HUGGING_FACE_HUB_TOKEN//[[:space:]]/}" ]; then
  if [ -n "${HF_TOKEN_PATH//[[:space:]]/}" ]; then token_file=$HF_TOKEN_PATH
  elif [ -n "${HF_HOME//[[:space:]]/}" ]; then token_file=$HF_HOME/token
  elif [ -n "${XDG_CACHE_HOME//[[:space:]]/}" ]; then token_file=$XDG_CACHE_HOME/huggingface/token
  else token_file=${HOME:-/tmp}/.cache/huggingface/token
  fi
  token=
  [ -f "$token_file" ] && read -r -N 4096 token < "$token_file"
  [ -n "${token//[[:space:]]/}" ] || hint "no Hugging Face token: gated models will fail. Fix: docker run -e HF_TOKEN ..."
  unset token
fi

# 4. GPUs
if ! command -v nvidia-smi > /dev/null 2>&1; then
  warn "nvidia-smi is not on PATH. Fix: docker run --gpus all ..."
elif [ ! -e /dev/nvidiactl ] || ! compgen -G '/dev/nvidia[0-9]*' > /dev/null; then
  warn "NVIDIA device nodes are missing. Fix: docker run --gpus all ..."
fi

# 5. shared memory (statvfs through stat -f)
shm=${NSS_SHM_PATH:-/dev/shm}
if [ ! -d "$shm" ]; then
  warn "$shm does not exist. Fix: docker run --shm-size=1g ..."
else
  read -r blocks size < <(stat -f -c '%b %S' "$shm")
  mb=$((blocks * size / 1048576))
  [ "$mb" -ge 256 ] || warn "$shm is only $mb MB. Fix: docker run --shm-size=1g ..."
fi

# 6. workspace writable
if [ -d "$ws" ] && [ ! -w "$ws" ]; then
  warn "$ws is not writable by uid $(id -u). Fix: docker run --user \$(id -u):\$(id -g) ..."
fi

if [ "${NSS_PREFLIGHT:-warn}" = strict ] && [ "$warnings" -gt 0 ]; then
  exit 78
fi
target=${NSS_ENTRYPOINT_TARGET:-safe-synthesizer}
exec "$target" "$@"
