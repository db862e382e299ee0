#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# Guest side of tests/vm/tests/failed.sh.
. /cesium/lib/guest-lib.sh
S=failed
d=/dev/drive/nvme0
expect_ok $S/format cesiumctl format $d
expect_out $S/attach cesium0 cesiumctl attach $d
head -c 2000 /dev/zero | tr '\0' x > /tmp/v
expect_ok $S/put-log sh -c "cesiumctl put --sync big - < /tmp/v"
expect_ok $S/put-inline cesiumctl put --sync small v

# The drive's NVMe controller is a PCI function: remove it.
blk=$(basename "$(readlink -f $d)")
pci=$(readlink -f "/sys/block/$blk/device/device")
if [ ! -w "$pci/remove" ]; then
	fail $S/remove "no PCI remove for $blk ($pci)"
	exit 0
fi
echo 1 > "$pci/remove"
pass $S/remove

expect_err_match $S/get-eio "Input/output error" cesiumctl get big
state=$(cat /sys/class/cesium/cesium0/state)
[ "$state" = failed ] && pass $S/state || fail $S/state "state is $state"
expect_err_match $S/get-inline-eio "Input/output error" cesiumctl get small
expect_err_match $S/put-eio "Input/output error" cesiumctl put k v
expect_err_match $S/sync-eio "Input/output error" cesiumctl sync
expect_err_match $S/check-eio "Input/output error" cesiumctl check
expect_ok $S/detach cesiumctl detach /dev/cesium0
expect_out $S/list-empty "" cesiumctl list
