#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "powercut": 25 power cuts of a null_blk device with a volatile
# write cache under a sync writer; every acknowledged put survives each
# one (tests/vm/guest/powercut.sh). One boot, no NVMe drive needed.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name powercut --timeout 900 "$vm/guest/powercut.sh" "${CESIUM_POWERCUT_CYCLES:-25}"
