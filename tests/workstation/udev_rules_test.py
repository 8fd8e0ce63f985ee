#!/usr/bin/env python3
"""The shipped udev rules (core/usb/udev/70-dfx-phones.rules) cover every sample handset.

ModemManager sends AT commands to every new serial port unless udev tags the device
ID_MM_DEVICE_IGNORE. The rules tag devices by vendor, so a phone or modem whose vendor is
missing would be probed by ModemManager while dfx examines it. This test holds every handset
the plugins ship (plugins/*/handsets/*.json, real vendor ids from usb.ids) against the rules,
and checks that the rules' phone label sets ID_MM_DEVICE_IGNORE and nothing that writes.
Usage: udev_rules_test.py <source dir>
"""
import glob
import json
import os
import re
import sys


def main() -> int:
    root = sys.argv[1]
    rules_path = os.path.join(root, "core/usb/udev/70-dfx-phones.rules")
    with open(rules_path, encoding="utf-8") as f:
        rules = f.read()
    vendors = set(re.findall(r'ATTR\{idVendor\}=="([0-9a-f]{4})", GOTO="dfx_phone"', rules))
    failures = []
    if len(vendors) < 10:
        failures.append(f"{rules_path}: only {len(vendors)} vendor lines were understood")
    label = re.search(r'LABEL="dfx_phone"\n([^\n]*)\n', rules)
    if not label or 'ENV{ID_MM_DEVICE_IGNORE}="1"' not in label.group(1):
        failures.append(f"{rules_path}: the dfx_phone label does not set ID_MM_DEVICE_IGNORE")
    elif "RUN" in label.group(1) or "ATTR{" in label.group(1):
        failures.append(f"{rules_path}: the dfx_phone label must not run programs or write attributes")

    handsets = sorted(glob.glob(os.path.join(root, "plugins/*/handsets/*.json")))
    if len(handsets) < 10:
        failures.append(f"only {len(handsets)} handset files found under plugins/*/handsets")
    for path in handsets:
        with open(path, encoding="utf-8") as f:
            usb = json.load(f)["usb"]
        vid = usb["vendor_id"].lower().removeprefix("0x").rjust(4, "0")
        if vid not in vendors:
            failures.append(f"{os.path.relpath(path, root)}: vendor {vid} is not in {rules_path}, "
                            "so ModemManager would probe a real one")
    for f in failures:
        print("FAIL:", f)
    print(f"{len(handsets)} handsets, {len(vendors)} vendors in the rules, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
