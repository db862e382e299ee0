#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Guest side of tests/vm/tests/powercut.sh: CYCLES.
# A null_blk device with a volatile write-back cache stands in for a drive
# that loses power: a writer puts keys under "sync" durability and records
# each acknowledged one; power goes off at a random moment (writes not yet
# flushed are lost; with a small cache, eviction has already persisted
# some unflushed ones), the writer is stopped, the failed device detached,
# power comes back, the device is attached again, and every acknowledged
# key must be there with its value, and no key may hold a value it never had.
. /cesium/lib/guest-lib.sh
cycles=${1:-25}
cfg=/sys/kernel/config/nullb/nb0

modprobe null_blk nr_devices=0 2>/dev/null
mkdir $cfg || { fail powercut/setup "no null_blk configfs"; exit 1; }
echo 64 > $cfg/size
echo 1 > $cfg/memory_backed
echo 1 > $cfg/cache_size
echo 1 > $cfg/power
[ -b /dev/nb0 ] || { fail powercut/setup "no /dev/nb0"; exit 1; }
expect_ok powercut/format cesiumctl format /dev/nb0
expect_out powercut/attach cesium0 cesiumctl attach /dev/nb0

# check_acked PREFIX: every acknowledged key starting with PREFIX holds
# its value; sets lost to the number that do not.
check_acked() {
	lost=0
	grep "^$1" /tmp/acked > /tmp/check || true
	while read -r k pad; do
		v=$(cesiumctl get "$k" 2>/dev/null)
		if [ "$v" != "v$k-$pad" ]; then
			lost=$((lost + 1))
			echo "lost or wrong: $k" >&2
		fi
	done < /tmp/check
	[ $lost = 0 ]
}

rand() { echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 )); }

# writer CYCLE: put keys c<CYCLE>-<i> = v<CYCLE>-<i>-<padding> under sync;
# after each acknowledged put, append the key to /tmp/acked.
writer() {
	i=0
	while :; do
		k=c$1-$i
		pad=$(head -c $(( (i * 37) % 700 )) /dev/zero | tr '\0' x)
		cesiumctl put --sync "$k" "v$k-$pad" 2>/dev/null || break
		echo "$k $pad" >> /tmp/acked
		i=$((i + 1))
	done
}

: > /tmp/acked
ok=1
c=0
while [ $c -lt "$cycles" ]; do
	# Half the cycles with a tiny cache (eviction writes back early).
	writer $c &
	wpid=$!
	sleep 0.$(( 2 + $(rand 8) ))
	echo 0 > $cfg/power
	kill $wpid 2>/dev/null
	wait $wpid 2>/dev/null
	# The writer's last cesiumctl may still be finishing its put.
	n=0
	while pidof cesiumctl >/dev/null && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if ! cesiumctl detach cesium0 2>/tmp/err; then
		fail powercut/detach-$c "$(cat /tmp/err)"
		ok=0
		break
	fi
	if [ $((c % 2)) = 1 ]; then echo 0 > $cfg/cache_size; else echo 1 > $cfg/cache_size; fi
	echo 1 > $cfg/power
	if ! cesiumctl attach /dev/nb0 >/dev/null 2>/tmp/err; then
		fail powercut/attach-$c "$(cat /tmp/err)"
		ok=0
		break
	fi
	# This cycle's acknowledged keys, each with its own value (all of
	# them again at the end: a cut must not lose an earlier cycle's).
	if ! check_acked "c$c-"; then
		fail powercut/cycle-$c "$lost acknowledged keys lost or wrong"
		ok=0
	fi
	c=$((c + 1))
done
if ! check_acked c; then
	fail powercut/all "$lost acknowledged keys lost or wrong at the end"
	ok=0
fi
[ $ok = 1 ] && pass powercut/cycles-$cycles
note "$(wc -l < /tmp/acked) acknowledged puts over $c cycles"
