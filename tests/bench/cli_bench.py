#!/usr/bin/env python3
"""Wall-clock figures for whole dfx commands (the user-visible latency), printed as a table.

Usage: tests/bench/cli_bench.py [--runs N] [--build DIR]
Each command runs once to warm the page cache, then N times; min, median and p95 are printed.
"""
import argparse
import statistics
import subprocess
import time


def measure(cmd, runs):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return times[0], statistics.median(times), p95


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    dfx = f"{args.build}/bin/dfx"
    commands = {
        "dfx --version": [dfx, "--version"],
        "dfx plugins list": [dfx, "plugins", "list"],
        "dfx plugins list --format json": [dfx, "plugins", "list", "--format", "json"],
        "dfx scan (no USB devices)": [dfx, "scan", "--format", "json"],
    }
    print(f"{'command':40} {'min ms':>8} {'median':>8} {'p95':>8}   ({args.runs} runs)")
    for name, cmd in commands.items():
        lo, med, p95 = measure(cmd, args.runs)
        print(f"{name:40} {lo:8.1f} {med:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
