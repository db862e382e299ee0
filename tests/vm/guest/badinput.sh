# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# badinput: every bad input of the Foundation issue through cesiumctl. Each
# is refused with exit status 1 and one line on stderr that names the
# reason (matched loosely), or 2 for usage errors; then the data stored at
# the start is all still there. Drives: nvme0 holds the store, nvme1 is
# scratch (tests/vm/tests/badinput.sh).
. /cesium/lib/guest-lib.sh
. /cesium/guest/common.sh

S=badinput
d0=$(drive nvme0)
d1=$(drive nvme1)

check_ok $S/format cesiumctl format "$d0"
attach_as $S/attach "$d0"
if [ -z "$DEV" ]; then
	fail $S/setup "no device to test: stopping"
	exit 1
fi
A=$DEV
ds_make
ds_put $S/dataset-put

# ---- keys and values ----
check_error $S/put-empty-key 1 'empty key' cesiumctl put '' value
check_error $S/get-empty-key 1 'empty key' cesiumctl get ''
check_error $S/del-empty-key 1 'empty key' cesiumctl del ''
K256=$(gen_text k 256 | tr '\n' '-')
check_error $S/put-key-256 1 'key.*(limit|long|big|255)' cesiumctl put "$K256" value
check_error $S/get-key-256 1 'key.*(limit|long|big|255)' cesiumctl get "$K256"
check_error $S/del-key-256 1 'key.*(limit|long|big|255)' cesiumctl del "$K256"
# Its first 255 bytes are the dataset's key255: the length is what counts.
check_bytes $S/key-255-prefix "$W/ds/k255" cesiumctl get "${K256%?}"
head -c $((1048576 + 1)) /dev/zero >"$W/over"
check_error $S/put-value-over 1 'limit|big|large|1048576' \
	with_stdin "$W/over" cesiumctl put over-limit -
check_error $S/put-value-over-absent 1 'no such key' cesiumctl get over-limit
check_error $S/get-missing 1 'no such key' cesiumctl get no-such-key
check_error $S/del-missing 1 'no such key' cesiumctl del no-such-key
check_error $S/get-missing-ns 1 'no such key' cesiumctl -n 99 get text
check_error $S/del-missing-ns 1 'no such key' cesiumctl -n 99 del text

# ---- usage errors: exit status 2 ----
check_error $S/usage-no-command 2 'command' cesiumctl
check_error $S/usage-unknown-command 2 'unknown command' cesiumctl frobnicate
check_error $S/usage-unknown-option 2 'unknown option' cesiumctl put --bogus k v
check_error $S/usage-put-no-value 2 'missing' cesiumctl put k
check_error $S/usage-put-extra 2 'too many' cesiumctl put k v w
check_error $S/usage-get-no-key 2 'missing' cesiumctl get
check_error $S/usage-bad-ns 2 'namespace|-n' cesiumctl -n twelve get k
check_error $S/usage-ns-overflow 2 'namespace|-n' cesiumctl -n 18446744073709551616 get k
check_error $S/usage-d-control 2 '-d' cesiumctl -d "$A" list
check_error $S/usage-both-put-modes 2 'exclude|overwrite' \
	cesiumctl put --no-overwrite --update-only k v
check_error $S/usage-two-durabilities 2 'exclude|sync' cesiumctl put --sync --none k v
check_error $S/usage-detach-name 2 'not a CesiumDB|device' cesiumctl detach nvme0n1
check_error $S/usage-format-no-bdev 2 'missing' cesiumctl format

# ---- attach ----
touch "$W/regular"
check_error $S/attach-missing-path 1 'no such file|not exist' cesiumctl attach /dev/no-such-disk
check_error $S/attach-dev-null 1 'not a block device' cesiumctl attach /dev/null
check_error $S/attach-regular-file 1 'not a block device' cesiumctl attach "$W/regular"
check_error $S/attach-directory 1 'not a block device' cesiumctl attach /tmp
check_error $S/attach-unformatted 1 'not formatted' cesiumctl attach "$d1"
check_error $S/attach-attached 1 'busy|already|attached' cesiumctl attach "$d0"
check_error $S/attach-attached-alias 1 'busy|already|attached' \
	cesiumctl attach /dev/drive/nvme0

# ---- format, and attach of foreign devices ----
# nvme1 is the scratch drive: unformatted above, then a partition table, a
# CesiumDB store, an ext4 filesystem in turn.
check_error $S/format-attached 1 'busy|attached|in use' cesiumctl format "$d0"
check_error $S/format-missing-path 1 'no such file|not exist' cesiumctl format /dev/no-such-disk
check_error $S/format-dev-null 1 'not a block device' cesiumctl format /dev/null
check_error $S/format-regular-file 1 'not a block device' cesiumctl format "$W/regular"
# An MBR boot signature makes a partition table.
printf '\125\252' | dd of="$d1" bs=1 seek=510 conv=notrunc,fsync 2>/dev/null
check_error $S/format-partition-table 1 'partition|file exists|already|force' \
	cesiumctl format "$d1"
check_error $S/attach-partition-table 1 'not formatted' cesiumctl attach "$d1"
check_ok $S/format-partition-table-force cesiumctl format --force "$d1"
check_error $S/format-cesium 1 'cesium|file exists|already|force' cesiumctl format "$d1"
check_ok $S/format-cesium-force cesiumctl format "$d1" --force

