# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# basic: put/get/del/info/list through cesiumctl, namespaces, put flags,
# choosing the device, two devices at once, sysfs counters and the
# durability attribute. One boot with two drives, nvme0 and nvme1
# (tests/vm/tests/basic.sh).
. /cesium/lib/guest-lib.sh
. /cesium/guest/common.sh

S=basic
d0=$(drive nvme0)
d1=$(drive nvme1)

# ---- one device: format, attach, list, info ----
check_ok $S/format cesiumctl format "$d0"
attach_as $S/attach-prints-name "$d0"
A=$DEV
if [ -z "$A" ]; then
	fail $S/setup "no device to test: stopping"
	exit 1
fi
run cesiumctl list
check_eq $S/list "$A ${d0#/dev/} online $(sysattr "$A" capacity_bytes) bytes, 0 used" \
	"$(cat "$W/out")" "list printed"
run cesiumctl info
{
	grep -x 'abi_version: 1' "$W/out" &&
	grep -x 'state: online' "$W/out" &&
	grep -x 'max_key_len: 255' "$W/out" &&
	grep -x 'max_value_len: 1048576' "$W/out" &&
	grep -x "index: ${A#cesium}" "$W/out" &&
	grep -x "bdev_name: ${d0#/dev/}" "$W/out" &&
	grep -x 'nr_keys: 0' "$W/out" &&
	grep -x "capacity_bytes: $(sysattr "$A" capacity_bytes)" "$W/out" &&
	grep -Ex 'uuid: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' "$W/out"
} >/dev/null
found=$?
if [ "$RC" = 0 ] && [ "$found" = 0 ]; then
	pass $S/info
else
	fail $S/info "exit $RC; output: $(cat "$W/out" "$W/err" | tr '\n' ';')"
fi

# ---- put and get, no -d: the only attached device ----
check_ok $S/put-text cesiumctl put greeting 'hello, world'
printf 'hello, world' >"$W/want"
check_bytes $S/get-raw "$W/want" cesiumctl get greeting
printf 'two\nlines\n\n' >"$W/nl"
check_ok $S/put-newlines-stdin with_stdin "$W/nl" cesiumctl put nl -
check_bytes $S/get-newlines "$W/nl" cesiumctl get nl
{ gen_bytes; printf '\000\000 NUL \000'; gen_bytes; } >"$W/bin"
check_ok $S/put-nul-stdin with_stdin "$W/bin" cesiumctl put bin -
check_bytes $S/get-nul "$W/bin" cesiumctl get bin
: >"$W/empty"
check_ok $S/put-empty-arg cesiumctl put empty ''
check_bytes $S/get-empty-arg "$W/empty" cesiumctl get empty
check_ok $S/put-empty-stdin with_stdin /dev/null cesiumctl put empty2 -
check_bytes $S/get-empty-stdin "$W/empty" cesiumctl get empty2
K255=$(gen_text k 255 | tr '\n' '-')
printf 'long key' >"$W/want"
check_ok $S/put-key-255 cesiumctl put "$K255" 'long key'
check_bytes $S/get-key-255 "$W/want" cesiumctl get "$K255"
printf 'k' >"$W/want"
check_ok $S/put-key-1 cesiumctl put k k
check_bytes $S/get-key-1 "$W/want" cesiumctl get k
printf 'dash' >"$W/want"
check_ok $S/put-key-dash cesiumctl put -- -n dash
check_bytes $S/get-key-dash "$W/want" cesiumctl get -- -n
hk=$(printf 'key\001\177\200\303\251\377end')
printf 'bytes' >"$W/want"
check_ok $S/put-key-bytes cesiumctl put "$hk" bytes
check_bytes $S/get-key-bytes "$W/want" cesiumctl get "$hk"
check_error $S/get-key-bytes-prefix 1 'no such key' cesiumctl get "$(printf 'key\001\177\200')"
head -c 1048576 /dev/urandom >"$W/big"
check_ok $S/put-1mib with_stdin "$W/big" cesiumctl put big -
check_bytes $S/get-1mib "$W/big" cesiumctl get big
# Values on either side of the inline threshold and across blocks.
bad=
for n in 127 128 129 4095 4096 4097 200000; do
	gen_text v$n $n >"$W/v"
	if ! cesiumctl put "size$n" - <"$W/v" 2>"$W/err" ||
	   ! cesiumctl get "size$n" >"$W/out" 2>>"$W/err" ||
	   ! cmp -s "$W/out" "$W/v"; then
		bad="$bad $n($(errline))"
	fi
