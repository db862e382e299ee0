# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Programs that run in the VM guest against the real module (besides
# build/tests/libtest, built by userlib/userlib.mk). `vm-progs` builds them
# all; the VM harness packs everything under build/tests/.

VM_PROGS := $(B)/tests/uringtest $(B)/tests/modeltest $(B)/tests/hello \
	$(B)/tests/asynctest

.PHONY: vm-progs
vm-progs: $(VM_PROGS) $(USERLIB_LIBTEST)

$(B)/tests/uringtest: tests/vm/progs/uringtest.c $(B)/include/linux/cesium.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $< -luring

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
