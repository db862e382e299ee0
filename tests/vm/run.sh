#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Boot a QEMU guest (TCG), run a guest script in it, power off, and report.
#
#   tests/vm/run.sh [OPTIONS] GUEST_SCRIPT [ARGS...]
#   tests/vm/run.sh --shell [OPTIONS] [GUEST_SCRIPT [ARGS...]]
#
# Options (each also as --opt=VALUE):
#   --kernel stock|debug  stock: Debian's /boot/vmlinuz-$KVER with its modules
#                         and ./cesium.ko; debug: the KASAN/lockdep/kmemleak
#                         kernel of tests/kunit/build-kernel.sh with
#                         build/kmod-debug/cesium.ko (both built if needed).
#                         Default: $CESIUM_VM_KERNEL, else stock.
#   --drive NAME[:SIZE[:LBS]]  an NVMe controller with one namespace backed by
#                         the raw image IMGDIR/NAME.img (created sparse if
#                         missing), serial NAME, logical and physical block
#                         size LBS. Repeatable. Default: nvme0:256M:512.
#                         In the guest: /dev/drive/NAME -> /dev/nvmeXnY.
#   --imgdir DIR          where the images live (default: a temporary folder
#                         removed at the end); the same DIR in two runs is a
#                         reboot on the same drives.
#   --kill-on MARKER      SIGKILL QEMU as soon as a console line contains
#                         MARKER (a power cut); the run then needs no clean end,
#                         but it is a FAIL if MARKER never shows.
#   --timeout SECS        kill QEMU and FAIL after SECS seconds (default 300).
#   --mem SIZE, --smp N   guest memory and CPUs (default 1G, 2).
#   --module PATH         load PATH as cesium.ko instead of the default.
#   --name NAME           name of the boot's own results (default: the
#                         script's file name without .sh).
#   --append ARGS         more kernel command line.
#   --log FILE            the console log (default build/vm/logs/NAME-...log).
#   --shell               an interactive guest (stdin/stdout are its console;
#                         leave with "exit" or Ctrl-A X), with fio; a script,
#                         if given, runs first.
#   --verbose             copy the console to stderr as it comes (also
#                         CESIUM_VM_VERBOSE=1).
#
#   --with-fio            put fio (and its 80 MB of libraries) in the guest.
#
# Markers: lines "# cesium: WORD..." among the script's first five lines.
#   no-module   boot without cesium.ko loaded (it is still at
#               /cesium/cesium.ko, for the script to insmod)
#   fio         as --with-fio
#
# Output, one line per result: "PASS: vm/NAME" or "FAIL: vm/NAME: REASON"
# for each CESIUM-RESULT line the guest printed (guest-lib.sh), FAIL lines
# for a boot that crashed, timed out or whose script exited non-zero, and
# the kernel-log check of the boot, "PASS: vm/NAME/kernel-log" or
# "FAIL: vm/NAME/kernel-log: LINE". On the debug kernel the prefix is
# vm-debug/ instead of vm/. Also "SKIP: ..." and "note: ..." lines, which
# count neither way. Exit status 0 iff no FAIL.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests/vm

usage() {
	sed -n '4,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
	exit 2
}

kernel=${CESIUM_VM_KERNEL:-stock}
drives=()
imgdir=
kill_on=
timeout=300
mem=1G
smp=2
module=
name=
append=
log=
shell=0
with_fio=0
verbose=${CESIUM_VM_VERBOSE:-0}
while [ $# -gt 0 ]; do
	opt=$1
	case "$opt" in
	--*=*) set -- "${opt%%=*}" "${opt#*=}" "${@:2}"; continue ;;
	esac
	case "$opt" in
	--kernel|--drive|--imgdir|--kill-on|--timeout|--mem|--smp|--module|--name|--append|--log)
		[ $# -ge 2 ] || { echo "run.sh: $opt needs a value" >&2; exit 2; }
		val=$2
		shift 2
		case "$opt" in
		--kernel) kernel=$val ;;
		--drive) drives+=("$val") ;;
		--imgdir) imgdir=$val ;;
		--kill-on) kill_on=$val ;;
		--timeout) timeout=$val ;;
		--mem) mem=$val ;;
		--smp) smp=$val ;;
		--module) module=$val ;;
		--name) name=$val ;;
		--append) append=$val ;;
		--log) log=$val ;;
		esac
		;;
	--shell) shell=1; with_fio=1; shift ;;
	--with-fio) with_fio=1; shift ;;
	--verbose) verbose=1; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $opt" >&2; exit 2 ;;
	*) break ;;
	esac
