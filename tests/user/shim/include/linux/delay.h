/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_DELAY_H
#define _SHIM_LINUX_DELAY_H

#include <unistd.h>

static inline void msleep(unsigned int msecs)
{
	usleep(msecs * 1000U);
}

#endif
