#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "powercut": power cuts of a null_blk device with a volatile
# write cache under two sync writers; every acknowledged put survives each
# one (tests/vm/guest/powercut.sh). 25 cuts on 512-byte blocks (results
# powercut/...), then 10 on 4096-byte blocks (powercut-4k/...). No NVMe
# drive needed.
set -uo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
rc=0
"$vm/run.sh" --name powercut --timeout 900 "$vm/guest/powercut.sh" \
	"${CESIUM_POWERCUT_CYCLES:-25}" 512 powercut || rc=1
"$vm/run.sh" --name powercut-4k --timeout 900 "$vm/guest/powercut.sh" \
	"${CESIUM_POWERCUT_4K_CYCLES:-10}" 4096 powercut-4k || rc=1
exit $rc
