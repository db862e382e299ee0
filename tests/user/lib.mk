# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# libcesium-user's and cesiumctl's unit tests: host programs that need no
# kernel module, built with AddressSanitizer and UBSan. Each prints
# "PASS: user/<name>" or "FAIL: user/<name>: <why>" and exits 0 (pass),
# 77 (skip) or 1 (fail). They are appended to USER_TESTS, which the test
# tiers (tests/tests.mk) build and run.
#
#   make userlib-tests   build them
#   make check-userlib   build and run them; last line "N passed, N failed"
#
# Until tests/tests.mk includes this file:
#   make -f Makefile -f tests/user/lib.mk check-userlib

ifndef CESIUM_USERLIB_TESTS_MK
CESIUM_USERLIB_TESTS_MK := 1

USERLIB_TEST_DIR := $(B)/tests/user
USERLIB_TEST_CFLAGS := $(filter-out -O2,$(USER_CFLAGS)) -O1 -Itests/user/lib \
	-fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
USERLIB_TESTS := $(addprefix $(USERLIB_TEST_DIR)/,lib-args lib-device \
	lib-cesiumctl lib-symbols lib-libtest-fake lib-iter lib-escape lib-async lib-man)
USER_TESTS += $(USERLIB_TESTS)

.PHONY: userlib-tests check-userlib

userlib-tests: $(USERLIB_TESTS)

# lib-args and lib-device compile the library's sources in: they reach its
# hidden internals (cesium__paths), lib-args replaces ioctl(), and the
# sanitizers see the library's code too.
$(addprefix $(USERLIB_TEST_DIR)/lib-,args device): $(USERLIB_TEST_DIR)/lib-%: \
		tests/user/lib/%.c $(USERLIB_SRCS) userlib/private.h \
		userlib/cesium.h tests/user/lib/test.h $(B)/include/linux/cesium.h
	@mkdir -p $(@D)
	$(CC) $(USERLIB_TEST_CFLAGS) -o $@ $< $(USERLIB_SRCS) -luring

# lib-iter: the library's sources and fakedev.c, compiled in together.
$(USERLIB_TEST_DIR)/lib-iter: tests/user/lib/iter.c tests/user/lib/fakedev.c \
		$(USERLIB_SRCS) userlib/private.h userlib/cesium.h \
		tests/user/lib/test.h $(B)/include/linux/cesium.h
	@mkdir -p $(@D)
	$(CC) $(USERLIB_TEST_CFLAGS) -o $@ $< $(USERLIB_SRCS) -ldl -luring

# lib-async: the asynchronous API, async.c included by the test itself
# (it reads the ring's SQEs), the other sources compiled in.
$(USERLIB_TEST_DIR)/lib-async: tests/user/lib/async.c $(USERLIB_SRCS) \
		userlib/private.h userlib/cesium.h tests/user/lib/test.h \
		$(B)/include/linux/cesium.h
	@mkdir -p $(@D)
	$(CC) $(USERLIB_TEST_CFLAGS) -o $@ $< \
		$(filter-out userlib/async.c,$(USERLIB_SRCS)) -luring

# lib-man: the manual pages (a shell script; it reads the sources, so it
# runs from the repository root as every USER_TESTS program does).
$(USERLIB_TEST_DIR)/lib-man: tests/user/lib/man.sh
	@mkdir -p $(@D)
	cp $< $@
	chmod +x $@

# lib-escape: cesiumctl's line format, compiled in.
$(USERLIB_TEST_DIR)/lib-escape: tests/user/lib/escape.c \
		tools/cesiumctl/escape.c tools/cesiumctl/cesiumctl.h \
		tests/user/lib/test.h $(B)/include/linux/cesium.h
	@mkdir -p $(@D)
	$(CC) $(USERLIB_TEST_CFLAGS) -Itools/cesiumctl -o $@ $< \
		tools/cesiumctl/escape.c

$(USERLIB_TEST_DIR)/lib-cesiumctl: tests/user/lib/cesiumctl.c \
		tests/user/lib/test.h tests/user/lib/test_spawn.h $(B)/cesiumctl \
		$(USERLIB_TEST_DIR)/fakedev.so $(B)/include/linux/cesium.h
	@mkdir -p $(@D)
	$(CC) $(USERLIB_TEST_CFLAGS) -DCESIUMCTL='"$(CURDIR)/$(B)/cesiumctl"' \
		-DFAKEDEV='"$(CURDIR)/$(USERLIB_TEST_DIR)/fakedev.so"' -o $@ $<

# <cesium.h> must also compile alone as C99 and as C++.
$(USERLIB_TEST_DIR)/lib-symbols: tests/user/lib/symbols.c \
		tests/user/lib/test.h userlib/cesium.h $(USERLIB_SO)
	@mkdir -p $(@D)
	echo '#include <cesium.h>' | $(CC) -std=c99 -pedantic -Wall -Wextra \
		-Werror -I$(B)/include -Iuserlib -fsyntax-only -x c -
	echo '#include <cesium.h>' | $(CXX) -std=c++11 -pedantic -Wall \
		-Wextra -Werror -I$(B)/include -Iuserlib -fsyntax-only -x c++ -
	$(CC) $(USERLIB_TEST_CFLAGS) \
		-DLIBCESIUM_SO='"$(CURDIR)/$(USERLIB_SO)"' -o $@ $< -ldl

# The guest program against a user-space stand-in for the module. The
# stand-in is preloaded into a program without sanitizers, so it has none.
$(USERLIB_TEST_DIR)/fakedev.so: tests/user/lib/fakedev.c \
		$(B)/include/linux/cesium.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -fPIC -shared -o $@ $< -ldl

$(USERLIB_TEST_DIR)/lib-libtest-fake: tests/user/lib/libtest_fake.c \
		tests/user/lib/test.h tests/user/lib/test_spawn.h \
		$(USERLIB_TEST_DIR)/fakedev.so $(USERLIB_LIBTEST)
	@mkdir -p $(@D)
	$(CC) $(USERLIB_TEST_CFLAGS) \
		-DLIBTEST='"$(CURDIR)/$(USERLIB_LIBTEST)"' \
		-DFAKEDEV='"$(CURDIR)/$(USERLIB_TEST_DIR)/fakedev.so"' -o $@ $<

check-userlib: $(USERLIB_TESTS)
	@pass=0; fail=0; \
	for t in $(USERLIB_TESTS); do \
		./$$t; rc=$$?; \
		case $$rc in \
		0) pass=$$((pass + 1));; \
		77) echo "SKIP: user/$${t##*/}";; \
		*) fail=$$((fail + 1)); \
		   echo "FAIL: user/$${t##*/}: exit status $$rc";; \
		esac; \
	done; \
	echo "$$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ]

endif
