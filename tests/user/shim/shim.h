/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test side of the user-space kernel shim (shim.c): allocation failure
 * injection, memory accounting, WARN counting. Kernel code never includes
 * this; tests do, next to the kernel headers in include/.
 */
#ifndef CESIUM_TESTS_USER_SHIM_H
#define CESIUM_TESTS_USER_SHIM_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Make the n-th allocation from now fail (1 = the next one), once; 0
 * disarms. Every allocator entry point counts as one allocation:
 * kmalloc() and its variants (except a zero size), kvmalloc(), vmalloc(),
 * kmem_cache_alloc(), krealloc(), kmemdup(), kstrdup().
 */
void shim_fail_nth(unsigned long n);
/* Whether the armed failure is still to come (it did not fire yet). */
bool shim_fail_pending(void);
/* Make every allocation fail with probability permille/1000 (0 = off). */
void shim_fail_random(unsigned int permille, unsigned long long seed);

struct shim_mem {
	unsigned long calls;	/* allocation attempts so far */
	unsigned long failed;	/* of them failed by injection */
	long objects;		/* live allocations */
	long bytes;		/* their size as the kernel would round it */
	long peak_bytes;
};
void shim_mem(struct shim_mem *m);

/* WARNs so far. */
unsigned long shim_warnings(void);
/* Abort at the first WARN (for fuzzers, so the crash is reported). */
void shim_warn_abort(bool on);
/*
 * Silence printk() (pr_*()) and WARN messages, e.g. around expected ones;
 * WARNs still count.
 */
void shim_printk_quiet(bool on);

/*
 * Run every registered shrinker until they free little, as
 * "echo 2 > /proc/sys/vm/drop_caches" does, then wait for RCU frees.
 * Returns the objects freed.
 */
unsigned long shim_drop_caches(void);

/*
 * The end of a test: wait for RCU callbacks, print live allocations
 * (leaks), shrinkers still registered and the WARN count. Returns 0 when
 * there are none of them.
 */
int shim_done(void);

#endif
