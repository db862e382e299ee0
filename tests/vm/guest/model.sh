#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# Guest side of tests/vm/tests/model.sh: SEED NR_OPS.
. /cesium/lib/guest-lib.sh
expect_ok model/format cesiumctl format /dev/drive/nvme0
expect_out model/attach cesium0 cesiumctl attach /dev/drive/nvme0
modeltest /dev/drive/nvme0 "$1" "$2" || note "modeltest failed (seed $1)"
blk=$(basename "$(readlink -f /dev/drive/nvme0)")
wsect=$(awk '{ print $7 }' "/sys/block/$blk/stat")
note "model: $((wsect >> 11)) MiB written to a 32 MiB drive: the log went round it about $((wsect / 65536)) times under the model's checks"
# The sysfs histogram counts what the gets counter counts.
sum=0
for n in $(cat /sys/class/cesium/cesium0/stats/latency_get); do sum=$((sum + n)); done
gets=$(cat /sys/class/cesium/cesium0/stats/gets)
if [ "$sum" -eq "$gets" ] && [ "$gets" -gt 0 ]; then
	pass model/sysfs-latency
else
	fail model/sysfs-latency "latency_get sums to $sum, gets is $gets"
fi
# cesiumctl namespaces lists the namespaces modeltest used, in order.
out=$(cesiumctl namespaces 2>&1 | tr '\n' ' ')
case "$out" in
"0 1 18364758544493064720 "|"0 1 "|"0 18364758544493064720 "|"1 18364758544493064720 ")
	pass model/cesiumctl-namespaces ;;
*)	fail model/cesiumctl-namespaces "got '$out'" ;;
esac
