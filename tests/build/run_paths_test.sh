#!/bin/sh
# Every program and plugin of the build finds its libraries only in the system's folders and in
# folders named by an absolute path or $ORIGIN: an empty or relative run-path entry makes the
# dynamic loader search the current folder, where anyone could have put a library.
# Usage: run_paths_test.sh FILE...
set -eu
bad=0
for f in "$@"; do
  paths=$(readelf -d "$f" | sed -n 's/.*(R\(UN\)\{0,1\}PATH).*\[\(.*\)\]/\2/p')
  [ -z "$paths" ] && continue
  # Split on ':' keeping empty fields: "a::b" and ":a" and "a:" all hold an empty entry.
  printf '%s\n' "$paths" | awk -F: -v file="$f" '{
    for (i = 1; i <= NF; i++)
      if ($i == "" || ($i !~ /^\// && $i !~ /^\$ORIGIN/)) {
        printf "%s: run path \"%s\" has entry %d \"%s\" (searched relative to the current folder)\n", file, $0, i, $i
        bad = 1
      }
    exit bad
  }' || bad=1
done
[ "$bad" -eq 0 ] && echo "run paths: $# files, no empty or relative entry"
exit "$bad"
