#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "amplification" (issue 5 item 4): the store's device-I/O figures,
# bounded so that a regression fails `make check`. One boot, one drive
# (guest/bench-amplification.sh):
#   amplification/write-amp          write amplification of a fixed load
#                                    (random keys, 400-byte values, periodic,
#                                    then detach) <= 1.5
#   amplification/reads-per-get-400  device reads per get after an explicit
#   amplification/reads-per-get-4096 sync (detach, attach) <= 1.05, with
#                                    the hot-item cache off (cache_bytes 0)
# Both figures are printed as note: lines. Needs fio in the guest and
# build/fio/cesium-engine.so (make fio-engine).
# Prints run.sh's PASS:/FAIL:/note: lines; exit status 0 iff none failed.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name amplification --drive nvme0:256M:512 \
	"$vm/guest/bench-amplification.sh"
