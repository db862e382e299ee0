# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# install: tools/examples/tour.c as users build it, with nothing but
# <cesium.h> and pkg-config against make install's staging (build/tests/
# tour, shared, and tour-static; tests/vm/progs/progs.mk), run on a fresh
# device: its output, byte for byte, and the device left as it was
# (tests/vm/tests/install.sh).
. /cesium/lib/guest-lib.sh
. /cesium/guest/common.sh

S=install
d0=$(drive nvme0)
check_ok $S/format cesiumctl format "$d0"
attach_as $S/attach "$d0"
if [ -z "$DEV" ]; then
	fail $S/setup "no device to test: stopping"
	exit 1
fi

cat >"$W/tour.want" <<'END'
batch: 3 puts
get apple: red
iterator: apple=red banana=yellow cherry=dark-red
iterator, reverse: cherry banana apple
ring: apple=red banana=yellow cherry=dark-red
batch: 3 deletes
namespace 7 is empty again
END
check_bytes $S/tour "$W/tour.want" tour "$DEV"
check_bytes $S/tour-static "$W/tour.want" tour-static "/dev/$DEV"
# The default device: the only one attached.
check_bytes $S/tour-default-device "$W/tour.want" tour
check_eq $S/nr-keys 0 "$(sysattr "$DEV" nr_keys)" "nr_keys after the tours"
check_ge $S/batches 6 "$(sysstat "$DEV" batches)" "batches"
check_ok $S/detach cesiumctl detach "$DEV"
check_error $S/tour-no-device 1 'no such device|not attached|No such' tour
