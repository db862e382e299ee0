#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# Guest side of tests/vm/tests/uring.sh.
. /cesium/lib/guest-lib.sh
expect_ok uring/format cesiumctl format /dev/drive/nvme0
expect_out uring/attach cesium0 cesiumctl attach /dev/drive/nvme0

# A damaged record, read by an asynchronous GET: -EUCLEAN (117) in the CQE.
# On its own drive: the first sync put is the first batch, at byte 8192
# (integrity.sh), and a store whose log is damaged there loses what follows
# at its next attach.
expect_ok uring/damage-format cesiumctl format /dev/drive/nvme1
expect_out uring/damage-attach cesium1 cesiumctl attach /dev/drive/nvme1
head -c 1000 /dev/zero | tr '\0' 'd' > /tmp/dmg
cesiumctl -d cesium1 put --sync dmg - < /tmp/dmg || fail uring/damage-put "put failed"
printf '\377\377\377\377' | dd of=/dev/drive/nvme1 bs=1 seek=$((8192 + 600)) conv=notrunc,fsync 2>/dev/null
expect_out uring/get-damaged-euclean "res=-117 len=0" uringtest get /dev/cesium1 dmg
# And by a SCAN, which reads it from io-wq and completes asynchronously.
expect_out uring/scan-damaged-euclean "res=-117 async=1" uringtest scan /dev/cesium1
n=$(cat /sys/class/cesium/cesium1/stats/checksum_errors)
[ "$n" -ge 1 ] && pass uring/damage-counted || fail uring/damage-counted "checksum_errors is $n"
expect_ok uring/damage-detach cesiumctl detach cesium1

uringtest /dev/cesium0 || note "uringtest reported failures"

# rmmod and DETACH while GETs and SCANs are in flight: refused, no crash;
# the data is all there after a new attach.
uringtest detach /dev/cesium0 || note "uringtest detach reported failures"
[ -d /sys/module/cesium ] || insmod /cesium/cesium.ko
expect_out uring/reattach cesium0 cesiumctl attach /dev/drive/nvme0
if cesiumctl get b-007 > /tmp/b7 && [ "$(wc -c < /tmp/b7)" = 4096 ] &&
   cesiumctl get d-070 > /tmp/d70 && [ "$(wc -c < /tmp/d70)" = 1048576 ]; then
	pass uring/reattach-data
else
	fail uring/reattach-data "b-007 or d-070 is not there after the re-attach"
fi
# A process that exits with GETs and SCANs in flight.
uringtest exit /dev/cesium0 || note "uringtest exit reported failures"

# Tracepoints: commands and device I/O show up in tracefs.
t=/sys/kernel/tracing
[ -d $t/events ] || mount -t tracefs nodev $t 2>/dev/null
if [ -d $t/events/cesium ] && [ -d $t/events/cesium_io ]; then
	echo 1 > $t/events/cesium/enable
	echo 1 > $t/events/cesium_io/enable
	cesiumctl put --sync trace-key trace-value >/dev/null
	echo 0 > $t/events/cesium/enable
	echo 0 > $t/events/cesium_io/enable
	cat $t/trace > /tmp/trace.txt
	if grep -q "cesium_cmd: cesium0 cmd=put ret=0" /tmp/trace.txt; then
		pass uring/trace-cmd
	else
		fail uring/trace-cmd "no put event: $(grep -c cesium /tmp/trace.txt) cesium lines"
	fi
	if grep -q "cesium_io: nvme0n1 write off=[0-9]* len=[0-9]* preflush fua ret=0" /tmp/trace.txt; then
		pass uring/trace-io
	else
		fail uring/trace-io "no sync write event"
	fi
else
	fail uring/trace "no events/cesium or events/cesium_io in tracefs"
fi
