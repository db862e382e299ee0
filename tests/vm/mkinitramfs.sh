#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Build (or reuse) the initramfs that tests/vm/run.sh boots, and print its
# path. Usage:
#
#   tests/vm/mkinitramfs.sh [--kernel stock|debug] [--module PATH|--no-module]
#                           [--with-fio]
#
# The archive is gzip'd newc cpio layers, concatenated (the kernel unpacks
# them in turn):
#   base     busybox-static and its applet links; for the stock kernel the
#            modules listed in $stock_modules below with their dependencies
#            and the modules.* files (so the guest's modprobe works); for the
#            debug kernel a modules.builtin (its drivers are built in);
#            mkfs.ext4, with the libraries ldd lists.
#   fio      (--with-fio) fio and the libraries it needs: 80 MB, which
#            costs several seconds of every boot under TCG, so only the
#            guest scripts that ask for it get it.
#   extra    the programs named in $CESIUM_VM_EXTRA_TOOLS (e.g. db_bench,
#            for make bench; NAME=PATH packs PATH as NAME) at /usr/bin,
#            with their libraries.
#   project  /init (tests/vm/init); /cesium/cesium.ko (debug info stripped);
#            every ELF program or shared library under build/ (outside
#            build/vm, build/kmod-*, build/tests/user and build/stage,
#            make install's staging, which are host-only)
#            at /cesium/build/<path>, each program also linked as
#            /cesium/bin/<name> and each library as /cesium/lib/<name>,
#            with the system libraries they need; tests/vm/guest/ at
#            /cesium/guest/; tests/vm/lib/guest-lib.sh at
#            /cesium/lib/guest-lib.sh.
# Each layer is cached under build/vm/initramfs/ by a hash of what goes in
# (file contents for the project layer, size and mtime for system files), so
# a boot after a rebuild of the module repacks only the small project layer.
# run.sh appends a third, per-boot layer (the script and its arguments).
#
# Environment: KVER (stock kernel version; default the newest installed
# linux-headers-*-amd64), CESIUM_CACHE (where the debug kernel is built).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${CESIUM_CACHE:-$HOME/.cache/cesiumdb}
out_dir=$root/build/vm/initramfs

# Drivers the VM suites use; nvme is loaded by /init, the rest on demand.
stock_modules="nvme null_blk configfs dm-mod dm-flakey dm-log-writes loop brd
	nvmet nvmet-tcp nvme-tcp ext4"

kernel=stock
module=
no_module=0
with_fio=0
usage() {
	echo "usage: $0 [--kernel stock|debug] [--module PATH|--no-module] [--with-fio]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=${2:?}; shift 2 ;;
	--module) module=${2:?}; shift 2 ;;
	--no-module) no_module=1; shift ;;
	--with-fio) with_fio=1; shift ;;
	*) usage ;;
	esac
done
case "$kernel" in stock|debug) ;; *) usage ;; esac

newest_kver() {
	ls -1 /usr/src 2>/dev/null |
		sed -n 's/^linux-headers-\([0-9.]*-[0-9]*-amd64\)$/\1/p' |
		sort -V | tail -n 1
}
if [ "$kernel" = stock ]; then
	kver=${KVER:-$(newest_kver)}
	[ -n "$kver" ] || { echo "mkinitramfs: no linux-headers-*-amd64 installed" >&2; exit 1; }
	[ -d "/lib/modules/$kver/kernel" ] ||
		{ echo "mkinitramfs: /lib/modules/$kver missing (apt-get install linux-image-$kver)" >&2; exit 1; }
	[ -n "$module" ] || module=$root/cesium.ko
else
	kbuild=$cache/kbuild-debug
	[ -f "$kbuild/include/config/kernel.release" ] ||
		{ echo "mkinitramfs: no debug kernel in $kbuild (tests/kunit/build-kernel.sh)" >&2; exit 1; }
	kver=$(cat "$kbuild/include/config/kernel.release")
	[ -n "$module" ] || module=$root/build/kmod-debug/cesium.ko
fi
if [ "$no_module" = 1 ]; then
	module=
elif [ ! -f "$module" ]; then
	echo "mkinitramfs: $module missing (build it first, or pass --no-module)" >&2
	exit 1
fi

