#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "model": 100,000 seeded random operations (get, put with flags
# and durabilities, delete, exists, scans both ways, batches, three
# namespaces) against an in-memory model, with detach/attach every 25,000
# and at the end (build/tests/modeltest). The seed is printed; replay a
# failure with CESIUM_MODEL_SEED=N. CESIUM_MODEL_OPS overrides the count.
# The drive is small (32 MiB) so that the log goes round it several times:
# the cleaner and checkpoints run under the model's checks, and the guest
# prints what they did.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
seed=${CESIUM_MODEL_SEED:-$(( (RANDOM << 15) | RANDOM ))}
ops=${CESIUM_MODEL_OPS:-100000}
echo "note: model seed $seed, $ops operations"
exec "$vm/run.sh" --name model --timeout 900 --drive nvme0:32M:512 \
	"$vm/guest/model.sh" "$seed" "$ops"
