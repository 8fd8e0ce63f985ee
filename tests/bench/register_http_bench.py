#!/usr/bin/python3
"""Checks per second of `dfx check --file` against dfx-registerd on loopback (issue 15).

Usage: tests/bench/register_http_bench.py [--count N] [--build DIR]

1. Imports samples/registers/demo-register.csv into a register in a temporary folder and starts
   dfx-registerd on it (a fresh token, a free port).
2. Writes an intake list of N distinct valid IMEIs (default 20,000; fixed seed), with the demo
   register's reported IMEIs among them.
3. For each way of asking, writes a configuration naming only the depot's register (served by
   the register-http plugin, from the shipped configuration with its URL changed) and times
   `dfx check --format json --file LIST`, then checks that every answer is flagged or clear
   (a run that answered errors would be fast and meaningless).
   - single, 1 in flight:  GET /v1/identifiers/{kind}:{identifier}, concurrency 1
   - single, 8 in flight:  the same, concurrency 8
   - batch:                POST /v1/check, 1,000 identifiers per request (dfx-registerd.json)
   - private (range):      GET /v1/range/{kind}/{prefix}, 6 hex characters, 8 in flight
                           (dfx-registerd-private.json)
   and, for comparison, the same list against the built-in register file directly.
"""
import argparse
import copy
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

from luhn import luhn_digit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICES = os.path.join(ROOT, "plugins", "register-http", "services")
REPORTED = ["353812084788745", "356763003735910", "353320074464343"]


def write_list(path, count, rng):
    seen = set(REPORTED)
    with open(path, "w") as out:
        for value in REPORTED:
            out.write(value + "\n")
        while len(seen) < count:
            body = "35" + "".join(rng.choice("0123456789") for _ in range(12))
            value = body + luhn_digit(body)
            if value not in seen:
                seen.add(value)
                out.write(value + "\n")


def entry(name, port):
    with open(os.path.join(SERVICES, name)) as f:
        e = json.load(f)
    url = e["settings"]["request"]["url"]
    e["settings"]["request"]["url"] = re.sub(r"^https://[^/]+", f"http://127.0.0.1:{port}", url)
    e["timeout_ms"] = 60000
    return e


def single(port, concurrency):
    e = entry("dfx-registerd.json", port)
    s = e["settings"]
    s["mode"] = "single"
    s["request"] = {"url": f"http://127.0.0.1:{port}/v1/identifiers/{{kind}}:{{identifier}}"}
    del s["response"]["results"], s["response"]["match"]
    s["limits"]["concurrency"] = concurrency
    return e


def run(build, work, list_path, config, token):
    cfg = os.path.join(work, "config.json")
    with open(cfg, "w") as f:
        json.dump(config, f)
    env = dict(os.environ, DFX_REGISTERD_TOKEN=token)
    start = time.monotonic()
    out = subprocess.run([os.path.join(build, "bin", "dfx"), "check", "--config", cfg,
                          "--format", "json", "--file", list_path],
                         env=env, capture_output=True, text=True)
    took = time.monotonic() - start
    verdicts = {}
    for line in out.stdout.splitlines():
        v = json.loads(line)["verdict"]
        verdicts[v] = verdicts.get(v, 0) + 1
    if set(verdicts) - {"flagged", "clear"}:
        sys.exit(f"answers that are not flagged or clear: {verdicts}\n{out.stderr[-2000:]}")
    return took, verdicts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    args = parser.parse_args()
    bindir = os.path.join(args.build, "bin")
    with tempfile.TemporaryDirectory() as work:
        db = os.path.join(work, "register.sqlite")
        subprocess.run([os.path.join(bindir, "dfx"), "register", "import", "--register-db", db,
                        os.path.join(ROOT, "samples", "registers", "demo-register.csv")],
                       check=True, capture_output=True)
        made = subprocess.run([os.path.join(bindir, "dfx-registerd"), "token", "bench"],
                              check=True, capture_output=True, text=True).stdout
        token = re.search(r"^token: (\S+)", made, re.M).group(1)
        line = re.search(r"^line for the tokens file: (.+)$", made, re.M).group(1)
        tokens = os.path.join(work, "tokens")
        with open(tokens, "w") as f:
            f.write(line + "\n")
        os.chmod(tokens, 0o600)
        log = open(os.path.join(work, "server.log"), "w+")
        server = subprocess.Popen([os.path.join(bindir, "dfx-registerd"), "serve",
                                   "--register-db", db, "--tokens", tokens, "--port", "0"],
                                  stdout=log, stderr=subprocess.DEVNULL)
        try:
            port = None
            for _ in range(200):
                log.seek(0)
                m = re.search(r"127\.0\.0\.1:(\d+)", log.read())
                if m:
                    port = int(m.group(1))
                    break
                time.sleep(0.05)
            if port is None:
                sys.exit("dfx-registerd did not start")
            list_path = os.path.join(work, "list.txt")
            write_list(list_path, args.count, random.Random(15))
            local = {"id": "local", "builtin": "sqlite", "settings": {"path": db}}
            cases = [
                ("built-in register (no HTTP)", local),
                ("single, 1 in flight", single(port, 1)),
                ("single, 8 in flight", single(port, 8)),
                ("batch (1,000 per request)", entry("dfx-registerd.json", port)),
                ("private (range, 6 hex), 8 in flight", entry("dfx-registerd-private.json", port)),
            ]
            print(f"{args.count} identifiers; dfx check --file against dfx-registerd on loopback")
            print(f"{'how':40} {'seconds':>8} {'checks/s':>10} {'ms/check':>9}  verdicts")
            for name, reg in cases:
                took, verdicts = run(args.build, work, list_path, {"registers": [reg]}, token)
                print(f"{name:40} {took:8.2f} {args.count / took:10.0f} "
                      f"{1000 * took / args.count:9.3f}  {verdicts}")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
