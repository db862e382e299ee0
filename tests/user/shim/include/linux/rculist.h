/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: the RCU variants of hash lists, as in the kernel.
 * Walking one outside rcu_read_lock() (and without the optional lockdep
 * condition being true) WARNs once.
 */
#ifndef _SHIM_LINUX_RCULIST_H
#define _SHIM_LINUX_RCULIST_H

#include <linux/bug.h>
#include <linux/list.h>
#include <linux/rcupdate.h>

#define __shim_list_check_rcu(dummy, cond, extra...)			\
	WARN_ONCE(!(cond) && !rcu_read_lock_held(),			\
		  "shim: RCU list traversed in non-reader section")

static inline void hlist_add_head_rcu(struct hlist_node *n,
				      struct hlist_head *h)
{
	struct hlist_node *first = h->first;

	n->next = first;
	WRITE_ONCE(n->pprev, &h->first);
	rcu_assign_pointer(h->first, n);
	if (first)
		WRITE_ONCE(first->pprev, &n->next);
}

/* n->next stays intact: a reader standing on @n goes on walking. */
static inline void hlist_del_rcu(struct hlist_node *n)
{
	__hlist_del(n);
	WRITE_ONCE(n->pprev, LIST_POISON2);
}

static inline void hlist_del_init_rcu(struct hlist_node *n)
{
	if (!hlist_unhashed(n)) {
		__hlist_del(n);
		WRITE_ONCE(n->pprev, NULL);
	}
}

#define hlist_for_each_entry_rcu(pos, head, member, cond...)		\
	for (__shim_list_check_rcu(dummy, ## cond, 0),			\
	     pos = hlist_entry_safe(rcu_dereference((head)->first),	\
				    typeof(*(pos)), member);		\
	     pos;							\
	     pos = hlist_entry_safe(rcu_dereference((pos)->member.next), \
				    typeof(*(pos)), member))

#endif
