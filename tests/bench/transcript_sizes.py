#!/usr/bin/env python3
"""USB transcripts: their size per reading, per sample phone, in the virtual lab.

Usage: tests/bench/transcript_sizes.py [--build build]
Records a scan of each sample phone alone in a fresh case (`dfx scan --case` inside dfx-lab, in
a temporary HOME) and prints, for each probe, the exchanges its transcript holds, the exchanges
that reached the phone and the transcript's size on disk. The paired iPhone is read with the
test pair records (`--apple-pair-records`), so its transcript holds the TLS session.
"""
import argparse
import json
import os
import pathlib
import subprocess
import tempfile

PHONES = [
    ("android", "android-pixel-mtp-adb.json", "Android, ADB authorised (getprop, IMEI by service call)", []),
    ("android", "android-legacy-adb.json", "Android 5.1, ADB (protocol with checksums)", []),
    ("apple", "iphone-recovery.json", "iPhone in Recovery (iSerialNumber)", []),
    ("apple", "iphone-normal.json", "iPhone, unpaired (usbmux, QueryType, GetValue)", []),
    ("apple", "iphone-normal-paired.json", "iPhone, paired (+ TLS session, GetValue)", ["pair"]),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    root = pathlib.Path(__file__).resolve().parents[2]
    bin_dir = root / args.build / "bin"
    print("| phone | plugin | exchanges | reached the phone | transcript bytes |")
    print("| --- | --- | ---: | ---: | ---: |")
    for vendor, name, what, extra in PHONES:
        handsets = root / "plugins" / vendor / "handsets"
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, HOME=home, XDG_DATA_HOME=home)
            case = pathlib.Path(home) / "case"
            subprocess.run([str(bin_dir / "dfx"), "case", "new", str(case), "--case-id", "BENCH",
                            "--operator", "bench"], env=env, check=True, capture_output=True)
            cmd = [str(bin_dir / "dfx-lab"), "run", "--handsets", str(handsets / name), "--",
                   str(bin_dir / "dfx"), "scan", "--no-registers", "--case", str(case)]
            if "pair" in extra:
                cmd += ["--apple-pair-records", str(handsets / "pair-records")]
            subprocess.run(cmd, env=env, capture_output=True, check=False)
            for line in (case / "case.jsonl").read_text().splitlines():
                record = json.loads(line)
                if record["type"] != "scan":
                    continue
                for probe in record["device"]["probes"]:
                    t = probe.get("transcript")
                    if t:
                        print(f"| {what} | {probe['plugin']} | {t['exchanges']} | "
                              f"{t['reached_device']} | {t['bytes']:,} |")


if __name__ == "__main__":
    main()
