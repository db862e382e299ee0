# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Helpers of the Foundation guest scripts (basic, persistence, badinput,
# demo, libtest); busybox sh. Not a script of its own: source it after
# guest-lib.sh, which gives pass/fail/skip/note:
#
#   . /cesium/lib/guest-lib.sh
#   . /cesium/guest/common.sh
#
# Checks (each prints exactly one result, never exits):
#   check_ok NAME CMD...            exit 0, nothing on stderr
#   check_bytes NAME FILE CMD...    exit 0, nothing on stderr, stdout == FILE
#                                   byte for byte (judge_bytes NAME FILE CMD...
#                                   judges the CMD run already ran)
#   check_error NAME CODE ERE CMD...  exit CODE, nothing on stdout, stderr's
#                                   first line matches ERE (grep -Ei); for
#                                   CODE 1 stderr must be that one line
#   check_eq NAME WANT GOT [WHAT]   two strings are equal
#   check_ge NAME MIN GOT [WHAT]    GOT is an integer >= MIN
# Helpers: run CMD... (stdout in $W/out, stderr in $W/err, status in $RC),
# with_stdin FILE CMD..., sysattr DEV NAME and sysstat DEV NAME (sysfs of
# cesiumN), set_durability DEV VALUE, attach_as NAME BDEV (a result; sets
# $DEV to the cesiumN it printed), gen_text SEED SIZE and gen_bytes
# (deterministic values), as_nobody CMD... (uid 65534 through su).
# The dataset: a fixed set of keys and values (ds_make builds the files,
# ds_put stores them on $DEV, ds_check compares, DS_KEYS counts them) that
# the suites store first and look for after everything else.

W=/tmp/cesium-work
mkdir -p "$W"

# run CMD...: run it with stdout and stderr in $W/out and $W/err.
run() {
	if "$@" >"$W/out" 2>"$W/err"; then
		RC=0
	else
		RC=$?
	fi
}

# A command line for a failure reason: printable, at most 120 bytes.
desc() {
	printf '%s' "$*" | tr -c ' -~' '?' | head -c 120
}

# The first line of the last command's stderr, at most 200 bytes.
errline() {
	head -n 1 "$W/err" | head -c 200
}

size_of() {
	wc -c <"$1" | tr -d ' '
}

check_ok() {
	local name=$1
	shift
	run "$@"
	if [ "$RC" != 0 ]; then
		fail "$name" "'$(desc "$@")' exited $RC: $(errline)"
	elif [ -s "$W/err" ]; then
		fail "$name" "'$(desc "$@")' wrote to stderr: $(errline)"
	else
		pass "$name"
	fi
}

check_bytes() {
	local name=$1 want=$2
	shift 2
	run "$@"
	judge_bytes "$name" "$want" "$@"
}

# judge_bytes NAME FILE CMD...: check_bytes on the CMD that run just ran.
judge_bytes() {
	local name=$1 want=$2
	shift 2
	if [ "$RC" != 0 ]; then
		fail "$name" "'$(desc "$@")' exited $RC: $(errline)"
	elif [ -s "$W/err" ]; then
		fail "$name" "'$(desc "$@")' wrote to stderr: $(errline)"
	elif ! cmp -s "$W/out" "$want"; then
		fail "$name" "'$(desc "$@")' printed $(size_of "$W/out") bytes," \
			"expected $(size_of "$want"):" \
			"$(cmp "$W/out" "$want" 2>&1 | head -n 1)"
	else
		pass "$name"
	fi
}

check_error() {
	local name=$1 code=$2 ere=$3 lines
	shift 3
	run "$@"
	lines=$(wc -l <"$W/err" | tr -d ' ')
	if [ "$RC" != "$code" ]; then
		fail "$name" "'$(desc "$@")' exited $RC, not $code: $(errline)"
	elif [ -s "$W/out" ]; then
		fail "$name" "'$(desc "$@")' wrote $(size_of "$W/out") bytes to stdout"
	elif [ "$code" = 1 ] && [ "$lines" != 1 ]; then
		fail "$name" "'$(desc "$@")' wrote $lines lines to stderr, not 1:" \
			"$(head -c 200 "$W/err")"
	elif ! head -n 1 "$W/err" | grep -Eiq -- "$ere"; then
		fail "$name" "stderr '$(errline)' does not match '$ere'"
	else
		pass "$name"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "${4:-got} '$(desc "$3")', expected '$(desc "$2")'"
	fi
}

