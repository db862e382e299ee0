#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "cache": the hot-item cache (issue 3 item 8) through cesiumctl
# and sysfs: a value is cached at its second get (cache_admit 2, the
# default) or its first (cache_admit 1), a get of a cached value reads
# nothing from the drive and counts a hit, drop_caches (the shrinker)
# empties it, cache_bytes 0 turns it off, a put is never hidden by a cached
# older value, a small budget holds, and the hit rate of 200 keys read
# three times (a note). One boot, one drive
# (guest/cache.sh). Arguments are more run.sh options (e.g. --verbose).
# Prints run.sh's PASS:/FAIL:/note: lines; exit status 0 iff none failed.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name cache --drive nvme0:256M:512 "$@" \
	"$vm/guest/cache.sh"
