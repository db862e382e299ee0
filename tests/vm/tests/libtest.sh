#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "libtest": libcesium-user against the real module, through the
# library's own guest program build/tests/libtest (tests/vm/progs/
# libtest.c, `make libtest`) on an attached device (guest/libtest.sh).
# Skips, with a SKIP: line, while that program is not built.
# Arguments are more run.sh options (e.g. --module PATH, --verbose).
# Prints run.sh's PASS:/FAIL:/SKIP: lines; exit status 0 iff none failed.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$vm/../.." && pwd)
prefix=vm
[ "${CESIUM_VM_KERNEL:-stock}" = stock ] || prefix='vm-debug'
if [ ! -x "$root/build/tests/libtest" ]; then
	if [ -f "$root/tests/vm/progs/libtest.c" ]; then
		echo "SKIP: $prefix/libtest: build/tests/libtest is not built (make libtest)"
	else
		echo "SKIP: $prefix/libtest: tests/vm/progs/libtest.c does not exist yet"
	fi
	exit 0
fi
exec "$vm/run.sh" --name libtest --drive nvme0:256M "$@" "$vm/guest/libtest.sh"
