# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Test tiers; tests/check.sh runs them (see its header). Included by the top
# Makefile.
#
#   make check          deps, build, then static, user, kunit, vm and the
#                       debug-kernel smoke subset (tests/vm/tests/SMOKE);
#                       last line "N passed, M failed", log in build/check.log
#   make check-static   checkpatch, sparse, uapi/cesium.h alone in user space
#   make check-user     the programs in USER_TESTS
#   make check-kunit    the KUnit suites on the debug kernel
#   make check-vm       every tests/vm/tests/*.sh on the stock kernel
#   make check-debug    every tests/vm/tests/*.sh on the debug kernel
#   make vm-shell       an interactive guest with everything loaded; more
#                       run.sh options in VM_ARGS, e.g.
#                       make vm-shell VM_ARGS="--kernel debug --drive a:1G:4096"
#   make demo           tests/vm/tests/demo.sh
#
# USER_TESTS: user-space test programs. A .mk file (any of tests/user/*.mk,
# included below, or one the top Makefile includes) appends each program
# with a rule that builds it:
#   USER_TESTS += build/tests/user/foo
# Each runs from the repository root with LD_LIBRARY_PATH=build and exits 0
# (pass), 77 (skip) or anything else (fail); it may print its own PASS:/
# FAIL: lines, else the runner prints "PASS: user/foo" (or FAIL, SKIP).
#
# VM_DEPS: make targets the VM tiers need besides `all` (the programs the
# guest scripts run); a .mk file appends to it: VM_DEPS += my-guest-progs

# Simple variables (":="), so that "+=" expands at once and may refer to
# the list itself; unless an earlier .mk file has started them.
ifeq ($(origin USER_TESTS),undefined)
USER_TESTS :=
endif
ifeq ($(origin VM_DEPS),undefined)
VM_DEPS :=
endif
VM_DEPS += vm-progs libtest fio-engine

-include $(wildcard tests/user/*.mk)

check: deps
	@tests/check.sh all
check-static: deps
	@tests/check.sh static
check-user: deps
	@tests/check.sh user
check-kunit: deps
	@tests/check.sh kunit
check-vm: deps
	@tests/check.sh vm
check-debug: deps
	@tests/check.sh vm-debug

# For tests/check.sh. The lists are expanded when the recipe runs, so .mk
# files included after this one may still append to them.
.PHONY: user-tests print-user-tests vm-deps
user-tests:
	$(if $(strip $(USER_TESTS)),@$(MAKE) --no-print-directory $(USER_TESTS))
print-user-tests:
	@printf '%s\n' $(USER_TESTS)
vm-deps:
	$(if $(strip $(VM_DEPS)),@$(MAKE) --no-print-directory $(VM_DEPS))

vm-shell: all
	@$(MAKE) --no-print-directory vm-deps
	tests/vm/run.sh --shell $(VM_ARGS)
demo: all
	@$(MAKE) --no-print-directory vm-deps
	bash tests/vm/tests/demo.sh
