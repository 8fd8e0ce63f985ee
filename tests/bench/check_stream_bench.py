#!/usr/bin/python3
"""Time and peak memory of `dfx check` streaming a long intake list (issue 11: bounded input).

Usage: tests/bench/check_stream_bench.py [--lines N] [--build DIR] [--work DIR] [--keep]

1. Imports samples/registers/demo-register.csv into a register in the work folder.
2. Writes an intake list of N lines (default 10,000,000; fixed seed): a header `identifier`, then
   valid IMEIs on real TACs, 1 % of them repeated from earlier lines (duplicates), 0.5 % damaged
   (a spreadsheet's 3.53812E+14, a decimal point, two IMEIs in a cell), and the demo register's
   reported IMEIs now and then.
3. Runs `/usr/bin/time -v dfx check --format csv --file LIST --register-db DB > /dev/null` and
   prints the wall time, lines per second and the maximum resident set size, which must stay
   bounded whatever N is (the duplicate tracker keeps at most 1,000,000 identifiers).
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

from luhn import luhn_digit

TACS = ["35381208", "35539407", "35332007", "35676300", "35214807", "35255806", "35362107",
        "35267708", "35753708", "86798102", "86745102", "86458702", "35730608", "35675904"]
REPORTED = ["353812084788745", "353320076617575", "356763003735910", "352148075090101"]


def generate(path, lines, rng):
    recent = []
    with open(path, "w") as out:
        out.write("identifier\n")
        for i in range(lines):
            roll = rng.random()
            if roll < 0.01 and recent:
                value = rng.choice(recent)
            elif roll < 0.015:
                value = rng.choice(["3.53812E+14", "353812084788745.0",
                                    "\"353812084788745,357537084120930\""])
            elif roll < 0.016:
                value = rng.choice(REPORTED)
            else:
                body = rng.choice(TACS) + "%06d" % rng.randrange(10 ** 6)
                value = body + luhn_digit(body)
                if len(recent) < 10000:
                    recent.append(value)
                else:
                    recent[rng.randrange(10000)] = value
            out.write(value + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=10_000_000)
    ap.add_argument("--build", default="build")
    ap.add_argument("--work")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    dfx = os.path.join(os.path.abspath(a.build), "bin", "dfx")
    work = a.work or tempfile.mkdtemp(prefix="dfx-check-bench-")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "register.sqlite")
    listing = os.path.join(work, "intake.csv")
    try:
        if not os.path.exists(db):
            subprocess.run([dfx, "register", "import", "--register-db", db,
                            os.path.join(root, "samples", "registers", "demo-register.csv")],
                           check=True, stdout=subprocess.DEVNULL)
        if not os.path.exists(listing):
            generate(listing, a.lines, random.Random(11))
        r = subprocess.run(["/usr/bin/time", "-v", dfx, "check", "--format", "csv", "--file",
                            listing, "--register-db", db],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
        seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 +
                   float(wall.group(3)))
        notes = [l for l in r.stderr.splitlines() if l.startswith("dfx check")]
        print("dfx check, %d lines: exit %d, %.1f s (%.0f lines/s), max RSS %.1f MiB"
              % (a.lines, r.returncode, seconds, a.lines / seconds, int(rss.group(1)) / 1024))
        for n in notes:
            print("  " + n)
    finally:
        if not a.keep and not a.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
