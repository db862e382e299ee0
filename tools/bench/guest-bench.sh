# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# The guest half of `make bench` (busybox sh). tools/bench/run.sh puts a
# header before it (the settings below, and the fio job files written to
# $JOBS) and boots it with tests/vm/run.sh on one drive named "bench".
#
# Settings from the header:
#   SIZES        value sizes, e.g. "100 400 4096"
#   KEYS_<V>     keys loaded for value size V
#   READS_<V>    operations of each read or mixed run
#   OVERW_<V>    operations of each overwrite run
#   GC_SIZES     value sizes of CesiumDB's cleaner sweep (of SIZES)
#   GC_RATIOS    its gc_ratio values, e.g. "140 145 200"
#   GC_KEYS_<V>  keys of each sweep store; GC_PUTS_<V> its overwrites
#   THREAD_SIZES value sizes of CesiumDB's one against two threads runs
#   THREADS      their fio job counts, "1 2"
#   QDS          "1 32": 1 is mode=sync (ioctl), 32 is mode=uring iodepth=32
#                for CesiumDB, --threads for db_bench, iodepth for the raw
#                device
#   DUR          periodic or sync (CesiumDB per-operation durability;
#                RocksDB --sync=0 or 1, its WAL always on)
#   SYSTEMS      any of "raw cesium rocksdb"
#   SCAN_LEN     records per scan (11: a seek and 10 nexts)
#   RAW_SECS     seconds of each raw-device run; RAW_BYTES its region
#   BUDGET_SECS  stop starting runs after this many seconds
#   RUN_CAP_SECS cap of one run
#   JOBS         folder of the fio job files
#   PROFILE      0, 1 (the profile phase after the runs) or only (it alone)
#   PROF_KEYS_400, PROF_KEYS_4096  keys of the profile phase's stores
#   PROF_READS, PROF_READS_4096, PROF_OVERW  its gets and overwrites
#   PROF_RAW_SECS, PROF_RAW_BYTES  its raw-device randread run
#   PROF_FREQ    perf's sampling rate (Hz); PROF_LIMIT, PROF_LINES: the
#                symbols printed (at least PROF_LIMIT %, at most PROF_LINES)
#
# Output, on the console (tools/bench/report.py reads it from the log):
#   CESIUM-BENCH-RUN id=N sys=S wl=W v=V qd=Q keys=K t0=.. t1=.. r_ios=..
#       r_sect=.. w_ios=.. w_sect=.. space=.. live=.. [open_r_ios=..] [skip=..]
#       [ratio=R gc_moved=B ckpt_bytes=B] [jobs=N]
#       (device counters are deltas of /sys/block/<drive>/stat over the run;
#       gc_moved and ckpt_bytes deltas of the store's stats/ counters)
#       wl=gc-fill, gc-overwrite, gc-checkpoint: the cleaner sweep, one of
#       each per gc_ratio R (gc-checkpoint: sysfs checkpoint, no tool
#       output); wl=threads-readrandom, threads-overwrite: N fio jobs
#   CESIUM-BENCH-OUT N LINE      the tool's own output of run N (fio JSON,
#                                db_bench's summary lines)
#   CESIUM-NOTE bench: ...       a progress line (run.sh prints it)
#   CESIUM-BENCH-PROFILE name=N sys=S wl=W v=V qd=Q jobs=J ops=O freq=F
#   CESIUM-BENCH-PROF-OUT N KIND LINE   profile N's output (profile_runs;
#                                tools/bench/bench_profile.py reads it)
# shellcheck shell=sh disable=SC2154,SC1091

. /cesium/lib/guest-lib.sh

