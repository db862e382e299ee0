#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "async": libcesium-user's asynchronous API over io_uring
# (build/tests/asynctest: 1,000 puts, gets, exists and deletes at depth 64,
# at least 32 in flight, every result and value checked; the errors a
# completion carries), then cesiumctl stats (text, --json, --watch), info
# --json and list --json on the counters it left (guest/async.sh). One
# boot. Arguments are more run.sh options (e.g. --verbose).
# Prints run.sh's PASS:/FAIL: lines; exit status 0 iff none failed.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name async --drive nvme0:256M "$@" "$vm/guest/async.sh"
