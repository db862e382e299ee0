#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A bounded libFuzzer run for make check (engine.mk fills in the @...@).
# The seed comes from $CESIUM_TEST_SEED or is fresh; it is printed. A crash
# input is kept next to the fuzzer; replay it with: @FUZZER@ FILE
fuzzer=@FUZZER@
name=@NAME@
runs=${CESIUM_FUZZ_RUNS:-@RUNS@}
seed=${CESIUM_TEST_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
dir=$(dirname "$fuzzer")
corpus=$(mktemp -d)
log=$dir/$name.log
trap 'rm -rf "$corpus"' EXIT INT TERM

start=$(date +%s)
"$fuzzer" -runs="$runs" -seed="$seed" -max_len=4096 \
	-artifact_prefix="$dir/$name-" -print_final_stats=1 "$corpus" \
	> "$log" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
if [ "$rc" = 0 ]; then
	echo "PASS: user/$name ($runs runs, seed $seed, ${secs} s)"
	exit 0
fi
tail -n 40 "$log" >&2
echo "FAIL: user/$name: exit $rc, seed $seed (log $log)"
exit 1