DEVPATH=$(drive bench)
BLK=${DEVPATH#/dev/}
ENGINE=/cesium/build/fio/cesium-engine.so
KEY_PREFIX=bench000		# 8 bytes: 16-byte keys with the key number
T_START=$(cut -d' ' -f1 /proc/uptime)
RUN_ID=0
WRAP=

now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$T_START" -v b="$(now)" 'BEGIN { printf "%d", b - a }'; }
over_budget() { [ "$(elapsed)" -ge "$BUDGET_SECS" ]; }
# The drive's counters: reads, read sectors, writes, write sectors.
devstat() { awk '{ print $1, $3, $5, $7 }' "/sys/block/$BLK/stat"; }
progress() { note "bench: [$(elapsed)s] $*"; }
val() { eval "echo \${$1_$2}"; }

# Prefix a tool's output with the run id.
tag() { sed "s/^/CESIUM-BENCH-OUT $RUN_ID /"; }

# run_begin SYS WL V QD KEYS: start a run's record.
run_begin() {
	RUN_ID=$((RUN_ID + 1))
	R_SYS=$1 R_WL=$2 R_V=$3 R_QD=$4 R_KEYS=$5
	R_EXTRA='' SPACE='' LIVE=''
	# shellcheck disable=SC2046
	set -- $(devstat)
	S0_RI=$1 S0_RS=$2 S0_WI=$3 S0_WS=$4
	R_T0=$(now)
}

# run_end SPACE_BYTES LIVE_BYTES: print the run's record and a progress line.
run_end() {
	R_T1=$(now)
	# shellcheck disable=SC2046
	set -- $(devstat)
	echo "CESIUM-BENCH-RUN id=$RUN_ID sys=$R_SYS wl=$R_WL v=$R_V qd=$R_QD keys=$R_KEYS t0=$R_T0 t1=$R_T1 r_ios=$(($1 - S0_RI)) r_sect=$(($2 - S0_RS)) w_ios=$(($3 - S0_WI)) w_sect=$(($4 - S0_WS)) space=${SPACE:-0} live=${LIVE:-0}$R_EXTRA"
	progress "$R_SYS $R_WL v=$R_V qd=$R_QD: $(awk -v a="$R_T0" -v b="$R_T1" 'BEGIN { printf "%.1f", b - a }') s, device reads $(($1 - S0_RI)), writes $((($4 - S0_WS) / 2048)) MiB${R_SUMMARY:+, $R_SUMMARY}"
	R_SUMMARY=
}

run_skip() { # SYS WL V QD WHY
	RUN_ID=$((RUN_ID + 1))
	echo "CESIUM-BENCH-RUN id=$RUN_ID sys=$1 wl=$2 v=$3 qd=$4 skip=\"$(printf '%s' "$5" | tr '"\n' "' ")\""
	progress "$1 $2 v=$3 qd=$4: skipped ($5)"
}

# ops/s of a fio JSON file (reads + writes), for the progress line.
fio_iops() {
	awk '/"(read|write)" : \{/ { d = 1 } d && /"iops" :/ { gsub(/[",]/, ""); s += $3; d = 0 }
	     END { printf "%.0f ops/s", s }' "$1"
}

# ---- the raw device ------------------------------------------------------
raw_runs() {
	progress "raw: filling ${RAW_BYTES} bytes of $DEVPATH"
	fio --name=prefill --filename="$DEVPATH" --ioengine=io_uring --direct=1 \
		--rw=write --bs=1m --iodepth=8 --size="$RAW_BYTES" \
		--output=/tmp/raw-prefill.json --output-format=json >/dev/null 2>&1
	for wl in randread randwrite; do
		for qd in $QDS; do
			if over_budget; then run_skip raw "$wl" 4096 "$qd" budget; continue; fi
			run_begin raw "$wl" 4096 "$qd" 0
			fio --name="raw-$wl-qd$qd" --filename="$DEVPATH" --ioengine=io_uring \
				--direct=1 --rw="$wl" --bs=4k --iodepth="$qd" --size="$RAW_BYTES" \
				--norandommap --randrepeat=0 --time_based --runtime="$RAW_SECS" \
				--lat_percentiles=1 --clat_percentiles=0 --percentile_list=50:99:99.9 \
				--output-format=json --output=/tmp/run.json >/tmp/run.err 2>&1
			R_SUMMARY=$(fio_iops /tmp/run.json)
			run_end
			tag </tmp/run.json
			tag </tmp/run.err
		done
	done
}

# ---- CesiumDB ------------------------------------------------------------
CDEV=
cesium_fresh() {
	[ -z "$CDEV" ] || cesiumctl detach "$CDEV" >/dev/null 2>&1
	CDEV=
	cesiumctl format --force "$DEVPATH" >/dev/null 2>/tmp/fresh.err || return 1
	CDEV=$(cesiumctl attach "$DEVPATH" 2>/tmp/fresh.err) || return 1
	# The engine passes the durability with every put (durability=); the
	# device's default is set too, for anything else that writes.
	echo "$DUR" >"/sys/class/cesium/$CDEV/durability" 2>/dev/null || true
}
cesium_space() {
	SPACE=$(cat "/sys/class/cesium/$CDEV/used_bytes")
	LIVE=$(($(cat "/sys/class/cesium/$CDEV/nr_keys") * (16 + R_V)))
}

# cesium_job JOB QD KEYS OPS [JOBS]: OPS in all, split among JOBS fio jobs
# (readrandom and overwrite take CESIUM_NUMJOBS).
cesium_job() {
	mode=sync
	[ "$2" = 1 ] || mode=uring
	nj=${5:-1}
	# (WRAP: a command that runs fio, e.g. perf record; empty but in the
	# profile phase.)
	# shellcheck disable=SC2086
	CESIUM_ENGINE=$ENGINE CESIUM_DEV=$CDEV CESIUM_VALUE=$R_V \
	CESIUM_KEYS_BYTES=$(($3 * R_V)) CESIUM_OPS_BYTES=$(( ($4 / nj) * R_V )) \
	CESIUM_MODE=$mode CESIUM_QD=$2 CESIUM_NUMJOBS=$nj CESIUM_DUR=$DUR \
	CESIUM_KEY_PREFIX=$KEY_PREFIX CESIUM_YCSB_DIST=random \
	CESIUM_RUNTIME=$RUN_CAP_SECS CESIUM_SCAN_LEN=$SCAN_LEN \
		$WRAP fio --output-format=json --output=/tmp/run.json "$JOBS/$1.fio" \
		>/tmp/run.err 2>&1
	rc=$?
	# The periodic commit (commit_ms) lands well within this.
	sleep 1
	R_SUMMARY="$(fio_iops /tmp/run.json)$([ $rc = 0 ] || echo ", fio exited $rc")"
}

# Empty if a scan works, else why not.
cesium_scan_probe() {
	R_V=$v
	if cesium_job scan 1 "$keys" 1 >/dev/null 2>&1 && [ "$rc" = 0 ]; then
		return
	fi
	if grep -q 'without SCAN' /tmp/run.err; then
		echo "the engine was built without SCAN"
	elif grep -qi 'ioctl for device\|errno=25\|error=25' /tmp/run.err /tmp/run.json; then
		echo "the module has no SCAN (ENOTTY)"
	else
		echo "a probe scan failed: $(grep -m1 -i 'err' /tmp/run.err | tr -d '"')"
	fi
}

cesium_runs() { # V
	v=$1 keys=$(val KEYS "$1") reads=$(val READS "$1") overw=$(val OVERW "$1")
	if over_budget; then run_skip cesium fillrandom "$v" 1 budget; return; fi
	if ! cesium_fresh; then run_skip cesium fillrandom "$v" 1 "format/attach failed: $(head -n 1 /tmp/fresh.err)"; return; fi
	run_begin cesium fillrandom "$v" 1 "$keys"
	cesium_job fillrandom 1 "$keys" "$keys"
	cesium_space
	run_end; tag </tmp/run.json; tag </tmp/run.err
	# Scans run only on a module that has SCAN: one scan tells.
	scan_ok=$(cesium_scan_probe)
	for wl in readrandom ycsb-c ycsb-b ycsb-a scan overwrite; do
		ops=$reads
		[ "$wl" != overwrite ] || ops=$overw
		[ "$wl" != scan ] || ops=$((reads / 4))
		for qd in $QDS; do
			if over_budget; then run_skip cesium "$wl" "$v" "$qd" budget; continue; fi
			if [ "$wl" = scan ] && [ -n "$scan_ok" ]; then
				run_skip cesium scan "$v" "$qd" "$scan_ok"
				continue
			fi
			run_begin cesium "$wl" "$v" "$qd" "$keys"
			cesium_job "$wl" "$qd" "$keys" "$ops"
			cesium_space
			run_end; tag </tmp/run.json; tag </tmp/run.err
		done
	done
	cesium_thread_runs
	# fillrandom at the higher depth, on a fresh store: a quarter of the
	# keys, chosen at random with repetition (as db_bench's fillrandom).
	for qd in $QDS; do
		[ "$qd" != 1 ] || continue
		if over_budget; then run_skip cesium fillrandom-rep "$v" "$qd" budget; continue; fi
		cesium_fresh || { run_skip cesium fillrandom-rep "$v" "$qd" "format/attach failed: $(head -n 1 /tmp/fresh.err)"; continue; }
		run_begin cesium fillrandom-rep "$v" "$qd" "$keys"
		cesium_job fillrandom-rep "$qd" "$keys" $((keys / 4))
		cesium_space
		run_end; tag </tmp/run.json; tag </tmp/run.err
	done
	cesiumctl detach "$CDEV" >/dev/null 2>&1
	CDEV=
}

# One against two threads, on the store cesium_runs loaded: readrandom and
# overwrite with 1 and 2 fio jobs (mode=sync, each at QD 1), the same
# operations in all.
cesium_thread_runs() {
	case " $THREAD_SIZES " in *" $v "*) ;; *) return ;; esac
	for wl in readrandom overwrite; do
		ops=$reads
		[ "$wl" != overwrite ] || ops=$overw
		for nj in $THREADS; do
			if over_budget; then run_skip cesium "threads-$wl" "$v" 1 "budget, $nj jobs"; continue; fi
			run_begin cesium "threads-$wl" "$v" 1 "$keys"
			cesium_job "$wl" 1 "$keys" "$ops" "$nj"
			R_EXTRA=" jobs=$nj" R_SUMMARY="numjobs=$nj, $R_SUMMARY"
			cesium_space
			run_end; tag </tmp/run.json; tag </tmp/run.err
		done
	done
}

