#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Install from Debian's archive whatever the build and the tests need and is
# missing; quiet and quick when everything is there. Also fetches fio 3.33's
# source (for the fio engine) into the cache, outside the repository.
set -euo pipefail
pkgs=(make gcc clang libclang-rt-14-dev llvm bc bison flex libelf-dev libssl-dev
      dwarves kmod cpio busybox-static qemu-system-x86 linux-headers-amd64
      linux-image-amd64 linux-source-6.1 sparse liburing-dev fio dpkg-dev
      libxxhash-dev python3 e2fsprogs xz-utils rocksdb-tools gnuplot-nox
      gcc-multilib libc6-dev-i386 pkgconf groff-base linux-perf)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	as_root apt-get update -q >/dev/null
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

cache=${CESIUM_CACHE:-$HOME/.cache/cesiumdb}
fio_src=$cache/fio-3.33
if [ ! -f "$fio_src/config-host.h" ]; then
	echo "deps: fetching and configuring fio 3.33's source"
	list=/etc/apt/sources.list.d/cesium-deb-src.list
	if ! grep -rqs '^deb-src .*bookworm main' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		echo "deb-src http://deb.debian.org/debian bookworm main" |
			as_root tee "$list" >/dev/null
		as_root apt-get update -q >/dev/null
	fi
	mkdir -p "$cache/fio-dl"
	(cd "$cache/fio-dl" && apt-get source --download-only fio=3.33-3 >/dev/null 2>&1 ||
	 apt-get source --download-only fio >/dev/null)
	rm -rf "$fio_src"
	tar -C "$cache" -xf "$cache"/fio-dl/fio_3.33.orig.tar.gz
	(cd "$fio_src" && ./configure >/dev/null)
fi
