#!/usr/bin/env python3
"""Throughput of `dfx normalize --format json` over a large file, next to python-stdnum.

Usage: tests/bench/normalize_bench.py [--lines N] [--runs R] [--build DIR] [--python PY]
                                      [--tac-list CSV] [--keep]

Generates N (default 1,000,000) realistic identifier lines in a temporary folder (fixed seed):
IMEIs as devices and people write them (plain, with '-' or ' ' separators, "IMEI:" labels,
14 digits without check digit, ~10 % bad check digits), IMEISVs, MEIDs (upper/lower-case hex,
18-digit decimal) and junk (typos, wrong lengths). Then it times, best of R runs:

  dfx:    <build>/bin/dfx normalize --format json --db <tmp>/dfx.sqlite < lines > /dev/null
          (the TAC list is imported first when --tac-list exists, so brand lookups are included)
  stdnum: <python> with python-stdnum, per line: stdnum.imei.is_valid(line) and, when valid,
          stdnum.imei.compact(line), written as "compact<TAB>valid" lines to /dev/null
  stdnum imei+meid: the same, trying stdnum.meid when the line is not an IMEI (closer to what
          dfx's Kind::Auto does; dfx also derives values and looks up TACs)

and prints lines/s for each. The python must be one that imports stdnum (Debian python3-stdnum
is /usr/bin/python3; a pyenv/venv python3 earlier on PATH may lack it).
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from luhn import luhn_digit

# Real TACs (Osmocom list) so that many IMEIs hit the TAC cache, plus random ones that miss.
KNOWN_TACS = ["35675904", "49013920", "35209900", "35800403", "35693503", "33205600",
              "35572302", "01124500", "35332805", "35391805"]

STDNUM_LOOP = r"""
import sys
from stdnum import imei, meid
try_meid = sys.argv[1] == "1"
out = open(sys.argv[2], "w")
n = 0
for line in sys.stdin:
    line = line.rstrip("\r\n")
    if not line.strip():
        continue
    n += 1
    if imei.is_valid(line):
        out.write(imei.compact(line) + "\tTrue\n")
    elif try_meid and meid.is_valid(line):
        out.write(meid.compact(line) + "\tTrue\n")
    else:
        out.write(line + "\tFalse\n")
print(n)
"""


def make_line(rng):
    r = rng.random()
    tac = rng.choice(KNOWN_TACS) if rng.random() < 0.5 else "%08d" % rng.randrange(10**8)
    body = tac + "%06d" % rng.randrange(10**6)
    imei = body + luhn_digit(body)
    if r < 0.62:  # IMEIs
        if rng.random() < 0.10:  # bad check digit
            imei = body + str((int(imei[-1]) + rng.randrange(1, 10)) % 10)
        style = rng.random()
        if style < 0.45:
            return imei
        if style < 0.60:
            return "%s-%s-%s-%s" % (imei[:2], imei[2:8], imei[8:14], imei[14])
        if style < 0.72:
            return "%s %s %s %s" % (imei[:2], imei[2:8], imei[8:14], imei[14])
        if style < 0.85:
            return "IMEI: " + imei
        return body  # 14 digits, check digit to add
    if r < 0.70:  # IMEISV
        return body + "%02d" % rng.randrange(100)
    if r < 0.90:  # MEIDs
        h = rng.choice("ABCDEF") + "".join(rng.choice("0123456789ABCDEF") for _ in range(13))
        style = rng.random()
        if style < 0.5:
            return h
        if style < 0.7:
            return h.lower()
        return "%010d%08d" % (int(h[:8], 16), int(h[8:], 16))  # 18-digit decimal form
    junk = rng.random()  # typos and junk
    if junk < 0.4:
        return imei[:7] + "O" + imei[8:]  # letter O for a zero
    if junk < 0.7:
        return imei[: rng.randrange(9, 14)]
    return "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(rng.randrange(6, 20)))


def run(cmd, stdin_path, stdout):
    with open(stdin_path, "rb") as f:
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdin=f, stdout=stdout, stderr=subprocess.PIPE)
        dt = time.perf_counter() - t0
    if p.returncode not in (0, 4):  # 4: some line invalid, as intended
        sys.exit("failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr.decode()))
    return dt


def best_time(cmd, stdin_path, runs):
    """Best wall-clock time of `runs` runs with stdout to /dev/null."""
    return min(run(cmd, stdin_path, subprocess.DEVNULL) for _ in range(runs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--build", default="build")
    ap.add_argument("--python", default="/usr/bin/python3", help="python3 that imports stdnum")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--tac-list", default=os.path.join(here, "..", "..", "core", "tac", "data",
                                                       "osmocom-tacdb.csv"))
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    dfx = os.path.join(args.build, "bin", "dfx")
    if not os.access(dfx, os.X_OK):
        sys.exit("no %s; build first (cmake --build %s --target dfx)" % (dfx, args.build))

    tmp = tempfile.mkdtemp(prefix="dfx-normalize-bench-")
    try:
        lines_path = os.path.join(tmp, "lines.txt")
        rng = random.Random(20240501)
        with open(lines_path, "w") as f:
            for _ in range(args.lines):
                f.write(make_line(rng) + "\n")
        size = os.path.getsize(lines_path)

        db = os.path.join(tmp, "dfx.sqlite")
        tac_note = "no TAC list (brand lookups miss)"
        if os.path.exists(args.tac_list):
            subprocess.run([dfx, "tac", "import", "--skip-invalid", "--db", db, args.tac_list],
                           check=True, stdout=subprocess.DEVNULL)
            tac_note = "TAC list imported from " + os.path.normpath(args.tac_list)

        print("%d lines (%.1f MiB), best of %d runs; %s" % (args.lines, size / 2**20, args.runs, tac_note))
        cmd = [dfx, "normalize", "--format", "json", "--db", db]
        out_path = os.path.join(tmp, "dfx.out")
        with open(out_path, "wb") as out:  # one untimed run to check the output
            run(cmd, lines_path, out)
        with open(out_path, "rb") as f:
            out = f.read()
        n_out, valid = out.count(b"\n"), out.count(b'"valid":true')
        if n_out != args.lines:
            sys.exit("dfx wrote %d lines for %d inputs" % (n_out, args.lines))
        t = best_time(cmd, lines_path, args.runs)
        print("%-34s %10.0f lines/s  (%.2f s; %d valid)" % ("dfx normalize --format json", args.lines / t, t, valid))

        script = os.path.join(tmp, "stdnum_loop.py")
        with open(script, "w") as f:
            f.write(STDNUM_LOOP)
        for label, try_meid in (("python-stdnum imei", "0"), ("python-stdnum imei+meid", "1")):
            out_path = os.path.join(tmp, "stdnum.out")
            t = best_time([args.python, script, try_meid, out_path], lines_path, args.runs)
            with open(out_path, "rb") as f:
                valid = f.read().count(b"\tTrue\n")
            print("%-34s %10.0f lines/s  (%.2f s; %d valid)" % (label, args.lines / t, t, valid))
    finally:
        if args.keep:
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