# The cleaner's trade-off: per gc_ratio, a fresh store filled once
# (fillrandom), overwritten at random (GC_PUTS, twice the keys: the log
# reaches the steady state where the cleaner keeps it near the ratio),
# then sysfs checkpoint (clean to the policy's target and checkpoint).
cstat() { cat "/sys/class/cesium/$CDEV/stats/$1"; }
cesium_gc_sweep() { # V
	v=$1
	case " $GC_SIZES " in *" $v "*) ;; *) return ;; esac
	gkeys=$(val GC_KEYS "$v") gputs=$(val GC_PUTS "$v") gc_default=
	for ratio in $GC_RATIOS; do
		if over_budget; then run_skip cesium gc-overwrite "$v" 1 "budget, gc_ratio $ratio"; continue; fi
		if ! cesium_fresh; then run_skip cesium gc-overwrite "$v" 1 "format/attach failed: $(head -n 1 /tmp/fresh.err)"; continue; fi
		gcr=/sys/class/cesium/$CDEV/gc_ratio
		[ -n "$gc_default" ] || gc_default=$(cat "$gcr")
		if ! echo "$ratio" >"$gcr" 2>/tmp/fresh.err; then
			run_skip cesium gc-overwrite "$v" 1 "gc_ratio $ratio refused: $(head -n 1 /tmp/fresh.err)"
			continue
		fi
		progress "cesium gc_ratio $ratio v=$v: fill $gkeys keys, overwrite $gputs, checkpoint"
		run_begin cesium gc-fill "$v" 1 "$gkeys"
		cesium_job fillrandom 1 "$gkeys" "$gkeys"
		R_EXTRA=" ratio=$ratio"
		cesium_space
		run_end; tag </tmp/run.json; tag </tmp/run.err
		for wl in gc-overwrite gc-checkpoint; do
			m0=$(cstat gc_moved_bytes) c0=$(cstat checkpoint_bytes)
			run_begin cesium "$wl" "$v" 1 "$gkeys"
			if [ "$wl" = gc-overwrite ]; then
				cesium_job overwrite 1 "$gkeys" "$gputs"
			elif ! echo 1 >"/sys/class/cesium/$CDEV/checkpoint" 2>/tmp/run.err; then
				R_SUMMARY="checkpoint failed: $(head -n 1 /tmp/run.err)"
			fi
			cesium_space
			R_EXTRA=" ratio=$ratio gc_moved=$(($(cstat gc_moved_bytes) - m0)) ckpt_bytes=$(($(cstat checkpoint_bytes) - c0))"
			R_SUMMARY="${R_SUMMARY:+$R_SUMMARY, }SA $(awk -v s="$SPACE" -v l="$LIVE" 'BEGIN { if (l) printf "%.2f", s / l }')"
			run_end
			[ "$wl" = gc-checkpoint ] || { tag </tmp/run.json; tag </tmp/run.err; }
		done
	done
	if [ -n "$CDEV" ]; then
		[ -z "$gc_default" ] || echo "$gc_default" >"/sys/class/cesium/$CDEV/gc_ratio"
		cesiumctl detach "$CDEV" >/dev/null 2>&1
		CDEV=
	fi
}

