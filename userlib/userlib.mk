# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# libcesium-user: build/libcesium-user.so.1 (soname libcesium-user.so.1,
# exports only what libcesium-user.map lists, version LIBCESIUM_1.0; needs
# liburing for the asynchronous API, async.c), the
# build/libcesium-user.so link for -lcesium-user, build/libcesium-user.a
# and build/libcesium-user.pc. Included by the top Makefile, which defines
# B, CC, USER_CFLAGS and USER_LDFLAGS.

USERLIB_VERSION := 1.0.0
USERLIB_SONAME := libcesium-user.so.1
USERLIB_SRCS := $(addprefix userlib/,device.c kv.c ctl.c names.c \
	batch.c scan.c iter.c async.c)
USERLIB_MAP := userlib/libcesium-user.map
USERLIB_SO := $(B)/$(USERLIB_SONAME)
USERLIB_A := $(B)/libcesium-user.a
USERLIB_PC := $(B)/libcesium-user.pc
USERLIB_PIC_OBJS := $(USERLIB_SRCS:userlib/%.c=$(B)/userlib/pic/%.o)
USERLIB_OBJS := $(USERLIB_SRCS:userlib/%.c=$(B)/userlib/static/%.o)

# Where build/libcesium-user.pc says the library is installed (GNU names,
# so a packager's prefix=/usr libdir=... carries through; PREFIX=/usr
# works too). make install uses the same (see the top Makefile).
PREFIX ?= /usr/local
prefix ?= $(PREFIX)
libdir ?= $(prefix)/lib
includedir ?= $(prefix)/include

userlib: $(USERLIB_SO) $(B)/libcesium-user.so $(USERLIB_A) $(USERLIB_PC)

$(B)/userlib/pic/%.o: userlib/%.c $(B)/include/linux/cesium.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -fPIC -MMD -MP -c -o $@ $<

$(B)/userlib/static/%.o: userlib/%.c $(B)/include/linux/cesium.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -MMD -MP -c -o $@ $<

$(USERLIB_SO): $(USERLIB_PIC_OBJS) $(USERLIB_MAP)
	$(CC) -shared -fPIC -Wl,-soname,$(USERLIB_SONAME) \
		-Wl,--version-script=$(USERLIB_MAP) -Wl,-z,defs \
		$(USER_LDFLAGS) -o $@ $(USERLIB_PIC_OBJS) -luring

$(B)/libcesium-user.so: $(USERLIB_SO)
	ln -sf $(USERLIB_SONAME) $@

$(USERLIB_A): $(USERLIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# The .pc file for the prefix given; make install writes its own, for the
# prefix given then.
USERLIB_PC_SED = sed -e 's|@prefix@|$(prefix)|' -e 's|@libdir@|$(libdir)|' \
	-e 's|@includedir@|$(includedir)|' -e 's|@VERSION@|$(USERLIB_VERSION)|'

$(USERLIB_PC): userlib/libcesium-user.pc.in userlib/userlib.mk
	$(USERLIB_PC_SED) $< > $@

-include $(wildcard $(B)/userlib/*/*.d)

# build/tests/libtest: the library against the real module, run in the VM
# guest (tests/vm/progs/libtest.c). Linked against the shared library; its
# run path finds it from build/tests/ ($ORIGIN/..) and from a prefix's
# bin/ or tests/ folder with the library in the prefix's lib/.
USERLIB_LIBTEST := $(B)/tests/libtest

.PHONY: libtest
libtest: $(USERLIB_LIBTEST)

$(USERLIB_LIBTEST): tests/vm/progs/libtest.c userlib/cesium.h $(USERLIB_SO) \
		$(B)/libcesium-user.so $(B)/include/linux/cesium.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) \
		-Wl,-rpath,'$$ORIGIN/..:$$ORIGIN/../lib' -o $@ $< \
		-L$(B) -lcesium-user
