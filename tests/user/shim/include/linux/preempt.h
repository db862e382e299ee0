/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: atomic context is a per-thread depth (shim.c), raised by
 * preempt_disable(), spin_lock*() and rcu_read_lock(); might_sleep() there
 * WARNs.
 */
#ifndef _SHIM_LINUX_PREEMPT_H
#define _SHIM_LINUX_PREEMPT_H

extern __thread int shim_atomic_depth;

#define preempt_disable()	do { shim_atomic_depth++; } while (0)
#define preempt_enable()	do { shim_atomic_depth--; } while (0)
#define in_atomic()		(shim_atomic_depth > 0)
#define in_interrupt()		0
#define in_task()		1
#define irqs_disabled()		0

#endif
