/* SPDX-License-Identifier: GPL-2.0 */
/* User-space shim: ktime_t in nanoseconds from CLOCK_MONOTONIC. */
#ifndef _SHIM_LINUX_KTIME_H
#define _SHIM_LINUX_KTIME_H

#include <time.h>
#include <linux/jiffies.h>
#include <linux/types.h>

typedef s64 ktime_t;

#define NSEC_PER_USEC	1000L
#define NSEC_PER_MSEC	1000000L
#define NSEC_PER_SEC	1000000000L
#define USEC_PER_SEC	1000000L
#define MSEC_PER_SEC	1000L

static inline s64 shim_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (s64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static inline ktime_t ktime_get(void)
{
	return shim_clock_ns(CLOCK_MONOTONIC);
}

static inline u64 ktime_get_ns(void)
{
	return ktime_get();
}

static inline u64 ktime_get_boottime_ns(void)
{
	return shim_clock_ns(CLOCK_BOOTTIME);
}

static inline u64 ktime_get_real_ns(void)
{
	return shim_clock_ns(CLOCK_REALTIME);
}

static inline time64_t ktime_get_real_seconds(void)
{
	return shim_clock_ns(CLOCK_REALTIME) / NSEC_PER_SEC;
}

#define ktime_sub(a, b)		((a) - (b))
#define ktime_add(a, b)		((a) + (b))
#define ktime_add_ns(kt, ns)	((kt) + (ns))
#define ktime_compare(a, b)	((a) < (b) ? -1 : (a) > (b))
#define ktime_after(a, b)	((a) > (b))
#define ktime_before(a, b)	((a) < (b))
#define ns_to_ktime(ns)		((ktime_t)(ns))
#define ms_to_ktime(ms)		((ktime_t)(ms) * NSEC_PER_MSEC)
#define us_to_ktime(us)		((ktime_t)(us) * NSEC_PER_USEC)

static inline s64 ktime_to_ns(const ktime_t kt)
{
	return kt;
}

static inline s64 ktime_to_us(const ktime_t kt)
{
	return kt / NSEC_PER_USEC;
}

static inline s64 ktime_to_ms(const ktime_t kt)
{
	return kt / NSEC_PER_MSEC;
}

static inline s64 ktime_us_delta(const ktime_t later, const ktime_t earlier)
{
	return ktime_to_us(later - earlier);
}

static inline s64 ktime_ms_delta(const ktime_t later, const ktime_t earlier)
{
	return ktime_to_ms(later - earlier);
}

#endif
