#!/usr/bin/env bash
# A plugin author's path, with nothing but an installed dfx: install the build into a prefix, then
#   - build every in-tree plugin folder (plugins/*) on its own against the installed SDK, as an
#     outside plugin is built, and check that its library exports only the entry point;
#   - build the SDK samples (samples/hello-vendor, samples/hello-register) the same way and run
#     their own GoogleTest suites, which drive the installed dfx through the testing kit's
#     harnesses (hello-vendor's handset emulates a vendor control request from JSON alone);
#   - check that the installed dfx loads what was built.
# Usage: out_of_tree_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jobs=${DFX_JOBS:-2}
cmake --install "$build" --prefix "$work/prefix" >/dev/null

only_entry_exported() {
  local lib=$1 exported
  exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" {print $3}')
  [ "$exported" = "dfx_plugin_entry" ] || { echo "FAIL: $lib exports: $exported"; exit 1; }
}

for dir in "$src"/plugins/*/; do
  name=$(basename "$dir")
  cmake -S "$dir" -B "$work/$name" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" -DDFX_BUILD_TESTS=OFF >/dev/null
  cmake --build "$work/$name" -j "$jobs" >/dev/null
  only_entry_exported "$work/$name/plugins/$name.so"
  echo "plugins/$name built against the installed SDK"
done

for sample in hello-vendor hello-register; do
  cmake -S "$src/samples/$sample" -B "$work/$sample" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
  cmake --build "$work/$sample" -j "$jobs" >/dev/null
  test -f "$work/$sample/plugins/$sample.json" || { echo "FAIL: no manifest beside $sample.so"; exit 1; }
  only_entry_exported "$work/$sample/plugins/$sample.so"
  # The tests run the installed programs (found beside the installed testing kit).
  ctest --test-dir "$work/$sample" --output-on-failure -j "$jobs" >"$work/$sample.log" 2>&1 || {
    cat "$work/$sample.log"; echo "FAIL: the $sample tests"; exit 1; }
  echo "samples/$sample: $(grep -Eo '[0-9]+ tests passed|tests passed, 0 tests failed out of [0-9]+' "$work/$sample.log" | tail -1)"
done

"$work/prefix/bin/dfx" plugins validate --format json "$work/hello-vendor/plugins" "$work/hello-register/plugins" \
  | python3 -c '
import json, sys
doc = json.load(sys.stdin)
p = {x["id"]: x for x in doc["plugins"]}
for id in ("hello-vendor", "hello-register"):
    assert p[id]["status"] == "loaded", p
print("the installed dfx loads both samples:", ", ".join(sorted(p)))
'
