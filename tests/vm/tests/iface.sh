#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "iface": the whole ABI's validation. build/tests/ifacetest runs
# every command of <linux/cesium.h> with each field bad in turn (size,
# flags, reserved and pad fields, pointers, lengths, too-small outputs,
# unknown numbers, the wrong device, a read-only file, namespace extremes)
# through ioctl and through uring_cmd and checks the errno and what was
# written back; then the store is intact. build/tests/compat32, an i386
# program, runs the commands through compat_ioctl (skipped on the debug
# kernel, which has no IA32 emulation). One boot, two drives
# (guest/iface.sh). Arguments are more run.sh options (e.g. --verbose).
# Prints run.sh's PASS:/FAIL: lines; exit status 0 iff none failed.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name iface --drive nvme0:64M --drive nvme1:64M "$@" \
	"$vm/guest/iface.sh"
