#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# Guest side of tests/vm/tests/uring.sh.
. /cesium/lib/guest-lib.sh
expect_ok uring/format cesiumctl format /dev/drive/nvme0
expect_out uring/attach cesium0 cesiumctl attach /dev/drive/nvme0
uringtest /dev/cesium0 || note "uringtest reported failures"
