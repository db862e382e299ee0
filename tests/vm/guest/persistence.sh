# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# persistence SUITE BOOT [MARKER]: one boot of the persistence suite
# (tests/vm/tests/persistence.sh runs the three on the same drive image,
# /dev/drive/nvme0). SUITE names the results (persistence, persistence-4k).
#   BOOT 1: format, store the dataset, then check it after detach/attach,
#           after a refused rmmod (a handle open) and after rmmod/insmod;
#           end with the device attached: the poweroff that follows is a
#           clean shutdown, flushed by the module's reboot notifier.
#   BOOT 2: attach, check everything from boot 1; then, with the device's
#           durability at none, puts and a delete with --sync, and MARKER
#           once they are acknowledged: the host kills QEMU there.
#   BOOT 3: attach, check that everything is there, the --sync puts too.
# Before each stage the device is set to durability none (when the module
# takes it), so what survives was written by detach, unload or shutdown,
# not by a periodic commit.
. /cesium/lib/guest-lib.sh
. /cesium/guest/common.sh

S=$1
boot=$2
marker=${3:-}
d0=$(drive nvme0)
ds_make

# stage_put KEY: put KEY (its value names it) with the device at none.
stage_put() {
	set_durability "$DEV" none
	if ! cesiumctl -d "$DEV" put "$1" "value of $1" 2>"$W/err"; then
		fail "$S/put-$1" "$(errline)"
	fi
}

# stage_check NAME KEY...: each KEY holds the value stage_put gave it.
stage_check() {
	local name=$1 k bad=
	shift
	for k in "$@"; do
		printf 'value of %s' "$k" >"$W/want"
		if ! cesiumctl -d "$DEV" get "$k" >"$W/out" 2>"$W/err"; then
			bad="$bad $k($(errline | sed 's/.*: //'))"
		elif ! cmp -s "$W/out" "$W/want"; then
			bad="$bad $k(differs)"
		fi
	done
	if [ -z "$bad" ]; then pass "$name"; else fail "$name" "keys:$bad"; fi
}

# The --sync keys of boot 2.
sync_files() {
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		gen_text sync$i $((i * 150)) >"$W/ds/sync$i"
	done
	gen_text syncbig 300000 >"$W/ds/syncbig"
}
SYNC_KEYS="sync1 sync2 sync3 sync4 sync5 sync6 sync7 sync8 sync9 sync10 syncbig"

case "$boot" in
1)
	check_ok $S/format cesiumctl format "$d0"
	attach_as $S/attach "$d0"
	[ -n "$DEV" ] || exit 1
	check_eq $S/block-size "$(cat /sys/block/${d0#/dev/}/queue/logical_block_size)" \
		"$(cesiumctl info | sed -n 's/^logical_block_size: //p')" "info's logical_block_size"
	ds_put $S/dataset-put
	stage_put doomed
	ds_check $S/dataset-get

	# detach, attach
	stage_put stage-detach
	check_ok $S/detach cesiumctl detach "$DEV"
	run cesiumctl list
	check_eq $S/detach-list-empty "" "$(cat "$W/out")" "list printed"
	attach_as $S/reattach "$d0"
	ds_check $S/detach-attach
	stage_check $S/detach-attach-last-put stage-detach doomed
	check_eq $S/detach-attach-nr-keys $((DS_KEYS + 2)) "$(sysattr "$DEV" nr_keys)" nr_keys

	# rmmod with a handle open is refused; the device stays as it was.
	exec 3<"/dev/$DEV"
	check_error $S/rmmod-busy-refused 1 'unavailable|busy|in use' rmmod cesium
	check_eq $S/rmmod-busy-loaded "cesium online" \
		"$(lsmod | awk '$1 == "cesium" { print $1 }') $(sysattr "$DEV" state)" \
		"module and state"
	exec 3<&-
	ds_check $S/rmmod-busy-data

	# rmmod, insmod
	stage_put stage-rmmod
	check_ok $S/rmmod rmmod cesium
	check_eq $S/rmmod-gone "" "$(lsmod | awk '$1 == "cesium"'; ls /dev/cesium* 2>/dev/null)" \
		"after rmmod: lsmod and /dev/cesium*"
	check_ok $S/insmod insmod /cesium/cesium.ko
	attach_as $S/attach-after-insmod "$d0"
	ds_check $S/rmmod-insmod
	stage_check $S/rmmod-insmod-last-put stage-detach stage-rmmod doomed

	# The clean shutdown: the script ends with the device attached.
	stage_put stage-reboot
	stage_check $S/before-poweroff stage-reboot
	;;
2)
	attach_as $S/reboot-attach "$d0"
	[ -n "$DEV" ] || exit 1
	ds_check $S/reboot
	stage_check $S/reboot-last-puts stage-detach stage-rmmod stage-reboot doomed
	check_eq $S/reboot-nr-keys $((DS_KEYS + 4)) "$(sysattr "$DEV" nr_keys)" nr_keys
	check_eq $S/reboot-state online "$(sysattr "$DEV" state)"
	check_ge $S/reboot-recovery-bytes 1 "$(sysstat "$DEV" recovery_bytes)" recovery_bytes
	check_eq $S/reboot-checksum-errors 0 "$(sysstat "$DEV" checksum_errors)" checksum_errors

	# The power cut: acknowledged --sync operations must survive it.
	sync_files
	set_durability "$DEV" none
	bad=
	for k in $SYNC_KEYS; do
		cesiumctl -d "$DEV" put --sync "$k" - <"$W/ds/$k" 2>"$W/err" ||
			bad="$bad $k($(errline))"
	done
	cesiumctl -d "$DEV" del --sync doomed 2>"$W/err" || bad="$bad del-doomed($(errline))"
	if [ -z "$bad" ]; then pass $S/sync-puts; else fail $S/sync-puts "failed:$bad"; fi
	# Not a result line: the host kills QEMU when it reads this.
	echo "$marker"
	sleep 600
	fail $S/power-cut "still running 600 s after '$marker'"
	;;
3)
	attach_as $S/power-cut-attach "$d0"
	[ -n "$DEV" ] || exit 1
	sync_files
	ds_check $S/power-cut-dataset
	bad=
	for k in $SYNC_KEYS; do
		if ! cesiumctl -d "$DEV" get "$k" >"$W/out" 2>"$W/err"; then
			bad="$bad $k($(errline | sed 's/.*: //'))"
		elif ! cmp -s "$W/out" "$W/ds/$k"; then
			bad="$bad $k(differs)"
		fi
	done
	if [ -z "$bad" ]; then pass $S/power-cut-sync-puts; else fail $S/power-cut-sync-puts "keys:$bad"; fi
	check_error $S/power-cut-sync-del 1 'no such key' cesiumctl -d "$DEV" get doomed
	stage_check $S/power-cut-last-puts stage-detach stage-rmmod stage-reboot
	check_eq $S/power-cut-nr-keys $((DS_KEYS + 3 + 11)) "$(sysattr "$DEV" nr_keys)" nr_keys
	check_eq $S/power-cut-state online "$(sysattr "$DEV" state)"
	check_eq $S/power-cut-checksum-errors 0 "$(sysstat "$DEV" checksum_errors)" checksum_errors
	check_ok $S/power-cut-detach cesiumctl detach "$DEV"
	;;
*)
	fail $S/usage "persistence.sh: BOOT is 1, 2 or 3, not '$boot'"
	;;
esac