done
if [ -z "$bad" ]; then pass $S/value-sizes; else fail $S/value-sizes "sizes:$bad"; fi

# ---- overwrite and delete ----
cesiumctl put ow 'one' 2>/dev/null
check_ok $S/overwrite cesiumctl put ow 'second value'
printf 'second value' >"$W/want"
check_bytes $S/overwrite-get "$W/want" cesiumctl get ow
gen_text ow 5000 >"$W/v"
cesiumctl put ow - <"$W/v" 2>/dev/null
check_bytes $S/overwrite-larger "$W/v" cesiumctl get ow
printf 'small again' >"$W/want"
cesiumctl put ow 'small again' 2>/dev/null
check_bytes $S/overwrite-smaller "$W/want" cesiumctl get ow
cesiumctl put doomed 'x' 2>/dev/null
check_ok $S/del cesiumctl del doomed
check_error $S/get-after-del 1 'no such key' cesiumctl get doomed
check_error $S/del-twice 1 'no such key' cesiumctl del doomed
check_ok $S/put-after-del cesiumctl put doomed 'again'
printf 'again' >"$W/want"
check_bytes $S/get-after-reput "$W/want" cesiumctl get doomed

# ---- durability per operation ----
for d in sync periodic none; do
	check_ok $S/put-$d cesiumctl put --$d "dur-$d" "$d"
	printf '%s' "$d" >"$W/want"
	check_bytes $S/get-$d "$W/want" cesiumctl get "dur-$d"
done
check_ok $S/del-sync cesiumctl del --sync dur-sync
check_error $S/get-after-del-sync 1 'no such key' cesiumctl get dur-sync

# ---- namespaces ----
check_ok $S/ns-put cesiumctl -n 1 put greeting 'namespace one'
printf 'hello, world' >"$W/want"
check_bytes $S/ns-default-untouched "$W/want" cesiumctl get greeting
printf 'namespace one' >"$W/want"
check_bytes $S/ns-get "$W/want" cesiumctl -n 1 get greeting
check_bytes $S/ns-hex "$W/want" cesiumctl -n 0x1 get greeting
check_bytes $S/ns-after-command "$W/want" cesiumctl get -n 1 greeting
check_error $S/ns-other-missing 1 'no such key' cesiumctl -n 2 get greeting
check_ok $S/ns-max-put cesiumctl -n 18446744073709551615 put greeting 'max'
printf 'max' >"$W/want"
check_bytes $S/ns-max-get "$W/want" cesiumctl -n 0xffffffffffffffff get greeting
check_ok $S/ns-del cesiumctl -n 1 del greeting
check_error $S/ns-del-gone 1 'no such key' cesiumctl -n 1 get greeting
printf 'hello, world' >"$W/want"
check_bytes $S/ns-del-default-untouched "$W/want" cesiumctl get greeting

# ---- --no-overwrite and --update-only ----
check_error $S/no-overwrite-existing 1 'exist|already' \
	cesiumctl put --no-overwrite greeting 'clobbered'
check_bytes $S/no-overwrite-kept "$W/want" cesiumctl get greeting
check_ok $S/no-overwrite-new cesiumctl put --no-overwrite fresh 'fresh'
printf 'fresh' >"$W/want"
check_bytes $S/no-overwrite-new-get "$W/want" cesiumctl get fresh
check_error $S/no-overwrite-other-ns 1 'exist|already' \
	cesiumctl -n 18446744073709551615 put --no-overwrite greeting 'x'
check_ok $S/no-overwrite-ns-free cesiumctl -n 3 put --no-overwrite greeting 'ns3'
check_error $S/update-only-missing 1 'no such key' \
	cesiumctl put --update-only absent 'x'
check_error $S/update-only-still-missing 1 'no such key' cesiumctl get absent
check_ok $S/update-only-existing cesiumctl put --update-only fresh 'updated'
printf 'updated' >"$W/want"
check_bytes $S/update-only-get "$W/want" cesiumctl get fresh
check_ok $S/update-only-sync cesiumctl put --update-only --sync fresh 'updated2'
check_error $S/update-only-deleted 1 'no such key' \
	cesiumctl put --update-only dur-sync 'x'

