// SPDX-License-Identifier: GPL-2.0
/*
 * Buffers of one size kept for reuse, for the gets of values in the log.
 *
 * Kernels built with init_on_alloc (Debian's are) zero every allocation:
 * a uring_cmd GET of a 4 KiB value allocated and zeroed 12 KiB (the
 * record's blocks and the value), a tenth of all CPU samples of such gets
 * at QD 32 (tools/bench/results/profile.md). A get overwrites every byte
 * of its buffers that it uses (the device read, then the record check), so
 * a buffer a finished get gave back serves the next one as it is. A pool
 * keeps at most CESIUM_BUFPOOL_MAX (256 KiB of 8 KiB buffers per store, a
 * fixed reserve as a mempool's); beyond that buffers are allocated and
 * freed as before.
 */
#include <linux/slab.h>

#include "bufpool.h"

/**
 * cesium_bufpool_init() - an empty pool.
 * @p:		the pool.
 * @bytes:	its buffers' size, a power of two.
 */
void cesium_bufpool_init(struct cesium_bufpool *p, u32 bytes)
{
	spin_lock_init(&p->lock);
	p->nr = 0;
	p->bytes = bytes;
}

/**
 * cesium_bufpool_destroy() - free the pool's buffers.
 * @p:		the pool; nobody uses it any more.
 */
void cesium_bufpool_destroy(struct cesium_bufpool *p)
{
	while (p->nr)
		kfree(p->free[--p->nr]);
}

/**
 * cesium_bufpool_get() - a buffer of @p->bytes bytes, not zeroed.
 * @p:		the pool.
 * @gfp:	for an allocation when the pool is empty.
 *
 * Context: any context that @gfp suits.
 * Return: the buffer, or NULL.
 */
void *cesium_bufpool_get(struct cesium_bufpool *p, gfp_t gfp)
{
	unsigned long flags;
	void *buf = NULL;

	spin_lock_irqsave(&p->lock, flags);
	if (p->nr)
		buf = p->free[--p->nr];
	spin_unlock_irqrestore(&p->lock, flags);
	return buf ?: kmalloc(p->bytes, gfp);
}

/**
 * cesium_bufpool_put() - give back a buffer of cesium_bufpool_get().
 * @p:		the pool.
 * @buf:	the buffer, or NULL.
 *
 * Context: any context.
 */
void cesium_bufpool_put(struct cesium_bufpool *p, void *buf)
{
	unsigned long flags;

	if (!buf)
		return;
	spin_lock_irqsave(&p->lock, flags);
	if (p->nr < CESIUM_BUFPOOL_MAX) {
		p->free[p->nr++] = buf;
		buf = NULL;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	kfree(buf);
}
