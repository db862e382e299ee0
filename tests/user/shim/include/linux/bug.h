/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim. WARN*() print the condition and where it fired, and
 * count: a test fails when shim_warnings() is not zero (see shim.h). BUG()
 * aborts, as the kernel's stops the task.
 */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <linux/build_bug.h>
#include <linux/compiler.h>

void shim_warn(const char *file, int line, const char *func,
	       const char *fmt, ...) __printf(4, 5);
void __noreturn shim_bug(const char *file, int line, const char *func,
			 const char *cond);

#define __WARN_printf(fmt, ...) \
	shim_warn(__FILE__, __LINE__, __func__, fmt, ##__VA_ARGS__)

#define WARN_ON(condition) ({						\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		__WARN_printf("WARN_ON(%s)", #condition);		\
	unlikely(__ret_warn_on);					\
})

#define WARN(condition, fmt, ...) ({					\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		__WARN_printf(fmt, ##__VA_ARGS__);			\
	unlikely(__ret_warn_on);					\
})

#define WARN_ON_ONCE(condition) ({					\
	static bool __warned;						\
	int __ret_warn_once = !!(condition);				\
	if (unlikely(__ret_warn_once && !__warned)) {			\
		__warned = true;					\
		__WARN_printf("WARN_ON_ONCE(%s)", #condition);		\
	}								\
	unlikely(__ret_warn_once);					\
})

#define WARN_ONCE(condition, fmt, ...) ({				\
	static bool __warned;						\
	int __ret_warn_once = !!(condition);				\
	if (unlikely(__ret_warn_once && !__warned)) {			\
		__warned = true;					\
		__WARN_printf(fmt, ##__VA_ARGS__);			\
	}								\
	unlikely(__ret_warn_once);					\
})

#define BUG() shim_bug(__FILE__, __LINE__, __func__, "BUG()")
#define BUG_ON(condition) do {						\
	if (unlikely(condition))					\
		shim_bug(__FILE__, __LINE__, __func__, #condition);	\
} while (0)

#endif
