# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# async: libcesium-user's asynchronous API (build/tests/asynctest, tests/vm/
# progs/asynctest.c) on a freshly formatted nvme0, then cesiumctl stats,
# stats --json, stats --watch, info --json and list --json on the counters
# those commands left (tests/vm/tests/async.sh).
. /cesium/lib/guest-lib.sh
. /cesium/guest/common.sh

S=async
d0=$(drive nvme0)
check_ok $S/vm-format cesiumctl format "$d0"
attach_as $S/vm-attach "$d0"
if [ -z "$DEV" ]; then
	fail $S/setup "no device to test: stopping"
	exit 1
fi

if timeout 300 asynctest "/dev/$DEV" >"$W/at.out" 2>"$W/at.err"; then
	rc=0
else
	rc=$?
fi
cat "$W/at.out"
n=$(grep -c '^CESIUM-RESULT ' "$W/at.out")
nfail=$(grep -c '^CESIUM-RESULT FAIL ' "$W/at.out")
if [ "$rc" = 0 ] && [ "$n" -gt 0 ] && [ "$nfail" = 0 ]; then
	pass $S/vm-exit
else
	fail $S/vm-exit "asynctest /dev/$DEV exited $rc after $n results" \
		"($nfail failed): $(head -n 1 "$W/at.err")"
fi
check_eq $S/vm-cleaned-up 0 "$(sysattr "$DEV" nr_keys)" "nr_keys after asynctest"

# ---- cesiumctl stats on what asynctest did ----
# value NAME: the number of "NAME: N" in $W/out.
value() {
	sed -n "s/^$1: \([0-9]*\)\( .*\)\{0,1\}\$/\1/p" "$W/out" | head -n 1
}
check_ok $S/stats cesiumctl -d "$DEV" stats
check_ge $S/stats-puts 1000 "$(value puts)" "puts"
check_ge $S/stats-gets 1000 "$(value gets)" "gets"
check_ge $S/stats-deletes 1000 "$(value deletes)" "deletes"
check_ge $S/stats-exists 1000 "$(value exists)" "exists"
check_eq $S/stats-nr-keys 0 "$(value nr_keys)" "nr_keys"
# The same counters as sysfs (nothing ran in between).
check_eq $S/stats-puts-sysfs "$(sysstat "$DEV" puts)" "$(value puts)" "puts"
check_eq $S/stats-gc-stalls-sysfs "$(sysstat "$DEV" gc_stalls)" \
	"$(value gc_stalls)" "gc_stalls"
check_eq $S/stats-lines 44 "$(wc -l <"$W/out" | tr -d ' ')" "lines"
lat='ops, p50 (<|>=) [0-9.]+ (ns|us|ms|s), p99 (<|>=) [0-9.]+ (ns|us|ms|s)$'
for op in get put delete exists; do
	line=$(grep "^latency_$op: " "$W/out")
	if printf '%s\n' "$line" | grep -Eq "^latency_$op: [0-9]+ $lat"; then
		ops=$(printf '%s\n' "$line" | sed 's/^[^:]*: \([0-9]*\) .*/\1/')
		check_ge $S/stats-latency-$op 1000 "$ops" "latency_$op ops"
	else
		fail $S/stats-latency-$op "line '$(desc "$line")'"
	fi
done
check_eq $S/stats-latency-batch "latency_batch: 0 ops" \
	"$(grep '^latency_batch: ' "$W/out")"

check_ok $S/stats-json cesiumctl -d "$DEV" stats --json
if [ "$(wc -l <"$W/out" | tr -d ' ')" = 1 ] &&
   grep -Eq '^\{"size":[0-9]+,"puts":[0-9]+,.*"latency":\{"get":\{"count":[0-9]+,"p50_below_ns":[0-9]+,"p99_below_ns":[0-9]+,"buckets":\[([0-9]+,){31}[0-9]+\]\}.*\}\}$' "$W/out"; then
	pass $S/stats-json-shape
else
	fail $S/stats-json-shape "printed '$(head -c 200 "$W/out")'"
fi

# --watch: a snapshot a second until SIGTERM; later ones with rates.
timeout 3 cesiumctl -d "$DEV" stats --watch 1 >"$W/watch.out" 2>"$W/watch.err" || true
nsnap=$(grep -c '^elapsed_s: ' "$W/watch.out")
check_ge $S/stats-watch-snapshots 2 "$nsnap" "snapshots in 3 s"
if grep -Eq '^puts: [0-9]+ \([0-9]+\.[0-9]/s\)$' "$W/watch.out" &&
   ! grep -Eq '^nr_keys: .*/s' "$W/watch.out"; then
	pass $S/stats-watch-rates
else
	fail $S/stats-watch-rates "no 'puts: N (R/s)' line: $(head -c 200 "$W/watch.out")"
fi
check_eq $S/stats-watch-stderr "" "$(head -c 200 "$W/watch.err")" "stderr"

check_ok $S/info-json cesiumctl -d "$DEV" info --json
if grep -Eq "^\{\"size\":[0-9]+,\"abi_version\":1,.*\"state\":\"online\",.*\"bdev_name\":\"$(basename "$d0")\"\}\$" "$W/out"; then
	pass $S/info-json-shape
else
	fail $S/info-json-shape "printed '$(head -c 200 "$W/out")'"
fi
check_ok $S/list-json cesiumctl list --json
if grep -Eq "^\{\"name\":\"$DEV\",\"index\":[0-9]+,\"bdev_name\":\"$(basename "$d0")\",\"major\":[0-9]+,\"minor\":[0-9]+,\"state\":\"online\",\"capacity_bytes\":[0-9]+,\"used_bytes\":[0-9]+\}\$" "$W/out"; then
	pass $S/list-json-shape
else
	fail $S/list-json-shape "printed '$(head -c 200 "$W/out")'"
fi
check_ok $S/vm-detach cesiumctl detach "$DEV"