# ---- RocksDB -------------------------------------------------------------
DB=/mnt/bench/rocksdb
rocks_fresh() {
	umount /mnt/bench 2>/dev/null
	mkdir -p /mnt/bench
	# No lazy initialisation: it would write in the background later.
	mkfs.ext4 -F -q -E lazy_itable_init=0,lazy_journal_init=0 "$DEVPATH" \
		>/tmp/fresh.err 2>&1 &&
		mount -t ext4 -o noatime "$DEVPATH" /mnt/bench 2>/tmp/fresh.err
}
rocks_space() {
	SPACE=$(($(du -sk "$DB" | cut -f1) * 1024))
	LIVE=$((R_KEYS * (16 + R_V)))
}

# rocks_bench QD BENCHMARKS [ARGS...]: one db_bench invocation; QD threads.
rocks_bench() {
	qd=$1 benchmarks=$2
	shift 2
	sync=0
	[ "$DUR" != sync ] || sync=1
	timeout "$RUN_CAP_SECS" db_bench --db="$DB" --benchmarks="$benchmarks" --threads="$qd" \
		--key_size=16 --value_size="$R_V" --num="$R_KEYS" \
		--compression_type=none --cache_size=8388608 --bloom_bits=10 \
		--use_direct_reads=1 --use_direct_io_for_flush_and_compaction=1 \
		--sync="$sync" --histogram=1 --seed=$((RUN_ID + 1000)) \
		"$@" >/tmp/run.out 2>&1
	rc=$?
	# Buffered WAL pages reach the drive here, inside the run.
	sync
	R_SUMMARY="$(awk '/ops\/sec/ { for (i = 1; i < NF; i++) if ($(i + 1) == "ops/sec") s = $i }
		END { printf "%s ops/s", s }' /tmp/run.out)$([ $rc = 0 ] || echo ", db_bench exited $rc")"
}
rocks_tag() {
	grep -E 'ops/sec|Microseconds per|Percentiles:|^Count:|found\)|rror|ERROR|Assertion|Invalid' /tmp/run.out | tag
}

