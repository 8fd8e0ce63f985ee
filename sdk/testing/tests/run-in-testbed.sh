#!/bin/sh
# Runs a test program under umockdev's preload with a private TMPDIR.
# Usage: run-in-testbed.sh <umockdev-wrapper> <tmpdir> <program> [args...]
#
# The tmpdir is emptied first, so testbed directories of killed earlier runs
# go away with it instead of piling up in /tmp. umockdev creates Unix sockets
# below TMPDIR (sun_path: at most 107 characters), so a tmpdir path longer than
# 60 characters is replaced by a per-user folder in /tmp named after it.
set -eu
wrapper=$1
tmp=$2
shift 2
if [ "${#tmp}" -gt 60 ]; then
    tmp="/tmp/dfx-testing-$(id -u)/$(printf '%s' "$tmp" | cksum | cut -d' ' -f1)"
fi
rm -rf "$tmp"
mkdir -p "$tmp"
TMPDIR=$tmp
export TMPDIR
exec "$wrapper" "$@"
