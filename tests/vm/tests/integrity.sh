#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "integrity": a bit flipped on the device under an attached
# store is found by `cesiumctl check` (by the batch's offset) and by a get
# of the value in it (a checksum error), and everything else reads fine.
# Then a bit flipped in a checkpoint segment of a detached drive: attach
# succeeds, the segment's key range answers EUCLEAN (gets, scans), the
# rest reads fine, check names the segment, and the loss lasts across
# attaches until acknowledged in sysfs. One boot (guest/integrity.sh).
# Build the guest programs first (make vm-progs: ckptseg).
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name integrity "$vm/guest/integrity.sh"
