#!/bin/sh
# cesium: no-module
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Guest side of tests/kunit/run.sh: load the KUnit build of cesium.ko, whose
# suites run while it loads, with the console showing KERN_INFO so that the
# KTAP output reaches run.sh. The KTAP lines follow CESIUM-KUNIT-BEGIN.
. /cesium/lib/guest-lib.sh

echo 7 >/proc/sys/kernel/printk
echo CESIUM-KUNIT-BEGIN
insmod /cesium/cesium.ko
rc=$?
echo 5 >/proc/sys/kernel/printk
echo CESIUM-KUNIT-END
[ $rc = 0 ] || fail kunit/insmod "insmod cesium.ko exited $rc"
