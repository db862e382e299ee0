# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# cli: cesiumctl scan, dump, load and sync on nvme0 (tests/vm/tests/cli.sh).
# The expected lines are written here from DESIGN.md's format (awk below),
# not by cesiumctl, so a wrong escape shows as a difference.
. /cesium/lib/guest-lib.sh
. /cesium/guest/common.sh

S=cli
d0=$(drive nvme0)
check_ok $S/format cesiumctl format "$d0"
attach_as $S/attach "$d0"
if [ -z "$DEV" ]; then
	fail $S/setup "no device to test: stopping"
	exit 1
fi

# esc_file FILE: FILE's bytes in the line format (\\, \t, \n, \xNN).
esc_file() {
	od -An -v -tu1 "$1" | awk '{
		for (i = 1; i <= NF; i++) {
			b = $i
			if (b == 92) printf "\\\\"
			else if (b == 9) printf "\\t"
			else if (b == 10) printf "\\n"
			else if (b < 32 || b > 126) printf "\\x%02x", b
			else printf "%c", b
		}
	}'
}

# ---- namespace 1: keys and values with the bytes that need escapes ----
gen_bytes >"$W/all"				# 0x00 .. 0xff
printf 'line1\nline2\n' >"$W/nl"
printf 'say "hi" \\' >"$W/quote"
KB=$(printf 'b\001\t\\')			# b 0x01 TAB backslash
KN=$(printf 'c\nd')				# c LF d
KF=$(printf '\377\376')				# 0xff 0xfe
check_ok $S/put-text cesiumctl -n 1 put a one
check_ok $S/put-all-bytes with_stdin "$W/all" cesiumctl -n 1 put "$KB" -
check_ok $S/put-newlines with_stdin "$W/nl" cesiumctl -n 1 put "$KN" -
check_ok $S/put-plain cesiumctl -n 1 put e plain
check_ok $S/put-quote with_stdin "$W/quote" cesiumctl -n 1 put 'q"' -
check_ok $S/put-empty cesiumctl -n 1 put "$KF" ''
# A decoy in the default namespace and in namespace 4: scans stay in theirs.
check_ok $S/put-decoys sh -c 'cesiumctl put a0 x && cesiumctl -n 4 put b y'

# The dump, in key order (unsigned bytes), as DESIGN.md spells the format.
{
	printf 'a\tone\n'
	printf 'b\\x01\\t\\\\\t'; esc_file "$W/all"; printf '\n'
	printf 'c\\nd\tline1\\nline2\\n\n'
	printf 'e\tplain\n'
	printf 'q"\tsay "hi" \\\\\n'
	printf '\\xff\\xfe\t\n'
} >"$W/want-dump"
check_bytes $S/dump "$W/want-dump" cesiumctl -n 1 dump
check_bytes $S/scan-all "$W/want-dump" cesiumctl -n 1 scan

# ---- dump | load into other namespaces, byte for byte ----
cesiumctl -n 1 dump >"$W/dump1" 2>"$W/err" || true
check_ok $S/load-file cesiumctl -n 2 load "$W/dump1"
check_bytes $S/load-file-dump "$W/want-dump" cesiumctl -n 2 dump
check_ok $S/dump-pipe-load sh -c 'cesiumctl -n 2 dump | cesiumctl -n 3 load -'
check_bytes $S/dump-pipe-load-dump "$W/want-dump" cesiumctl -n 3 dump
check_bytes $S/load-get-all-bytes "$W/all" cesiumctl -n 3 get "$KB"
check_bytes $S/load-get-newlines "$W/nl" cesiumctl -n 3 get "$KN"
check_bytes $S/load-get-quote "$W/quote" cesiumctl -n 3 get 'q"'
: >"$W/empty"
check_bytes $S/load-get-empty "$W/empty" cesiumctl -n 3 get "$KF"

# Needless and upper-case \xNN escapes load too; dump writes them plainly.
printf 'x\\x41\\x5C\\x09\\x0A\\xFF\t\\x61\\x7e\n' >"$W/lax"
printf 'xA\\\\\\t\\n\\xff\ta~\n' >"$W/want-lax"
check_ok $S/load-lax cesiumctl -n 7 load "$W/lax"
check_bytes $S/load-lax-dump "$W/want-lax" cesiumctl -n 7 dump

# ---- scan's options: exactly the expected lines ----
# want NAME LINE...: $W/want-NAME holds the LINEs, each as it is.
want() {
	local f=$W/want-$1
	shift
	: >"$f"
	for l in "$@"; do
		printf '%s\n' "$l" >>"$f"
	done
}
want from-to 'c\nd	line1\nline2\n' 'e	plain'
check_bytes $S/scan-from-to "$W/want-from-to" cesiumctl -n 1 scan --from c --to q
want limit 'a	one'
check_bytes $S/scan-limit "$W/want-limit" cesiumctl -n 1 scan --limit 1
want keys '\xff\xfe' 'q"' 'e' 'c\nd' 'b\x01\t\\' 'a'
check_bytes $S/scan-reverse-keys "$W/want-keys" cesiumctl -n 1 scan --reverse --keys-only
want rev-range 'e	plain' 'c\nd	line1\nline2\n'
check_bytes $S/scan-reverse-range "$W/want-rev-range" \
	cesiumctl -n 1 scan --reverse --from c --to q
