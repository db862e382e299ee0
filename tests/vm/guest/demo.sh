# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# demo BOOT [SHA256]: the two boots of `make demo` (tests/vm/tests/demo.sh),
# on one drive image, nvme0. Output is for a person watching: headings,
# each command as "$ ...", what came back; every check is also a result.
#   BOOT 1: format, attach, store keys (text, a namespace, binary from
#           stdin, 1 MiB from /dev/urandom), read them back, list, info,
#           sysfs; then power off without detaching (the module's reboot
#           notifier flushes). Prints the 1 MiB value's sha256 as the note
#           "big-sha256=HEX" for the host to pass to boot 2.
#   BOOT 2: attach the same drive, read the keys back and compare them
#           (the 1 MiB value with SHA256), show what recovery did.
. /cesium/lib/guest-lib.sh
. /cesium/guest/common.sh

S=demo
boot=$1
sha_boot1=${2:-}
d0=$(drive nvme0)
greeting='Hello from CesiumDB, a key-value store in the Linux kernel!'
ns_greeting='Hello from namespace 7'
printf '%s' "$greeting" >"$W/greeting"
printf '%s' "$ns_greeting" >"$W/ns-greeting"
printf 'bin\000ary\377\001\n' >"$W/blob"

heading() {
	echo
	echo "== $* =="
}

# step NAME CMD...: print "$ CMD", run it, print its output; a result.
step() {
	local name=$1
	shift
	echo "\$ $*"
	run "$@"
	cat "$W/out" "$W/err"
	if [ "$RC" = 0 ]; then
		pass "$name"
	else
		fail "$name" "'$*' exited $RC: $(errline)"
	fi
}

# show_get NAME FILE SHOW CESIUMCTL-ARGS...: print "$ cesiumctl ARGS | SHOW",
# run it, print what came back through SHOW (cat or xxd), check it is FILE.
show_get() {
	local name=$1 want=$2 how=$3
	shift 3
	if [ "$how" = cat ]; then
		echo "\$ cesiumctl $*"
	else
		echo "\$ cesiumctl $* | $how"
	fi
	run cesiumctl "$@"
	$how <"$W/out"
	[ "$how" != cat ] || echo
	judge_bytes "$name" "$want" cesiumctl "$@"
}

show_stats() {
	local s line=
	for s in puts gets bytes_in bytes_out log_commits device_writes \
		 device_write_bytes flushes; do
		line="$line $s=$(sysstat "$DEV" $s)"
	done
	echo "stats:$line"
}

case "$boot" in
1)
	heading "Boot 1: a fresh NVMe drive, $d0, $(($(blockdev --getsize64 "$d0") / 1048576)) MiB"
	step $S/format cesiumctl format "$d0"
	echo "\$ cesiumctl attach $d0"
	run cesiumctl attach "$d0"
	cat "$W/out" "$W/err"
	judge_attach $S/attach "$d0"
	[ -n "$DEV" ] || exit 1

	heading "Storing keys"
	echo "\$ cesiumctl put greeting '$greeting'"
	check_ok $S/put-text cesiumctl put greeting "$greeting"
	echo "\$ cesiumctl -n 7 put greeting '$ns_greeting'"
	check_ok $S/put-namespace cesiumctl -n 7 put greeting "$ns_greeting"
	echo "\$ printf 'bin\\000ary\\377\\001\\n' | cesiumctl put blob -"
	check_ok $S/put-binary with_stdin "$W/blob" cesiumctl put blob -
	echo "\$ head -c 1048576 /dev/urandom >/tmp/big"
	head -c 1048576 /dev/urandom >"$W/big"
	sha=$(sha256sum <"$W/big" | cut -d' ' -f1)
	echo "sha256 of /tmp/big: $sha"
	note "big-sha256=$sha"
	echo "\$ cesiumctl put big - </tmp/big"
	check_ok $S/put-1mib with_stdin "$W/big" cesiumctl put big -

	heading "Reading them back"
	show_get $S/get-text "$W/greeting" cat get greeting
	show_get $S/get-namespace "$W/ns-greeting" cat -n 7 get greeting
	show_get $S/get-binary "$W/blob" xxd get blob
	show_get $S/get-1mib "$W/big" sha256sum get big
	echo "\$ cesiumctl get no-such-key"
	run cesiumctl get no-such-key
	cat "$W/err"
	check_error $S/get-missing 1 'no such key' cesiumctl get no-such-key

	heading "Through the library: tools/examples/hello.c"
	step $S/library-put hello
	check_eq $S/library-stored "stored hello" "$(head -n 1 "$W/out")" "first line"

	heading "The device"
	step $S/list cesiumctl list
	step $S/info cesiumctl info
	check_eq $S/nr-keys 5 "$(sysattr "$DEV" nr_keys)" nr_keys
	echo "sysfs /sys/class/cesium/$DEV: state=$(sysattr "$DEV" state)" \
		"durability=$(sysattr "$DEV" durability) used_bytes=$(sysattr "$DEV" used_bytes)"
	show_stats

	heading "Powering off with $DEV still attached (the module flushes it at shutdown)"
	;;
2)
	heading "Boot 2: the same drive after the power-off"
	step $S/list-after-boot cesiumctl list
	echo "(nothing attached yet)"
	echo "\$ cesiumctl attach $d0"
	run cesiumctl attach "$d0"
	cat "$W/out" "$W/err"
	judge_attach $S/reattach "$d0"
	[ -n "$DEV" ] || exit 1
	echo "recovery: read $(sysstat "$DEV" recovery_bytes) bytes in $(sysstat "$DEV" recovery_us) us"
	check_ge $S/recovery-bytes 1 "$(sysstat "$DEV" recovery_bytes)" recovery_bytes

	heading "The keys of boot 1"
	show_get $S/reboot-get-text "$W/greeting" cat get greeting
	show_get $S/reboot-get-namespace "$W/ns-greeting" cat -n 7 get greeting
	show_get $S/reboot-get-binary "$W/blob" xxd get blob
	echo "\$ cesiumctl get big | sha256sum"
	run cesiumctl get big
	sha=$(sha256sum <"$W/out" | cut -d' ' -f1)
	echo "$sha  (boot 1: ${sha_boot1:-unknown})"
	if [ "$RC" != 0 ]; then
		fail $S/reboot-get-1mib "get big exited $RC: $(errline)"
	elif [ "$(size_of "$W/out")" != 1048576 ]; then
		fail $S/reboot-get-1mib "got $(size_of "$W/out") bytes, not 1048576"
	else
		check_eq $S/reboot-get-1mib "$sha_boot1" "$sha" "sha256"
	fi
	step $S/reboot-library hello
	check_eq $S/reboot-library-found "found hello" "$(head -n 1 "$W/out")" "first line"
	check_eq $S/reboot-nr-keys 5 "$(sysattr "$DEV" nr_keys)" nr_keys
	check_eq $S/reboot-checksum-errors 0 "$(sysstat "$DEV" checksum_errors)" checksum_errors
	show_stats
	step $S/detach cesiumctl detach "$DEV"
	;;
esac
