/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: RCU over a process-wide rwlock. The outermost
 * rcu_read_lock() of a thread read-locks it, and holding it is atomic
 * context (might_sleep() WARNs); a grace period is a moment when the lock
 * can be write-locked, i.e. no thread is inside a read-side section.
 * synchronize_rcu() waits for one. Callbacks of call_rcu() and
 * kvfree_rcu() (the two-argument form only) run in process context, never
 * in atomic context (like kvfree_rcu()'s work in the kernel): at the next
 * grace period noticed by call_rcu(), the outermost rcu_read_unlock(),
 * synchronize_rcu(), rcu_barrier() or shim_done().
 */
#ifndef _SHIM_LINUX_RCUPDATE_H
#define _SHIM_LINUX_RCUPDATE_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/types.h>

void rcu_read_lock(void);
void rcu_read_unlock(void);
bool rcu_read_lock_held(void);
void synchronize_rcu(void);
void rcu_barrier(void);
void call_rcu(struct rcu_head *head, rcu_callback_t func);
void kvfree_call_rcu(struct rcu_head *head, rcu_callback_t func);

#define rcu_dereference(p) ({						\
	typeof(p) ___p = __atomic_load_n(&(p), __ATOMIC_ACQUIRE);	\
	___p; })
#define rcu_dereference_raw(p)		rcu_dereference(p)
#define rcu_dereference_check(p, c)	rcu_dereference(p)
#define rcu_dereference_protected(p, c)	((void)(c), (p))
#define rcu_access_pointer(p)		READ_ONCE(p)
#define rcu_assign_pointer(p, v) do {					\
	typeof(p) ___v = (v);						\
	__atomic_store_n(&(p), ___v, __ATOMIC_RELEASE);			\
} while (0)
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)

/* As in the kernel: the rcu_head's offset stands in for the callback. */
#define __is_kvfree_rcu_offset(offset)	((offset) < 4096)
#define kvfree_rcu(ptr, rhf) do {					\
	typeof(ptr) ___p = (ptr);					\
									\
	if (___p) {							\
		BUILD_BUG_ON(!__is_kvfree_rcu_offset(			\
			offsetof(typeof(*(ptr)), rhf)));		\
		kvfree_call_rcu(&___p->rhf, (rcu_callback_t)(unsigned long) \
				offsetof(typeof(*(ptr)), rhf));		\
	}								\
} while (0)
#define kfree_rcu(ptr, rhf)		kvfree_rcu(ptr, rhf)
/* The headless form: waits for the grace period itself (may sleep). */
#define kvfree_rcu_mightsleep(ptr) do {					\
	synchronize_rcu();						\
	kvfree(ptr);							\
} while (0)

#endif
