# SPDX-License-Identifier: GPL-2.0
#
# The user-space kernel shim, for every tests/user/*.mk: include this file
# (it guards itself), then build programs from
#	$(call shim_obj,san,SOURCE)	ASan + UBSan object of SOURCE
#	$(call shim_obj,fuzz,SOURCE)	the same plus libFuzzer coverage
#	$(SHIM_OBJ_SAN), $(SHIM_OBJ_FUZZ)	the shim itself
# linked with $(UT_SAN_FLAGS) (or $(UT_FUZZ_FLAGS) -fsanitize=fuzzer) and
# $(SHIM_LDLIBS), and list them in USER_TESTS. Kernel sources compile
# unchanged; see tests/user/shim/README.md for adding kernel APIs.
ifndef SHIM_MK_INCLUDED
SHIM_MK_INCLUDED := 1

B ?= build
UT_B := $(B)/tests/user
SHIM := tests/user/shim

USER_TEST_CC ?= clang
USER_TEST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
# Kernel code sees the shim's headers and what Kbuild force-includes; the
# warnings are about those of a W=1 kernel build (Kbuild also passes
# -Wno-pointer-sign). CESIUM_INDEX_DEBUG
# compiles in the engine's consistency checks.
SHIM_CPPFLAGS := -I$(SHIM)/include -include linux/kconfig.h \
	-include linux/compiler_types.h -I. -DCESIUM_INDEX_DEBUG
USER_TEST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers \
	-Wno-type-limits -Wno-pointer-sign -Wmissing-prototypes -Wstrict-prototypes \
	$(SHIM_CPPFLAGS)
SHIM_LDLIBS := -lxxhash -lpthread
UT_SAN_FLAGS := $(USER_TEST_SAN)
UT_FUZZ_FLAGS := $(USER_TEST_SAN) -fsanitize=fuzzer-no-link

shim_obj = $(UT_B)/obj-$(1)/$(patsubst %.c,%.o,$(2))

$(UT_B)/obj-san/%.o: %.c
	@mkdir -p $(dir $@)
	$(USER_TEST_CC) $(USER_TEST_CFLAGS) $(UT_SAN_FLAGS) -MMD -MP -c $< -o $@

$(UT_B)/obj-fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(USER_TEST_CC) $(USER_TEST_CFLAGS) $(UT_FUZZ_FLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(UT_B) -name '*.d' 2>/dev/null)

SHIM_OBJ_SAN := $(call shim_obj,san,$(SHIM)/shim.c)
SHIM_OBJ_FUZZ := $(call shim_obj,fuzz,$(SHIM)/shim.c)
SHIM_OBJ_KUNIT := $(call shim_obj,san,$(SHIM)/kunit.c)

# The shim's own test.
$(UT_B)/shim/shim_test: $(SHIM_OBJ_SAN) \
		$(call shim_obj,san,$(SHIM)/shim_test.c)
	@mkdir -p $(dir $@)
	$(USER_TEST_CC) $(UT_SAN_FLAGS) $^ $(SHIM_LDLIBS) -o $@

USER_TESTS += $(UT_B)/shim/shim_test

endif
