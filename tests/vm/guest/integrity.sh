#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# Guest side of tests/vm/tests/integrity.sh.
. /cesium/lib/guest-lib.sh
d=/dev/drive/nvme0

# check_finds NAME LINE ERROR: cesiumctl check fails, prints LINE and says
# ERROR on stderr.
check_finds() {
	if cesiumctl check > /tmp/out 2> /tmp/err; then
		fail "$1" "check found nothing: $(cat /tmp/out)"
	elif grep -qx "$2" /tmp/out && grep -q "$3" /tmp/err; then
		pass "$1"
	else
		fail "$1" "$(tr '\n' ' ' < /tmp/out) / $(cat /tmp/err)"
	fi
}
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
check_finds integrity/check-damage "damaged: log batch at byte 16384" \
	"1 damaged log batch"
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

# A damaged checkpoint segment costs its keys, not the store. 600 keys with
# 100-byte values (inline: they live in the index's segments only), a
# detach that checkpoints them, one bit flipped inside segment 3's image.
expect_ok integrity/ckpt-detach cesiumctl detach cesium0
expect_ok integrity/ckpt-format cesiumctl format --force $d
expect_out integrity/ckpt-attach cesium0 cesiumctl attach $d
v=$(head -c 100 /dev/zero | tr '\0' v)
i=0
while [ $i -lt 600 ]; do
	printf 'k%04d\t%s%d\n' $i $v $i
	i=$((i + 1))
done > /tmp/keys
expect_ok integrity/ckpt-load cesiumctl load /tmp/keys
expect_ok integrity/ckpt-detach2 cesiumctl detach cesium0
if ckptseg $d 3 flip > /tmp/seg 2> /tmp/err; then
	pass integrity/ckpt-flip
else
	fail integrity/ckpt-flip "$(cat /tmp/err)"
fi
seg=$(cut -d' ' -f1 < /tmp/seg)
expect_out integrity/ckpt-attach-damaged cesium0 cesiumctl attach $d
expect_out integrity/ckpt-counter 1 cat /sys/class/cesium/cesium0/stats/damaged_segments
# Forward and reverse scans return the keys on either side of the range
# and stop there with an error; the keys between are the lost ones.
cesiumctl scan > /tmp/fwd 2> /tmp/fwd.err && fail integrity/ckpt-scan "scan passed the lost range"
cesiumctl scan --reverse > /tmp/rev 2> /tmp/rev.err && fail integrity/ckpt-scan "reverse scan passed the lost range"
nf=$(wc -l < /tmp/fwd)
nr=$(wc -l < /tmp/rev)
lost=$((600 - nf - nr))
if [ "$lost" -ge 5 ] && [ "$nf" -ge 3 ] && [ "$nr" -ge 3 ] &&
   head -n "$nf" /tmp/keys | cmp -s - /tmp/fwd &&
   tail -n "$nr" /tmp/keys | sort -r | cmp -s - /tmp/rev &&
   grep -q EUCLEAN /tmp/fwd.err; then
	pass integrity/ckpt-scan
else
	fail integrity/ckpt-scan "$nf before, $nr after, $lost lost: $(cat /tmp/fwd.err)"
fi
first=$(printf 'k%04d' "$nf")
last=$(printf 'k%04d' $((nf + lost - 1)))
for k in "$first" "$last"; do
	expect_err_match integrity/ckpt-get-lost-$k "$k: .*EUCLEAN" cesiumctl get "$k"
done
# Its neighbours read fine.
for k in $(printf 'k%04d k%04d k0000 k0599' $((nf - 1)) $((nf + lost))); do
	n=${k#k}
	n=${n#0}; n=${n#0}; n=${n#0}
	expect_out integrity/ckpt-get-sound-$k "$v${n:-0}" cesiumctl get "$k"
done
# A key never stored but inside the range may have existed; once put, it
# reads back.
expect_err_match integrity/ckpt-get-absent "${first}x: .*EUCLEAN" cesiumctl get "${first}x"
expect_ok integrity/ckpt-put-absent cesiumctl put "${first}x" new
expect_out integrity/ckpt-get-put new cesiumctl get "${first}x"
# CHECK names the segment, by the address ckptseg found.
check_finds integrity/ckpt-check "damaged: checkpoint segment at byte $seg" \
	"1 damaged checkpoint segment"
if grep -q "^ns 0 seg $seg after k$(printf '%04d' $((nf - 1))) before k$(printf '%04d' $((nf + lost)))\$" \
	/sys/class/cesium/cesium0/lost_ranges; then
	pass integrity/ckpt-lost-ranges
else
	fail integrity/ckpt-lost-ranges "$(head -c 200 /sys/class/cesium/cesium0/lost_ranges)"
fi
# The loss lasts across attaches until acknowledged.
expect_ok integrity/ckpt-detach3 cesiumctl detach cesium0
expect_out integrity/ckpt-attach-again cesium0 cesiumctl attach $d
expect_err_match integrity/ckpt-get-lost-again "$first: .*EUCLEAN" cesiumctl get "$first"
expect_out integrity/ckpt-get-put-again new cesiumctl get "${first}x"
echo ack > /sys/class/cesium/cesium0/lost_ranges
expect_out integrity/ckpt-acked "" cat /sys/class/cesium/cesium0/lost_ranges
expect_err_match integrity/ckpt-get-acked "$last: no such key" cesiumctl get "$last"
expect_ok integrity/ckpt-detach4 cesiumctl detach cesium0
expect_out integrity/ckpt-attach-acked cesium0 cesiumctl attach $d
expect_out integrity/ckpt-counter-acked 0 cat /sys/class/cesium/cesium0/stats/damaged_segments
expect_err_match integrity/ckpt-get-gone "$last: no such key" cesiumctl get "$last"
n=$(cesiumctl scan | wc -l)
[ "$n" = $((600 - lost + 1)) ] && pass integrity/ckpt-scan-acked ||
	fail integrity/ckpt-scan-acked "scan gave $n records"
