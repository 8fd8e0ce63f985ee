#!/usr/bin/env python3
"""Apple plugin: plug to identifiers, per sample iPhone, in the virtual lab.

Usage: tests/bench/apple_bench.py [--runs 10] [--build build]
Scans each sample iPhone alone (`dfx scan --no-registers` inside dfx-lab) `--runs` times and
prints the apple probe's duration (worker start to its last answer, as dfx reports it in
`duration_ms`) as minimum / median / maximum, with the usbmux packets it exchanged. The paired
phones are read with the test pair records (`--apple-pair-records`), so their figure includes
the TLS handshake.
"""
import argparse
import json
import pathlib
import statistics
import subprocess

PHONES = [
    ("iphone-recovery.json", "Recovery: iSerialNumber", False),
    ("iphone-normal.json", "normal, unpaired: usbmux + QueryType + GetValue", False),
    ("iphone-normal-paired.json", "normal, paired: + StartSession, TLS, GetValue, StopSession", True),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    root = pathlib.Path(__file__).resolve().parents[2]
    handsets = root / "plugins/apple/handsets"
    bin_dir = root / args.build / "bin"
    for name, what, paired in PHONES:
        times = []
        for _ in range(args.runs):
            cmd = [str(bin_dir / "dfx-lab"), "run", "--handsets", str(handsets / name), "--",
                   str(bin_dir / "dfx"), "scan", "--format", "json", "--no-registers", "--plugin", "apple"]
            if paired:
                cmd += ["--apple-pair-records", str(handsets / "pair-records")]
            out = subprocess.run(cmd, capture_output=True, text=True, check=False)
            doc = json.loads(out.stdout)
            probe = [p for d in doc["devices"] for p in d["probes"] if p["plugin"] == "apple"][0]
            if probe["status"] != "ok":
                raise SystemExit(f"{name}: {probe['error']}")
            times.append(probe["duration_ms"])
        print(f"{what:62s} min {min(times):6.1f} ms  median {statistics.median(times):6.1f} ms"
              f"  max {max(times):6.1f} ms  ({args.runs} runs)")


if __name__ == "__main__":
    main()
