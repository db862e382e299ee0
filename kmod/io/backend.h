/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The storage backend interface: what the engine needs from a device, and
 * nothing about keys. Two backends implement it: bio (a block device) and
 * memory (KUnit and the user-space tests).
 *
 * Offsets and lengths are bytes and must be multiples of
 * logical_block_size; buffers are kernel memory (kmalloc or vmalloc) and
 * need no particular alignment beyond what the memory allocator gives.
 * Every call may sleep.
 */
#ifndef _CESIUM_IO_BACKEND_H
#define _CESIUM_IO_BACKEND_H

#include <linux/types.h>
#include <linux/atomic.h>

struct cesium_backend;

/* Flags of a write. */
#define CESIUM_IO_PREFLUSH	(1U << 0)	/* earlier writes stable first */
#define CESIUM_IO_FUA		(1U << 1)	/* this write stable on return */

/**
 * struct cesium_io_stats - device I/O done through a backend.
 * Counted by the backend, read without locks (approximate while I/O runs).
 */
struct cesium_io_stats {
	atomic64_t reads;
	atomic64_t read_bytes;
	atomic64_t writes;
	atomic64_t write_bytes;
	atomic64_t flushes;
	atomic64_t discards;
	atomic64_t discard_bytes;
	atomic64_t errors;
};

struct cesium_backend_ops {
	/* Read @len bytes at @off into @buf. 0 or -EIO. */
	int (*read)(struct cesium_backend *be, u64 off, void *buf, size_t len);
	/* Write @len bytes at @off from @buf; CESIUM_IO_* @flags. 0 or -EIO. */
	int (*write)(struct cesium_backend *be, u64 off, const void *buf,
		     size_t len, unsigned int flags);
	/* Make every completed write stable. 0 or -EIO. */
	int (*flush)(struct cesium_backend *be);
	/*
	 * Tell the device @len bytes at @off are unused: 0, -EOPNOTSUPP when
	 * it takes no discards, -EIO. What reads return there afterwards is
	 * up to the device.
	 */
	int (*discard)(struct cesium_backend *be, u64 off, u64 len);
	/* False once the device is gone (removed, dead): nothing will work. */
	bool (*alive)(struct cesium_backend *be);
	/* Give the device back and free @be. */
	void (*release)(struct cesium_backend *be);
};

/**
 * struct cesium_backend - one device as the engine sees it.
 * @size_bytes:		usable size, a multiple of @logical_block_size.
 * @logical_block_size:	smallest addressable unit.
 * @physical_block_size: unit of atomic device writes.
 * @io_opt_bytes:	optimal I/O size (0 if the device gives none).
 * @max_io_bytes:	largest single request the device takes.
 * @write_cache:	the device has a volatile write cache (flushes matter).
 * @name:		for messages, e.g. "nvme0n1".
 */
struct cesium_backend {
	const struct cesium_backend_ops *ops;
	u64 size_bytes;
	u32 logical_block_size;
	u32 physical_block_size;
	u32 io_opt_bytes;
	u32 max_io_bytes;
	bool write_cache;
	char name[32];
	struct cesium_io_stats stats;
};

static inline int cesium_be_read(struct cesium_backend *be, u64 off,
				 void *buf, size_t len)
{
	return be->ops->read(be, off, buf, len);
}

static inline int cesium_be_write(struct cesium_backend *be, u64 off,
				  const void *buf, size_t len,
				  unsigned int flags)
{
	return be->ops->write(be, off, buf, len, flags);
}

static inline int cesium_be_flush(struct cesium_backend *be)
{
	return be->ops->flush(be);
}

static inline int cesium_be_discard(struct cesium_backend *be, u64 off,
				    u64 len)
{
	return be->ops->discard(be, off, len);
}

static inline bool cesium_be_alive(struct cesium_backend *be)
{
	return be->ops->alive(be);
}

static inline void cesium_be_release(struct cesium_backend *be)
{
	be->ops->release(be);
}

/* Memory backend (kmod/io/mem.c), for tests. */
struct cesium_backend *cesium_mem_backend_create(u64 size_bytes,
						 u32 logical_block_size);
/* Test hooks of the memory backend: fail I/O from now on (-EIO). */
void cesium_mem_backend_set_fail(struct cesium_backend *be, bool fail_reads,
				 bool fail_writes);

#endif /* _CESIUM_IO_BACKEND_H */