check_ge() {
	case "$3" in
	''|*[!0-9]*) fail "$1" "${4:-got} '$(desc "$3")', not a number" ;;
	*) if [ "$3" -ge "$2" ]; then
		pass "$1"
	   else
		fail "$1" "${4:-got} $3, expected at least $2"
	   fi ;;
	esac
}

# with_stdin FILE CMD...: CMD with its standard input from FILE.
with_stdin() {
	local f=$1
	shift
	"$@" <"$f"
}

# sysattr DEV NAME, sysstat DEV NAME: the contents of
# /sys/class/cesium/DEV/NAME and of .../stats/NAME.
sysattr() {
	cat "/sys/class/cesium/$1/$2" 2>/dev/null || echo "(no $2)"
}
sysstat() {
	sysattr "$1" "stats/$2"
}

# set_durability DEV VALUE: write the durability attribute; false if the
# module refused it (say so in a note, since checks depend on it).
set_durability() {
	if echo "$2" 2>/dev/null >"/sys/class/cesium/$1/durability"; then
		return 0
	fi
	# Once per boot and value: the suites try it before every stage.
	case " $_dur_noted " in
	*" $2 "*) ;;
	*) note "could not set $1 durability to $2 (is now $(sysattr "$1" durability))"
	   _dur_noted="$_dur_noted $2" ;;
	esac
	return 1
}