# The device reads of opening the database (its table files' index and
# filter blocks, the MANIFEST): measured once per data set and subtracted
# by the report from the reads of each read run.
rocks_open_cost() {
	run_begin rocksdb open "$v" 1 "$keys"
	rocks_bench 1 levelstats --use_existing_db=1
	R_SUMMARY="the reads of opening the database"
	rocks_space
	run_end; rocks_tag
}

rocks_runs() { # V
	v=$1 keys=$(val KEYS "$1") reads=$(val READS "$1") overw=$(val OVERW "$1")
	if ! command -v db_bench >/dev/null; then
		run_skip rocksdb all "$v" 1 "db_bench is not in the initramfs"
		return
	fi
	if over_budget; then run_skip rocksdb fillrandom "$v" 1 budget; return; fi
	if ! rocks_fresh; then run_skip rocksdb fillrandom "$v" 1 "mkfs/mount failed: $(head -n 1 /tmp/fresh.err)"; return; fi
	run_begin rocksdb fillrandom "$v" 1 "$keys"
	rocks_bench 1 filluniquerandom,flush,waitforcompaction
	rocks_space
	run_end; rocks_tag
	rocks_open_cost
	for wl in readrandom ycsb-c ycsb-b ycsb-a scan overwrite; do
		for qd in $QDS; do
			if over_budget; then run_skip rocksdb "$wl" "$v" "$qd" budget; continue; fi
			run_begin rocksdb "$wl" "$v" "$qd" "$keys"
			per=$(((reads + qd - 1) / qd))
			case "$wl" in
			readrandom|ycsb-c)
				rocks_bench "$qd" readrandom --use_existing_db=1 --reads="$per" ;;
			ycsb-b)
				rocks_bench "$qd" readrandomwriterandom,flush,waitforcompaction \
					--use_existing_db=1 --readwritepercent=95 --reads="$per" --writes="$per" ;;
			ycsb-a)
				rocks_bench "$qd" readrandomwriterandom,flush,waitforcompaction \
					--use_existing_db=1 --readwritepercent=50 --reads="$per" --writes="$per" ;;
			scan)
				per=$(((reads / 4 + qd - 1) / qd))
				rocks_bench "$qd" seekrandom --use_existing_db=1 \
					--seek_nexts=$((SCAN_LEN - 1)) --reads="$per" ;;
			overwrite)
				per=$(((overw + qd - 1) / qd))
				rocks_bench "$qd" overwrite,flush,waitforcompaction \
					--use_existing_db=1 --writes="$per" ;;
			esac
			rocks_space
			run_end; rocks_tag
		done
	done
	for qd in $QDS; do
		[ "$qd" != 1 ] || continue
		if over_budget; then run_skip rocksdb fillrandom-rep "$v" "$qd" budget; continue; fi
		rocks_fresh || { run_skip rocksdb fillrandom-rep "$v" "$qd" "mkfs/mount failed: $(head -n 1 /tmp/fresh.err)"; continue; }
		run_begin rocksdb fillrandom-rep "$v" "$qd" "$keys"
		rocks_bench "$qd" fillrandom,flush,waitforcompaction \
			--writes=$(((keys / 4 + qd - 1) / qd))
		rocks_space
		run_end; rocks_tag
	done
	umount /mnt/bench
}

# ---- the profile phase (PROFILE=1 or only) -------------------------------
# After the measured runs (or alone), so that it never perturbs them: each
# profiled workload runs under `perf record -e cpu-clock -a -g` (a software
# clock: TCG emulates no PMU), and perf report's top symbols go to the
# console. The store is fresh, so the figures of these runs are not those of
# the table (and perf's own sampling slows them).
PERF_DATA=/tmp/prof.data

# The drive's reads, read sectors, read ms, busy ms, ms x requests in
# flight (/sys/block/<drive>/stat fields 1, 3, 4, 10, 11).
profstat() { awk '{ print $1, $3, $4, $10, $11 }' "/sys/block/$BLK/stat"; }

# CesiumDB's counters (stats/) of how GETs ran: uring_cmds completed in
# their issue, completed later (bios), reissued from io-wq; cache hits,
# misses and values not cached at their first miss; and of what writers
# met: waits for the cleaner, checkpoints (fuzzy ones too).
PROF_CSTATS="uring_inline uring_async uring_punted cache_hits cache_misses cache_declined gc_stalls checkpoints checkpoints_fuzzy"
profcstat() {
	for c in $PROF_CSTATS; do
		cat "/sys/class/cesium/$CDEV/stats/$c" 2>/dev/null || echo 0
	done | tr '\n' ' '
}

