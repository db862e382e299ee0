/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: a writer-preferring rw_semaphore over a pthread mutex
 * and condition variable, so that downgrade_write() exists and a read lock
 * taken again behind a waiting writer deadlocks as it can in the kernel.
 */
#ifndef _SHIM_LINUX_RWSEM_H
#define _SHIM_LINUX_RWSEM_H

#include <pthread.h>
#include <linux/kernel.h>

struct rw_semaphore {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int readers;
	int waiting_writers;
	bool writer;
	pthread_t owner;
};

#define __RWSEM_INITIALIZER(name) {			\
	.lock = PTHREAD_MUTEX_INITIALIZER,		\
	.cond = PTHREAD_COND_INITIALIZER,		\
}
#define DECLARE_RWSEM(name) struct rw_semaphore name = __RWSEM_INITIALIZER(name)

void init_rwsem(struct rw_semaphore *sem);
void down_read(struct rw_semaphore *sem);
int down_read_trylock(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
int down_write_trylock(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
void downgrade_write(struct rw_semaphore *sem);
bool shim_rwsem_held(const struct rw_semaphore *sem, bool write);

static inline int down_read_interruptible(struct rw_semaphore *sem)
{
	down_read(sem);
	return 0;
}

static inline int down_write_killable(struct rw_semaphore *sem)
{
	down_write(sem);
	return 0;
}

static inline int rwsem_is_locked(struct rw_semaphore *sem)
{
	return READ_ONCE(sem->readers) || READ_ONCE(sem->writer);
}

#define down_read_nested(sem, subclass) down_read(sem)
#define down_write_nested(sem, subclass) down_write(sem)

#endif