# ---- sysfs counters ----
p0=$(sysstat "$A" puts); g0=$(sysstat "$A" gets); d0c=$(sysstat "$A" deletes)
bi0=$(sysstat "$A" bytes_in); bo0=$(sysstat "$A" bytes_out)
cesiumctl put ctr 0123456789 2>/dev/null	# 3 + 10 bytes in
cesiumctl get ctr >/dev/null 2>&1		# 10 bytes out
cesiumctl get ctr >/dev/null 2>&1
cesiumctl del ctr 2>/dev/null
check_eq $S/stats-puts $((p0 + 1)) "$(sysstat "$A" puts)" "puts"
check_eq $S/stats-gets $((g0 + 2)) "$(sysstat "$A" gets)" "gets"
check_eq $S/stats-deletes $((d0c + 1)) "$(sysstat "$A" deletes)" "deletes"
check_eq $S/stats-bytes-in $((bi0 + 13)) "$(sysstat "$A" bytes_in)" "bytes_in"
check_eq $S/stats-bytes-out $((bo0 + 20)) "$(sysstat "$A" bytes_out)" "bytes_out"
b=$(sysstat "$A" bytes_in)
cesiumctl put big2 - <"$W/big" 2>/dev/null
check_eq $S/stats-bytes-in-1mib $((b + 4 + 1048576)) "$(sysstat "$A" bytes_in)" "bytes_in"
# What the device holds now: every key put above, less the deleted ones.
nk=$(sysattr "$A" nr_keys)
run cesiumctl info
check_eq $S/nr-keys-info "nr_keys: $nk" "$(grep '^nr_keys:' "$W/out")"
# ns 0: greeting nl bin empty empty2 K255 k -n key-bytes big size*(7) ow
# doomed dur-periodic dur-none fresh big2; ns 3 and ns max: greeting.
check_eq $S/nr-keys 25 "$nk" "nr_keys"
check_ge $S/used-bytes 1048576 "$(sysattr "$A" used_bytes)" "used_bytes"
check_ge $S/log-commits 1 "$(sysstat "$A" log_commits)" "log_commits"
check_eq $S/checksum-errors 0 "$(sysstat "$A" checksum_errors)" "checksum_errors"
check_eq $S/io-errors 0 "$(sysstat "$A" io_errors)" "io_errors"

# ---- the durability attribute ----
check_eq $S/durability-default periodic "$(sysattr "$A" durability)"
for d in sync none periodic; do
	if echo $d 2>"$W/err" >"/sys/class/cesium/$A/durability"; then
		check_eq $S/durability-set-$d $d "$(sysattr "$A" durability)"
	else
		fail $S/durability-set-$d "writing '$d' was refused: $(errline)"
	fi
done
# durability_rejects NAME VALUE: writing VALUE fails, the setting stays.
durability_rejects() {
	local before
	before=$(sysattr "$A" durability)
	if echo "$2" 2>/dev/null >"/sys/class/cesium/$A/durability"; then
		fail "$1" "writing '$2' was accepted; durability is now $(sysattr "$A" durability)"
	else
		check_eq "$1" "$before" "$(sysattr "$A" durability)" \
			"after the refused write, durability"
	fi
}
durability_rejects $S/durability-rejects-junk junk
durability_rejects $S/durability-rejects-upper SYNC
durability_rejects $S/durability-rejects-empty ''
durability_rejects $S/durability-rejects-two 'sync periodic'
durability_rejects $S/durability-rejects-number 1
durability_rejects $S/durability-rejects-default default
# A put acknowledged under sync has reached the device: device_writes
# moves before the put returns (read right after it, no wait). With the
# device at none, only the operation's --sync can make it so.
if set_durability "$A" none; then
	w=$(sysstat "$A" device_writes)
	cesiumctl put --sync syncput 'x' 2>/dev/null
	check_ge $S/sync-put-writes $((w + 1)) "$(sysstat "$A" device_writes)" "device_writes"
else
	fail $S/sync-put-writes "could not set durability none first"
