# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# The one top-level build. Targets (DESIGN.md "The contract users see"):
#   make            cesium.ko, libcesium-user (.so and .a), cesiumctl
#   make demo       the main job in a VM: format, attach, put/get, reboot
#   make check      every test tier; last line "N passed, N failed"
#   make check-debug  the whole VM suite on the debug (KASAN, lockdep) kernel
#   make vm-shell   an interactive guest with everything loaded
#   make deps       install what is missing from Debian's archive
# Each of demo, check and all runs deps first.

KVER ?= $(shell ls -1 /usr/src 2>/dev/null | \
	sed -n 's/^linux-headers-\([0-9.]*-[0-9]*-amd64\)$$/\1/p' | sort -V | tail -n 1)
KDIR ?= /usr/src/linux-headers-$(KVER)
CESIUM_CACHE ?= $(HOME)/.cache/cesiumdb
export KVER KDIR CESIUM_CACHE

B := build
CC ?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 -I$(B)/include -Iuserlib
USER_LDFLAGS :=

.PHONY: all deps module userlib tools clean demo check check-debug vm-shell \
	check-static check-user check-kunit check-vm

all: deps
	@$(MAKE) --no-print-directory module userlib tools

deps:
	@tools/deps.sh

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The ABI header, where user space includes it from: <linux/cesium.h>.
$(B)/include/linux/cesium.h: uapi/cesium.h
	@mkdir -p $(dir $@)
	cp $< $@

include userlib/userlib.mk
include tools/tools.mk
include tests/tests.mk
include tests/vm/progs/progs.mk

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(B)