mkdir -p "$out_dir"
work=$(mktemp -d "$out_dir/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A manifest has one tab-separated line per entry: "f DEST SRC" (a file copied from the
# host), "l DEST TARGET" (a symlink) or "d DEST" (a directory).
declare -A seen=()
man_add_file() { # DEST SRC
	[ -z "${seen[$1]:-}" ] || return 0
	seen[$1]=1
	printf 'f\t%s\t%s\n' "$1" "$2" >>"$manifest"
}
man_add_link() { # DEST TARGET
	[ -z "${seen[$1]:-}" ] || return 0
	seen[$1]=1
	printf 'l\t%s\t%s\n' "$1" "$2" >>"$manifest"
}
# Print the shared libraries (and the dynamic loader) that ldd lists for
# FILE, at the paths ldd prints, leaving out build/'s own (LD_LIBRARY_PATH
# lets ldd find those).
ldd_libs() { # FILE
	ldd "$1" 2>/dev/null |
		awk '/=> not found/ { print "NOTFOUND " $1; next }
		     /=> \// { print $3; next }
		     /^[ \t]*\// { print $1 }' |
		while read -r a b; do
			case "$a" in
			NOTFOUND) echo "mkinitramfs: warning: $1 needs $b, not found" >&2 ;;
			"$root"/build/*) ;;
			*) echo "$a" ;;
			esac
		done
}

# Keep the cache small: of the files named PREFIX-*.cpio.gz, the newest
# three and any used in the last 30 minutes (other runs may be using them).
prune() { # PREFIX
	# (Other runs prune at the same time: ls or find may find a file gone.)
	{ ls -1t "$out_dir/$1"-*.cpio.gz 2>/dev/null | tail -n +4 |
		while read -r f; do
			[ -n "$(find "$f" -mmin -30 2>/dev/null)" ] || rm -f "$f"
		done; } || true
}

# Pack MANIFEST into a cached layer named NAME-KEY.cpio.gz; print its path.
pack() { # NAME KEY
	local name=$1 key=$2 stage line type dest src
	local cpio_gz=$out_dir/$name-${key:0:16}.cpio.gz
	if [ -f "$cpio_gz" ]; then
		touch "$cpio_gz" # in use: not to be pruned
		echo "$cpio_gz"
		return
	fi
	echo "mkinitramfs: packing the $name layer" >&2
	stage=$work/stage-$name
	mkdir -p "$stage"
	while IFS=$'\t' read -r type dest src; do
		case "$type" in
		d) mkdir -p "$stage$dest" ;;
		f) mkdir -p "$(dirname "$stage$dest")"
		   cp -L --preserve=mode "$src" "$stage$dest" ;;
		l) mkdir -p "$(dirname "$stage$dest")"
		   ln -sfn "$src" "$stage$dest" ;;
		esac
	done <"$manifest"
	if [ -f "$stage/cesium/cesium.ko" ]; then
		# Debug info is no use in the guest; kallsyms keeps the symbols.
		objcopy --strip-debug "$stage/cesium/cesium.ko"
	fi
	(cd "$stage" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --owner=0:0 --reproducible --quiet) |
		gzip -1 >"$work/$name.cpio.gz"
	mv "$work/$name.cpio.gz" "$cpio_gz"
	prune "$name"
	echo "$cpio_gz"
}

# Hash of a manifest: its text plus, per copied file, the file's size and
# mtime (how=stat) or its content (how=content).
manifest_key() { # how
	{
		cat "$manifest"
		awk -F'\t' '$1 == "f" { print $3 }' "$manifest" | while read -r src; do
			if [ "$1" = content ]; then
				sha256sum <"$src"
			else
				stat -L -c '%s %Y' "$src"
			fi
		done
		sha256sum <"$0"
	} | sha256sum | cut -c1-64
}

# ---- the base layer ----
manifest=$work/base.manifest
: >"$manifest"
busybox=$(command -v busybox || true)
[ -n "$busybox" ] || { echo "mkinitramfs: busybox missing (apt-get install busybox-static)" >&2; exit 1; }
if ldd "$busybox" >/dev/null 2>&1; then
	echo "mkinitramfs: $busybox is not static (apt-get install busybox-static)" >&2
	exit 1
fi
man_add_file /bin/busybox "$busybox"
while read -r applet; do
	man_add_link "/$applet" /bin/busybox
done < <("$busybox" --list-full | grep -v -e '^bin/busybox$' -e '^linuxrc$' -e '^sbin/init$')
for d in /dev /proc /sys /tmp /run /mnt /root /etc /var/tmp; do
	printf 'd\t%s\n' "$d" >>"$manifest"
done

if [ "$kernel" = stock ]; then
	kmods=/lib/modules/$kver
	# shellcheck disable=SC2086
	for m in $stock_modules; do
		modprobe --show-depends -S "$kver" "$m" | awk '$1 == "insmod" { print $2 }'
	done | sort -u >"$work/kos"
	while read -r ko; do
		man_add_file "$ko" "$ko"
	done <"$work/kos"
	for f in "$kmods"/modules.*; do
		man_add_file "$f" "$f"
	done
else
	man_add_file "/lib/modules/$kver/modules.builtin" "$kbuild/modules.builtin"
	[ -f "$out_dir/empty" ] || : >"$out_dir/empty"
	man_add_file "/lib/modules/$kver/modules.dep" "$out_dir/empty"
fi

for tool in mke2fs; do
	path=$(PATH=/usr/sbin:/sbin:$PATH command -v "$tool" || true)
	[ -n "$path" ] || continue
	man_add_file "/usr/bin/$tool" "$path"
	while read -r lib; do
		man_add_file "$lib" "$lib"
	done < <(ldd_libs "$path")
done
if [ -n "${seen[/usr/bin/mke2fs]:-}" ]; then
	man_add_link /usr/bin/mkfs.ext4 mke2fs
	[ -f /etc/mke2fs.conf ] && man_add_file /etc/mke2fs.conf /etc/mke2fs.conf
fi
base=$(pack "base-$kernel-$kver" "$(manifest_key stat)")
layers=("$base")

# ---- the fio layer ----
if [ "$with_fio" = 1 ]; then
	fio=$(command -v fio || true)
	[ -n "$fio" ] || { echo "mkinitramfs: fio is not installed (make deps)" >&2; exit 1; }
	manifest=$work/fio.manifest
	: >"$manifest"
	man_add_file /usr/bin/fio "$fio"
	while read -r lib; do
		man_add_file "$lib" "$lib"
	done < <(ldd_libs "$fio")
	layers+=("$(pack "fio" "$(manifest_key stat)")")
fi

# ---- programs named in $CESIUM_VM_EXTRA_TOOLS (make bench: db_bench) ----
if [ -n "${CESIUM_VM_EXTRA_TOOLS:-}" ]; then
	manifest=$work/extra.manifest
	: >"$manifest"
	for tool in $CESIUM_VM_EXTRA_TOOLS; do
		# NAME=PATH packs PATH as /usr/bin/NAME (e.g. perf=/usr/bin/perf_6.1).
		case "$tool" in
		*=*) path=${tool#*=}; tool=${tool%%=*} ;;
		*) path=$(command -v "$tool" || true) ;;
		esac
		[ -x "$path" ] || { echo "mkinitramfs: $tool is not installed" >&2; exit 1; }
		man_add_file "/usr/bin/$tool" "$path"
		while read -r lib; do
			man_add_file "$lib" "$lib"
		done < <(ldd_libs "$path")
	done
	layers+=("$(pack "extra" "$(manifest_key stat)")")
fi

# ---- the project layer ----
manifest=$work/project.manifest
: >"$manifest"
man_add_file /init "$root/tests/vm/init"
man_add_file /cesium/lib/guest-lib.sh "$root/tests/vm/lib/guest-lib.sh"
[ -z "$module" ] || man_add_file /cesium/cesium.ko "$module"
if [ -d "$root/tests/vm/guest" ]; then
	while read -r f; do
		man_add_file "/cesium/guest/${f#"$root"/tests/vm/guest/}" "$f"
	done < <(find "$root/tests/vm/guest" -type f | LC_ALL=C sort)
fi

is_elf() { [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }
if [ -d "$root/build" ]; then
	libdirs=$(find "$root/build" -name '*.so*' -type f -printf '%h\n' 2>/dev/null |
		sort -u | paste -sd: -)
	while read -r f; do
		is_elf "$f" || continue
		rel=${f#"$root"/build/}
		name=$(basename "$f")
		case "$name" in
		*.o|*.a|*.ko) continue ;;
		*.so|*.so.*) man_add_file "/cesium/build/$rel" "$f"
			man_add_link "/cesium/lib/$name" "/cesium/build/$rel" ;;
		*) [ -x "$f" ] || continue
			man_add_file "/cesium/build/$rel" "$f"
			if [ -n "${seen[/cesium/bin/$name]:-}" ]; then
				echo "mkinitramfs: warning: two programs named $name; /cesium/bin/$name is the first" >&2
			fi
			man_add_link "/cesium/bin/$name" "/cesium/build/$rel" ;;
		esac
		# Libraries already in the base layer are left out (seen).
		while read -r lib; do
			man_add_file "$lib" "$lib"
		done < <(LD_LIBRARY_PATH=$libdirs ldd_libs "$f")
	done < <(find "$root/build" \( -path "$root/build/vm" -o -path "$root/build/kmod-*" \
		-o -path "$root/build/tests/user" -o -path "$root/build/stage" \) -prune -o \
		-type f -print | LC_ALL=C sort)
fi
layers+=("$(pack "project-$kernel" "$(manifest_key content)")")

# ---- the layers in one file ----
final=$out_dir/initramfs-$kernel
for l in "${layers[@]}"; do
	final=$final-$(basename "$l" .cpio.gz | sed 's/.*-//' | cut -c1-8)
done
final=$final.cpio.gz
if [ -f "$final" ]; then
	touch "$final"
else
	cat "${layers[@]}" >"$work/final"
	mv "$work/final" "$final"
	prune "initramfs-$kernel"
fi
echo "$final"
