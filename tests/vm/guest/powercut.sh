#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Guest side of tests/vm/tests/powercut.sh: CYCLES [BLOCK_SIZE [NAME]].
# A null_blk device with a volatile write-back cache (logical blocks of
# BLOCK_SIZE bytes, 512 by default) stands in for a drive that loses power:
# two writers put keys under "sync" durability at once (their puts share
# batches, and batches are in flight together) and record each
# acknowledged one; power goes off at a random moment (writes not yet
# flushed are lost; with a small cache, eviction has already persisted
# some unflushed ones), the writer is stopped, the failed device detached,
# power comes back, the device is attached again, and every acknowledged
# key must be there with its value, and no key may hold a value it never had.
. /cesium/lib/guest-lib.sh
cycles=${1:-25}
bs=${2:-512}
S=${3:-powercut}
cfg=/sys/kernel/config/nullb/nb0

modprobe null_blk nr_devices=0 2>/dev/null
mkdir $cfg || { fail $S/setup "no null_blk configfs"; exit 1; }
echo 64 > $cfg/size
echo "$bs" > $cfg/blocksize
echo 1 > $cfg/memory_backed
echo 1 > $cfg/cache_size
echo 1 > $cfg/power
[ -b /dev/nb0 ] || { fail $S/setup "no /dev/nb0"; exit 1; }
expect_ok $S/format cesiumctl format /dev/nb0
expect_out $S/attach cesium0 cesiumctl attach /dev/nb0

# check_acked PREFIX: every acknowledged key starting with PREFIX holds
# its value; sets lost to the number that do not.
check_acked() {
	lost=0
	cat /tmp/acked.a /tmp/acked.b > /tmp/acked
	grep "^$1" /tmp/acked > /tmp/check || true
	while read -r k pad; do
		v=$(cesiumctl get "$k" 2>/tmp/get.err)
		if [ "$v" != "v$k-$pad" ]; then
			lost=$((lost + 1))
			echo "lost or wrong: $k ($(head -c 200 /tmp/get.err)${v:+, a value of ${#v} bytes})" >&2
		fi
	done < /tmp/check
	[ $lost = 0 ]
}

rand() { echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 )); }

# writer CYCLE TAG: put keys c<CYCLE>-<TAG><i> = v<key>-<padding> under
# sync; after each acknowledged put, append the key to /tmp/acked.
writer() {
	i=0
	while :; do
		k=c$1-$2$i
		pad=$(head -c $(( (i * 37) % 700 )) /dev/zero | tr '\0' x)
		cesiumctl put --sync "$k" "v$k-$pad" 2>/dev/null || break
		echo "$k $pad" >> /tmp/acked.$2
		i=$((i + 1))
	done
}

: > /tmp/acked.a
: > /tmp/acked.b
ok=1
c=0
while [ $c -lt "$cycles" ]; do
	# Half the cycles with a small cache (eviction writes back early).
	writer $c a &
	wpid=$!
	writer $c b &
	wpid2=$!
	sleep 0.$(( 2 + $(rand 8) ))
	echo 0 > $cfg/power
	kill $wpid $wpid2 2>/dev/null
	wait $wpid $wpid2 2>/dev/null
	# The writer's last cesiumctl may still be finishing its put.
	n=0
	while pidof cesiumctl >/dev/null && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if ! cesiumctl detach cesium0 2>/tmp/err; then
		fail $S/detach-$c "$(cat /tmp/err)"
		ok=0
		break
	fi
	# Caches of 1 and 16 MiB in turn. Not 0: null_blk never forgets
	# that it had a cache (NULLB_DEV_FL_CACHE stays set), so with
	# cache_size 0 it keeps the last writes in a cache its queue no longer
	# declares; the block layer then drops every flush and FUA before
	# the driver, and power off loses acknowledged writes (seen: the
	# last sync put before the cut, on 4096-byte blocks). No host can make
	# data durable on a device that hides its write cache.
	if [ $((c % 2)) = 1 ]; then echo 16 > $cfg/cache_size; else echo 1 > $cfg/cache_size; fi
	echo 1 > $cfg/power
	if ! cesiumctl attach /dev/nb0 >/dev/null 2>/tmp/err; then
		fail $S/attach-$c "$(cat /tmp/err)"
		ok=0
		break
	fi
	# This cycle's acknowledged keys, each with its own value (all of
	# them again at the end: a cut must not lose an earlier cycle's).
	if ! check_acked "c$c-"; then
		fail $S/cycle-$c "$lost acknowledged keys lost or wrong"
		ok=0
		st=/sys/class/cesium/cesium0/stats
		note "cycle $c: recovery read $(cat $st/recovery_bytes) bytes, $(cat $st/damaged_batches) damaged batches, $(cat $st/checkpoints) checkpoints; last acknowledged: $(tail -n 2 /tmp/acked.a | cut -d' ' -f1 | tr '\n' ' ')$(tail -n 2 /tmp/acked.b | cut -d' ' -f1 | tr '\n' ' ')"
	fi
	c=$((c + 1))
done
if ! check_acked c; then
	fail $S/all "$lost acknowledged keys lost or wrong at the end"
	ok=0
fi
[ $ok = 1 ] && pass $S/cycles-$cycles
note "$(cat /tmp/acked.a /tmp/acked.b | wc -l) acknowledged puts by two writers over $c cycles ($bs-byte blocks)"