done
script=
if [ $# -gt 0 ]; then
	script=$1
	shift
elif [ "$shell" = 0 ]; then
	usage
fi
case "$kernel" in stock|debug) ;; *) echo "run.sh: --kernel stock|debug" >&2; exit 2 ;; esac
case "$timeout" in ''|*[!0-9]*) echo "run.sh: --timeout takes seconds" >&2; exit 2 ;; esac
[ ${#drives[@]} -gt 0 ] || drives=(nvme0:256M:512)
if [ -n "$script" ]; then
	[ -f "$script" ] || { echo "run.sh: no such script: $script" >&2; exit 2; }
	script=$(cd "$(dirname "$script")" && pwd)/$(basename "$script")
fi
[ -n "$name" ] || name=$(basename "${script:-shell}" .sh)
prefix=vm
[ "$kernel" = stock ] || prefix=vm-debug

# Markers: "# cesium: WORD..." lines among the script's first five.
load_module=1
if [ -n "$script" ]; then
	for w in $(head -n 5 "$script" | sed -n 's/^# cesium:\(.*\)$/\1/p'); do
		case "$w" in
		no-module) load_module=0 ;;
		fio) with_fio=1 ;;
		*) echo "run.sh: $script: unknown marker '# cesium: $w'" >&2; exit 2 ;;
		esac
	done
fi

