#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Static checks, one result line each, the findings printed under a FAIL:
#   static/checkpatch   scripts/checkpatch.pl --no-tree over kmod/**/*.[ch]
#                       and uapi/cesium.h: any ERROR or WARNING fails
#   static/sparse       make C=2 (sparse) of the module against the stock
#                       headers, in a shadow copy (build/kmod-sparse/): any
#                       warning or error in our files fails, so does a
#                       failed build
#   static/uapi-c90-gcc, static/uapi-c90-clang
#                       uapi/cesium.h compiles alone in user space with
#                       -std=c90 -pedantic -Wall -Wextra -Werror
#   static/uapi-padding uapi/cesium.h has no implicit padding (gcc -Wpadded)
# Exit status 0 iff no FAIL. KDIR (the stock headers) as the top Makefile
# exports it, else the newest /usr/src/linux-headers-*-amd64.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

# checkpatch checks that do not apply to this tree, with the reason:
#   FILE_PATH_CHANGES  asks for MAINTAINERS updates (patch mode only).
checkpatch_ignore=FILE_PATH_CHANGES

fails=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass() { echo "PASS: static/$1"; }
fail() { # NAME REASON [FINDINGS FILE]
	echo "FAIL: static/$1: $2"
	[ -z "${3:-}" ] || sed -e 's/^/    /' "$3" | head -n 100
	fails=$((fails + 1))
}

# ---- checkpatch ----
mapfile -t files < <(find kmod -name '*.[ch]' 2>/dev/null | LC_ALL=C sort)
files+=(uapi/cesium.h)
if ! src=$(tests/kunit/extract-source.sh); then
	fail checkpatch "could not extract linux-source-6.1"
else
	# --terse prints "FILE:LINE: LEVEL: message" per finding, nothing when
	# clean; the exit status is 0 iff clean.
	cp_rc=0
	"$src/scripts/checkpatch.pl" --no-tree --terse --show-types \
		--ignore "$checkpatch_ignore" --file "${files[@]}" >"$work/cp" 2>&1 || cp_rc=$?
	grep -E ': (ERROR|WARNING|CHECK):' "$work/cp" >"$work/cp.bad" || true
	if [ -s "$work/cp.bad" ]; then
		fail checkpatch "$(wc -l <"$work/cp.bad") findings in ${#files[@]} files" "$work/cp.bad"
	elif [ "$cp_rc" = 0 ]; then
		pass checkpatch
	else
		fail checkpatch "checkpatch.pl failed (exit $cp_rc)" "$work/cp"
	fi
fi

# ---- sparse ----
kver=${KVER:-$(ls -1 /usr/src 2>/dev/null |
	sed -n 's/^linux-headers-\([0-9.]*-[0-9]*-amd64\)$/\1/p' | sort -V | tail -n 1)}
kdir=${KDIR:-/usr/src/linux-headers-$kver}
if ! command -v sparse >/dev/null; then
	fail sparse "sparse is not installed (make deps)"
elif [ ! -f "$kdir/Makefile" ]; then
	fail sparse "no kernel headers in '$kdir'"
else
	shadow=$(tests/vm/lib/build-module.sh --sync "$root/build/kmod-sparse")
	if make -s -C "$kdir" M="$shadow" C=2 -j"$(nproc)" modules >"$work/sp" 2>&1; then
		sp_ok=1
	else
		sp_ok=0
	fi
	sed -i "s#$shadow/##g" "$work/sp"
	# Our files' findings (with sparse's "expected/got" lines under them);
	# what sparse says about the kernel's own headers is not ours to fix.
	grep -E '^(kmod|uapi)/[^:]*:[0-9]+(:[0-9]+)?: ' "$work/sp" >"$work/sp.ours" || true
	n=$(grep -c -E '^[^:]*:[0-9]+(:[0-9]+)?: (warning|error)' "$work/sp.ours" || true)
	if [ "$sp_ok" = 0 ]; then
		fail sparse "the module did not build" "$work/sp"
	elif [ "$n" -gt 0 ]; then
		fail sparse "$n findings" "$work/sp.ours"
	else
		pass sparse
	fi
fi

# ---- the ABI header in user space ----
printf '#include "cesium.h"\n' >"$work/uapi.c"
for cc in gcc clang; do
	if ! command -v "$cc" >/dev/null; then
		fail "uapi-c90-$cc" "$cc is not installed"
	elif "$cc" -std=c90 -pedantic -Wall -Wextra -Werror -fsyntax-only -Iuapi \
		"$work/uapi.c" >"$work/$cc" 2>&1; then
		pass "uapi-c90-$cc"
	else
		fail "uapi-c90-$cc" "uapi/cesium.h does not compile alone with $cc -std=c90 -pedantic" "$work/$cc"
	fi
done
if gcc -std=gnu11 -Wpadded -Werror -fsyntax-only -Iuapi "$work/uapi.c" >"$work/pad" 2>&1; then
	pass uapi-padding
else
	fail uapi-padding "a struct in uapi/cesium.h has implicit padding" "$work/pad"
fi

[ "$fails" = 0 ]
