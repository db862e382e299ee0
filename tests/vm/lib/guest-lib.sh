# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Result protocol for guest scripts (busybox sh). Source it first:
#
#   . /cesium/lib/guest-lib.sh
#
# Each check prints one console line that tests/vm/run.sh turns into a host
# result: "CESIUM-RESULT PASS NAME" -> "PASS: vm/NAME", "CESIUM-RESULT FAIL
# NAME: REASON" -> "FAIL: vm/NAME: REASON" (vm-debug/ on the debug kernel).
# NAME is one word without spaces or colons; by convention SUITE/CASE, e.g.
# "basic/put-get". The functions never exit the script and are safe under
# "set -e": a failed check is reported, and the script goes on.
#
# The environment: CESIUM_KERNEL (stock or debug), CESIUM_DRIVES (the drive
# names of run.sh's --drive options, in order), /dev/drive/NAME (a link to
# the drive's /dev/nvmeXnY), PATH starting with /cesium/bin (build/'s
# programs), LD_LIBRARY_PATH=/cesium/lib, the working directory /tmp.

_cesium_out=/tmp/.cesium-guest-lib.out
_cesium_err=/tmp/.cesium-guest-lib.err

# Print TEXT... on one line (newlines and tabs become spaces).
_cesium_line() {
	printf '%s' "$*" | tr '\n\t' '  '
}

# Run CMD... with stdout and stderr in the files above; _cesium_rc is its
# exit status.
_cesium_run() {
	if "$@" >"$_cesium_out" 2>"$_cesium_err"; then
		_cesium_rc=0
	else
		_cesium_rc=$?
	fi
}

# The first line of the last command's stderr, for failure reasons.
_cesium_errline() {
	head -n 1 "$_cesium_err"
}

# pass NAME: report NAME as passed.
pass() {
	echo "CESIUM-RESULT PASS $1"
}

# fail NAME REASON...: report NAME as failed because of REASON.
fail() {
	_cesium_name=$1
	shift
	echo "CESIUM-RESULT FAIL $_cesium_name: $(_cesium_line "${*:-failed}")"
}

# skip NAME REASON...: NAME could not run here (e.g. a tool is missing);
# printed as "SKIP: vm/NAME: REASON", counted neither as pass nor as fail.
skip() {
	_cesium_name=$1
	shift
	echo "CESIUM-RESULT SKIP $_cesium_name: $(_cesium_line "$*")"
}

# note TEXT...: a line of information, printed on the host as
# "note: vm/SCRIPT: TEXT" (not a result).
note() {
	echo "CESIUM-NOTE $(_cesium_line "$*")"
}

# expect_ok NAME CMD...: passes if CMD exits 0.
expect_ok() {
	_cesium_name=$1
	shift
	_cesium_run "$@"
	if [ "$_cesium_rc" = 0 ]; then
		pass "$_cesium_name"
	else
		fail "$_cesium_name" "'$*' exited $_cesium_rc: $(_cesium_errline)"
	fi
}

# expect_exit NAME CODE CMD...: passes if CMD exits with status CODE.
expect_exit() {
	_cesium_name=$1
	_cesium_code=$2
	shift 2
	_cesium_run "$@"
	if [ "$_cesium_rc" = "$_cesium_code" ]; then
		pass "$_cesium_name"
	else
		fail "$_cesium_name" "'$*' exited $_cesium_rc, not $_cesium_code: $(_cesium_errline)"
	fi
}

# expect_out NAME EXPECTED CMD...: passes if CMD exits 0 and its stdout
# equals EXPECTED (trailing newlines ignored on both sides, as in $(...)).
expect_out() {
	_cesium_name=$1
	_cesium_want=$2
	shift 2
	_cesium_run "$@"
	_cesium_got=$(cat "$_cesium_out")
	if [ "$_cesium_rc" != 0 ]; then
		fail "$_cesium_name" "'$*' exited $_cesium_rc: $(_cesium_errline)"
	elif [ "$_cesium_got" = "$_cesium_want" ]; then
		pass "$_cesium_name"
	else
		fail "$_cesium_name" "'$*' printed '$(printf '%s' "$_cesium_got" | head -c 200)', not '$_cesium_want'"
	fi
}

# expect_err_match NAME PATTERN CMD...: passes if CMD exits non-zero and
# writes exactly one line to stderr, which matches PATTERN (an extended
# regular expression, grep -E; anchor it with ^...$ to match the whole line).
expect_err_match() {
	_cesium_name=$1
	_cesium_pattern=$2
	shift 2
	_cesium_run "$@"
	_cesium_nlines=$(wc -l <"$_cesium_err")
	if [ "$_cesium_rc" = 0 ]; then
		fail "$_cesium_name" "'$*' exited 0, expected a failure"
	elif [ "$_cesium_nlines" != 1 ]; then
		fail "$_cesium_name" "'$*' wrote $_cesium_nlines lines to stderr, not 1: $(head -c 200 "$_cesium_err")"
	elif ! grep -Eq -- "$_cesium_pattern" "$_cesium_err"; then
		fail "$_cesium_name" "stderr '$(_cesium_errline)' does not match '$_cesium_pattern'"
	else
		pass "$_cesium_name"
	fi
}

# drive NAME: print the device node of run.sh's --drive NAME (/dev/nvmeXnY).
drive() {
	readlink -f "/dev/drive/$1"
}
