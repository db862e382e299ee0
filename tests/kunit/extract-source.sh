#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Extract Debian's linux-source-6.1 tarball into the cache (once) and print
# the tree's path. Used by build-kernel.sh (the debug kernel), the KUnit
# runner (kunit.py) and the static checks (checkpatch.pl), so none of them
# needs a kernel build just to read the tree.
set -euo pipefail
cache=${CESIUM_CACHE:-$HOME/.cache/cesiumdb}
src=$cache/linux-source-6.1
tarball=$(ls -1 /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1 || true)

mkdir -p "$cache"
# One extraction at a time; a second caller waits and then finds it done.
exec 8>"$cache/.linux-source.lock"
flock 8
# A tree extracted by an older build-kernel.sh has no stamp but is complete.
[ -f "$src/Makefile" ] && [ -f "$src/scripts/checkpatch.pl" ] && touch "$src/.cesium-extracted"
if [ ! -f "$src/.cesium-extracted" ]; then
	[ -n "$tarball" ] || { echo "extract-source: /usr/src/linux-source-6.1.tar.* missing (apt-get install linux-source-6.1)" >&2; exit 1; }
	echo "extract-source: extracting $tarball" >&2
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" -xf "$tarball"
	mv "$src.tmp/linux-source-6.1" "$src"
	rmdir "$src.tmp"
	touch "$src/.cesium-extracted"
fi
echo "$src"
