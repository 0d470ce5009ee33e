"""A tiny `safe-synthesizer` CLI: `run --data-source FILE` summarises a CSV, as a smoke test of the image."""
import argparse
import csv
import os
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="safe-synthesizer", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="summarise the input data")
    run.add_argument("--data-source", required=True)
    args = parser.parse_args(argv)
    if args.command != "run":
        parser.print_help()
        return 0
    with open(args.data_source, newline="") as f:
        rows = list(csv.reader(f))
    header, records = rows[0], rows[1:]
    print(f"safe-synthesizer quickstart: {len(records)} records, columns {', '.join(header)}")
    print(f"  pid {os.getpid()} (parent {os.getppid()}), uid {os.getuid()}, HF_HOME={os.environ.get('HF_HOME')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
