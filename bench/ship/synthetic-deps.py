#!/usr/bin/env python3
"""Gives the sample project (a copy of it/src/it/safe-synthesizer) a synthetic dependency set.

Usage: synthetic-deps.py PROJECT_DIR [LIGHT_VERSION] [HEAVY_MB] [TRITON_MB] [VLLM_MB]

Writes PROJECT_DIR/pyproject.toml's dependencies and a matching uv.lock:
  cu128 extra:  torch (HEAVY_MB, default 400), triton (TRITON_MB, 50) -> the torch layer
  engine extra: vllm (VLLM_MB, default 100)                           -> the engine layer
  base:         light-a (LIGHT_VERSION, default 1.0.0), light-b    -> the other dependencies
  dev group:    dev-tool
The stand-in uv (it/stand-ins/uv) materialises each locked package from its lock entry: the wheel's
size in bytes of incompressible data, seeded by the wheel's hash, so the same entry always installs
the same bytes. A light bump changes light-a's version and hash only.
"""
import hashlib
import re
import sys

project = sys.argv[1]
light = sys.argv[2] if len(sys.argv) > 2 else "1.0.0"
heavy_mb = int(sys.argv[3]) if len(sys.argv) > 3 else 400
triton_mb = int(sys.argv[4]) if len(sys.argv) > 4 else 50
vllm_mb = int(sys.argv[5]) if len(sys.argv) > 5 else 100
MB = 1024 * 1024
packages = [  # name, version, size, dependencies
    ("torch", "2.7.0", heavy_mb * MB, ["triton", "light-b"]),
    ("triton", "3.3.0", triton_mb * MB, []),
    ("vllm", "0.9.0", vllm_mb * MB, ["torch"]),
    ("light-a", light, 200 * 1024, []),
    ("light-b", "2.0.0", 100 * 1024, []),
    ("dev-tool", "1.0.0", 50 * 1024, []),
]
index = "https://pypi.org/simple"


def entry(name, version, size, deps):
    digest = hashlib.sha256(f"{name}=={version}".encode()).hexdigest()
    wheel = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
    lines = [
        "[[package]]",
        f'name = "{name}"',
        f'version = "{version}"',
        f'source = {{ registry = "{index}" }}',
    ]
    if deps:
        lines.append("dependencies = [" + ", ".join(f'{{ name = "{d}" }}' for d in deps) + "]")
    lines.append("wheels = [")
    lines.append(f'    {{ url = "{index}/{name}/{wheel}", hash = "sha256:{digest}", size = {size} }},')
    lines.append("]")
    return "\n".join(lines)


with open(f"{project}/pyproject.toml") as f:
    pyproject = f.read()
pyproject = re.sub(r"(?m)^dependencies = \[\]", 'dependencies = ["light-a", "light-b"]', pyproject)
pyproject = re.sub(r"(?m)^cu128 = \[\]", 'cu128 = ["torch"]', pyproject)
pyproject = re.sub(r"(?m)^engine = \[\]", 'engine = ["vllm"]', pyproject)
pyproject = re.sub(r"(?m)^dev = \[\]", 'dev = ["dev-tool"]', pyproject)
with open(f"{project}/pyproject.toml", "w") as f:
    f.write(pyproject)

root = """[[package]]
name = "safe-synthesizer"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "light-a" }, { name = "light-b" }]

[package.optional-dependencies]
cu128 = [{ name = "torch" }]
engine = [{ name = "vllm" }]

[package.dev-dependencies]
dev = [{ name = "dev-tool" }]"""
with open(f"{project}/uv.lock", "w") as f:
    f.write('version = 1\nrevision = 3\nrequires-python = ">=3.11"\n\n')
    f.write("\n\n".join([root] + [entry(*p) for p in packages]) + "\n")
