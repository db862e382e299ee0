#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "space" (issue 3 items 4 and 6): the log cleaner and checkpoints
# on a small drive that an overwrite load writes over several times
# (guest/space.sh):
#   space/overwrite        the overwrite load never fails (-ENOSPC)
#   space/space-amp        after the load and a checkpoint (sysfs
#                          checkpoint), bytes in use over the user bytes of
#                          the live keys <= 1.5
#   space/space-amp-steady the same, averaged over samples taken every 0.2 s
#                          during the overwrites (the background cleaner's
#                          bound: under 1.5)
#   space/space-amp-peak   the worst of those samples <= 1.7 (the cleaner
#                          kept up: writers wait when it falls behind)
#   space/discard          the cleaner's space went back to the drive
#   space/recovery-bytes   attach after detach reads the checkpoint, not
#                          the log: at most the index's size plus 1 MiB
#   space/keys             every key is there after the reattach
# and then, reformatted, with 100-byte values (inline: the index is the
# data):
#   space/inline-overwrite  the overwrite load never fails
#   space/inline-space-amp  after a checkpoint <= 1.15 (segment images are
#                           written without their gaps)
#   space/inline-keys       every key is there after a reattach
# The write amplification of each load is printed as a note.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name space --timeout 900 --drive nvme0:32M:512 \
	"$vm/guest/space.sh"