# prof_out NAME KIND: prefix stdin with the profile's tag.
prof_out() { sed "s/^/CESIUM-BENCH-PROF-OUT $1 $2 /"; }

# prof_report NAME: the recorded profile's summaries, tagged.
prof_report() {
	# Self time (--no-children) per dso and symbol, then per comm and dso.
	perf report -i "$PERF_DATA" --stdio --no-children -g none --sort dso,sym \
		--percent-limit "$PROF_LIMIT" >/tmp/prof.txt 2>&1
	grep -E '^# (Samples|Total Lost|Event count)' /tmp/prof.txt | prof_out "$1" info
	# perf names cesium.ko's samples [kernel.kallsyms] (it makes no map of
	# the module here): the module's symbols in /proc/kallsyms say which.
	grep -v -e '^#' -e '^$' /tmp/prof.txt | head -n "$PROF_LINES" |
		awk 'NR == FNR { cz[$1] = 1; next }
		     $2 == "[kernel.kallsyms]" && ($NF in cz) { sub(/\[kernel\.kallsyms\]/, "[cesium]") } { print }' \
		/tmp/cesium.syms - | prof_out "$1" sym
	# Inclusive time (--children) of cesium.ko's functions.
	perf report -i "$PERF_DATA" --stdio --children -g none --sort sym \
		--percent-limit 1 2>/dev/null | grep -v -e '^#' -e '^$' |
		awk 'NR == FNR { cz[$1] = 1; next } ($NF in cz)' /tmp/cesium.syms - |
		head -n 15 | prof_out "$1" incl
	perf report -i "$PERF_DATA" --stdio --no-children -g none --sort comm,dso \
		--percent-limit 0.5 2>&1 | grep -v -e '^#' -e '^$' | head -n 30 | prof_out "$1" comm
}

# prof_stacks NAME: from the call chains (perf script): the samples in the
# idle loop, those with a cesium.ko frame anywhere on the stack (its code
# and what it calls), those in a lock's slow path (with the nearest
# cesium.ko caller), those in read_hpet by who reads the clock (fio's
# clock_gettime, cesium.ko's own ktime_get, the rest of the kernel), those
# on the unlock right after nvme_queue_rq(s) rang the doorbell (an MMIO
# write QEMU emulates before the vCPU goes on), and the hottest chains (the
# sampled function and three callers), idle left out.
prof_stacks() {
	perf script -i "$PERF_DATA" -F comm,ip,sym,dso 2>/dev/null | awk '
		BEGIN { while ((getline l < "/tmp/cesium.syms") > 0) czs[l] = 1 }
		function flush() {
			if (!n) return
			total++
			if (idle) nidle++
			if (cz != "") ncz++
			if (slow != "") { nslow++; locks[slow " <- " (cz != "" ? cz : "(no cesium.ko frame)")]++ }
			if (leaf == "read_hpet") {
				if (c2 in czs) nclk_cz++
				else if (chain ~ /clock_gettime/ || gett) nclk_fio++
				else nclk_k++
			}
			if (leaf ~ /^_raw_spin_unlock/ && c1 ~ /^nvme_queue_rqs?$/) ndb++
			if (!idle) chains[chain]++
			n = 0; idle = 0; slow = ""; cz = ""; chain = ""; leaf = ""; c1 = ""; c2 = ""; gett = 0
		}
		/^[^ \t]/ { flush(); n = 1; next }
		/^[ \t]*$/ { flush(); next }
		{
			sym = $2; sub(/\+0x[0-9a-f]+$/, "", sym)
			if (n == 1 && sym ~ /^(native_safe_halt|default_idle|pv_native_safe_halt|cpu_idle_poll)/) idle = 1
			if (n <= 4) chain = chain (n > 1 ? " <- " : "") sym
			if (n == 1) leaf = sym
			if (n == 2) c1 = sym
			if (n == 3) c2 = sym
			if (sym ~ /clock_gettime/) gett = 1
			n++
			if (slow == "" && sym ~ /^(__mutex_lock|mutex_spin_on_owner|osq_lock|native_queued_spin_lock_slowpath|__pv_queued_spin_lock_slowpath|queued_spin_lock_slowpath|rwsem_down_|rwsem_optimistic_spin|queued_read_lock_slowpath|queued_write_lock_slowpath|__down)/) slow = sym
			if (cz == "" && (sym in czs)) cz = sym
		}
		END {
			flush()
			if (!total) exit
			printf "total %d\n", total
			printf "share idle %d %.2f%%\n", nidle, 100 * nidle / total
			printf "share cesium.ko-on-stack %d %.2f%%\n", ncz, 100 * ncz / total
			printf "share lock-slowpath %d %.2f%%\n", nslow, 100 * nslow / total
			printf "share read_hpet-under-clock_gettime %d %.2f%%\n", nclk_fio, 100 * nclk_fio / total
			printf "share read_hpet-for-cesium.ko-stamps %d %.2f%%\n", nclk_cz, 100 * nclk_cz / total
			printf "share read_hpet-other-kernel %d %.2f%%\n", nclk_k, 100 * nclk_k / total
			printf "share after-nvme-doorbell %d %.2f%%\n", ndb, 100 * ndb / total
			for (k in locks) printf "lock %d %.2f%% %s\n", locks[k], 100 * locks[k] / total, k
			for (k in chains) if (chains[k] >= total / 200) printf "chain %d %.2f%% %s\n", chains[k], 100 * chains[k] / total, k
		}' >/tmp/stacks.txt
	{
		grep -E '^(total|share)' /tmp/stacks.txt
		grep '^lock ' /tmp/stacks.txt | sort -k2,2nr | head -n 10
		grep '^chain ' /tmp/stacks.txt | sort -k2,2nr | head -n 25
	} | prof_out "$1" stack
}