fi
if set_durability "$A" sync; then
	w=$(sysstat "$A" device_writes)
	f=$(sysstat "$A" flushes)
	wb=$(sysstat "$A" device_write_bytes)
	cesiumctl put devsync 'x' 2>/dev/null
	check_ge $S/sync-device-writes $((w + 1)) "$(sysstat "$A" device_writes)" "device_writes"
	check_ge $S/sync-device-write-bytes $((wb + 512)) "$(sysstat "$A" device_write_bytes)" "device_write_bytes"
	check_ge $S/sync-flushes $((f + 1)) "$(sysstat "$A" flushes)" "flushes"
	set_durability "$A" periodic
else
	fail $S/sync-device-writes "could not set durability sync first"
fi

# ---- two devices ----
check_ok $S/format-second cesiumctl format "$d1"
attach_as $S/attach-second "$d1"
B=$DEV
nka=$(sysattr "$A" nr_keys)
if [ -n "$B" ]; then
	check_eq $S/attach-second-new-name 1 "$([ "$A" != "$B" ] && echo 1)" \
		"two attaches gave $A and $B; different names:"
	run cesiumctl list
	check_eq $S/list-two "$A ${d0#/dev/} online
$B ${d1#/dev/} online" "$(awk '{ print $1, $2, $3 }' "$W/out" | sort)" "list printed"
	check_error $S/default-ambiguous 1 'several|choose|-d' cesiumctl get greeting
	check_error $S/default-ambiguous-put 1 'several|choose|-d' cesiumctl put greeting x
	check_error $S/default-ambiguous-info 1 'several|choose|-d' cesiumctl info
	check_error $S/env-device-empty 1 'no such key' \
		env CESIUM_DEVICE="$B" cesiumctl get greeting
	check_ok $S/env-device-put env CESIUM_DEVICE="$B" cesiumctl put greeting 'device two'
	printf 'device two' >"$W/want2"
	check_bytes $S/env-device-get "$W/want2" env CESIUM_DEVICE="$B" cesiumctl get greeting
	check_bytes $S/env-device-path "$W/want2" env CESIUM_DEVICE="/dev/$B" cesiumctl get greeting
	printf 'hello, world' >"$W/want"
	check_bytes $S/d-name "$W/want" cesiumctl -d "$A" get greeting
	check_bytes $S/d-path "$W/want" cesiumctl -d "/dev/$A" get greeting
	check_bytes $S/d-name-second "$W/want2" cesiumctl -d "$B" get greeting
	check_bytes $S/d-path-second "$W/want2" cesiumctl -d "/dev/$B" get greeting
	check_bytes $S/d-over-env "$W/want" env CESIUM_DEVICE="$B" cesiumctl -d "$A" get greeting
	# Data stays apart: keys of one device are not on the other.
	check_ok $S/apart-put cesiumctl -d "$B" put only-on-b 'b'
	check_error $S/apart-missing-on-a 1 'no such key' cesiumctl -d "$A" get only-on-b
	check_error $S/apart-missing-on-b 1 'no such key' cesiumctl -d "$B" get bin
	check_ok $S/apart-del-b cesiumctl -d "$B" del greeting
	check_bytes $S/apart-a-kept "$W/want" cesiumctl -d "$A" get greeting
	check_eq $S/apart-nr-keys-b 1 "$(sysattr "$B" nr_keys)" "nr_keys of $B"
	check_eq $S/apart-nr-keys-a "$nka" "$(sysattr "$A" nr_keys)" "nr_keys of $A"
	run cesiumctl -d "$B" info
	check_eq $S/info-second "index: ${B#cesium}" "$(grep '^index:' "$W/out")"
	check_error $S/d-unknown 1 'no such|not' cesiumctl -d cesium99 get greeting
	check_error $S/d-unknown-path 1 'no such|not' cesiumctl -d /dev/cesium99 get greeting
	check_error $S/env-unknown 1 'no such|not' env CESIUM_DEVICE=cesium99 cesiumctl get greeting
	check_ok $S/detach-second cesiumctl detach "$B"
	check_eq $S/detach-second-gone 1 "$([ ! -e "/dev/$B" ] && [ ! -e "/sys/class/cesium/$B" ] && echo 1)" \
		"/dev/$B and its sysfs folder gone:"
	check_bytes $S/default-after-detach "$W/want" cesiumctl get greeting
fi

# ---- detach and the empty module ----
check_ok $S/detach cesiumctl detach "/dev/$A"
run cesiumctl list
check_eq $S/list-empty "0 " "$RC $(cat "$W/out")" "exit status and output of list"
check_error $S/no-device 1 'no .*device|attach' cesiumctl get greeting
