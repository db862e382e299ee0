/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: lockdep_assert_held() and friends check the owner of a
 * mutex, spinlock or write-held rw_semaphore; a read-held rw_semaphore
 * counts for every thread, since readers are not tracked one by one.
 */
#ifndef _SHIM_LINUX_LOCKDEP_H
#define _SHIM_LINUX_LOCKDEP_H

#include <linux/bug.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>

struct lock_class_key {
	int unused;
};

/* mode: -1 any, 0 read, 1 write */
static inline bool shim_rwsem_held_mode(const struct rw_semaphore *sem,
					int mode)
{
	if (mode > 0)
		return shim_rwsem_held(sem, true);
	return shim_rwsem_held(sem, false) ||
	       (mode < 0 && shim_rwsem_held(sem, true));
}

#define shim_lock_held(l, mode) _Generic((l),				\
	struct mutex *: shim_mutex_held((const void *)(l)),		\
	spinlock_t *: shim_spin_held((const void *)(l)),		\
	struct rw_semaphore *: shim_rwsem_held_mode((const void *)(l), mode))

#define lockdep_assert_held(l)		WARN_ON(!shim_lock_held(l, -1))
#define lockdep_assert_held_write(l)	WARN_ON(!shim_lock_held(l, 1))
#define lockdep_assert_held_read(l)	WARN_ON(!shim_lock_held(l, 0))
#define lockdep_is_held(l)		shim_lock_held(l, -1)
#define lockdep_assert_not_held(l)	do { (void)(l); } while (0)
#define lockdep_set_class(l, key)	do { (void)(key); } while (0)
#define lockdep_assert_irqs_enabled()	do { } while (0)

#endif
