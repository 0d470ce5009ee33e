#!/opt/venv/bin/python3
# Stand-in target for the reliability ITs (NSS_ENTRYPOINT_TARGET=/workspace/rel/prog.py):
#   kill-self TERM|INT   report, then die by that signal (default disposition)
#   trap CODE            report "ready", wait for SIGTERM, then shut down cleanly with exit CODE
import os
import signal
import sys
import time


def parent():
    try:
        with open("/proc/%d/comm" % os.getppid()) as f:
            return f.read().strip()
    except OSError:
        return "?"


def say(msg):
    print("REL-PROG %s pid=%d ppid=%d parent=%s" % (msg, os.getpid(), os.getppid(), parent()), flush=True)


args = sys.argv[1:]
if args[:1] == ["kill-self"]:
    sig = getattr(signal, "SIG" + args[1])
    signal.signal(sig, signal.SIG_DFL)
    say("dying-by-SIG" + args[1])
    os.kill(os.getpid(), sig)
    time.sleep(60)
    sys.exit(99)
if args[:1] == ["trap"]:
    code = int(args[1])

    def on_term(signum, frame):
        say("got-signal-%d" % signum)
        sys.exit(code)

    signal.signal(signal.SIGTERM, on_term)
    say("ready")
    while True:
        time.sleep(1)
print("usage: prog.py kill-self TERM|INT | trap CODE", file=sys.stderr)
sys.exit(2)
