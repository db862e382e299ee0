#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# The test runner behind make check and friends (tests/tests.mk).
#
#   tests/check.sh TIER...
#
# Tiers, run in the order given:
#   static          tests/static/run.sh: checkpatch, sparse, the ABI header
#   user            every program in make's USER_TESTS (built first): exit 0
#                   pass, 77 skip, else fail; a program that prints no
#                   PASS:/FAIL: line of its own gets one, user/NAME
#   kunit           tests/kunit/run.sh: the KUnit suites on the debug kernel
#   vm              every driver tests/vm/tests/*.sh on the stock kernel
#   vm-smoke-debug  the drivers named in tests/vm/tests/SMOKE (one name per
#                   line, with or without .sh; # comments) on the debug
#                   kernel (CESIUM_VM_KERNEL=debug)
#   vm-debug        every driver on the debug kernel
#   all             static user kunit vm vm-smoke-debug (make check)
# The user and vm tiers build first (make all vm-deps; VM_DEPS in
# tests/tests.mk); a failed build is a FAIL and
# the tiers that need it count as FAILs too. A tier that exits non-zero
# without a FAIL: line, or prints no result at all, gets a FAIL line.
#
# Output: everything goes to build/check.log (CHECK_LOG overrides); the
# terminal gets the result lines (PASS:, FAIL:, SKIP:, note:, log:, and
# the findings indented under a FAIL) and each tier's time. The last line
# is exactly "N passed, M failed" (PASS: and FAIL: lines over all tiers);
# the exit status is non-zero iff M > 0.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

usage() {
	sed -n '4,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
	exit 2
}
[ $# -gt 0 ] || usage
tiers=()
for t in "$@"; do
	case "$t" in
	all) tiers+=(static user kunit vm vm-smoke-debug) ;;
	static|user|kunit|vm|vm-smoke-debug|vm-debug) tiers+=("$t") ;;
	*) echo "check.sh: unknown tier '$t'" >&2; usage ;;
	esac
done

log=${CHECK_LOG:-$root/build/check.log}
mkdir -p "$(dirname "$log")"
: >"$log"
# What the terminal shows of a tier's output: result lines, notes, log
# paths, and the indented findings right under a FAIL line.
show() {
	local line under=0
	while IFS= read -r line; do
		case "$line" in
		FAIL:*) under=1; printf '%s\n' "$line"; continue ;;
		"    "*) [ "$under" = 0 ] || printf '%s\n' "$line"; continue ;;
		PASS:*|SKIP:*|"note: "*|"log: "*|"== "*) printf '%s\n' "$line" ;;
		esac
		under=0
	done
}
say() { printf '%s\n' "$*" | tee -a "$log"; }

# Run the tier function NAME, its output into the log and the result lines
# onto the terminal; add a FAIL line when it failed without saying so, or
# said nothing.
timings=()
run_tier() { # NAME FUNCTION
	local name=$1 fn=$2 start rc out
	start=$SECONDS
	say "== $name"
	out=$(mktemp)
	set +e
	"$fn" 2>&1 | tee -a "$log" "$out" | show
	rc=${PIPESTATUS[0]}
	set -e
	if [ "$rc" != 0 ] && ! grep -q '^FAIL:' "$out"; then
		say "FAIL: $name: the tier could not run (exit status $rc; see $log)"
	elif ! grep -q -E '^(PASS|FAIL|SKIP):' "$out"; then
		say "FAIL: $name: no test ran"
	fi
	rm -f "$out"
	timings+=("$name $((SECONDS - start)) s")
	say "== $name: $((SECONDS - start)) s"
}

# ---- the build ----
# Once per run, by the first tier that needs it; tiers run in subshells, so
# the outcome is kept in a file.
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
build() {
	local start=$SECONDS
	if [ ! -f "$state/built" ]; then
		echo "-- make all vm-deps"
		if make --no-print-directory all >"$state/build.out" 2>&1 &&
		   make --no-print-directory vm-deps >>"$state/build.out" 2>&1; then
			echo ok >"$state/built"
			cat "$state/build.out"
			echo "PASS: build"
		else
			echo failed >"$state/built"
			cat "$state/build.out"
			echo "FAIL: build: make all vm-deps failed; the end of its output:"
			tail -n 25 "$state/build.out" | sed 's/^/    /'
		fi
		echo "build $((SECONDS - start)) s" >"$state/build.time"
	fi
	[ "$(cat "$state/built")" = ok ]
}

# ---- the tiers ----
tier_static() {
	tests/static/run.sh
}