want rev-limit 'q"' 'e'
check_bytes $S/scan-reverse-limit "$W/want-rev-limit" \
	cesiumctl -n 1 scan --reverse --to "$KF" --limit 2 --keys-only
want from-excl-key 'e	plain'
check_bytes $S/scan-from-between "$W/want-from-excl-key" \
	cesiumctl -n 1 scan --from=d --to=e0
: >"$W/want-none"
check_bytes $S/scan-empty-range "$W/want-none" cesiumctl -n 1 scan --from q0 --to r
check_bytes $S/scan-limit-0 "$W/want-none" cesiumctl -n 1 scan --limit 0
check_bytes $S/scan-other-ns "$W/want-none" cesiumctl -n 99 scan
want ns4 'b	y'
check_bytes $S/scan-ns4 "$W/want-ns4" cesiumctl -n 4 dump
want json \
	'{"key":"c\\nd","value":"line1\\nline2\\n"}' \
	'{"key":"e","value":"plain"}' \
	'{"key":"q\"","value":"say \"hi\" \\\\"}'
check_bytes $S/scan-json "$W/want-json" cesiumctl -n 1 scan --json --from c --to r
want json-keys '{"key":"\\xff\\xfe"}' '{"key":"q\""}'
check_bytes $S/scan-json-keys "$W/want-json-keys" \
	cesiumctl -n 1 scan --json --keys-only --reverse --limit 2

# ---- a bigger load: 1,000 records in 4 batches, one value of 700 KiB ----
# Keys end in byte N % 256, written as dump writes it.
seq 0 999 | awk '
	function e(b) {
		if (b == 92) return "\\\\"
		if (b == 9) return "\\t"
		if (b == 10) return "\\n"
		if (b < 32 || b > 126) return sprintf("\\x%02x", b)
		return sprintf("%c", b)
	}
	{ printf "r%04d%s\tvalue %d \\t\\x00\\xff\n", $1, e($1 % 256), $1 }' \
	>"$W/many"
printf 'zbig\t' >>"$W/many"
gen_text big 716800 | tr '\n' ' ' >>"$W/many"
printf '\n' >>"$W/many"
check_ok $S/load-many cesiumctl -n 5 load "$W/many"
run cesiumctl -n 5 dump
check_eq $S/load-many-count 1001 "$(wc -l <"$W/out" | tr -d ' ')" "records dumped"
if cmp -s "$W/out" "$W/many"; then
	pass $S/load-many-dump-same
else
	fail $S/load-many-dump-same "dump differs from the file loaded:" \
		"$(cmp "$W/out" "$W/many" 2>&1 | head -n 1)"
fi
gen_text big 716800 | tr '\n' ' ' >"$W/bigval"
check_bytes $S/load-big-get "$W/bigval" cesiumctl -n 5 get zbig
want many-rev 'r0999\xe7' 'r0998\xe6'
check_bytes $S/scan-many-reverse "$W/want-many-rev" \
	cesiumctl -n 5 scan --reverse --to zbig --limit 2 --keys-only
check_eq $S/nr-keys $((6 * 3 + 2 + 1 + 1001)) "$(sysattr "$DEV" nr_keys)" "nr_keys"

# ---- sync, and the data across detach and attach ----
check_ok $S/sync cesiumctl sync
check_ok $S/sync-ns cesiumctl -n 1 sync
check_ok $S/detach cesiumctl detach "$DEV"
attach_as $S/reattach "$d0"
check_bytes $S/dump-after-reattach "$W/want-dump" cesiumctl -n 3 dump

# ---- errors: one line, exit 1; usage errors exit 2 ----
printf 'k1\tv\nk2\\q\tv\n' >"$W/bad"
check_error $S/load-bad-escape 1 '^cesiumctl: load .*/bad: line 2: unknown escape' \
	cesiumctl -n 6 load "$W/bad"
check_bytes $S/load-bad-nothing-loaded "$W/want-none" cesiumctl -n 6 dump
printf 'no tab\n' >"$W/bad2"
check_error $S/load-no-tab 1 '^cesiumctl: load -: line 1: no tab between key and value' \
	with_stdin "$W/bad2" cesiumctl -n 6 load -
{ printf 'ok\tv\n'; gen_text k 256 | tr '\n' '-'; printf '\tv\n'; } >"$W/bad3"
check_error $S/load-key-too-long 1 \
	"^cesiumctl: load .*/bad3: line 2: key .*: key is 256 bytes, over the device's limit of 255 \(0 records loaded before it\)$" \
	cesiumctl -n 6 load "$W/bad3"
check_bytes $S/load-refused-nothing-loaded "$W/want-none" cesiumctl -n 6 dump
check_error $S/load-missing-file 1 '^cesiumctl: load /nonexistent: No such file or directory$' \
	cesiumctl load /nonexistent
check_error $S/scan-no-device 1 '^cesiumctl: scan cesium9: no such CesiumDB device' \
	cesiumctl -d cesium9 scan
check_error $S/sync-no-device 1 '^cesiumctl: sync cesium9: no such CesiumDB device' \
	cesiumctl -d cesium9 sync
check_error $S/scan-bad-limit 2 '^cesiumctl: scan: --limit x: not a count' \
	cesiumctl scan --limit x
check_error $S/dump-extra 2 '^cesiumctl: dump: unexpected argument' cesiumctl dump x
check_error $S/load-no-file 2 '^cesiumctl: load: missing FILE' cesiumctl load
check_ok $S/detach-end cesiumctl detach "$DEV"
