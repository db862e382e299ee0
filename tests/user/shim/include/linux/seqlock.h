/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: the sequence counters the engine uses, with the
 * kernel's memory ordering (C11 atomics for the counter, fences for
 * smp_wmb()/smp_rmb()). Writers are serialized by the caller.
 */
#ifndef _SHIM_LINUX_SEQLOCK_H
#define _SHIM_LINUX_SEQLOCK_H

#include <linux/compiler.h>
#include <linux/types.h>

typedef struct {
	unsigned int sequence;
} seqcount_t;

static inline void seqcount_init(seqcount_t *s)
{
	__atomic_store_n(&s->sequence, 0, __ATOMIC_RELAXED);
}

static inline void raw_write_seqcount_begin(seqcount_t *s)
{
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* smp_wmb() */
}

static inline void raw_write_seqcount_end(seqcount_t *s)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* smp_wmb() */
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELAXED);
}

static inline unsigned int raw_read_seqcount(const seqcount_t *s)
{
	unsigned int seq = __atomic_load_n(&s->sequence, __ATOMIC_RELAXED);

	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* smp_rmb() */
	return seq;
}

static inline int read_seqcount_retry(const seqcount_t *s, unsigned int start)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* smp_rmb() */
	return __atomic_load_n(&s->sequence, __ATOMIC_RELAXED) != start;
}

#endif
