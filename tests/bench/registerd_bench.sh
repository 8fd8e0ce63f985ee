#!/usr/bin/env bash
# dfx-registerd on loopback: starts it on the demo register with a fresh token on a free port,
# runs dfx_registerd_bench against it, stops it (docs/benchmarks.md).
# Usage: tests/bench/registerd_bench.sh [build] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
seconds=${2:-5}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$build/bin/dfx" register import --register-db "$work/register.sqlite" \
  samples/registers/demo-register.csv > /dev/null
token=$("$build/bin/dfx-registerd" token bench | sed -n 's/^token: //p')
printf 'bench %s\n' "$(printf %s "$token" | sha256sum | cut -d' ' -f1)" > "$work/tokens"
chmod 600 "$work/tokens"
"$build/bin/dfx-registerd" serve --register-db "$work/register.sqlite" --tokens "$work/tokens" \
  --port 0 > "$work/out" 2> /dev/null &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.05; done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/out")
"$build/bin/dfx_registerd_bench" "$port" "$token" "$seconds"
