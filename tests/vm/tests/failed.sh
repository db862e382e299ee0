#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "failed" (DESIGN.md "Devices that fail"): the drive under an
# attached store goes away (PCI hot-remove in the guest). The store turns
# "failed": gets, puts and syncs answer -EIO at once, nothing hangs, and
# detach still works. One boot (guest/failed.sh).
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name failed "$vm/guest/failed.sh"
