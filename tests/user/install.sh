#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# install: make install and make uninstall, into staging folders (DESTDIR)
# on the host; run from the repository root after the build, as every
# USER_TESTS program is. Results:
#   install/files      every file in its place: the library (the real file,
#                      its soname link and the -l link, the same bytes as
#                      build/'s, soname libcesium-user.so.1), the static
#                      library, both headers, cesiumctl (which finds the
#                      staged library through its run path), every man
#                      page in its section, the udev rule; nothing else
#   install/pkg-config libcesium-user.pc names the prefix, the version, and
#                      with PKG_CONFIG_SYSROOT_DIR the staged folders
#   install/compile    tools/examples/hello.c and tour.c compile and link
#                      with nothing but `pkg-config --cflags --libs` (and
#                      --static, linked statically), and not without it
#   install/prefix     PREFIX=/usr puts everything under usr/ and the .pc
#                      file says so
#   install/uninstall  make uninstall leaves no file behind
# The VM suite install runs such a program against the module.
set -uo pipefail
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Not the make that may be running us: its jobserver is not ours.
unset MAKEFLAGS MFLAGS MAKELEVEL
failures=0
why=

bad() { # REASON: the current check fails (its first reason is kept)
	[ -n "$why" ] || why=$*
}
result() { # NAME
	if [ -z "$why" ]; then
		echo "PASS: user/install/$1"
	else
		echo "FAIL: user/install/$1: $why"
		failures=$((failures + 1))
	fi
	why=
}

version=$(sed -n 's/^USERLIB_VERSION := //p' userlib/userlib.mk)
stage=$tmp/stage
if ! make -s --no-print-directory install DESTDIR="$stage" >"$tmp/make.out" 2>&1; then
	echo "FAIL: user/install/files: make install DESTDIR=$stage failed: $(tail -n 1 "$tmp/make.out")"
	exit 1
fi

# ---- files ----
p=$stage/usr/local
lib=$p/lib
want=$tmp/want
{
	echo "etc/udev/rules.d/60-cesium.rules"
	echo "usr/local/bin/cesiumctl"
	echo "usr/local/include/cesium.h"
	echo "usr/local/include/linux/cesium.h"
	echo "usr/local/lib/libcesium-user.a"
	echo "usr/local/lib/libcesium-user.so"
	echo "usr/local/lib/libcesium-user.so.1"
	echo "usr/local/lib/libcesium-user.so.$version"
	echo "usr/local/lib/pkgconfig/libcesium-user.pc"
	for f in userlib/man/*.[0-9]; do
		echo "usr/local/share/man/man${f##*.}/${f##*/}"
	done
	echo "usr/local/share/man/man8/cesiumctl.8"
} | LC_ALL=C sort >"$want"
(cd "$stage" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort) >"$tmp/got"
if ! diff -u "$want" "$tmp/got" >"$tmp/diff"; then
	bad "the staged files differ from the list: $(grep '^[-+][^-+]' "$tmp/diff" | head -n 3 | tr '\n' ' ')"
fi
[ -f "$lib/libcesium-user.so.$version" ] && [ ! -L "$lib/libcesium-user.so.$version" ] ||
	bad "libcesium-user.so.$version is not a file"
[ "$(readlink "$lib/libcesium-user.so.1")" = "libcesium-user.so.$version" ] ||
	bad "libcesium-user.so.1 -> '$(readlink "$lib/libcesium-user.so.1")'"
[ "$(readlink "$lib/libcesium-user.so")" = libcesium-user.so.1 ] ||
	bad "libcesium-user.so -> '$(readlink "$lib/libcesium-user.so")'"
cmp -s build/libcesium-user.so.1 "$lib/libcesium-user.so.$version" ||
	bad "the staged library is not build/libcesium-user.so.1"
soname=$(readelf -d "$lib/libcesium-user.so.$version" 2>/dev/null |
	sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libcesium-user.so.1 ] || bad "soname '$soname'"
cmp -s build/libcesium-user.a "$lib/libcesium-user.a" || bad "libcesium-user.a differs"
cmp -s userlib/cesium.h "$p/include/cesium.h" || bad "include/cesium.h is not userlib/cesium.h"
cmp -s uapi/cesium.h "$p/include/linux/cesium.h" ||
	bad "include/linux/cesium.h is not uapi/cesium.h"
[ -x "$p/bin/cesiumctl" ] || bad "bin/cesiumctl is not executable"
found=$(env -u LD_LIBRARY_PATH ldd "$p/bin/cesiumctl" 2>/dev/null |
	awk '$1 == "libcesium-user.so.1" { print $3 }')
[ "$found" = "$p/bin/../lib/libcesium-user.so.1" ] || [ "$found" = "$lib/libcesium-user.so.1" ] ||
	bad "the staged cesiumctl finds libcesium-user.so.1 at '$found'"
