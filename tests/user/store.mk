# SPDX-License-Identifier: GPL-2.0
#
# User-space tier for the store, the log, the on-device format and the
# cache: the KUnit suites of kmod/engine (format, store, ckpt, ckpt_fuzzy, cache,
# get_async, read, log, scan, scan_async *_kunit.c) run over the shim's
# <kunit/test.h> under ASan and UBSan, a concurrent stress of the cache
# (tests/user/store/cache_stress.c), and a libFuzzer target for every on-device parser
# (tests/user/store/disk_fuzz.c).
# Included by tests/tests.mk like the other tests/user/*.mk.

include tests/user/shim/shim.mk

UT_STORE_SRCS := kmod/engine/store.c kmod/engine/get.c kmod/engine/get_async.c \
	kmod/engine/recover.c kmod/engine/ckpt.c kmod/engine/gc.c \
	kmod/engine/batch.c kmod/engine/scan.c \
	kmod/engine/check.c kmod/engine/lost.c kmod/engine/cache.c \
	kmod/engine/bufpool.c \
	kmod/engine/log.c kmod/engine/format.c kmod/engine/index.c \
	kmod/io/mem.c

$(UT_B)/store/store_kunit: $(SHIM_OBJ_SAN) $(SHIM_OBJ_KUNIT) \
		$(foreach s,$(UT_STORE_SRCS) kmod/engine/format_kunit.c \
		kmod/engine/store_kunit.c kmod/engine/ckpt_kunit.c \
		kmod/engine/ckpt_fuzzy_kunit.c \
		kmod/engine/cache_kunit.c kmod/engine/get_async_kunit.c \
		kmod/engine/read_kunit.c kmod/engine/log_kunit.c \
		kmod/engine/scan_kunit.c kmod/engine/scan_async_kunit.c,\
		$(call shim_obj,san,$(s)))
	@mkdir -p $(dir $@)
	$(USER_TEST_CC) $(UT_SAN_FLAGS) $^ $(SHIM_LDLIBS) -o $@

# The cache under concurrent lookups, inserts, drops and the shrinker.
$(UT_B)/store/cache_stress: $(SHIM_OBJ_SAN) $(foreach s,kmod/engine/cache.c \
		tests/user/store/cache_stress.c,$(call shim_obj,san,$(s)))
	@mkdir -p $(dir $@)
	$(USER_TEST_CC) $(UT_SAN_FLAGS) $^ $(SHIM_LDLIBS) -o $@

$(UT_B)/store/disk_fuzz: $(SHIM_OBJ_FUZZ) $(foreach s,$(UT_STORE_SRCS) \
		tests/user/store/disk_fuzz.c,$(call shim_obj,fuzz,$(s)))
	@mkdir -p $(dir $@)
	$(USER_TEST_CC) $(UT_FUZZ_FLAGS) -fsanitize=fuzzer $^ $(SHIM_LDLIBS) \
		-o $@

$(UT_B)/store/disk_fuzz_run: $(UT_B)/store/disk_fuzz \
		tests/user/engine/fuzz_run.sh
	@mkdir -p $(dir $@)
	sed -e 's|@FUZZER@|$(abspath $<)|' -e 's|@NAME@|disk_fuzz|' \
		-e 's|@RUNS@|$(USER_DISK_FUZZ_RUNS)|' tests/user/engine/fuzz_run.sh > $@
	chmod +x $@

# Each run formats and attaches a store (about 3 ms under ASan).
USER_DISK_FUZZ_RUNS ?= 4000
USER_STORE_TESTS := $(UT_B)/store/store_kunit $(UT_B)/store/cache_stress \
	$(UT_B)/store/disk_fuzz_run
USER_TESTS += $(filter-out $(USER_TESTS),$(USER_STORE_TESTS))

.PHONY: user-store
user-store: $(USER_STORE_TESTS)
