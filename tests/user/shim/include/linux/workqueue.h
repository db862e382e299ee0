/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: each workqueue is one pthread that runs its work items
 * in order (max_active is taken as 1; the kernel may run more at once);
 * delayed work waits on CLOCK_MONOTONIC. Cancel, flush and destroy wait as
 * the kernel's do; destroying a workqueue with delayed work still armed
 * WARNs (the kernel's timer would fire on freed memory).
 */
#ifndef _SHIM_LINUX_WORKQUEUE_H
#define _SHIM_LINUX_WORKQUEUE_H

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/list.h>

struct workqueue_struct;
struct work_struct;

typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	struct list_head entry;
	work_func_t func;
	/* private: */
	struct workqueue_struct *wq;
	bool pending;
	bool canceling;		/* cancel_*_sync() waits: no requeue */
	s64 due_ns;		/* delayed work: when it may run */
};

/* Only for timer_pending(&dwork->timer). */
struct timer_list {
	char unused;
};

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
};

#define WQ_UNBOUND		(1 << 1)
#define WQ_FREEZABLE		(1 << 2)
#define WQ_MEM_RECLAIM		(1 << 3)
#define WQ_HIGHPRI		(1 << 4)
#define WQ_CPU_INTENSIVE	(1 << 5)
#define WQ_SYSFS		(1 << 6)

#define INIT_WORK(_work, _func) do {					\
	INIT_LIST_HEAD(&(_work)->entry);				\
	(_work)->func = (_func);					\
	(_work)->wq = NULL;						\
	(_work)->pending = false;					\
	(_work)->canceling = false;					\
	(_work)->due_ns = 0;						\
} while (0)
#define INIT_DELAYED_WORK(_dwork, _func) INIT_WORK(&(_dwork)->work, _func)

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

extern struct workqueue_struct *system_wq;
/* One shared queue stands for both. */
#define system_unbound_wq	system_wq

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...)
	__printf(1, 4);
#define alloc_ordered_workqueue(fmt, flags, args...) \
	alloc_workqueue(fmt, flags, 1, ##args)
void destroy_workqueue(struct workqueue_struct *wq);
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
bool queue_delayed_work(struct workqueue_struct *wq,
			struct delayed_work *dwork, unsigned long delay);
bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
		      unsigned long delay);
bool cancel_work_sync(struct work_struct *work);
bool cancel_delayed_work_sync(struct delayed_work *dwork);
bool cancel_delayed_work(struct delayed_work *dwork);
bool flush_work(struct work_struct *work);
bool flush_delayed_work(struct delayed_work *dwork);
void flush_workqueue(struct workqueue_struct *wq);
void drain_workqueue(struct workqueue_struct *wq);

static inline bool work_pending(struct work_struct *work)
{
	return READ_ONCE(work->pending);
}

#define delayed_work_pending(w) work_pending(&(w)->work)

/* A delayed work's timer: pending while it waits for its time to come. */
static inline bool timer_pending(const struct timer_list *timer)
{
	const struct delayed_work *dw = container_of(timer,
						     const struct delayed_work,
						     timer);

	return work_pending((struct work_struct *)&dw->work) &&
	       READ_ONCE(dw->work.due_ns) > ktime_get();
}

static inline bool schedule_work(struct work_struct *work)
{
	return queue_work(system_wq, work);
}

static inline bool schedule_delayed_work(struct delayed_work *dwork,
					 unsigned long delay)
{
	return queue_delayed_work(system_wq, dwork, delay);
}

#endif
