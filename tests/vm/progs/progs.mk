# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Programs that run in the VM guest against the real module (besides
# build/tests/libtest, built by userlib/userlib.mk). `vm-progs` builds them
# all; the VM harness packs everything under build/tests/.

VM_PROGS := $(B)/tests/uringtest $(B)/tests/modeltest $(B)/tests/hello \
	$(B)/tests/asynctest $(B)/tests/ifacetest $(B)/tests/compat32 \
	$(B)/tests/tour $(B)/tests/tour-static $(B)/tests/ckptseg

.PHONY: vm-progs
vm-progs: $(VM_PROGS) $(USERLIB_LIBTEST)

$(B)/tests/uringtest: tests/vm/progs/uringtest.c $(B)/include/linux/cesium.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $< -luring

# Every field of every command, through ioctl and uring_cmd (VM suite
# iface). Its case table leaves the fields a case does not use out.
IFACETEST_SRCS := $(addprefix tests/vm/progs/,ifacetest.c ifacetest_cmds.c \
	ifacetest_cases.c)
$(B)/tests/ifacetest: $(IFACETEST_SRCS) tests/vm/progs/ifacetest.h \
		$(B)/include/linux/cesium.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Wno-missing-field-initializers -o $@ \
		$(IFACETEST_SRCS) -luring

# The ABI from a 32-bit process (VM suite iface): i386, static, so the
# guest needs no 32-bit loader or libc (gcc-multilib, libc6-dev-i386). It
# checks its layout against x86_64's, which abi64 (host-only, in
# build/tests/user/) prints into build/tests/abi64.h.
$(B)/tests/user/abi64: tests/vm/progs/abi64.c tests/vm/progs/abi_layout.h \
		$(B)/include/linux/cesium.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $<

$(B)/tests/abi64.h: $(B)/tests/user/abi64
	$< >$@.tmp && mv $@.tmp $@

$(B)/tests/compat32: tests/vm/progs/compat32.c tests/vm/progs/abi_layout.h \
		$(B)/tests/abi64.h $(B)/include/linux/cesium.h
	@mkdir -p $(dir $@)
	$(CC) -m32 -static $(USER_CFLAGS) -I$(B)/tests -o $@ $<

$(B)/tests/modeltest: tests/vm/progs/modeltest.c userlib/cesium.h \
		$(USERLIB_SO) $(B)/include/linux/cesium.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Wl,-rpath,'$$ORIGIN/..:$$ORIGIN/../lib' \
		-o $@ $< -L$(B) -lcesium-user

# Finds (and damages) a checkpoint segment on a detached drive (VM suite
# integrity).
$(B)/tests/ckptseg: tests/vm/progs/ckptseg.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $<

# The asynchronous API (cesium_ring_*) against the module.
$(B)/tests/asynctest: tests/vm/progs/asynctest.c userlib/cesium.h \
		$(USERLIB_SO) $(B)/include/linux/cesium.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Wl,-rpath,'$$ORIGIN/..:$$ORIGIN/../lib' \
		-o $@ $< -L$(B) -lcesium-user

# The library's example (tools/examples/hello.c), as users build it, run by
# `make demo`.
$(B)/tests/hello: tools/examples/hello.c userlib/cesium.h $(USERLIB_SO) \
		$(B)/include/linux/cesium.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Wl,-rpath,'$$ORIGIN/..:$$ORIGIN/../lib' \
		-o $@ $< -L$(B) -lcesium-user

# The library as users get it (VM suite install): make install into a
# staging folder, build/stage (DESTDIR; left out of the guest's initramfs),
# then tools/examples/tour.c compiled with nothing but what pkg-config says
# about the staged libcesium-user.pc: build/tests/tour against the shared
# library, build/tests/tour-static linked statically (libcesium-user.a and,
# through Requires.private, liburing). tests/user/install.sh checks the
# staging itself.
INSTALL_STAGE := $(B)/stage
STAGE_PKG_CONFIG = PKG_CONFIG_PATH=$(CURDIR)/$(INSTALL_STAGE)/usr/local/lib/pkgconfig \
	PKG_CONFIG_SYSROOT_DIR=$(CURDIR)/$(INSTALL_STAGE) pkg-config
TOUR_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11

$(INSTALL_STAGE)/.installed: $(USERLIB_SO) $(USERLIB_A) $(B)/cesiumctl \
		userlib/cesium.h uapi/cesium.h userlib/libcesium-user.pc.in \
		$(wildcard userlib/man/*) tools/cesiumctl/cesiumctl.8 Makefile
	rm -rf $(INSTALL_STAGE)
	$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(INSTALL_STAGE) \
		PREFIX=/usr/local prefix=/usr/local libdir=/usr/local/lib \
		includedir=/usr/local/include
	touch $@

$(B)/tests/tour: tools/examples/tour.c $(INSTALL_STAGE)/.installed
	@mkdir -p $(dir $@)
	$(CC) $(TOUR_CFLAGS) -o $@ $< $$($(STAGE_PKG_CONFIG) --cflags --libs libcesium-user)

$(B)/tests/tour-static: tools/examples/tour.c $(INSTALL_STAGE)/.installed
	@mkdir -p $(dir $@)
	$(CC) $(TOUR_CFLAGS) -static -o $@ $< \
		$$($(STAGE_PKG_CONFIG) --static --cflags --libs libcesium-user)
