/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A few buffers of one size, kept for reuse (bufpool.c).
 */
#ifndef _CESIUM_ENGINE_BUFPOOL_H
#define _CESIUM_ENGINE_BUFPOOL_H

#include <linux/spinlock.h>
#include <linux/types.h>

/* Buffers a pool keeps at most. */
#define CESIUM_BUFPOOL_MAX	32

/**
 * struct cesium_bufpool - free buffers of @bytes bytes.
 * @lock:	protects @nr and @free.
 * @nr:		buffers in @free.
 * @bytes:	their size, a power of two (so aligned to it, as kmalloc()
 *		aligns such sizes: direct I/O can use them).
 * @free:	the buffers.
 */
struct cesium_bufpool {
	spinlock_t lock;
	u32 nr;
	u32 bytes;
	void *free[CESIUM_BUFPOOL_MAX];
};

void cesium_bufpool_init(struct cesium_bufpool *p, u32 bytes);
void cesium_bufpool_destroy(struct cesium_bufpool *p);
void *cesium_bufpool_get(struct cesium_bufpool *p, gfp_t gfp);
void cesium_bufpool_put(struct cesium_bufpool *p, void *buf);

#endif /* _CESIUM_ENGINE_BUFPOOL_H */
