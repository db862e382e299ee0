#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Build (or reuse) the debug/KUnit guest kernel from Debian's linux-source-6.1.
# The tree and the build live in the cache, outside the repository; the build
# is redone only when debug.config changes. Prints the build folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${CESIUM_CACHE:-$HOME/.cache/cesiumdb}
out=$cache/kbuild-debug
stamp=$out/.cesium-config.sha
want=$(sha256sum "$here/debug.config" | cut -d' ' -f1)

src=$("$here/extract-source.sh")
# One build of this folder at a time: a second caller waits for the first
# and then finds the kernel up to date.
exec 9>"$cache/.kbuild-debug.lock"
flock 9
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
   [ -f "$out/arch/x86/boot/bzImage" ] && [ -f "$out/Module.symvers" ]; then
	echo "$out"
	exit 0
fi
echo "kunit: building the debug kernel in $out (a few minutes)" >&2
rm -f "$stamp"
mkdir -p "$out"
cp "$here/debug.config" "$out/.config"
make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >&2
# olddefconfig drops what it cannot satisfy: refuse a kernel without it.
missing=0
while IFS= read -r line; do
	case "$line" in CONFIG_*=*) ;; *) continue ;; esac
	val=${line#*=}
	if [ "$val" = n ]; then
		if grep -q "^${line%%=*}=[ym]" "$out/.config"; then
			echo "kunit: ${line%%=*} should be off" >&2; missing=1
		fi
	elif ! grep -qx "$line" "$out/.config"; then
		echo "kunit: $line did not survive olddefconfig" >&2; missing=1
	fi
done < "$here/debug.config"
[ "$missing" = 0 ] || exit 1
make -s -C "$src" O="$out" ARCH=x86_64 -j"$(nproc)" >&2
echo "$want" > "$stamp"
echo "$out"
