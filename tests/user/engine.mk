# SPDX-License-Identifier: GPL-2.0
#
# User-space tier for the engine: kernel sources compiled unchanged over the
# kernel-API shim (tests/user/shim), under ASan and UBSan, plus libFuzzer.
# Included by tests/tests.mk (-include tests/user/*.mk) from the top-level
# Makefile, or on its own:
#	make -f tests/user/engine.mk		build and run the programs below
# Each program in USER_TESTS exits 0 (pass), 77 (skip) or else (fail) and
# prints its own PASS:/FAIL: line.

# On its own, build and run this tier.
ifeq ($(firstword $(MAKEFILE_LIST)),$(lastword $(MAKEFILE_LIST)))
.DEFAULT_GOAL := user-engine-check
endif

include tests/user/shim/shim.mk

USER_FUZZ_RUNS ?= 20000
UT_INDEX_SRCS := kmod/engine/index.c tests/user/engine/index_model.c

# The randomized model-based test.
$(UT_B)/engine/index_test: $(SHIM_OBJ_SAN) $(foreach s,$(UT_INDEX_SRCS) \
		tests/user/engine/index_test.c,$(call shim_obj,san,$(s)))
	@mkdir -p $(dir $@)
	$(USER_TEST_CC) $(UT_SAN_FLAGS) $^ $(SHIM_LDLIBS) -o $@

# The libFuzzer target, and the bounded run make check does.
$(UT_B)/engine/index_fuzz: $(SHIM_OBJ_FUZZ) $(foreach s,$(UT_INDEX_SRCS) \
		tests/user/engine/index_fuzz.c,$(call shim_obj,fuzz,$(s)))
	@mkdir -p $(dir $@)
	$(USER_TEST_CC) $(UT_FUZZ_FLAGS) -fsanitize=fuzzer $^ $(SHIM_LDLIBS) \
		-o $@

$(UT_B)/engine/index_fuzz_run: $(UT_B)/engine/index_fuzz \
		tests/user/engine/fuzz_run.sh
	@mkdir -p $(dir $@)
	sed -e 's|@FUZZER@|$(abspath $<)|' -e 's|@NAME@|index_fuzz|' \
		-e 's|@RUNS@|$(USER_FUZZ_RUNS)|' tests/user/engine/fuzz_run.sh > $@
	chmod +x $@

# The KUnit suite, run in user space over the shim's <kunit/test.h>.
$(UT_B)/engine/index_kunit: $(SHIM_OBJ_SAN) $(SHIM_OBJ_KUNIT) \
		$(foreach s,kmod/engine/index.c kmod/engine/index_kunit.c,\
		$(call shim_obj,san,$(s)))
	@mkdir -p $(dir $@)
	$(USER_TEST_CC) $(UT_SAN_FLAGS) $^ $(SHIM_LDLIBS) -o $@

USER_ENGINE_TESTS := $(UT_B)/shim/shim_test $(UT_B)/engine/index_test \
	$(UT_B)/engine/index_kunit $(UT_B)/engine/index_fuzz_run
USER_TESTS += $(filter-out $(USER_TESTS),$(USER_ENGINE_TESTS))

.PHONY: user-engine user-engine-check
user-engine: $(USER_ENGINE_TESTS)

user-engine-check: $(USER_ENGINE_TESTS)
	@pass=0; fail=0; for t in $(USER_ENGINE_TESTS); do \
		$$t; rc=$$?; \
		if [ $$rc = 0 ] || [ $$rc = 77 ]; then pass=$$((pass+1)); \
		else fail=$$((fail+1)); echo "FAIL: $$t (exit $$rc)"; fi; \
	done; echo "$$pass passed, $$fail failed"; [ $$fail = 0 ]
