import json
import os
import signal
import sys
import time


def _parent_command(ppid):
    try:
        with open(f"/proc/{ppid}/comm") as f:
            return f.read().strip()
    except OSError:
        return None


def report(args):
    hf_home = os.environ.get("HF_HOME")
    return {
        "argv": args,
        "argv_hex": [os.fsencode(a).hex() for a in args],
        "pid": os.getpid(),
        "ppid": os.getppid(),
        "parent": _parent_command(os.getppid()),
        "uid": os.getuid(),
        "cwd": os.getcwd(),
        "hf_home": hf_home,
        "hf_home_is_dir": bool(hf_home) and os.path.isdir(hf_home),
        "hf_token_set": bool(os.environ.get("HF_TOKEN")),
    }


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if args == ["--help"]:
        print("usage: safe-synthesizer [ARGS...] [--exit=N] [--sleep=SECONDS] [--ignore-term] [--print=TEXT] [--signal=NAME] [--allocate=MIB]  (sample CLI: reports how it was started)")
        return 0
    code, sleep, texts, ending, allocate = 0, 0, [], None, 0
    for arg in args:
        if arg.startswith("--exit="):
            code = int(arg.split("=", 1)[1])
        elif arg.startswith("--sleep="):
            sleep = int(arg.split("=", 1)[1])
        elif arg == "--ignore-term":
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        elif arg.startswith("--print="):
            texts.append(arg.split("=", 1)[1])
        elif arg.startswith("--signal="):
            ending = getattr(signal, "SIG" + arg.split("=", 1)[1])
        elif arg.startswith("--allocate="):
            allocate = int(arg.split("=", 1)[1])
    print("SAFE-SYNTHESIZER-REPORT " + json.dumps(report(args), ensure_ascii=True), flush=True)
    for text in texts:
        print(text, file=sys.stderr, flush=True)
    held = []
    for _ in range(allocate):
        held.append(b"\x01" * (1 << 20))  # written, so each MiB is resident
    time.sleep(sleep)
    if ending is not None:
        signal.signal(ending, signal.SIG_DFL)
        os.kill(os.getpid(), ending)
    return code


if __name__ == "__main__":
    sys.exit(main())
