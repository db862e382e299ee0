#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# `make bench`: one VM boot that measures, on one emulated NVMe drive, the
# raw device (fio io_uring), CesiumDB (fio with build/fio/cesium-engine.so)
# and RocksDB (db_bench on ext4), then writes the table and the plots.
#
#   tools/bench/run.sh [OPTIONS]
#
# Options:
#   --quick            small key counts and one value size (400), for a
#                      check in a few minutes; results go to build/bench/quick
#   --sizes "V..."     value sizes (default "100 400 4096")
#   --systems "S..."   any of raw cesium rocksdb (default all three)
#   --durability D     periodic (default; RocksDB: WAL without sync) or sync
#                      (RocksDB: --sync=1)
#   --scale F          multiply the key and operation counts by F (e.g. 0.5)
#   --gc-sizes "V..."  value sizes of CesiumDB's cleaner sweep (default
#                      "100 400 4096", those of --sizes only; "" for none): per
#                      gc_ratio, a fresh store filled once, then overwritten
#                      twice over at random
#   --gc-ratios "R..." the gc_ratio values of the sweep (default "140 145 200")
#   --thread-sizes "V..." value sizes of CesiumDB's one against two threads
#                      runs (readrandom, overwrite; default "400"; "" for none)
#   --cap MIN          cap of the whole run in minutes (default 45): the
#                      guest starts no run after CAP-5 minutes
#   --profile          after the measured runs, a profile phase (the
#                      default): short runs under `perf record -e cpu-clock
#                      -a -g` in the guest (CesiumDB fillrandom 400 B QD 1,
#                      readrandom 400 and 4096 B QD 32, overwrite 400 B with
#                      2 jobs, which also runs under `perf lock record`,
#                      readrandom 400 B with 2 jobs; the raw device's
#                      randread QD 32), reported in profile.md; about 3
#                      minutes in the guest (--quick does not shorten it)
#   --no-profile       no profile phase
#   --profile-only     a boot with the profile phase only (a few minutes);
#                      writes profile.md and leaves results.md alone
#   --out DIR          where the report goes (default tools/bench/results)
#   --module PATH      load PATH as cesium.ko (default: ./cesium.ko)
#   --report-only LOG  skip the VM: rebuild the report from a console log
#
# Prints a progress line per run ("bench: ..."), then where the table is.
# `make bench BENCH_ARGS="--profile-only"` passes options through make.
# Needs cesium.ko, build/fio/cesium-engine.so (make bench builds them), and
# on the host rocksdb-tools (db_bench, which tests/vm/mkinitramfs.sh packs
# into the guest when CESIUM_VM_EXTRA_TOOLS names it) and gnuplot-nox (the
# plots); installs those two with apt-get if they are missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tools/bench

quick=0
sizes="100 400 4096"
systems="raw cesium rocksdb"
dur=periodic
scale=1
cap_min=45
gc_sizes="100 400 4096"
gc_ratios="140 145 200"
thread_sizes=400
out=
report_only=
module=$root/cesium.ko
profile=1
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1; shift ;;
	--sizes) sizes=$2; shift 2 ;;
	--systems) systems=$2; shift 2 ;;
	--durability) dur=$2; shift 2 ;;
	--scale) scale=$2; shift 2 ;;
	--cap) cap_min=$2; shift 2 ;;
	--gc-sizes) gc_sizes=$2; shift 2 ;;
	--gc-ratios) gc_ratios=$2; shift 2 ;;
	--thread-sizes) thread_sizes=$2; shift 2 ;;
	--profile) profile=1; shift ;;
	--no-profile) profile=0; shift ;;
	--profile-only) profile=only; shift ;;
	--out) out=$2; shift 2 ;;
	--report-only) report_only=$2; shift 2 ;;
	--module) module=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
	-h|--help) sed -n '4,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown option $1 (--help)" >&2; exit 2 ;;
	esac
done
case "$dur" in periodic|sync) ;; *) echo "bench: --durability periodic|sync" >&2; exit 2 ;; esac
if [ "$quick" = 1 ]; then
	[ "$sizes" != "100 400 4096" ] || sizes=400
	[ -n "$out" ] || out=$root/build/bench/quick
