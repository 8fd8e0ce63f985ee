#!/bin/sh
# Runs a test program as the unprivileged user nobody (65534), to check that the plugin sandbox
# works the same for a technician who is not root (user namespaces instead of root's rights).
# Skipped (exit 77) when not run as root, or when nobody cannot reach the program (a clone in a
# private home folder).
set -eu
if [ "$(id -u)" -ne 0 ]; then
  echo "not root: the suite already runs unprivileged"; exit 77
fi
program=$1; shift
if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$program"; then
  echo "user nobody cannot reach $program"; exit 77
fi
exec setpriv --reuid=65534 --regid=65534 --clear-groups "$program" "$@"
