#!/bin/sh
# Runs a test program under umockdev's preload with a private TMPDIR.
# Usage: run-in-testbed.sh <umockdev-wrapper> <tmp base> <program> [args...]
#
# Each command line (each test: its --gtest_filter differs) gets its own folder below <tmp base>,
# emptied first, so testbed directories of killed earlier runs go away with it instead of piling
# up in /tmp. umockdev creates Unix sockets below TMPDIR (sun_path: at most 107 characters), so a
# folder path longer than 60 characters is replaced by a per-user folder in /tmp named after it.
# AddressSanitizer must accept umockdev's preload coming first (harmless without ASan).
set -eu
wrapper=$1
base=$2
shift 2
tmp="$base/$(printf '%s' "$*" | cksum | cut -d' ' -f1)"
if [ "${#tmp}" -gt 60 ]; then
    tmp="/tmp/dfx-testing-$(id -u)/$(printf '%s' "$tmp" | cksum | cut -d' ' -f1)"
fi
rm -rf "$tmp"
mkdir -p "$tmp"
TMPDIR=$tmp
ASAN_OPTIONS="verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export TMPDIR ASAN_OPTIONS
exec "$wrapper" "$@"
