/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_BUILD_BUG_H
#define _SHIM_LINUX_BUILD_BUG_H

#include <linux/compiler.h>

#define BUILD_BUG_ON_ZERO(e) ((int)(sizeof(struct { int:(-!!(e)); })))
/*
 * A condition the compiler folds to a constant fails the build; one it
 * cannot fold (the kernel leaves those to the optimizer) is checked when
 * it runs, by UBSan's VLA bound check.
 */
#define BUILD_BUG_ON_MSG(cond, msg) \
	((void)sizeof(char[1 - 2 * !!(cond)]))
#define BUILD_BUG_ON(condition) BUILD_BUG_ON_MSG(condition, #condition)
#define BUILD_BUG() do { } while (0)
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)

#endif