mkdir -p "$root/build/vm/logs"
rundir=$(mktemp -d "$root/build/vm/run.XXXXXX")
qpid=
cleanup() {
	[ -z "$qpid" ] || kill -9 "$qpid" 2>/dev/null || true
	rm -rf "$rundir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the kernel and the module ----
# loglevel=5: warnings reach the console, the boot's info chatter does not.
# Emulation is slow, more so on a loaded host: an RCU stall report means a
# CPU held for a minute, not the default 21 s. cryptomgr.notests: the
# crypto API's self-tests cost a second per boot and test nothing of ours.
cmdline_common="rcupdate.rcu_cpu_stall_timeout=60 cryptomgr.notests"
if [ "$kernel" = stock ]; then
	kver=${KVER:-$(ls -1 /usr/src 2>/dev/null |
		sed -n 's/^linux-headers-\([0-9.]*-[0-9]*-amd64\)$/\1/p' | sort -V | tail -n 1)}
	kimg=/boot/vmlinuz-$kver
	if [ ! -r "$kimg" ]; then
		echo "FAIL: $prefix/$name: $kimg missing (apt-get install linux-image-$kver)"
		exit 1
	fi
	[ -n "$module" ] || module=$root/cesium.ko
	cmdline="console=ttyS0 panic=-1 quiet loglevel=5 $cmdline_common"
else
	if ! kbuild=$("$root/tests/kunit/build-kernel.sh"); then
		echo "FAIL: $prefix/$name: the debug kernel did not build (tests/kunit/build-kernel.sh)"
		exit 1
	fi
	kimg=$kbuild/arch/x86/boot/bzImage
	if [ -z "$module" ]; then
		if ! module=$("$root/tests/vm/lib/build-module.sh" debug); then
			module=$root/build/kmod-debug/cesium.ko
			rm -f "$module"
			echo "run.sh: building cesium.ko for the debug kernel failed" >&2
		fi
	fi
	# null_blk is built in: no default devices, as "modprobe null_blk
	# nr_devices=0" gives on the stock kernel. acpi=noirq: PCI interrupts
	# routed by the BIOS's $PIR table, not by ACPI, whose AML interpreter
	# takes half a minute per link device on this kernel under TCG (and
	# holds up the boot, the NVMe probe and the shutdown).
	cmdline="console=ttyS0 panic=-1 loglevel=5 null_blk.nr_devices=0 acpi=noirq $cmdline_common"
fi
[ -z "$append" ] || cmdline="$cmdline $append"
mkargs=(--kernel "$kernel")
[ "$with_fio" = 0 ] || mkargs+=(--with-fio)
if [ -f "$module" ]; then
	mkargs+=(--module "$module")
elif [ "$load_module" = 1 ]; then
	echo "FAIL: $prefix/$name: $module missing (make module?)"
	exit 1
else
	mkargs+=(--no-module)
fi

# ---- the initramfs: the cached layers plus this boot's own ----
if ! initramfs=$("$here/mkinitramfs.sh" "${mkargs[@]}"); then
	echo "FAIL: $prefix/$name: tests/vm/mkinitramfs.sh failed"
	exit 1
fi
sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
layer=$rundir/layer
mkdir -p "$layer/cesium/run"
guest_script=
if [ -n "$script" ]; then
	case "$script" in
	"$here"/guest/*) guest_script=/cesium/guest/${script#"$here"/guest/} ;;
	*) guest_script=/cesium/run/$(basename "$script")
	   cp "$script" "$layer$guest_script" ;;
	esac
fi
drive_names=
for d in "${drives[@]}"; do drive_names="$drive_names ${d%%:*}"; done
{
	echo "CESIUM_KERNEL=$kernel"
	echo "CESIUM_NAME=$(sq "$name")"
	echo "CESIUM_DRIVES=$(sq "${drive_names# }")"
	echo "CESIUM_MODE=$([ "$shell" = 1 ] && echo shell || echo script)"
	echo "CESIUM_LOAD_MODULE=$load_module"
	echo "CESIUM_SCRIPT=$(sq "$guest_script")"
	printf 'set --'
	for a in "$@"; do printf ' %s' "$(sq "$a")"; done
	echo
} >"$layer/cesium/run/env"
(cd "$layer" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc --owner=0:0 --quiet) | gzip -1 >"$rundir/run.cpio.gz"
cat "$initramfs" "$rundir/run.cpio.gz" >"$rundir/initrd.gz"

# ---- the drives ----
if [ -z "$imgdir" ]; then
	imgdir=$rundir/img
fi
mkdir -p "$imgdir"
# -cpu max gives the guest today's instruction set extensions, but with
# 4-level paging: with 5-level paging the debug kernel's KASAN now and then
# reports a wild access in an early boot interrupt.
qemu=(qemu-system-x86_64 -accel tcg -cpu max,la57=off -smp "$smp" -m "$mem" -no-reboot -nic none
	-kernel "$kimg" -initrd "$rundir/initrd.gz" -append "$cmdline")
i=0
for d in "${drives[@]}"; do
	IFS=: read -r dname dsize dlbs <<<"$d"
	dsize=${dsize:-256M}
	dlbs=${dlbs:-512}
	if ! [[ $dname =~ ^[A-Za-z][A-Za-z0-9_-]{0,19}$ ]]; then
		echo "run.sh: drive name '$dname': a letter, then up to 19 letters, digits, _ or -" >&2
		exit 2
	fi
	case "$dlbs" in 512|1024|2048|4096) ;; *) echo "run.sh: drive $dname: LBS 512, 1024, 2048 or 4096" >&2; exit 2 ;; esac
	img=$imgdir/$dname.img
	[ -f "$img" ] || truncate -s "$dsize" "$img"
	qemu+=(-drive "file=$img,if=none,id=drv$i,format=raw,cache=writeback"
		-device "nvme,serial=$dname,drive=drv$i,logical_block_size=$dlbs,physical_block_size=$dlbs")
	i=$((i + 1))
done

if [ "$shell" = 1 ]; then
	qemu+=(-nographic)
	echo "run.sh: booting the $kernel kernel; leave with 'exit' or Ctrl-A X" >&2
	set +e
	"${qemu[@]}"
	exit $?
fi
qemu+=(-display none -serial stdio -monitor none)

# ---- the run: read the console line by line ----
[ -n "$log" ] || log=$root/build/vm/logs/$name-$kernel-$(date +%Y%m%d-%H%M%S)-$$.log
mkdir -p "$(dirname "$log")"
: >"$log"
# Keep the newest 300 logs (with their .kmemleak, .ktap, ... companions).
# (Other runs prune at the same time: ls may find a file gone.)
{ ls -1t "$root"/build/vm/logs/*.log 2>/dev/null | tail -n +301 |
	while read -r old; do rm -f "${old%.log}".*; done; } || true
mkfifo "$rundir/console"
"${qemu[@]}" </dev/null >"$rundir/console" 2>&1 &
qpid=$!
exec 3<"$rundir/console" 4>>"$log"

fails=0
result() { # PASS|FAIL|SKIP NAME [REASON]
	case "$1" in
	PASS) echo "PASS: $prefix/$2" ;;
	FAIL) echo "FAIL: $prefix/$2: $3"; fails=$((fails + 1)) ;;
	SKIP) echo "SKIP: $prefix/$2: $3" ;;
	esac
}
ended=0
script_rc=
killed=0
timed_out=0
in_leak=0
: >"$rundir/kmemleak"
re_result='CESIUM-RESULT (PASS|FAIL|SKIP) ([^ :]+)(: ?(.*))?$'
on_line() {
	local line=${1%$'\r'}
	printf '%s\n' "$line" >&4
	[ "$verbose" != 1 ] || printf '%s\n' "$line" >&2
	if [ -n "$kill_on" ] && [ "$killed" = 0 ] && [[ $line == *"$kill_on"* ]]; then
		kill -9 "$qpid" 2>/dev/null || true
		killed=1
		echo "note: $prefix/$name: killed QEMU at '$kill_on'"
	fi
	if [ "$in_leak" = 1 ]; then
		if [[ $line == *CESIUM-KMEMLEAK-END* ]]; then
			in_leak=0
		else
			printf '%s\n' "$line" >>"$rundir/kmemleak"
		fi
		return
	fi
	case "$line" in
	*CESIUM-RESULT\ *)
		if [[ $line =~ $re_result ]]; then
			result "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[4]:-}"
		fi ;;
	*CESIUM-NOTE\ *) echo "note: $prefix/$name: ${line#*CESIUM-NOTE }" ;;
	*CESIUM-SCRIPT-EXIT\ *) script_rc=${line#*CESIUM-SCRIPT-EXIT }; script_rc=${script_rc%% *} ;;
	*CESIUM-KMEMLEAK-BEGIN*) in_leak=1 ;;
	*CESIUM-GUEST-END*) ended=1 ;;
	esac
}
deadline=$((SECONDS + timeout))
partial=
while :; do
	chunk=
	if IFS= read -r -t 1 -u 3 chunk; then
		on_line "$partial$chunk"
		partial=
	else
		st=$?
		if [ $st -gt 128 ]; then
			# read timed out; keep what it got of an unfinished line.
			partial=$partial$chunk
			if [ $SECONDS -ge $deadline ] && [ "$timed_out" = 0 ] && [ "$killed" = 0 ]; then
				kill -9 "$qpid" 2>/dev/null || true
				timed_out=1
			fi
			continue
		fi
		[ -z "$partial$chunk" ] || on_line "$partial$chunk"
		break
	fi
done
set +e
{ wait "$qpid"; } 2>/dev/null # no "Killed" message from bash
qrc=$?
set -e
qpid=
exec 3<&- 4>&-

if [ "$timed_out" = 1 ]; then
	result FAIL "$name" "timed out after $timeout s"
elif [ -n "$kill_on" ] && [ "$killed" = 0 ]; then
	result FAIL "$name" "the console never showed '$kill_on'"
elif [ "$killed" = 0 ] && [ "$ended" = 0 ]; then
	result FAIL "$name" "the guest did not reach its end (QEMU exit status $qrc; a crash?)"
fi
if [ -n "$script_rc" ] && [ "$script_rc" != 0 ]; then
	result FAIL "$name" "the script exited $script_rc"
fi

# ---- the kernel-log check ----
# Kernel lines carry a "[ seconds.micro]" stamp (CONFIG_PRINTK_TIME in both
# kernels), which keeps programs' own output out of the check. Left out:
# KTAP result lines ("ok 3 name", "not ok 3 name": KUnit's business), stack
# frames ("? lockdep_hardirqs_on+0x1/0x2": part of a report whose first line
# counts) and boot banners that merely name a debug feature.
bad_re='BUG:|WARNING:|Oops|KASAN|UBSAN|lockdep|possible circular locking|inconsistent lock state|general protection fault|Kernel panic|hung_task|blocked for more than|refcount_t:|detected stall'
benign_re='RCU lockdep checking is enabled|^ *(\? )?[A-Za-z0-9_.]+\+0x[0-9a-f]+/0x[0-9a-f]+( \[[A-Za-z0-9_]+\])? *$|^ *(    )*(not )?ok [0-9]+ '
bad=$(grep -a -E '\[ *[0-9]+\.[0-9]{6}\]' "$log" |
	sed -e 's/\r$//' -e 's/^.*\[ *[0-9]*\.[0-9]*\] \{0,1\}//' |
	grep -a -v -E "$benign_re" | grep -a -E "$bad_re" || true)
# kmemleak: only reports with a frame in the module count: "[cesium]", or
# a bare address in the module area (0xffffffffc0000000 up), which is what
# a frame in the module's freed __init code looks like (on the debug kernel
# cesium.ko is the only module). Prints "COUNT<TAB>first such report's
# first line<TAB>its first module frame".
leak=$(sed 's/\r$//' "$rundir/kmemleak" | awk '
	function done_rec() { if (hit) { n++; if (n == 1) { first = head; ff = frame } } }
	/unreferenced object/ { done_rec(); head = $0; hit = 0; frame = ""; next }
	/\[cesium\]/ || /\] 0xffffffff[c-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f] *$/ {
		if (!hit) { hit = 1; frame = $0 }
	}
	END { done_rec(); if (n) printf "%d\t%s\t%s\n", n, first, ff }')
if [ -s "$rundir/kmemleak" ]; then
	cp "$rundir/kmemleak" "${log%.log}.kmemleak"
fi
if [ -n "$bad" ]; then
	nbad=$(printf '%s\n' "$bad" | wc -l)
	more=
	[ "$nbad" -le 1 ] || more=" (and $((nbad - 1)) more lines)"
	result FAIL "$name/kernel-log" "$(printf '%s\n' "$bad" | head -n 1)$more"
elif [ -n "$leak" ]; then
	IFS=$'\t' read -r nleak head frame <<<"$leak"
	result FAIL "$name/kernel-log" "kmemleak: $nleak leak(s) with a module frame: $(echo $head) at $(echo $frame)"
else
	result PASS "$name/kernel-log"
fi

if [ "$fails" -gt 0 ]; then
	echo "log: $log"
	exit 1
fi
exit 0