# prof_begin NAME SYS WL V QD JOBS OPS: one profile's header line.
prof_begin() {
	echo "CESIUM-BENCH-PROFILE name=$1 sys=$2 wl=$3 v=$4 qd=$5 jobs=$6 ops=$7 freq=$PROF_FREQ"
	P_T0=$(now)
	P_D0=$(profstat)
	P_C0=
	[ "$2" != cesium ] || P_C0=$(profcstat)
	WRAP="perf record -e cpu-clock -F $PROF_FREQ -a -g -N -q -o $PERF_DATA --"
}
prof_end() { # NAME
	WRAP=
	t=$(awk -v a="$P_T0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
	echo "CESIUM-BENCH-PROF-OUT $1 info clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
	echo "CESIUM-BENCH-PROF-OUT $1 info secs $t fio-rc $rc $(echo "$P_D0 $(profstat)" | awk '{
		printf "r_ios %d r_sect %d r_ticks %d io_ticks %d in_queue %d", $6 - $1, $7 - $2, $8 - $3, $9 - $4, $10 - $5 }') $R_SUMMARY"
	if [ -n "$P_C0" ]; then
		echo "$P_C0 $(profcstat)" | awk -v names="$PROF_CSTATS" '{
			n = split(names, nm, " ")
			printf "cesium"
			for (i = 1; i <= n; i++) printf " %s %d", nm[i], $(n + i) - $i
			printf "\n" }' | prof_out "$1" info
	fi
	progress "profile $1: $R_SUMMARY under perf"
	prof_report "$1"
	prof_stacks "$1"
}

prof_raw() {
	if over_budget; then progress "profile raw: skipped (budget)"; return; fi
	fio --name=prefill --filename="$DEVPATH" --ioengine=io_uring --direct=1 \
		--rw=write --bs=1m --iodepth=8 --size="$PROF_RAW_BYTES" \
		--output=/tmp/raw-prefill.json --output-format=json >/dev/null 2>&1
	prof_begin raw-randread-4096-qd32 raw randread 4096 32 1 "${PROF_RAW_SECS}s"
	$WRAP fio --name=raw-randread-qd32 --filename="$DEVPATH" --ioengine=io_uring \
		--direct=1 --rw=randread --bs=4k --iodepth=32 --size="$PROF_RAW_BYTES" \
		--norandommap --randrepeat=0 --time_based --runtime="$PROF_RAW_SECS" \
		--output-format=json --output=/tmp/run.json >/tmp/run.err 2>&1
	rc=$?
	R_SUMMARY=$(fio_iops /tmp/run.json)
	prof_end raw-randread-4096-qd32
}

# prof_cesium NAME WL V QD KEYS OPS [JOBS]: one profiled fio run.
prof_cesium() {
	if over_budget; then progress "profile $1: skipped (budget)"; return; fi
	R_V=$3
	prof_begin "$1" cesium "$2" "$3" "$4" "${7:-1}" "$6"
	cesium_job "$2" "$4" "$5" "$6" "${7:-1}"
	prof_end "$1"
}