# An ext4 filesystem made over that store (or, without mkfs.ext4, its
# magic on a zeroed device).
if command -v mkfs.ext4 >/dev/null; then
	mkfs.ext4 -q -F "$d1" >"$W/mkfs" 2>&1 ||
		fail $S/mkfs-ext4 "mkfs.ext4 $d1 failed: $(head -n 1 "$W/mkfs")"
else
	note "no mkfs.ext4 in the guest: writing only the ext4 magic"
	dd if=/dev/zero of="$d1" bs=64k count=1 conv=fsync 2>/dev/null
	# The ext2/3/4 magic 0xEF53, little-endian, at byte 1080.
	printf '\123\357' | dd of="$d1" bs=1 seek=1080 conv=notrunc,fsync 2>/dev/null
fi
check_eq $S/foreign-signature "53ef" \
	"$(dd if="$d1" bs=1 skip=1080 count=2 2>/dev/null | xxd -p)" "bytes 1080-1081 of $d1"
check_error $S/attach-foreign 1 'not formatted' cesiumctl attach "$d1"
# If it did attach, detach it again so that the rest can go on.
cesiumctl list | awk -v a="$A" '$1 != a { print $1 }' | xargs -r -n 1 cesiumctl detach
# A mounted filesystem is refused, --force or not.
mkdir -p /mnt/ext4
if { modprobe ext4 || grep -qw ext4 /proc/filesystems; } 2>/dev/null &&
   mount -t ext4 -o ro "$d1" /mnt/ext4 2>"$W/err"; then
	check_error $S/format-mounted-force 1 'busy|mounted' cesiumctl format --force "$d1"
	check_error $S/attach-mounted 1 'busy|mounted' cesiumctl attach "$d1"
	umount /mnt/ext4
else
	skip $S/format-mounted-force "cannot mount ext4 here: $(errline)"
fi
sum_dev() { # the first 8 MiB and the last 1 MiB of a device
	{ dd if="$1" bs=1M count=8 2>/dev/null
	  dd if="$1" bs=1M skip=$(($(blockdev --getsize64 "$1") / 1048576 - 1)) 2>/dev/null
	} | sha256sum | cut -d' ' -f1
}
before=$(sum_dev "$d1")
check_error $S/format-filesystem 1 'ext|filesystem|file exists|already|force' \
	cesiumctl format "$d1"
check_eq $S/format-filesystem-untouched "$before" "$(sum_dev "$d1")" \
	"checksum of $d1's first 8 MiB and last 1 MiB after the refused format:"
check_ok $S/format-filesystem-force cesiumctl format --force "$d1"
attach_as $S/attach-after-force "$d1"
if [ -n "$DEV" ]; then
	check_eq $S/attach-after-force-empty 0 "$(sysattr "$DEV" nr_keys)" nr_keys
	check_ok $S/detach-after-force cesiumctl detach "$DEV"
fi
DEV=$A

# ---- detach and rmmod with open handles ----
exec 3<"/dev/$A"
check_error $S/detach-open 1 'in use|busy|handle' cesiumctl detach "$A"
check_error $S/rmmod-open 1 'unavailable|busy|in use' rmmod cesium
check_eq $S/still-attached "$A online" \
	"$(cesiumctl list | awk -v a="$A" '$1 == a { print $1, $3 }')" "list after the refusals"
exec 3<&-
check_error $S/d-not-cesium 1 'not a CesiumDB|inappropriate ioctl' cesiumctl -d /dev/null get text
check_error $S/detach-unknown 1 'no such device|not attached' cesiumctl detach cesium42
check_error $S/detach-unknown-path 1 'no such device|not attached' cesiumctl detach /dev/cesium42

# ---- callers without CAP_SYS_ADMIN ----
check_eq $S/nobody-uid 65534 "$(as_nobody id -u 2>&1)" "uid under su"
# The nodes are 0600 root: the VFS refuses first.
check_error $S/nobody-list 1 'permission|denied|CAP_SYS_ADMIN' as_nobody cesiumctl list
check_error $S/nobody-attach 1 'permission|denied|CAP_SYS_ADMIN' as_nobody cesiumctl attach "$d1"
check_error $S/nobody-data 1 'permission|denied' as_nobody cesiumctl -d "$A" get text
# With the control node opened up, the module's own CAP_SYS_ADMIN check.
chmod 0666 /dev/cesium-control
check_error $S/nobody-cap-list 1 'permission|denied|CAP_SYS_ADMIN' as_nobody cesiumctl list
check_error $S/nobody-cap-format 1 'permission|denied|CAP_SYS_ADMIN' \
	as_nobody cesiumctl format --force "$d1"
check_error $S/nobody-cap-attach 1 'permission|denied|CAP_SYS_ADMIN' as_nobody cesiumctl attach "$d1"
check_error $S/nobody-cap-detach 1 'permission|denied|CAP_SYS_ADMIN' as_nobody cesiumctl detach "$A"
chmod 0600 /dev/cesium-control
check_eq $S/nobody-changed-nothing "$A" "$(cesiumctl list | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')" \
	"attached devices"

# ---- and after all that ----
ds_check $S/dataset-intact
check_eq $S/nr-keys $DS_KEYS "$(sysattr "$A" nr_keys)" nr_keys
check_eq $S/state online "$(sysattr "$A" state)"
check_eq $S/checksum-errors 0 "$(sysstat "$A" checksum_errors)" checksum_errors
check_ok $S/detach cesiumctl detach "$A"
attach_as $S/reattach "$d0"
ds_check $S/dataset-after-reattach