# gen_text SEED SIZE: SIZE bytes of numbered lines "SEED.1 ...", "SEED.2
# ...", each at least 40 bytes longer than SEED (every line differs, so a
# value read from a wrong offset never matches).
gen_text() {
	seq 1 $(($2 / (${#1} + 40) + 1)) |
		sed "s/.*/$1.& abcdefghijklmnopqrstuvwxyz0123456789/" | head -c "$2"
}

# gen_bytes: the 256 byte values 0 to 255, in order.
gen_bytes() {
	seq 0 255 | awk '{ printf "%02x", $1 }' | xxd -r -p
}

# as_nobody CMD...: run CMD as uid/gid 65534 (busybox su; it needs the
# users in /etc/passwd, which the initramfs lacks).
as_nobody() {
	if ! grep -q '^nobody:' /etc/passwd 2>/dev/null; then
		echo 'root:x:0:0:root:/root:/bin/sh' >>/etc/passwd
		echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
		echo 'root:x:0:' >>/etc/group
		echo 'nogroup:x:65534:' >>/etc/group
	fi
	su -s /bin/sh -c '"$0" "$@"' -- nobody "$@"
}

# attach_as NAME BDEV: attach BDEV, check that it printed cesiumN, and set
# $DEV to that name (empty if the attach failed).
attach_as() {
	run cesiumctl attach "$2"
	judge_attach "$1" "$2"
}

# judge_attach NAME BDEV: attach_as on the attach that run just ran.
judge_attach() {
	DEV=$(cat "$W/out")
	if [ "$RC" != 0 ]; then
		fail "$1" "'cesiumctl attach $2' exited $RC: $(errline)"
		DEV=
	elif ! printf '%s\n' "$DEV" | grep -Eqx 'cesium[0-9]+' ||
	     [ ! -c "/dev/$DEV" ]; then
		fail "$1" "'cesiumctl attach $2' printed '$(desc "$DEV")', not a device name"
		DEV=
	else
		pass "$1"
	fi
}

# ---- the dataset ----------------------------------------------------------
# Values live in $W/ds; a key of 255 bytes in $K255. Each boot rebuilds the
# files the same way, so a later boot compares with what an earlier one put.
ds_make() {
	local i
	mkdir -p "$W/ds"
	printf 'hello, world' >"$W/ds/text"
	{ gen_bytes; printf '\000\000\nend\000'; gen_bytes; } >"$W/ds/bin"
	: >"$W/ds/empty"
	printf 'trailing newlines\n\n' >"$W/ds/newline"
	gen_text mid 65536 >"$W/ds/mid"
	gen_text big 1048576 >"$W/ds/big"
	printf 'first' >"$W/ds/over1"
	gen_text over 3000 >"$W/ds/over2"
	printf 'value of the 255-byte key' >"$W/ds/k255"
	printf 'the same key in namespace 7' >"$W/ds/ns7"
	printf 'the last namespace' >"$W/ds/nsmax"
	# inline_max is 128 today: values on either side of it.
	for i in 127 128 129; do
		gen_text edge$i "$i" >"$W/ds/edge$i"
	done
	for i in 1 2 3 4; do
		gen_text small$i $((i * 20)) >"$W/ds/small$i"
	done
	printf 'this key is deleted' >"$W/ds/gone"
	K255=$(gen_text k 255 | tr '\n' '-')
}

# ds_each FN: call FN LABEL NS KEY FILE for every key the dataset holds.
ds_each() {
	local i
	$1 text 0 text "$W/ds/text"
	$1 bin 0 bin "$W/ds/bin"
	$1 empty 0 empty "$W/ds/empty"
	$1 newline 0 newline "$W/ds/newline"
	$1 mid 0 mid "$W/ds/mid"
	$1 big 0 big "$W/ds/big"
	$1 over 0 over "$W/ds/over2"
	$1 key255 0 "$K255" "$W/ds/k255"
	$1 ns7 7 text "$W/ds/ns7"
	$1 nsmax 0xffffffffffffffff text "$W/ds/nsmax"
	for i in 127 128 129; do
		$1 edge$i 0 edge$i "$W/ds/edge$i"
	done
	for i in 1 2 3 4; do
		$1 small$i 0 small$i "$W/ds/small$i"
	done
}

# DS_KEYS: how many keys the dataset leaves on a device.
_ds_count() {
	DS_KEYS=$((DS_KEYS + 1))
}
DS_KEYS=0
ds_each _ds_count

_ds_put_one() {
	cesiumctl -d "$DEV" -n "$2" put -- "$3" - <"$4" 2>>"$W/ds-err" ||
		_ds_bad="$_ds_bad $1"
}

# ds_put NAME: store the dataset on $DEV (all values through stdin), with
# "over" overwritten and "gone" deleted; one result.
ds_put() {
	_ds_bad=
	: >"$W/ds-err"
	cesiumctl -d "$DEV" put over - <"$W/ds/over1" 2>>"$W/ds-err" ||
		_ds_bad="$_ds_bad over1"
	cesiumctl -d "$DEV" put gone - <"$W/ds/gone" 2>>"$W/ds-err" ||
		_ds_bad="$_ds_bad gone"
	ds_each _ds_put_one
	cesiumctl -d "$DEV" del gone 2>>"$W/ds-err" || _ds_bad="$_ds_bad del-gone"
	if [ -n "$_ds_bad" ]; then
		fail "$1" "failed:$_ds_bad: $(head -n 1 "$W/ds-err")"
	else
		pass "$1"
	fi
}

_ds_check_one() {
	if ! cesiumctl -d "$DEV" -n "$2" get -- "$3" >"$W/ds-out" 2>"$W/ds-err"; then
		_ds_bad="$_ds_bad $1($(head -n 1 "$W/ds-err" | sed 's/.*: //'))"
	elif ! cmp -s "$W/ds-out" "$4"; then
		_ds_bad="$_ds_bad $1(differs:$(size_of "$W/ds-out")/$(size_of "$4")-bytes)"
	fi
}

# ds_check NAME: every key of the dataset on $DEV has its value, and "gone"
# is still gone; one result.
ds_check() {
	_ds_bad=
	if [ -z "$DEV" ] || [ ! -c "/dev/$DEV" ]; then
		fail "$1" "no attached device to check"
		return
	fi
	ds_each _ds_check_one
	if cesiumctl -d "$DEV" get gone >/dev/null 2>"$W/ds-err"; then
		_ds_bad="$_ds_bad gone(back)"
	elif ! grep -qi 'no such key' "$W/ds-err"; then
		_ds_bad="$_ds_bad gone($(head -n 1 "$W/ds-err"))"
	fi
	if [ -n "$_ds_bad" ]; then
		fail "$1" "wrong:$_ds_bad"
	else
		pass "$1"
	fi
}
