# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Programs that run in the VM guest against the real module (besides
# build/tests/libtest, built by userlib/userlib.mk). `vm-progs` builds them
# all; the VM harness packs everything under build/tests/.

VM_PROGS := $(B)/tests/uringtest $(B)/tests/modeltest $(B)/tests/hello \
	$(B)/tests/asynctest $(B)/tests/ifacetest $(B)/tests/compat32

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
# guest needs no 32-bit loader or libc (gcc-multilib, libc6-dev-i386).
$(B)/tests/compat32: tests/vm/progs/compat32.c $(B)/include/linux/cesium.h
	@mkdir -p $(dir $@)
	$(CC) -m32 -static $(USER_CFLAGS) -o $@ $<

$(B)/tests/modeltest: tests/vm/progs/modeltest.c userlib/cesium.h \
		$(USERLIB_SO) $(B)/include/linux/cesium.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Wl,-rpath,'$$ORIGIN/..:$$ORIGIN/../lib' \
		-o $@ $< -L$(B) -lcesium-user

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
