/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: force-included (-include) like the kernel's. Attribute
 * and annotation macros; glibc defines a few of the same names, hence the
 * #ifndef around each.
 */
#ifndef _SHIM_LINUX_COMPILER_TYPES_H
#define _SHIM_LINUX_COMPILER_TYPES_H

#ifdef __CHECKER__
# define __user		__attribute__((noderef, address_space(__user)))
# define __kernel	__attribute__((address_space(0)))
# define __iomem	__attribute__((noderef, address_space(__iomem)))
# define __percpu	__attribute__((noderef, address_space(__percpu)))
# define __rcu		__attribute__((noderef, address_space(__rcu)))
# define __force	__attribute__((force))
# define __must_hold(x)	__attribute__((context(x, 1, 1)))
# define __acquires(x)	__attribute__((context(x, 0, 1)))
# define __releases(x)	__attribute__((context(x, 1, 0)))
#else
# define __user
# define __kernel
# define __iomem
# define __percpu
# define __rcu
# define __force
# define __must_hold(x)
# define __acquires(x)
# define __releases(x)
#endif

#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define noinline		__attribute__((__noinline__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#ifndef __cold
#define __cold			__attribute__((__cold__))
#endif
#define __weak			__attribute__((__weak__))
#define __noreturn		__attribute__((__noreturn__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __alloc_size(...)	__attribute__((__alloc_size__(__VA_ARGS__)))
#define __malloc		__attribute__((__malloc__))
#define __section(s)		__attribute__((__section__(s)))
#define __pure			__attribute__((__pure__))
#define __nonstring		__attribute__((__nonstring__))
#define fallthrough		__attribute__((__fallthrough__))
#define notrace
#define __init
#define __exit
#define __initdata
#define __read_mostly
#define __cacheline_aligned	__aligned(64)
#define ____cacheline_aligned	__aligned(64)
#define __randomize_layout
#define noinstr

#define ___PASTE(a, b) a##b
#define __PASTE(a, b) ___PASTE(a, b)
#define __UNIQUE_ID(prefix) __PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#define __unqual_scalar_typeof(x) typeof(_Generic((x),			\
	char: (char)0,							\
	signed char: (signed char)0, unsigned char: (unsigned char)0,	\
	signed short: (signed short)0, unsigned short: (unsigned short)0,\
	signed int: (signed int)0, unsigned int: (unsigned int)0,	\
	signed long: (signed long)0, unsigned long: (unsigned long)0,	\
	signed long long: (signed long long)0,				\
	unsigned long long: (unsigned long long)0,			\
	default: (x)))

#endif
