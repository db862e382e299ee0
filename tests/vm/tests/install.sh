#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "install": a program built the way users build it, against
# make install's staging with only <cesium.h> and `pkg-config --cflags
# --libs libcesium-user` (build/tests/tour and tour-static, from
# tools/examples/tour.c: put, get, a batch, an iterator both ways, gets on
# an io_uring ring), run on a fresh device, its output checked byte for
# byte (guest/install.sh). One boot. The host side of the staging (its
# files, links, the .pc file, uninstall) is tests/user/install.sh.
# Arguments are more run.sh options (e.g. --verbose).
# Prints run.sh's PASS:/FAIL: lines; exit status 0 iff none failed.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name install --drive nvme0:64M "$@" "$vm/guest/install.sh"
