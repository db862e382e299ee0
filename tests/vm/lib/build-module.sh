#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Build cesium.ko in a shadow copy of the module sources, so that builds for
# other kernels never touch the objects of the stock build in kmod/.
#
#   build-module.sh debug         the module for the debug kernel
#                                 (build/kmod-debug/cesium.ko)
#   build-module.sh kunit         the same with the KUnit suites
#                                 (CESIUM_KUNIT=y, build/kmod-kunit/cesium.ko)
#   build-module.sh --sync DIR    only bring DIR's copy of the sources up to
#                                 date (the static checks build it themselves)
#
# Prints the path of the .ko (or of DIR). The copy holds Kbuild, kmod/ and
# uapi/ (sources only); unchanged files keep their mtimes so kbuild rebuilds
# only what changed, and files deleted from the tree are deleted from it.
# Debug and KUnit builds instrument the module with UBSAN (KASAN comes with
# the kernel's config); make's output goes to stderr.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)

# Copy the module's sources into SHADOW.
sync_tree() { # SHADOW
	local shadow=$1 f
	mkdir -p "$shadow"
	(cd "$root" && find Kbuild kmod uapi -type f \
		\( -name '*.[chS]' -o -name 'Kbuild*' -o -name 'Makefile*' -o -name '*.lds' \) \
		! -name '*.mod.c' 2>/dev/null | LC_ALL=C sort) >"$shadow/.cesium-sources.new"
	while read -r f; do
		if ! cmp -s "$root/$f" "$shadow/$f"; then
			mkdir -p "$(dirname "$shadow/$f")"
			cp -p "$root/$f" "$shadow/$f"
		fi
	done <"$shadow/.cesium-sources.new"
	if [ -f "$shadow/.cesium-sources" ]; then
		LC_ALL=C comm -23 "$shadow/.cesium-sources" "$shadow/.cesium-sources.new" |
			while read -r f; do rm -f "$shadow/$f"; done
	fi
	mv "$shadow/.cesium-sources.new" "$shadow/.cesium-sources"
}

case "${1:-}" in
--sync)
	shadow=${2:?usage: $0 --sync DIR}
	mkdir -p "$shadow"
	exec 9>"$shadow/.cesium-lock"
	flock 9
	sync_tree "$shadow"
	echo "$shadow"
	exit 0
	;;
debug) extra=() ;;
kunit) extra=(CESIUM_KUNIT=y) ;;
*) echo "usage: $0 debug|kunit|--sync DIR" >&2; exit 2 ;;
esac

shadow=$root/build/kmod-$1
kbuild=$("$root/tests/kunit/build-kernel.sh")
src=$("$root/tests/kunit/extract-source.sh")
mkdir -p "$shadow"
exec 9>"$shadow/.cesium-lock"
flock 9
sync_tree "$shadow"
make -s -C "$src" O="$kbuild" M="$shadow" UBSAN_SANITIZE=y "${extra[@]}" \
	-j"$(nproc)" modules >&2
echo "$shadow/cesium.ko"
