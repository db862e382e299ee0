# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# cache: the hot-item cache of values read from the device (issue 3 item
# 8), seen from outside (tests/vm/tests/cache.sh). One drive, nvme0. Device
# reads come from /sys/block/<drive>/stat (field 1, read requests).
#   cache/default-budget     cache_bytes is 8 MiB after attach
#   cache/second-get-*,      a 4 KiB value got three times: the first get
#   cache/third-get-*        is not cached (stats/cache_declined +1), the
#                            second reads the device again and is cached,
#                            the third reads nothing, stats/cache_hits +1
#   cache/admit-*            cache_admit is 2; 1 caches at the first get;
#                            0, 3 and words are refused
#   cache/drop-caches-*      "echo 2 > drop_caches" (the shrinkers) empties
#                            it; the next get reads the device again
#   cache/off-*              cache_bytes 0 frees it; gets read the device
#   cache/new-value-*        a put of a new value is what the next get sees
#   cache/budget-*           a small budget holds while many keys are read
#   cache/many-*             200 keys of 4 KiB read three times: the second
#                            pass reads each again, the third nothing (the
#                            hit rate is a note)
#   cache/bad-budget         a budget that is not a number is refused
# shellcheck disable=SC1091
. /cesium/lib/guest-lib.sh
. /cesium/guest/common.sh

