# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# cesiumctl and other tools. Included by the top Makefile.
#
# build/cesiumctl links against build/libcesium-user.so.1 with the run path
# $ORIGIN:$ORIGIN/../lib, so it finds the library beside it (build/) and in
# a prefix's lib/ (/cesium/bin + /cesium/lib in the VM guest, /usr/bin +
# /usr/lib installed). Linking the shared library, not the static one, is
# deliberate: cesiumctl then checks at link time that everything it uses is
# exported by the version script, and every VM test that runs cesiumctl
# exercises the .so that programs load.

CESIUMCTL_SRCS := $(addprefix tools/cesiumctl/,main.c cmd_ctl.c cmd_kv.c \
	cmd_range.c cmd_stats.c escape.c)
CESIUMCTL_OBJS := $(CESIUMCTL_SRCS:tools/%.c=$(B)/tools/%.o)
# For programs that live in build/ or PREFIX/bin (and their libraries in
# build/ or PREFIX/lib). $$ survives make; the quotes keep it from the shell.
USER_RPATH := -Wl,-rpath,'$$ORIGIN:$$ORIGIN/../lib'

tools: $(B)/cesiumctl

$(B)/tools/%.o: tools/%.c $(B)/include/linux/cesium.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/cesiumctl: $(CESIUMCTL_OBJS) $(USERLIB_SO) $(B)/libcesium-user.so
	$(CC) $(USER_LDFLAGS) $(USER_RPATH) -o $@ $(CESIUMCTL_OBJS) \
		-L$(B) -lcesium-user

-include $(wildcard $(B)/tools/*/*.d)

include tools/bench/bench.mk
