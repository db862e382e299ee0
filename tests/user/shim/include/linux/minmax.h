/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim, after the installed 6.1 <linux/minmax.h> (which carries
 * the stable backport): the same signedness checks on min() and max().
 */
#ifndef _SHIM_LINUX_MINMAX_H
#define _SHIM_LINUX_MINMAX_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/const.h>
#include <linux/types.h>

#define __sign_use(ux) (is_signed_type(typeof(ux)) ? \
	(2 + __is_nonneg(ux)) : (1 + 2 * (sizeof(ux) < 4)))
#define __is_nonneg(ux) statically_true((long long)(ux) >= 0)
#define __types_ok(ux, uy) (__sign_use(ux) & __sign_use(uy))
#define __types_ok3(ux, uy, uz) \
	(__sign_use(ux) & __sign_use(uy) & __sign_use(uz))

#define __cmp_op_min <
#define __cmp_op_max >
#define __cmp(op, x, y)	((x) __cmp_op_##op (y) ? (x) : (y))

#define __cmp_once_unique(op, type, x, y, ux, uy) \
	({ type ux = (x); type uy = (y); __cmp(op, ux, uy); })
#define __cmp_once(op, type, x, y) \
	__cmp_once_unique(op, type, x, y, __UNIQUE_ID(x_), __UNIQUE_ID(y_))

#define __careful_cmp_once(op, x, y, ux, uy) ({		\
	__auto_type ux = (x); __auto_type uy = (y);	\
	BUILD_BUG_ON_MSG(!__types_ok(ux, uy),		\
		#op"("#x", "#y") signedness error");	\
	__cmp(op, ux, uy); })
#define __careful_cmp(op, x, y) \
	__careful_cmp_once(op, x, y, __UNIQUE_ID(x_), __UNIQUE_ID(y_))

#define min(x, y)	__careful_cmp(min, x, y)
#define max(x, y)	__careful_cmp(max, x, y)
#define umin(x, y)	\
	__careful_cmp(min, (x) + 0u + 0ul + 0ull, (y) + 0u + 0ul + 0ull)
#define umax(x, y)	\
	__careful_cmp(max, (x) + 0u + 0ul + 0ull, (y) + 0u + 0ul + 0ull)

#define __careful_op3(op, x, y, z, ux, uy, uz) ({			\
	__auto_type ux = (x); __auto_type uy = (y); __auto_type uz = (z);\
	BUILD_BUG_ON_MSG(!__types_ok3(ux, uy, uz),			\
		#op"3("#x", "#y", "#z") signedness error");		\
	__cmp(op, ux, __cmp(op, uy, uz)); })
#define min3(x, y, z) __careful_op3(min, x, y, z, __UNIQUE_ID(x_), \
				    __UNIQUE_ID(y_), __UNIQUE_ID(z_))
#define max3(x, y, z) __careful_op3(max, x, y, z, __UNIQUE_ID(x_), \
				    __UNIQUE_ID(y_), __UNIQUE_ID(z_))

#define min_t(type, x, y) __cmp_once(min, type, x, y)
#define max_t(type, x, y) __cmp_once(max, type, x, y)

#define min_not_zero(x, y) ({			\
	typeof(x) __x = (x);			\
	typeof(y) __y = (y);			\
	__x == 0 ? __y : ((__y == 0) ? __x : min(__x, __y)); })

#define __clamp(val, lo, hi)	\
	((val) >= (hi) ? (hi) : ((val) <= (lo) ? (lo) : (val)))
#define __clamp_once(type, val, lo, hi, uval, ulo, uhi) ({		\
	type uval = (val);						\
	type ulo = (lo);						\
	type uhi = (hi);						\
	BUILD_BUG_ON_MSG(statically_true(ulo > uhi), "clamp limits");	\
	BUILD_BUG_ON_MSG(!__types_ok3(uval, ulo, uhi),			\
		"clamp("#val", "#lo", "#hi") signedness error");	\
	__clamp(uval, ulo, uhi); })
#define __careful_clamp(type, val, lo, hi) \
	__clamp_once(type, val, lo, hi, __UNIQUE_ID(v_), __UNIQUE_ID(l_), \
		     __UNIQUE_ID(h_))
#define clamp(val, lo, hi) __careful_clamp(__auto_type, val, lo, hi)
#define clamp_t(type, val, lo, hi) __careful_clamp(type, val, lo, hi)
#define clamp_val(val, lo, hi) __careful_clamp(typeof(val), val, lo, hi)

#define swap(a, b) \
	do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#define MIN(a, b) __cmp(min, a, b)
#define MAX(a, b) __cmp(max, a, b)

#endif
