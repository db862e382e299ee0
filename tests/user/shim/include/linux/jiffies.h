/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: jiffies count CLOCK_MONOTONIC at HZ 250 (Debian's).
 * jiffies is an expression here, not a variable: &jiffies does not work.
 */
#ifndef _SHIM_LINUX_JIFFIES_H
#define _SHIM_LINUX_JIFFIES_H

#include <time.h>
#include <linux/kernel.h>
#include <linux/types.h>

#define HZ 250
#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)

typedef s64 time64_t;

static inline unsigned long shim_jiffies(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * HZ + ts.tv_nsec / (1000000000L / HZ);
}

#define jiffies shim_jiffies()
#define jiffies_64 ((u64)shim_jiffies())

static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	return DIV_ROUND_UP((unsigned long)m * HZ, 1000);
}

static inline unsigned long usecs_to_jiffies(const unsigned int u)
{
	return DIV_ROUND_UP((unsigned long)u * HZ, 1000000);
}

static inline unsigned int jiffies_to_msecs(const unsigned long j)
{
	return j * (1000 / HZ);
}

static inline unsigned int jiffies_to_usecs(const unsigned long j)
{
	return j * (1000000 / HZ);
}

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
#define time_is_before_jiffies(a) time_after(jiffies, a)
#define time_is_after_jiffies(a) time_before(jiffies, a)

#endif
