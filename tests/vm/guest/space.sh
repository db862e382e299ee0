# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# cesium: fio
#
# space: the cleaner under overwrites (tests/vm/tests/space.sh). One 32 MiB
# drive: KEYS keys with 400-byte values are loaded, then overwritten at
# random ROUNDS times over (about four times the drive), durability
# periodic, through the fio engine. Then the drive is formatted again for
# KEYS_INLINE keys with 100-byte values (inline in the index, which is
# then most of what is stored), overwritten ROUNDS_INLINE times over.
# shellcheck disable=SC1091
. /cesium/lib/guest-lib.sh
. /cesium/guest/common.sh

S=space
KEYS=16000
ROUNDS=20
VBYTES=400
KEYS_INLINE=40000
ROUNDS_INLINE=3
SA_MAX=1.5
SA_PEAK_MAX=1.7
ENGINE=/cesium/build/fio/cesium-engine.so
dev=$(drive nvme0)
blk=${dev#/dev/}
sys=/sys/class/cesium/cesium0

if ! command -v fio >/dev/null; then
	skip $S/setup "fio is not in the initramfs (apt-get install fio)"
	exit 0
fi
devstat() { awk -v f="$1" '{ print $f }' "/sys/block/$blk/stat"; }
job() {
	name=$1 rw=$2 ops=$3
	fio --name="$name" --ioengine="external:$ENGINE" --device=/dev/cesium0 \
		--key_prefix=space000 --durability=periodic --mode=sync \
		--rw="$rw" --bs=$VBYTES --size=$((KEYS * VBYTES)) \
		--io_size=$((ops * VBYTES)) --norandommap --randrepeat=0 \
		--output=/tmp/space-"$name".out >/tmp/space.err 2>&1
}

expect_ok $S/format cesiumctl format --force "$dev"
expect_out $S/attach cesium0 cesiumctl attach "$dev"
job load write "$KEYS" || { fail $S/load "fio: $(grep -m1 -i err /tmp/space-load.out 2>/dev/null) $(tail -c 300 /tmp/space.err)"; exit 1; }
w0=$(devstat 7)
# Overwrite the keys $1 times over (test name $2), sampling the space in
# use every 0.2 s; sets sa_mean, sa_peak and nsamp over the samples after
# the first second (about a round of overwrites: before, the log is the
# load's, with nothing to clean).
overwrite_sampled() {
	( while :; do cat $sys/used_bytes; sleep 0.2; done ) >/tmp/space-used &
	sampler=$!
	if job overwrite randwrite $((KEYS * $1)); then
		pass "$2"
	else
		fail "$2" "fio: $(grep -m1 -i err /tmp/space-overwrite.out)"
	fi
	kill $sampler
	wait $sampler 2>/dev/null || true
	# shellcheck disable=SC2046
	set -- $(awk -v p=$((KEYS * (16 + VBYTES))) 'NR > 5 { sa = $1 / p
		s += sa; c++; if (sa > m) m = sa }
		END { printf "%.3f %.3f %d", c ? s / c : 0, m, c }' /tmp/space-used)
	sa_mean=$1 sa_peak=$2 nsamp=$3
}

overwrite_sampled "$ROUNDS" $S/overwrite
sa_load=$(awk -v u="$(cat $sys/used_bytes)" -v n="$KEYS" 'BEGIN { printf "%.3f", u / (n * 416) }')
echo 1 >$sys/checkpoint
w1=$(devstat 7)
user=$((KEYS * ROUNDS * 416))
note "overwrites: $(awk -v s=$(((w1 - w0) * 512)) -v u=$user 'BEGIN { printf "%.2f", s / u }') device bytes per user byte (cleaner moved $(($(cat $sys/stats/gc_moved_bytes) >> 10)) KiB, $(cat $sys/stats/checkpoints) checkpoints ($(cat $sys/stats/checkpoints_fuzzy) fuzzy) of $(($(cat $sys/stats/checkpoint_bytes) >> 10)) KiB in all, gc_ratio $(cat $sys/gc_ratio))"

used=$(cat $sys/used_bytes)
nkeys=$(cat $sys/nr_keys)
sa=$(awk -v u="$used" -v n="$nkeys" 'BEGIN { printf "%.3f", u / (n * 416) }')
note "space amplification: $sa after a checkpoint, $sa_load at the end of the load ($used bytes in use for $nkeys keys of 16+400 bytes; capacity $(cat $sys/capacity_bytes))"
if [ "$nkeys" = "$KEYS" ] &&
   awk -v a="$sa" -v b="$SA_MAX" 'BEGIN { exit !(a <= b) }'; then
	pass $S/space-amp
else
	fail $S/space-amp "$sa with $nkeys keys (bound $SA_MAX, $KEYS keys)"
fi
# As the background cleaner keeps it under overwrites, at the default
# ratio: on average, and at its peaks (the cleaner's moves and the
# checkpoints' images are written before the space they free is given
# back; writers wait when the cleaner falls behind: stats/gc_stalls).
note "space amplification during the overwrites: mean $sa_mean, peak $sa_peak over $nsamp samples; $(cat $sys/stats/gc_stalls) writes waited for the cleaner"
if [ "$nsamp" -ge 10 ] &&
   awk -v a="$sa_mean" -v b="$SA_MAX" 'BEGIN { exit !(a <= b) }'; then
	pass $S/space-amp-steady
else
	fail $S/space-amp-steady "mean $sa_mean over $nsamp samples of the overwrites (bound $SA_MAX)"
fi
if awk -v a="$sa_peak" -v b="$SA_PEAK_MAX" 'BEGIN { exit !(a <= b) }'; then
	pass $S/space-amp-peak
else
	fail $S/space-amp-peak "$sa_peak at the worst of $nsamp samples (bound $SA_PEAK_MAX)"
fi
disc=$(cat $sys/stats/discard_bytes)
if [ "$disc" -gt $((32 << 20)) ]; then
	pass $S/discard
else
	fail $S/discard "$disc bytes discarded"
fi

# The trade-off at a lazier cleaner: information only.
ratio0=$(cat $sys/gc_ratio)
for ratio in 175 200; do
	echo "$ratio" >$sys/gc_ratio
	m0=$(cat $sys/stats/gc_moved_bytes)
	w0=$(devstat 7)
	job "overwrite-$ratio" randwrite $((KEYS * ROUNDS / 2)) ||
		{ fail "$S/overwrite-$ratio" "fio: $(grep -m1 -i err /tmp/space-overwrite-"$ratio".out)"; continue; }
	used=$(cat $sys/used_bytes)
	echo 1 >$sys/checkpoint
	w1=$(devstat 7)
	note "gc_ratio $ratio: $(awk -v s=$(((w1 - w0) * 512)) -v u=$((KEYS * ROUNDS / 2 * 416)) 'BEGIN { printf "%.2f", s / u }') device bytes per user byte (cleaner moved $((($(cat $sys/stats/gc_moved_bytes) - m0) >> 10)) KiB); space amplification $(awk -v u="$used" -v n="$KEYS" 'BEGIN { printf "%.3f", u / (n * 416) }') at the end of the load, $(awk -v u="$(cat $sys/used_bytes)" -v n="$KEYS" 'BEGIN { printf "%.3f", u / (n * 416) }') after a checkpoint"
done
echo "$ratio0" >$sys/gc_ratio

index=$(cat $sys/index_bytes)
expect_ok $S/detach cesiumctl detach /dev/cesium0
expect_out $S/reattach cesium0 cesiumctl attach "$dev"
rb=$(cat $sys/stats/recovery_bytes)
note "recovery after detach: $rb bytes read in $(cat $sys/stats/recovery_us) us (index $index bytes)"
if [ "$rb" -le $((index + (1 << 20))) ]; then
	pass $S/recovery-bytes
else
	fail $S/recovery-bytes "$rb bytes read, index is $index"
fi
n=$(cesiumctl dump | wc -l)
if [ "$n" = "$KEYS" ]; then
	pass $S/keys
else
	fail $S/keys "dump lists $n keys"
fi
expect_ok $S/detach-end cesiumctl detach /dev/cesium0

# 100-byte values live in the index: its image is the data, and the log
# since the last checkpoint (at least two images of it: checkpoints of
# the whole index cost write amplification) is all that is over it. What
# the cleaner keeps under overwrites is printed; after a checkpoint, the
# images of the segments without their gaps are about the data.
KEYS=$KEYS_INLINE VBYTES=100
expect_ok $S/inline-format cesiumctl format --force "$dev"
expect_out $S/inline-attach cesium0 cesiumctl attach "$dev"
job load write "$KEYS" || { fail $S/inline-load "fio: $(grep -m1 -i err /tmp/space-load.out 2>/dev/null) $(tail -c 300 /tmp/space.err)"; exit 1; }
w0=$(devstat 7)
c0=$(cat $sys/stats/checkpoints)
b0=$(cat $sys/stats/checkpoint_bytes)
f0=$(cat $sys/stats/checkpoints_fuzzy)
overwrite_sampled "$ROUNDS_INLINE" $S/inline-overwrite
w1=$(devstat 7)
note "100-byte values: space amplification during the overwrites: mean $sa_mean, peak $sa_peak over $nsamp samples; $(awk -v s=$(((w1 - w0) * 512)) -v u=$((KEYS * ROUNDS_INLINE * 116)) 'BEGIN { printf "%.2f", s / u }') device bytes per user byte, $(($(cat $sys/stats/checkpoints) - c0)) checkpoints ($(($(cat $sys/stats/checkpoints_fuzzy) - f0)) fuzzy) of $((($(cat $sys/stats/checkpoint_bytes) - b0) >> 10)) KiB in all"
# After a checkpoint: the images of the index's segments, without their
# gaps, and little else.
echo 1 >$sys/checkpoint
sa=$(awk -v u="$(cat $sys/used_bytes)" -v p=$((KEYS * 116)) 'BEGIN { printf "%.3f", u / p }')
note "100-byte values: space amplification $sa after a checkpoint"
if awk -v a="$sa" 'BEGIN { exit !(a <= 1.15) }'; then
	pass $S/inline-space-amp
else
	fail $S/inline-space-amp "$sa after a checkpoint (bound 1.15)"
fi
# Attach loads those images back.
expect_ok $S/inline-detach cesiumctl detach /dev/cesium0
expect_out $S/inline-reattach cesium0 cesiumctl attach "$dev"
n=$(cesiumctl dump | wc -l)
if [ "$n" = "$KEYS" ]; then
	pass $S/inline-keys
else
	fail $S/inline-keys "dump lists $n keys after the reattach"
fi
expect_ok $S/inline-detach-end cesiumctl detach /dev/cesium0
