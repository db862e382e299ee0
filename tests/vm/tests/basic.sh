#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "basic": put/get/del/info/list through cesiumctl, namespaces,
# --no-overwrite/--update-only, choosing the device (-d, $CESIUM_DEVICE,
# the only attached one), two devices at once, sysfs counters and the
# durability attribute. One boot with two drives (guest/basic.sh).
# Arguments are more run.sh options (e.g. --module PATH, --verbose).
# Prints run.sh's PASS:/FAIL: lines; exit status 0 iff none failed.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name basic --drive nvme0:256M --drive nvme1:64M "$@" \
	"$vm/guest/basic.sh"