for f in userlib/man/*.[0-9] tools/cesiumctl/cesiumctl.8; do
	cmp -s "$f" "$p/share/man/man${f##*.}/${f##*/}" || bad "man page $f not installed as it is"
done
cmp -s tools/udev/60-cesium.rules "$stage/etc/udev/rules.d/60-cesium.rules" ||
	bad "the udev rule differs"
result files

# ---- pkg-config ----
pc=$lib/pkgconfig/libcesium-user.pc
grep -qx 'prefix=/usr/local' "$pc" || bad "$(grep '^prefix=' "$pc") in the .pc file"
grep -qx 'libdir=/usr/local/lib' "$pc" || bad "$(grep '^libdir=' "$pc") in the .pc file"
grep -qx "Version: $version" "$pc" || bad "$(grep '^Version:' "$pc"), want $version"
pkgc() {
	PKG_CONFIG_PATH=$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$stage pkg-config "$@"
}
cflags=$(pkgc --cflags libcesium-user 2>&1) || bad "pkg-config --cflags: $cflags"
libs=$(pkgc --libs libcesium-user 2>&1) || bad "pkg-config --libs: $libs"
slibs=$(pkgc --static --libs libcesium-user 2>&1) || bad "pkg-config --static --libs: $slibs"
case " $cflags " in *" -I$p/include "*) ;; *) bad "--cflags gives '$cflags'" ;; esac
case " $libs " in *" -L$lib -lcesium-user "*) ;; *) bad "--libs gives '$libs'" ;; esac
case " $slibs " in *" -luring "*) ;; *) bad "--static --libs gives '$slibs' (no liburing)" ;; esac
[ "$(pkgc --modversion libcesium-user 2>&1)" = "$version" ] || bad "--modversion"
result pkg-config

# ---- compile with nothing else ----
cc=${CC:-cc}
flags="-O2 -Wall -Wextra -Werror -std=gnu11"
for ex in hello tour; do
	# shellcheck disable=SC2086
	$cc $flags -o "$tmp/$ex" "tools/examples/$ex.c" $(pkgc --cflags --libs libcesium-user) \
		>"$tmp/cc.out" 2>&1 || bad "$ex.c: $(head -n 1 "$tmp/cc.out")"
done
# shellcheck disable=SC2086
$cc $flags -static -o "$tmp/tour-static" tools/examples/tour.c \
	$(pkgc --static --cflags --libs libcesium-user) >"$tmp/cc.out" 2>&1 ||
	bad "tour.c, -static: $(head -n 1 "$tmp/cc.out")"
if [ -x "$tmp/tour" ]; then
	found=$(LD_LIBRARY_PATH=$lib ldd "$tmp/tour" | awk '$1 == "libcesium-user.so.1" { print $3 }')
	[ "$found" = "$lib/libcesium-user.so.1" ] || bad "tour loads libcesium-user.so.1 from '$found'"
fi
# The control: without pkg-config's flags <cesium.h> is not found (unless
# this machine has it installed for real).
if [ ! -e /usr/local/include/cesium.h ] && [ ! -e /usr/include/cesium.h ] &&
   $cc $flags -c -o "$tmp/x.o" tools/examples/tour.c >/dev/null 2>&1; then
	bad "tour.c compiles without pkg-config's flags: the test proves nothing"
fi
result compile

# ---- PREFIX=/usr ----
usr=$tmp/usr-stage
if make -s --no-print-directory install PREFIX=/usr DESTDIR="$usr" >"$tmp/make.out" 2>&1; then
	grep -qx 'prefix=/usr' "$usr/usr/lib/pkgconfig/libcesium-user.pc" 2>/dev/null ||
		bad "the .pc file of PREFIX=/usr says $(grep '^prefix=' "$usr/usr/lib/pkgconfig/libcesium-user.pc" 2>&1)"
	for f in usr/bin/cesiumctl usr/include/cesium.h usr/lib/libcesium-user.so.1 \
		 usr/share/man/man7/libcesium-user.7; do
		[ -e "$usr/$f" ] || bad "PREFIX=/usr: no $f"
	done
	n=$(find "$usr" -path "$usr/usr/local*" | wc -l)
	[ "$n" = 0 ] || bad "PREFIX=/usr: $n paths under usr/local"
else
	bad "make install PREFIX=/usr failed: $(tail -n 1 "$tmp/make.out")"
fi
result prefix

# ---- uninstall ----
if make -s --no-print-directory uninstall DESTDIR="$stage" >"$tmp/make.out" 2>&1; then
	left=$(find "$stage" \( -type f -o -type l \) | sed "s|^$stage/||" | head -n 3 | tr '\n' ' ')
	[ -z "$left" ] || bad "left after make uninstall: $left"
else
	bad "make uninstall failed: $(tail -n 1 "$tmp/make.out")"
fi
result uninstall

[ "$failures" = 0 ]
