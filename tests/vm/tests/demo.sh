#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# `make demo`: two boots of a QEMU guest on one NVMe drive image
# (guest/demo.sh). Boot 1 formats and attaches the drive, stores keys
# (text, a namespace, binary, 1 MiB from /dev/urandom), reads them back,
# shows list, info and sysfs, and powers off without detaching; boot 2
# attaches the drive again and checks every value (the 1 MiB one against
# boot 1's sha256). Shows the guest's own output as it comes, without the
# kernel's lines; every check is also a PASS:/FAIL: line. Exit status 0
# iff none failed. Also part of `make check`. Arguments are more run.sh
# options (e.g. --module PATH).
set -uo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cesium-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Show the console minus the kernel's lines and the harness protocol; keep
# run.sh's results, notes and log paths.
show() {
	local line
	while IFS= read -r line; do
		case "$line" in
		PASS:*|FAIL:*|SKIP:*|log:*|run.sh:*|mkinitramfs:*) echo "$line" ;;
		note:*big-sha256=*) ;;
		note:*) echo "$line" ;;
		*CESIUM-*) ;;
		*) [[ $line =~ ^\[\ *[0-9]+\.[0-9]+\] ]] || echo "$line" ;;
		esac
	done
}

boot() { # N [ARGS]: boot N, its output also in $tmp/bootN
	local n=$1
	shift
	echo "-- booting the VM (QEMU without KVM: about 10 seconds) --"
	"$vm/run.sh" --verbose --name "demo-boot$n" --imgdir "$tmp" \
		--drive nvme0:256M "${opts[@]}" "$vm/guest/demo.sh" "$n" "$@" 2>&1 |
		tee "$tmp/boot$n" | show
	return "${PIPESTATUS[0]}"
}

opts=("$@")
start=$SECONDS
rc=0
boot 1 || rc=1
sha=$(sed -n 's/^note: .*big-sha256=\([0-9a-f]*\).*/\1/p' "$tmp/boot1" | head -n 1)
boot 2 "$sha" || rc=1
passed=$(grep -c '^PASS:' "$tmp/boot1" "$tmp/boot2" | awk -F: '{ n += $2 } END { print n }')
failed=$(grep -c '^FAIL:' "$tmp/boot1" "$tmp/boot2" | awk -F: '{ n += $2 } END { print n }')
echo
echo "demo: $passed checks passed, $failed failed, in $((SECONDS - start)) s"
[ "$failed" = 0 ] || rc=1
exit $rc
