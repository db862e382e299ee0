#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "persistence": data survives detach/attach, a refused rmmod (a
# handle open), rmmod/insmod, a clean reboot, and a power cut (QEMU killed)
# right after puts with --sync were acknowledged. Three boots on one drive
# image (guest/persistence.sh), on a drive with 512-byte logical blocks
# (results persistence/...) and again on one with 4096-byte blocks
# (persistence-4k/...).
# Arguments are more run.sh options (e.g. --module PATH, --verbose).
# Prints run.sh's PASS:/FAIL:/note: lines; exit status 0 iff none failed.
set -uo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
guest=$vm/guest/persistence.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cesium-persistence.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

rc=0
variant() { # SUITE DRIVE [RUN.SH OPTIONS]
	local suite=$1 drive=$2 img=$tmp/$1
	local marker="$suite: the --sync operations were acknowledged; cutting the power"
	shift 2
	mkdir -p "$img"
	"$vm/run.sh" --name "$suite-boot1" --imgdir "$img" --drive "$drive" "$@" \
		"$guest" "$suite" 1 || rc=1
	"$vm/run.sh" --name "$suite-boot2" --imgdir "$img" --drive "$drive" "$@" \
		--kill-on "$marker" "$guest" "$suite" 2 "$marker" || rc=1
	"$vm/run.sh" --name "$suite-boot3" --imgdir "$img" --drive "$drive" "$@" \
		"$guest" "$suite" 3 || rc=1
}
variant persistence nvme0:256M:512 "$@"
variant persistence-4k nvme0:256M:4096 "$@"
exit $rc
