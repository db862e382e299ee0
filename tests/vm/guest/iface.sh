# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# iface: every field of every command refused as DESIGN.md says, through
# ioctl and uring_cmd (build/tests/ifacetest, tests/vm/progs/ifacetest.c),
# then the same ABI from a 32-bit program (build/tests/compat32,
# tests/vm/progs/compat32.c, through compat_ioctl). nvme0 holds the store;
# nvme1 is a formatted store left detached, for FORMAT's and ATTACH's
# cases (tests/vm/tests/iface.sh).
. /cesium/lib/guest-lib.sh
. /cesium/guest/common.sh

S=iface
d0=$(drive nvme0)
d1=$(drive nvme1)
check_ok $S/vm-format cesiumctl format "$d0"
check_ok $S/vm-format-scratch cesiumctl format "$d1"
attach_as $S/vm-attach "$d0"
if [ -z "$DEV" ]; then
	fail $S/setup "no device to test: stopping"
	exit 1
fi

# run_prog NAME CMD...: a program that prints its own CESIUM-RESULT lines;
# NAME/vm-exit says whether it ran to the end with none failed.
run_prog() {
	local name=$1 rc n nfail
	shift
	if timeout 300 "$@" >"$W/prog.out" 2>"$W/prog.err"; then
		rc=0
	else
		rc=$?
	fi
	cat "$W/prog.out"
	n=$(grep -c '^CESIUM-RESULT ' "$W/prog.out")
	nfail=$(grep -c '^CESIUM-RESULT FAIL ' "$W/prog.out")
	if [ "$rc" = 0 ] && [ "$n" -gt 0 ] && [ "$nfail" = 0 ]; then
		pass "$name/vm-exit"
	else
		fail "$name/vm-exit" "'$*' exited $rc after $n results ($nfail failed):" \
			"$(head -n 1 "$W/prog.err")"
	fi
}

run_prog $S ifacetest "/dev/$DEV" "$d1"

# A 32-bit program: Debian's kernel runs it (IA32_EMULATION); the debug
# kernel is built without, and the exec fails (the shell then reads the
# file as a script). Without arguments the program prints its usage.
compat32 >/dev/null 2>"$W/c32.err" || true
if grep -q '^usage: compat32' "$W/c32.err"; then
	run_prog compat32 compat32 "/dev/$DEV"
elif [ "$CESIUM_KERNEL" = debug ]; then
	skip compat32/vm-exit "this kernel runs no i386 programs: $(head -n 1 "$W/c32.err")"
else
	fail compat32/vm-exit "compat32 does not run: $(head -n 1 "$W/c32.err")"
fi

# The device took all that and is as it was.
check_eq $S/vm-state online "$(sysattr "$DEV" state)"
check_eq $S/vm-checksum-errors 0 "$(sysstat "$DEV" checksum_errors)" checksum_errors
check_ok $S/vm-check cesiumctl -d "$DEV" check
check_eq $S/vm-list "$DEV" "$(cesiumctl list | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')" \
	"attached devices"
check_ok $S/vm-detach cesiumctl detach "$DEV"
attach_as $S/vm-reattach "$d0"
check_eq $S/vm-nr-keys 7 "$(sysattr "$DEV" nr_keys)" "nr_keys after a reattach"
