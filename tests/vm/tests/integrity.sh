#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "integrity": a bit flipped on the device under an attached
# store is found by `cesiumctl check` (by the batch's offset) and by a get
# of the value in it (a checksum error), and everything else reads fine.
# One boot (guest/integrity.sh).
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name integrity "$vm/guest/integrity.sh"
