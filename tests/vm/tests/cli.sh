#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "cli": cesiumctl's scan, dump, load and sync on a real device
# (guest/cli.sh): binary keys and values put with cesiumctl, dump | load
# into other namespaces byte for byte, the exact lines of scan's options
# and of --json, a load of 1,000 records plus one too big for a batch,
# sync across detach and attach, and one-line errors with exit status 1
# (2 for usage). Arguments are more run.sh options (e.g. --verbose).
# Prints run.sh's PASS:/FAIL: lines; exit status 0 iff none failed.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name cli --drive nvme0:256M "$@" "$vm/guest/cli.sh"
