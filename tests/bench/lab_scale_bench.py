#!/usr/bin/env python3
"""Scale: 64 virtual handsets plugged into the lab, timed `dfx scan` over them.

Usage: tests/bench/lab_scale_bench.py [--handsets 64] [--runs 5] [--build build]
Prints the wall time of `dfx scan --format json` inside dfx-lab (plus, separately, the lab's own
set-up cost measured with `true` as the command) and checks every handset is reported once.
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import tempfile
import time


def timed(cmd):
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return (time.perf_counter() - t0) * 1000, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--handsets", type=int, default=64)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    root = pathlib.Path(__file__).resolve().parents[2]
    template = json.loads((root / "plugins/android/handsets/android-pixel-mtp-adb.json").read_text())
    lab, dfx = f"{args.build}/bin/dfx-lab", f"{args.build}/bin/dfx"
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.handsets):
            h = json.loads(json.dumps(template))
            h["usb"]["serial"] = f"BENCH{i:04d}"
            (pathlib.Path(tmp) / f"phone-{i:03d}.json").write_text(json.dumps(h))
        base = [lab, "run", "--handsets", tmp, "--"]
        setup = [timed(base + ["true"])[0] for _ in range(args.runs)]
        scans = []
        for _ in range(args.runs):
            ms, out = timed(base + [dfx, "scan", "--format", "json"])
            doc = json.loads(out.stdout)
            serials = sorted(d["serial_number"] for d in doc["devices"])
            assert serials == [f"BENCH{i:04d}" for i in range(args.handsets)], "every handset once"
            assert all(d["status"] == "ok" for d in doc["devices"]), [d["probes"] for d in doc["devices"] if d["status"] != "ok"][:2]
            scans.append((ms, doc["duration_ms"]))
    print(f"{args.handsets} virtual handsets, {args.runs} runs (median / min)")
    print(f"  lab set-up + teardown (command: true)     {statistics.median(setup):8.0f} / {min(setup):6.0f} ms")
    walls = [s[0] for s in scans]
    inner = [s[1] for s in scans]
    print(f"  dfx-lab run -- dfx scan --format json     {statistics.median(walls):8.0f} / {min(walls):6.0f} ms")
    print(f"  dfx scan's own duration_ms (in the lab)   {statistics.median(inner):8.0f} / {min(inner):6.0f} ms")
    print(f"  every handset reported exactly once with status ok: yes")


if __name__ == "__main__":
    main()
