/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_MATH_H
#define _SHIM_LINUX_MATH_H

#include <stdlib.h>		/* declares abs(), which the macro replaces */
#include <linux/types.h>

#define __round_mask(x, y) ((__typeof__(x))((y) - 1))
#define round_up(x, y) ((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y) ((x) & ~__round_mask(x, y))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define DIV_ROUND_UP_ULL(ll, d) DIV_ROUND_UP((unsigned long long)(ll), (d))
#define roundup(x, y) ({				\
	typeof(y) __y = y;				\
	(((x) + (__y - 1)) / __y) * __y;		\
})
#define rounddown(x, y) ({				\
	typeof(x) __x = (x);				\
	__x - (__x % (y));				\
})
#define DIV_ROUND_CLOSEST(x, divisor) (((x) + ((divisor) / 2)) / (divisor))

#define abs(x) __builtin_choose_expr(					\
	__builtin_types_compatible_p(typeof(x), long long) ||		\
	__builtin_types_compatible_p(typeof(x), unsigned long long),	\
	__builtin_llabs((long long)(x)),				\
	__builtin_choose_expr(sizeof(x) == sizeof(long),		\
		__builtin_labs((long)(x)), __builtin_abs((int)(x))))

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

static inline s64 div_s64(s64 dividend, s32 divisor)
{
	return dividend / divisor;
}

#define do_div(n, base) ({				\
	u32 __base = (base);				\
	u32 __rem = (u64)(n) % __base;			\
	(n) = (u64)(n) / __base;			\
	__rem;						\
})

#endif
