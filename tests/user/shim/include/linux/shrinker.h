/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: 6.1's shrinker interface. register_shrinker() allocates
 * (and so can fail with -ENOMEM under injection) as the kernel's does;
 * shim_drop_caches() (shim.h) runs every registered shrinker the way
 * "echo 2 > /proc/sys/vm/drop_caches" does. NUMA and memcg are not there.
 */
#ifndef _SHIM_LINUX_SHRINKER_H
#define _SHIM_LINUX_SHRINKER_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/types.h>

struct mem_cgroup;

struct shrink_control {
	gfp_t gfp_mask;
	int nid;
	unsigned long nr_to_scan;
	unsigned long nr_scanned;
	struct mem_cgroup *memcg;
};

#define SHRINK_STOP (~0UL)
#define SHRINK_EMPTY (~0UL - 1)

struct shrinker {
	unsigned long (*count_objects)(struct shrinker *,
				       struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *,
				      struct shrink_control *sc);

	long batch;	/* reclaim batch size, 0 = default */
	int seeks;	/* seeks to recreate an obj */
	unsigned int flags;

	/* These are for internal use */
	struct list_head list;
	const char *name;
	atomic_long_t *nr_deferred;
};
#define DEFAULT_SEEKS 2

#define SHRINKER_REGISTERED	(1 << 0)
#define SHRINKER_NUMA_AWARE	(1 << 1)
#define SHRINKER_MEMCG_AWARE	(1 << 2)
#define SHRINKER_NONSLAB	(1 << 3)

int __printf(2, 3) register_shrinker(struct shrinker *shrinker,
				     const char *fmt, ...);
void unregister_shrinker(struct shrinker *shrinker);

#endif
