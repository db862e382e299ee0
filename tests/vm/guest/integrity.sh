#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# Guest side of tests/vm/tests/integrity.sh.
. /cesium/lib/guest-lib.sh
d=/dev/drive/nvme0
expect_ok integrity/format cesiumctl format $d
expect_out integrity/attach cesium0 cesiumctl attach $d
# Five sync puts of 1000-byte values: five batches of one 4 KiB block
# each, from byte 8192 on; the values live in the log, not the index.
i=0
while [ $i -lt 5 ]; do
	head -c 1000 /dev/zero | tr '\0' "$i" > /tmp/v$i
	cesiumctl put --sync k$i - < /tmp/v$i || fail integrity/put-$i "put failed"
	i=$((i + 1))
done
expect_out integrity/check-clean "checked 20480 bytes of log in 5 sound batches: 0 damaged" cesiumctl check

# Flip bits in the value of k2, in the batch at byte 8192 + 2 * 4096.
printf '\377\377\377\377' | dd of=$d bs=1 seek=$((16384 + 600)) conv=notrunc,fsync 2>/dev/null
if cesiumctl check > /tmp/out 2> /tmp/err; then
	fail integrity/check-damage "check found nothing: $(cat /tmp/out)"
elif grep -qx "damaged: log batch at byte 16384" /tmp/out &&
     grep -q "1 damaged log batch" /tmp/err; then
	pass integrity/check-damage
else
	fail integrity/check-damage "$(tr '\n' ' ' < /tmp/out) / $(cat /tmp/err)"
fi
expect_err_match integrity/get-damaged "k2: .*checksum" cesiumctl get k2
for i in 0 1 3 4; do
	if cesiumctl get k$i > /tmp/got && cmp -s /tmp/got /tmp/v$i; then
		pass integrity/get-sound-$i
	else
		fail integrity/get-sound-$i "value of k$i differs"
	fi
done
n=$(cat /sys/class/cesium/cesium0/stats/checksum_errors)
[ "$n" -ge 2 ] && pass integrity/counter || fail integrity/counter "checksum_errors is $n"
