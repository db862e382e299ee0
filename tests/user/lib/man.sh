#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# lib-man: the manual pages of libcesium-user (userlib/man/), of the
# devices (userlib/man/cesium.4) and of cesiumctl (tools/cesiumctl/
# cesiumctl.8). Every page formats with groff without a warning (-ww,
# warnings are failures); a .so page is one line naming a page that
# exists; every function userlib/cesium.h declares is in
# userlib/libcesium-user.map, every symbol of the map has a section 3 page
# that shows its prototype and every page in section 3 is for such a
# symbol; each section 3 page has RETURN VALUE and ERRORS; cesium.4 has an
# entry for every command (CESIUM_IOC_*) of uapi/cesium.h and names every
# struct it defines; cesiumctl.8 shows every command of cesiumctl's table
# and every long option its sources accept; every reference to a page of
# ours (cesium*, libcesium-user) is to one that exists. Run from the
# repository root. Prints
# "PASS: user/lib-man" or "FAIL: user/lib-man: <first failure>"; exit 0,
# 1, or 77 (skip) without groff (Debian: groff-base, which man-db needs).
man=userlib/man
ctl=tools/cesiumctl
map=userlib/libcesium-user.map
nfail=0
first=

failed() {
	echo "lib-man: $*" >&2
	nfail=$((nfail + 1))
	[ -n "$first" ] || first=$*
}

if ! command -v groff >/dev/null 2>&1; then
	echo "SKIP: user/lib-man: no groff (apt-get install groff-base)"
	exit 77
fi
[ -d "$man" ] || { echo "FAIL: user/lib-man: no $man"; exit 1; }

# A .so page's target, or nothing for a page of its own.
so_target() {
	sed -n '1s/^\.so man[0-9]\/\(.*\)$/\1/p' "$1"
}

for page in "$man"/*.[0-9] "$ctl"/cesiumctl.8; do
	t=$(so_target "$page")
	if [ -n "$t" ]; then
		[ "$(wc -l <"$page" | tr -d ' ')" = 1 ] ||
			failed "$page: a .so page holds more than the .so line"
		[ -f "$man/$t" ] || failed "$page: .so names $t, which is missing"
		[ -z "$(so_target "$man/$t" 2>/dev/null)" ] ||
			failed "$page: .so names $t, itself a .so page"
		continue
	fi
	out=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
	[ -z "$out" ] || failed "$page: groff: $(printf '%s' "$out" | head -n 1)"
	case "$page" in
	*.3)
		for s in "RETURN VALUE" ERRORS SYNOPSIS DESCRIPTION; do
			grep -q "^\.SH $s\$" "$page" ||
				failed "$page: no $s section"
		done ;;
	esac
done

# The map's symbols and the section 3 pages, both ways.
syms=$(sed -n 's/^[[:space:]]*\(cesium_[a-z0-9_]*\);$/\1/p' "$map")
[ -n "$syms" ] || failed "$map: no symbols found"
for s in $syms; do
	page=$man/$s.3
	if [ ! -f "$page" ]; then
		failed "$s: no page $page"
		continue
	fi
	t=$(so_target "$page")
	[ -z "$t" ] || page=$man/$t
	grep -q "^\.BI* \"[^\"]*[ *]$s(" "$page" ||
		failed "$s: $page shows no prototype of it"
	grep -A3 '^\.SH NAME' "$page" | grep -q "\b$s\b" ||
		failed "$s: $page does not name it under NAME"
done
for page in "$man"/*.3; do
	s=$(basename "$page" .3)
	printf '%s\n' $syms | grep -qx "$s" ||
		failed "$page: $s is not in $map"
done

# The header's functions are the map's (the map's have pages, above).
decls=$(sed -n 's/^[a-z][a-z_ ]*[ *]\(cesium_[a-z0-9_]*\)(.*/\1/p' userlib/cesium.h)
[ -n "$decls" ] || failed "userlib/cesium.h: no functions found"
for f in $decls; do
	printf '%s\n' $syms | grep -qx "$f" ||
		failed "userlib/cesium.h declares $f, which $map does not export"
done

# cesium.4: an entry (.TP, then .B NAME) for every command, and every
# struct of the ABI named.
dev=$man/cesium.4
if [ ! -f "$dev" ]; then
	failed "no $dev (the devices and their commands)"
else
	ioc=$(sed -n 's/^#define \(CESIUM_IOC_[A-Z_]*\)[[:space:]]*_IO.*/\1/p' uapi/cesium.h)
	[ -n "$ioc" ] || failed "uapi/cesium.h: no CESIUM_IOC_* commands found"
	for c in $ioc; do
		grep -A1 '^\.TP' "$dev" | grep -qx "\.B $c" ||
			failed "cesium.4: no entry for $c"
	done
	for st in $(sed -n 's/^struct \(cesium_[a-z_]*\) {$/\1/p' uapi/cesium.h); do
		grep -q "struct $st\b" "$dev" || failed "cesium.4: struct $st is not named"
	done
fi

# References to our own pages: each one exists.
for page in "$man"/*.[0-9] "$ctl"/cesiumctl.8; do
	for ref in $(sed -n 's/^\.BR \(cesium[a-z0-9_]*\|libcesium\\-user\|cesiumctl\) (\([0-9]\)).*/\1.\2/p' "$page" |
		sed 's/\\-/-/g'); do
		[ -f "$man/$ref" ] || [ -f "$ctl/$ref" ] ||
			failed "$page refers to $ref, which does not exist"
	done
done

# cesiumctl.8: every command of main.c's table, every long option.
cmds=$(sed -n 's/^[[:space:]]*{ "\([a-z]*\)", cmd_.*/\1/p' "$ctl/main.c")
[ -n "$cmds" ] || failed "$ctl/main.c: no commands found"
for c in $cmds; do
	grep -Eq "^\\.B cesiumctl( .*[] ]| )$c( |\$)" "$ctl/cesiumctl.8" ||
		failed "cesiumctl.8: no synopsis of command $c"
	grep -Eq "^\\.B[IR]? \"?$c( |\"|\$)" "$ctl/cesiumctl.8" ||
		failed "cesiumctl.8: no entry for command $c"
done
for o in $(grep -ohE '"--[a-z][a-z-]*' "$ctl"/*.c | tr -d '"' | sort -u); do
	grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" "$ctl/cesiumctl.8" ||
		failed "cesiumctl.8: option $o is not described"
done

if [ "$nfail" = 0 ]; then
	echo "PASS: user/lib-man"
	exit 0
fi
echo "FAIL: user/lib-man: $first ($nfail failed checks)"
exit 1
