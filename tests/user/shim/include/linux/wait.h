/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: wait queues over a pthread mutex and condition. A waker
 * changes the condition, then calls wake_up*(), which takes the queue's
 * mutex: a waiter that tested the condition under that mutex and found it
 * false is then asleep on the condition variable, so no wake-up is lost.
 */
#ifndef _SHIM_LINUX_WAIT_H
#define _SHIM_LINUX_WAIT_H

#include <pthread.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>

typedef struct wait_queue_head {
	pthread_mutex_t lock;
	pthread_cond_t cond;
} wait_queue_head_t;

void init_waitqueue_head(wait_queue_head_t *wq);
void wake_up_all(wait_queue_head_t *wq);
#define wake_up(wq)	wake_up_all(wq)

#define wait_event(wq, condition) do {					\
	might_sleep();							\
	pthread_mutex_lock(&(wq).lock);					\
	while (!(condition))						\
		pthread_cond_wait(&(wq).cond, &(wq).lock);		\
	pthread_mutex_unlock(&(wq).lock);				\
} while (0)

/* Sleep on @wq (its lock held) until woken or @end_ns: 0 when it passed. */
long shim_wait_until(wait_queue_head_t *wq, s64 end_ns);

/* As the kernel's: 0 when @timeout passed with @condition false. */
#define wait_event_timeout(wq, condition, timeout) ({			\
	s64 __end = ktime_get() +					\
		    (s64)jiffies_to_usecs(timeout) * NSEC_PER_USEC;	\
	long __left = 1;						\
									\
	might_sleep();							\
	pthread_mutex_lock(&(wq).lock);					\
	while (!(condition) && (__left = shim_wait_until(&(wq), __end))) \
		;							\
	if (!__left && (condition))					\
		__left = 1;						\
	pthread_mutex_unlock(&(wq).lock);				\
	__left;								\
})

#endif