profile_runs() {
	progress "profile phase: perf record -e cpu-clock -F $PROF_FREQ -a -g"
	echo 0 >/proc/sys/kernel/kptr_restrict
	echo -1 >/proc/sys/kernel/perf_event_paranoid
	# cesium.ko's symbols, for prof_report and prof_stacks.
	awk '$4 == "[cesium]" { print $3 }' /proc/kallsyms >/tmp/cesium.syms
	case " $SYSTEMS " in *" raw "*) prof_raw ;; esac
	case " $SYSTEMS " in *" cesium "*) ;; *) return ;; esac
	k4=$PROF_KEYS_400 k40=$PROF_KEYS_4096
	if ! cesium_fresh; then progress "profile: format/attach failed: $(head -n 1 /tmp/fresh.err)"; return; fi
	# 100-byte values live in the index: its fill is the one that splits
	# segments and checkpoints the most (and the furthest from its target).
	prof_cesium cesium-fillrandom-100-qd1 fillrandom 100 1 "$k4" "$k4"
	if ! cesium_fresh; then progress "profile: format/attach failed: $(head -n 1 /tmp/fresh.err)"; return; fi
	# The fill loads the store that the reads and overwrites then use.
	prof_cesium cesium-fillrandom-400-qd1 fillrandom 400 1 "$k4" "$k4"
	prof_cesium cesium-readrandom-400-qd32 readrandom 400 32 "$k4" "$PROF_READS"
	prof_cesium cesium-overwrite-400-2jobs overwrite 400 1 "$k4" "$PROF_OVERW" 2
	# Gets take no lock of ours (RCU): the 2-job readrandom shows whether
	# one shows up anyway.
	prof_cesium cesium-readrandom-400-2jobs readrandom 400 1 "$k4" "$PROF_READS" 2
	# The same run again under perf lock (contention tracepoints).
	if ! over_budget; then
		R_V=400
		perf lock contention -a -b -E 5 -- sleep 0.1 2>&1 | head -n 1 |
			prof_out cesium-overwrite-400-2jobs lockbpf
		WRAP="perf lock record -a -o $PERF_DATA --"
		cesium_job overwrite 1 "$k4" "$PROF_OVERW" 2
		WRAP=
		echo "CESIUM-BENCH-PROF-OUT cesium-overwrite-400-2jobs lockinfo fio-rc $rc $R_SUMMARY"
		perf lock contention -i "$PERF_DATA" -E 12 2>&1 | grep -v "^$" | head -n 14 |
			prof_out cesium-overwrite-400-2jobs lock
		# -v: the call stacks of the top entries.
		perf lock contention -i "$PERF_DATA" -E 3 -v 2>&1 | grep -v "^$" |
			sed -n '/contended/,/^===/p' | grep -v '^===' | head -n 40 |
			prof_out cesium-overwrite-400-2jobs lockstack
	fi
	# 4 KiB values: a fresh store, loaded without perf, then read.
	if over_budget || ! cesium_fresh; then progress "profile 4096: skipped"; return; fi
	R_V=4096
	cesium_job fillrandom 1 "$k40" "$k40"
	progress "profile: loaded $k40 keys of 4096 bytes ($R_SUMMARY)"
	prof_cesium cesium-readrandom-4096-qd32 readrandom 4096 32 "$k40" "$PROF_READS_4096"
	cesiumctl detach "$CDEV" >/dev/null 2>&1
	CDEV=
	rm -f "$PERF_DATA"
}

# ---- the run -------------------------------------------------------------
modprobe ext4 2>/dev/null
echo "CESIUM-BENCH-CONFIG sizes=\"$SIZES\" qds=\"$QDS\" dur=$DUR systems=\"$SYSTEMS\" gc_sizes=\"$GC_SIZES\" gc_ratios=\"$GC_RATIOS\" thread_sizes=\"$THREAD_SIZES\" budget=$BUDGET_SECS raw_secs=$RAW_SECS raw_bytes=$RAW_BYTES drive=$BLK bytes=$(($(cat "/sys/block/$BLK/size") * 512)) mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo) cpus=$(grep -c ^processor /proc/cpuinfo) fio=\"$(fio --version)\" db_bench=$(command -v db_bench >/dev/null && echo yes || echo no)"
for v in $SIZES; do
	echo "CESIUM-BENCH-KEYS v=$v keys=$(val KEYS "$v") reads=$(val READS "$v") overwrites=$(val OVERW "$v") gc_keys=$(val GC_KEYS "$v") gc_puts=$(val GC_PUTS "$v")"
done
if [ "$PROFILE" != only ]; then
	case " $SYSTEMS " in *" raw "*) raw_runs ;; esac
	for v in $SIZES; do
		case " $SYSTEMS " in *" cesium "*) cesium_runs "$v"; cesium_gc_sweep "$v" ;; esac
		case " $SYSTEMS " in *" rocksdb "*) rocks_runs "$v" ;; esac
	done
fi
if [ "$PROFILE" != 0 ]; then
	if command -v perf >/dev/null; then
		profile_runs
	else
		progress "profile phase: skipped (perf is not in the initramfs)"
	fi
fi
echo "CESIUM-BENCH-END elapsed=$(elapsed)"
progress "done in $(elapsed) s"
