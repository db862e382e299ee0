/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_SCHED_H
#define _SHIM_LINUX_SCHED_H

#include <sched.h>
#include <linux/kernel.h>
#include <linux/preempt.h>

#define cond_resched() ({ might_sleep(); 0; })

#endif
