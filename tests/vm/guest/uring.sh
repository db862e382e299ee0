#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# Guest side of tests/vm/tests/uring.sh.
. /cesium/lib/guest-lib.sh
expect_ok uring/format cesiumctl format /dev/drive/nvme0
expect_out uring/attach cesium0 cesiumctl attach /dev/drive/nvme0
uringtest /dev/cesium0 || note "uringtest reported failures"

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
