#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "badinput": every bad input of the Foundation issue through
# cesiumctl (empty and long keys, values over the limit, missing keys,
# attach of missing, non-block, unformatted, foreign and attached devices,
# detach and rmmod with open handles, format of a filesystem or an attached
# device, callers without CAP_SYS_ADMIN, usage errors), then the data
# stored at the start is all still there. One boot, two drives
# (guest/badinput.sh).
# Arguments are more run.sh options (e.g. --module PATH, --verbose).
# Prints run.sh's PASS:/FAIL: lines; exit status 0 iff none failed.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name badinput --drive nvme0:256M --drive nvme1:64M "$@" \
	"$vm/guest/badinput.sh"