tier_user() {
	local t name rc n=0 out
	build || { echo "FAIL: user: not run, the build failed"; return 0; }
	# -k: one test that does not build leaves the others to run.
	make -k --no-print-directory user-tests || true
	out=$(mktemp)
	for t in $(make -s --no-print-directory print-user-tests); do
		n=$((n + 1))
		name=user/$(basename "$t")
		echo "-- $t"
		# An older binary left by a build that failed now is no pass.
		if [ ! -x "$t" ] || ! make -q --no-print-directory "$t" 2>/dev/null; then
			echo "FAIL: $name: $t did not build (make $t)"
			continue
		fi
		set +e
		LD_LIBRARY_PATH=$root/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
			timeout --foreground 900 "$t" </dev/null 2>&1 | tee "$out"
		rc=${PIPESTATUS[0]}
		set -e
		if [ "$rc" = 77 ]; then
			grep -q -E '^(PASS|FAIL|SKIP):' "$out" || echo "SKIP: $name: exit status 77"
		elif [ "$rc" = 0 ]; then
			grep -q -E '^(PASS|FAIL):' "$out" || echo "PASS: $name"
		elif [ "$rc" = 124 ]; then
			echo "FAIL: $name: timed out after 900 s"
		else
			grep -q '^FAIL:' "$out" || echo "FAIL: $name: exit status $rc"
		fi
	done
	rm -f "$out"
	[ "$n" -gt 0 ] || echo "FAIL: user: no tests (USER_TESTS is empty)"
}

tier_kunit() {
	tests/kunit/run.sh
}

# Run the VM drivers named (tests/vm/tests/NAME.sh) on kernel $1.
vm_drivers() { # KERNEL NAME...
	local kernel=$1 d rc out start
	shift
	out=$(mktemp)
	for d in "$@"; do
		echo "-- $d ($kernel kernel)"
		start=$SECONDS
		if [ ! -f "tests/vm/tests/$d.sh" ]; then
			echo "FAIL: vm/$d: no driver tests/vm/tests/$d.sh"
			continue
		fi
		set +e
		CESIUM_VM_KERNEL=$kernel timeout --foreground 3600 bash "tests/vm/tests/$d.sh" \
			</dev/null 2>&1 | tee "$out"
		rc=${PIPESTATUS[0]}
		set -e
		if [ "$rc" != 0 ] && ! grep -q '^FAIL:' "$out"; then
			echo "FAIL: vm/$d: the driver exited $rc without a FAIL line"
		elif ! grep -q -E '^(PASS|FAIL|SKIP):' "$out"; then
			echo "FAIL: vm/$d: the driver printed no result"
		fi
		echo "note: tests/vm/tests/$d.sh took $((SECONDS - start)) s ($kernel kernel)"
	done
	rm -f "$out"
}

all_drivers() {
	local f
	for f in tests/vm/tests/*.sh; do
		[ -f "$f" ] && basename "$f" .sh
	done
}

tier_vm() {
	build || { echo "FAIL: vm: not run, the build failed"; return 0; }
	# shellcheck disable=SC2046
	vm_drivers stock $(all_drivers)
}

tier_vm_debug() {
	build || { echo "FAIL: vm-debug: not run, the build failed"; return 0; }
	# shellcheck disable=SC2046
	vm_drivers debug $(all_drivers)
}

tier_vm_smoke_debug() {
	local smoke=tests/vm/tests/SMOKE
	build || { echo "FAIL: vm-smoke-debug: not run, the build failed"; return 0; }
	if [ ! -f "$smoke" ]; then
		echo "FAIL: vm-smoke-debug: $smoke is missing"
		return 0
	fi
	# shellcheck disable=SC2046
	vm_drivers debug $(sed -e 's/#.*//' -e 's/\.sh *$//' "$smoke" | tr -s ' \t' '\n\n' | grep -v '^$')
}

for t in "${tiers[@]}"; do
	run_tier "$t" "tier_${t//-/_}"
done

[ ! -f "$state/build.time" ] || timings=("$(cat "$state/build.time")" "${timings[@]}")
say "== times: $(IFS=,; echo "${timings[*]}" | sed 's/,/, /g')"
npass=$(grep -c '^PASS:' "$log" || true)
nfail=$(grep -c '^FAIL:' "$log" || true)
if [ "$nfail" != 0 ]; then
	say "== failures (details in $log):"
	grep '^FAIL:' "$log" | sed 's/^/  /' | tee -a "$log"
fi
say "$npass passed, $nfail failed"
[ "$nfail" = 0 ]
