/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: spinlock_t over a pthread mutex. Holding one is atomic
 * context (might_sleep() WARNs); the irq variants save 0 in flags.
 */
#ifndef _SHIM_LINUX_SPINLOCK_H
#define _SHIM_LINUX_SPINLOCK_H

#include <pthread.h>
#include <linux/kernel.h>
#include <linux/preempt.h>

typedef struct spinlock {
	pthread_mutex_t lock;
	pthread_t owner;
	bool locked;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name) { .lock = PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_SPINLOCK(name) spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

void spin_lock_init(spinlock_t *lock);
void spin_lock(spinlock_t *lock);
int spin_trylock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
bool shim_spin_held(const spinlock_t *lock);

#define spin_lock_bh(l)		spin_lock(l)
#define spin_unlock_bh(l)	spin_unlock(l)
#define spin_lock_irq(l)	spin_lock(l)
#define spin_unlock_irq(l)	spin_unlock(l)
#define spin_lock_irqsave(l, flags) \
	do { (flags) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) \
	do { (void)(flags); spin_unlock(l); } while (0)
#define spin_is_locked(l)	READ_ONCE((l)->locked)
#define assert_spin_locked(l)	WARN_ON(!shim_spin_held(l))

#endif
