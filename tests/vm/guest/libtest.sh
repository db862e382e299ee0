# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# libtest: the library engineer's build/tests/libtest (tests/vm/progs/
# libtest.c) on a freshly formatted and attached nvme0. libtest prints its
# own "libtest/NAME" results; this script adds libtest/vm-*: the setup, its
# exit status, and that it left the device empty and online.
. /cesium/lib/guest-lib.sh
. /cesium/guest/common.sh

S=libtest
if ! command -v libtest >/dev/null; then
	skip $S/vm-run "no libtest in the guest (make libtest)"
	exit 0
fi
d0=$(drive nvme0)
check_ok $S/vm-format cesiumctl format "$d0"
attach_as $S/vm-attach "$d0"
[ -n "$DEV" ] || exit 1

if timeout 300 libtest "$DEV" >"$W/lt.out" 2>"$W/lt.err"; then
	rc=0
else
	rc=$?
fi
cat "$W/lt.out"
n=$(grep -c '^CESIUM-RESULT ' "$W/lt.out")
nfail=$(grep -c '^CESIUM-RESULT FAIL ' "$W/lt.out")
if [ "$rc" = 0 ] && [ "$n" -gt 0 ] && [ "$nfail" = 0 ]; then
	pass $S/vm-exit
else
	fail $S/vm-exit "libtest $DEV exited $rc after $n results ($nfail failed):" \
		"$(head -n 1 "$W/lt.err")"
fi
check_eq $S/vm-cleaned-up 0 "$(sysattr "$DEV" nr_keys)" "nr_keys after libtest"
check_eq $S/vm-state online "$(sysattr "$DEV" state)"
check_ok $S/vm-detach cesiumctl detach "$DEV"
