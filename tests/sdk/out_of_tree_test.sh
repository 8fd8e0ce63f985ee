#!/usr/bin/env bash
# A plugin author's path: install the SDK, build samples/hello-vendor out of tree with
# find_package(dfx-sdk), and check that dfx loads the result.
# Usage: out_of_tree_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/samples/hello-vendor" -B "$work/hello" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/hello" >/dev/null
test -f "$work/hello/plugins/hello-vendor.so" || { echo "FAIL: no plugin library built"; exit 1; }
test -f "$work/hello/plugins/hello-vendor.json" || { echo "FAIL: no manifest beside the library"; exit 1; }
# Only the entry symbol is exported.
exported=$(nm -D --defined-only "$work/hello/plugins/hello-vendor.so" | awk '$2 == "T" {print $3}')
[ "$exported" = "dfx_plugin_entry" ] || { echo "FAIL: exported symbols: $exported"; exit 1; }
out=$("$work/prefix/bin/dfx" plugins list --format json --plugin-dir "$work/hello/plugins")
echo "$out" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
p = {x["id"]: x for x in doc["plugins"]}
assert p["hello-vendor"]["status"] == "loaded", p
print("hello-vendor built out of tree and loaded:", p["hello-vendor"]["path"])
'