S=cache
bdev=$(drive nvme0)
blk=${bdev#/dev/}

# reads: read requests the drive has served so far.
reads() { awk '{ print $1 }' "/sys/block/$blk/stat"; }
stat_of() { sysstat "$DEV" "$1"; }
# getv KEY: get KEY into $W/out; false on error.
getv() { cesiumctl -d "$DEV" get "$1" >"$W/out" 2>"$W/err"; }

run cesiumctl format --force "$bdev"
[ "$RC" = 0 ] || { fail $S/format "$(errline)"; exit 1; }
attach_as $S/attach "$bdev"
[ -n "$DEV" ] || exit 1
check_eq $S/default-budget 8388608 "$(sysattr "$DEV" cache_bytes)" "cache_bytes"
check_eq $S/admit-default 2 "$(sysattr "$DEV" cache_admit)" "cache_admit"

# ---- a value got three times ----
gen_text one 4096 >"$W/v1"
check_ok $S/put cesiumctl -d "$DEV" put --sync k - <"$W/v1"
h0=$(stat_of cache_hits)
m0=$(stat_of cache_misses)
d0=$(stat_of cache_declined)
r0=$(reads)
check_bytes $S/first-get "$W/v1" cesiumctl -d "$DEV" get k
r1=$(reads)
check_eq $S/first-get-declined $((d0 + 1)) "$(stat_of cache_declined)" "cache_declined"
check_eq $S/first-get-not-held 0 "$(stat_of cache_bytes)" "cache_bytes"
check_bytes $S/second-get "$W/v1" cesiumctl -d "$DEV" get k
r2=$(reads)
check_bytes $S/third-get "$W/v1" cesiumctl -d "$DEV" get k
r3=$(reads)
check_ge $S/first-get-reads 1 $((r1 - r0)) "device reads of the first get"
check_ge $S/second-get-reads 1 $((r2 - r1)) "device reads of the second get"
check_eq $S/third-get-no-read 0 $((r3 - r2)) "device reads of the third get"
check_eq $S/third-get-hit $((h0 + 1)) "$(stat_of cache_hits)" "cache_hits"
check_eq $S/two-misses $((m0 + 2)) "$(stat_of cache_misses)" "cache_misses"
check_eq $S/second-get-taken $((d0 + 1)) "$(stat_of cache_declined)" "cache_declined"
check_ge $S/bytes-held 4096 "$(stat_of cache_bytes)" "cache_bytes"

# ---- admission at the first miss ----
check_ok $S/admit-1 sh -c "echo 1 >/sys/class/cesium/$DEV/cache_admit"
check_eq $S/admit-1-set 1 "$(sysattr "$DEV" cache_admit)" "cache_admit"
gen_text once 4096 >"$W/v0"
check_ok $S/admit-1-put cesiumctl -d "$DEV" put --sync once - <"$W/v0"
check_bytes $S/admit-1-first-get "$W/v0" cesiumctl -d "$DEV" get once
r0=$(reads)
check_bytes $S/admit-1-second-get "$W/v0" cesiumctl -d "$DEV" get once
check_eq $S/admit-1-second-no-read 0 $(($(reads) - r0)) "device reads of the second get under cache_admit 1"
for bad in 0 3 often; do
	if echo "$bad" 2>/dev/null >"/sys/class/cesium/$DEV/cache_admit"; then
		fail $S/admit-bad-$bad "'$bad' was taken as cache_admit"
	else
		pass $S/admit-bad-$bad
	fi
done
check_eq $S/admit-bad-kept 1 "$(sysattr "$DEV" cache_admit)" "cache_admit"
check_ok $S/admit-2 sh -c "echo 2 >/sys/class/cesium/$DEV/cache_admit"

# ---- the shrinker gives it back ----
sync
echo 2 >/proc/sys/vm/drop_caches
b=$(stat_of cache_bytes)
if [ "$b" -le 1024 ]; then
	pass $S/drop-caches-empty
else
	fail $S/drop-caches-empty "cache_bytes is $b after drop_caches"
fi
r0=$(reads)
check_bytes $S/drop-caches-get "$W/v1" cesiumctl -d "$DEV" get k
check_ge $S/drop-caches-reads 1 $(($(reads) - r0)) "device reads after drop_caches"

# ---- off ----
check_ok $S/off sh -c "echo 0 >/sys/class/cesium/$DEV/cache_bytes"
check_eq $S/off-budget 0 "$(sysattr "$DEV" cache_bytes)" "cache_bytes"
check_eq $S/off-empty 0 "$(stat_of cache_bytes)" "stats/cache_bytes"
h0=$(stat_of cache_hits)
r0=$(reads)
getv k
getv k
check_bytes $S/off-get "$W/v1" cesiumctl -d "$DEV" get k
check_ge $S/off-reads 3 $(($(reads) - r0)) "device reads of 3 gets with the cache off"
check_eq $S/off-no-hit "$h0" "$(stat_of cache_hits)" "cache_hits"
check_eq $S/off-stays-empty 0 "$(stat_of cache_bytes)" "stats/cache_bytes"
check_ok $S/on sh -c "echo 8388608 >/sys/class/cesium/$DEV/cache_bytes"

# ---- no stale value after a put ----
getv k
getv k
gen_text two 4096 >"$W/v2"
check_ok $S/new-value-put cesiumctl -d "$DEV" put --sync k - <"$W/v2"
check_bytes $S/new-value-get "$W/v2" cesiumctl -d "$DEV" get k
check_bytes $S/new-value-get-again "$W/v2" cesiumctl -d "$DEV" get k
gen_text three 6000 >"$W/v3"
check_ok $S/new-length-put cesiumctl -d "$DEV" put k - <"$W/v3"
check_bytes $S/new-length-get "$W/v3" cesiumctl -d "$DEV" get k
check_ok $S/del cesiumctl -d "$DEV" del k
check_error $S/get-after-del 1 'no such key' cesiumctl -d "$DEV" get k

# ---- many keys: the second pass comes from memory ----
N=200
i=0
bad=
while [ $i -lt $N ]; do
	gen_text "m$i" 4096 >"$W/mv"
	cesiumctl -d "$DEV" put "many$i" - <"$W/mv" 2>/dev/null || bad="$bad put$i"
	i=$((i + 1))
done
cesiumctl -d "$DEV" sync
h0=$(stat_of cache_hits)
for pass in 1 2 3; do
	r0=$(reads)
	i=0
	while [ $i -lt $N ]; do
		getv "many$i" || bad="$bad get$i"
		i=$((i + 1))
	done
	eval "pass${pass}_reads=$(($(reads) - r0))"
done
hits=$(($(stat_of cache_hits) - h0))
[ -z "$bad" ] && pass $S/many-ops || fail $S/many-ops "failed:$bad"
note "$N gets of 4096-byte values, three times: $pass1_reads device reads in the first pass, $pass2_reads in the second, $pass3_reads in the third; $hits cache hits ($((hits * 100 / (3 * N)))% of $((3 * N)) gets), cache_bytes $(stat_of cache_bytes)"
check_ge $S/many-first-pass $N "$pass1_reads" "device reads of the first pass"
check_ge $S/many-second-pass $N "$pass2_reads" "device reads of the second pass"
check_eq $S/many-third-pass 0 "$pass3_reads" "device reads of the third pass"
check_eq $S/many-hits $N "$hits" "cache hits"

# ---- a small budget holds ----
check_ok $S/budget-set sh -c "echo 65536 >/sys/class/cesium/$DEV/cache_bytes"
b=$(stat_of cache_bytes)
if [ "$b" -le 65536 ]; then pass $S/budget-trimmed; else fail $S/budget-trimmed "cache_bytes $b over 65536"; fi
i=0
while [ $i -lt 50 ]; do
	getv "many$i"
	i=$((i + 1))
done
b=$(stat_of cache_bytes)
if [ "$b" -le 65536 ] && [ "$b" -gt 0 ]; then
	pass $S/budget-holds
else
	fail $S/budget-holds "cache_bytes $b after 50 gets under a 65536-byte budget"
fi
gen_text m49 4096 >"$W/mv"
check_bytes $S/budget-get "$W/mv" cesiumctl -d "$DEV" get many49

if echo lots 2>/dev/null >"/sys/class/cesium/$DEV/cache_bytes"; then
	fail $S/bad-budget "'lots' was taken as a budget"
else
	pass $S/bad-budget
fi
check_eq $S/bad-budget-kept 65536 "$(sysattr "$DEV" cache_bytes)" "cache_bytes"

check_ok $S/detach cesiumctl detach "$DEV"
