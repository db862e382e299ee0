/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_CONST_H
#define _SHIM_LINUX_CONST_H

#include_next <linux/const.h>

#define __is_constexpr(x) \
	(sizeof(int) == sizeof(*(8 ? ((void *)((long)(x) * 0l)) : (int *)8)))

#endif