fi
[ -n "$out" ] || out=$here/results
mkdir -p "$root/build/bench" "$out"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v db_bench >/dev/null || missing+=(rocksdb-tools)
[ "$profile" = 0 ] || command -v perf >/dev/null || missing+=(linux-perf)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
if [ ${#missing[@]} -gt 0 ]; then
	echo "bench: installing ${missing[*]}"
	as_root apt-get update -q >/dev/null
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

# The host's load and the tree's revision at the time of the run are kept
# beside the log (LOG.host, LOG.tree), for the report.
report() { # LOG
	local host_note='' tree=''
	[ ! -f "$1.host" ] || host_note=$(cat "$1.host")
	[ ! -f "$1.tree" ] || tree=$(cat "$1.tree")
	python3 "$here/report.py" --log "$1" --out "$out" --host "$host_note" --tree "$tree"
	[ ! -f "$out/profile.md" ] || [ "$profile" = 0 ] || echo "bench: profiles: $out/profile.md"
	# A log of the profile phase alone has no table to plot.
	grep -q 'CESIUM-BENCH-RUN ' "$1" || return 0
	if command -v gnuplot >/dev/null; then
		(cd "$out" && gnuplot "$here/plots.gp")
	else
		echo "bench: gnuplot missing: no plots"
	fi
	echo "bench: table: $out/results.md"
}
if [ -n "$report_only" ]; then
	report "$report_only"
	exit 0
fi

for f in "$module" "$root/build/fio/cesium-engine.so" "$root/build/cesiumctl"; do
	[ -f "$f" ] || { echo "bench: $f missing (make bench builds it)" >&2; exit 1; }
done

# Key counts, sized so that the whole run fits the cap under TCG (about
# 45 minutes at scale 1 on a 2-core host): fewer keys for bigger values.
# The cleaner sweep fills stores of the same key counts and overwrites
# them twice over: the cleaner starts once the log is 16 MiB, so gc_ratio
# decides. About 4 minutes in the guest for three ratios at three sizes.
declare -A keys reads overw
if [ "$quick" = 1 ]; then
	keys=([100]=20000 [400]=20000 [4096]=5000)
	reads=([100]=4000 [400]=4000 [4096]=2000)
	overw=([100]=4000 [400]=4000 [4096]=2000)
	raw_secs=5
else
	keys=([100]=200000 [400]=200000 [4096]=50000)
	reads=([100]=20000 [400]=20000 [4096]=10000)
	overw=([100]=50000 [400]=50000 [4096]=12500)
	raw_secs=10
fi
scaled() { awk -v n="$1" -v f="$scale" 'BEGIN { printf "%d", n * f }'; }
# The profile phase: a fresh store filled with prof_keys keys of 400 bytes
# (profiled), then reads and overwrites of it; 4096-byte values on another
# store, filled without perf, then read.
prof_keys=$(scaled 100000)
prof_keys_4096=$(scaled 25000)
prof_reads=$(scaled 30000)
prof_reads_4096=$(scaled 15000)
prof_overw=$(scaled 100000)

guest=$root/build/bench/guest-bench.sh
{
	echo "# Generated by tools/bench/run.sh; do not edit."
	echo "SIZES=\"$sizes\""
	for v in $sizes; do
		[ -n "${keys[$v]:-}" ] || { keys[$v]=$((80000000 / (v + 16))); reads[$v]=10000; overw[$v]=$((keys[$v] / 4)); }
		echo "KEYS_$v=$(scaled "${keys[$v]}")"
		echo "READS_$v=$(scaled "${reads[$v]}")"
		echo "OVERW_$v=$(scaled "${overw[$v]}")"
		echo "GC_KEYS_$v=$(scaled "${keys[$v]}")"
		echo "GC_PUTS_$v=$(scaled $((2 * keys[$v])))"
	done
	echo "GC_SIZES=\"$gc_sizes\""
	echo "GC_RATIOS=\"$gc_ratios\""
	echo "THREAD_SIZES=\"$thread_sizes\""
	echo "THREADS=\"1 2\""
	echo "QDS=\"1 32\""
	echo "DUR=$dur"
	echo "SYSTEMS=\"$systems\""
	echo "SCAN_LEN=11"
	echo "RAW_SECS=$raw_secs"
	echo "RAW_BYTES=$((512 << 20))"
	echo "BUDGET_SECS=$(((cap_min - 5) * 60))"
	echo "RUN_CAP_SECS=600"
	echo "PROFILE=$profile"
	echo "PROF_KEYS_400=$prof_keys"
	echo "PROF_KEYS_4096=$prof_keys_4096"
	echo "PROF_READS=$prof_reads"
	echo "PROF_READS_4096=$prof_reads_4096"
	echo "PROF_OVERW=$prof_overw"
	echo "PROF_RAW_SECS=5"
	echo "PROF_RAW_BYTES=$((128 << 20))"
	echo "PROF_FREQ=1000"
	echo "PROF_LIMIT=0.1"
	echo "PROF_LINES=120"
	echo "JOBS=/tmp/bench-jobs"
	echo "mkdir -p /tmp/bench-jobs"
	for j in "$root"/tools/fio/jobs/*.fio; do
		echo "cat >/tmp/bench-jobs/$(basename "$j") <<'CESIUM_JOB_EOF'"
		cat "$j"
		echo "CESIUM_JOB_EOF"
	done
	cat "$here/guest-bench.sh"
} >"$guest"

log=$root/build/bench/console-$(date +%Y%m%d-%H%M%S).log
echo "bench: one boot, drive bench:4G, 2 GiB of memory; sizes $sizes; systems $systems; durability $dur; cap $cap_min min; profile $profile"
echo "bench: console log $log"
# fio in the guest (run.sh --with-fio), and db_bench with its libraries
# (tests/vm/mkinitramfs.sh packs the programs CESIUM_VM_EXTRA_TOOLS names).
extra=
if [ "$profile" != only ]; then
	case " $systems " in *" rocksdb "*) extra=db_bench ;; esac
fi
if [ "$profile" != 0 ]; then
	# Debian's /usr/bin/perf is either perf itself or a wrapper script that
	# runs perf_<major.minor> of the running (host) kernel: pack the binary,
	# the guest kernel's version first, named perf.
	perf_bin=$(command -v perf || true)
	if [ -n "$perf_bin" ] && [ "$(head -c 4 "$perf_bin" | od -An -c | tr -d ' ')" != '177ELF' ]; then
		kver=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' | sed 's/.*headers-//' | sort -V | tail -n 1)
		perf_bin=
		for p in "/usr/bin/perf_${kver%.*-*}" /usr/bin/perf_[0-9]*; do
			[ ! -x "$p" ] || { perf_bin=$p; break; }
		done
	fi
	[ -n "$perf_bin" ] || { echo "bench: perf missing (apt-get install linux-perf)" >&2; exit 1; }
	extra="$extra perf=$perf_bin"
fi
export CESIUM_VM_EXTRA_TOOLS=$extra
load0=$(cut -d' ' -f1-3 /proc/loadavg)
python3 "$here/report.py" --print-tree >"$log.tree"
set +e
# The console goes to run.sh's log folder first (run.sh fails on a tree
# whose build/vm/logs holds no log yet when --log points elsewhere).
vmlog=$root/build/vm/logs/$(basename "$log")
mkdir -p "$(dirname "$vmlog")"
"$root/tests/vm/run.sh" --name bench --with-fio --module "$module" --drive bench:4G:512 --mem 2G \
	--timeout $((cap_min * 60)) --log "$vmlog" "$guest" |
	while IFS= read -r line; do
		case "$line" in
		"note: vm/bench: bench: "*) echo "bench: ${line#note: vm/bench: bench: }" ;;
		*) echo "$line" ;;
		esac
	done
vm_rc=${PIPESTATUS[0]}
set -e
cp "$vmlog" "$log" 2>/dev/null || echo "bench: no console log from run.sh ($vmlog)"
echo "$(nproc) cores, load average $load0 before the boot and $(cut -d' ' -f1-3 /proc/loadavg) after it (this guest's QEMU alone adds about 2)" >"$log.host"
ln -sfn "$(basename "$log")" "$root/build/bench/console-latest.log"
report "$log"
[ "$vm_rc" = 0 ] || echo "bench: the VM run reported a failure (status $vm_rc); the table has what it measured"
exit "$vm_rc"
