/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_INIT_H
#define _SHIM_LINUX_INIT_H

#include <linux/compiler.h>

#define module_init(fn) \
	static int (*__shim_initcall_##fn)(void) __used = fn
#define module_exit(fn) \
	static void (*__shim_exitcall_##fn)(void) __used = fn

#endif
