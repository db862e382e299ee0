/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The storage backend interface: what the engine needs from a device, and
 * nothing about keys. Two backends implement it: bio (a block device) and
 * memory (KUnit and the user-space tests).
 *
 * Offsets and lengths are bytes and must be multiples of
 * logical_block_size; buffers are kernel memory (kmalloc or vmalloc) and
 * need no particular alignment beyond what the memory allocator gives.
 * Every call may sleep, except read_async() with CESIUM_IO_NOWAIT.
 */
#ifndef _CESIUM_IO_BACKEND_H
#define _CESIUM_IO_BACKEND_H

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/types.h>

struct cesium_backend;

/* Flags of a write. */
#define CESIUM_IO_PREFLUSH	(1U << 0)	/* earlier writes stable first */
#define CESIUM_IO_FUA		(1U << 1)	/* this write stable on return */
/* Flag of an asynchronous read: -EAGAIN rather than block. */
#define CESIUM_IO_NOWAIT	(1U << 2)

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

struct cesium_io_req;

/*
 * The end of an asynchronous read: @err is 0, -EIO, or -EAGAIN when a read
 * started with CESIUM_IO_NOWAIT would have had to wait in the device's
 * queue. Called once, from any context (a bio's end_io: interrupt), possibly
 * before read_async() returns. The request's memory may be freed in it.
 */
typedef void (*cesium_io_end_t)(struct cesium_io_req *req, int err);

/**
 * struct cesium_io_req - an asynchronous read or write, in the caller's
 * memory.
 * @end:	set by the caller: called when the read ends.
 * @be:	the backend; the fields from here on belong to it.
 * @off:	device offset read or written.
 * @buf:	where to, or from.
 * @len:	bytes.
 * @write:	a write (else a read).
 * @flags:	its CESIUM_IO_* flags.
 * @pending:	parts still in flight, plus one while they are submitted.
 * @error:	the first error of a part, a negative errno.
 */
struct cesium_io_req {
	cesium_io_end_t end;
	struct cesium_backend *be;
	u64 off;
	void *buf;
	size_t len;
	bool write;
	unsigned int flags;
	atomic_t pending;
	int error;
};

struct cesium_backend_ops {
	/* Read @len bytes at @off into @buf. 0 or -EIO. */
	int (*read)(struct cesium_backend *be, u64 off, void *buf, size_t len);
	/* Write @len bytes at @off from @buf; CESIUM_IO_* @flags. 0 or -EIO. */
	int (*write)(struct cesium_backend *be, u64 off, const void *buf,
		     size_t len, unsigned int flags);
	/*
	 * Start reading @len bytes at @off into @buf; @req->end is called
	 * when the read ends. CESIUM_IO_NOWAIT @flags: never sleep (the bio
	 * backend then needs a queue that takes REQ_NOWAIT). 0 when started;
	 * else -EAGAIN (with CESIUM_IO_NOWAIT), -ENOMEM or -EINVAL, and
	 * @req->end is not called.
	 */
	int (*read_async)(struct cesium_backend *be, struct cesium_io_req *req,
			  u64 off, void *buf, size_t len, unsigned int flags);
	/*
	 * Start writing @len bytes at @off from @buf, CESIUM_IO_* @flags as
	 * write(); @req->end is called when the write ends (0 or -EIO). 0
	 * when started; else -ENOMEM or -EINVAL, and @req->end is not
	 * called. Optional: cesium_be_write_async() falls back on write().
	 */
	int (*write_async)(struct cesium_backend *be, struct cesium_io_req *req,
			   u64 off, const void *buf, size_t len,
			   unsigned int flags);
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

/**
 * cesium_be_read_async() - start an asynchronous read.
 * @be:		the backend.
 * @req:	the request, @req->end set; in use until @req->end is called.
 * @off:	device offset, a multiple of the logical block size.
 * @buf:	destination, aligned likewise; kmalloc or vmalloc memory.
 * @len:	bytes, a multiple of the logical block size.
 * @flags:	CESIUM_IO_NOWAIT or 0.
 *
 * Device I/O is counted in @be->stats as a synchronous read's is.
 *
 * Context: process context; may sleep unless CESIUM_IO_NOWAIT.
 * Return: 0 when started (@req->end will be called, maybe already was);
 * -EAGAIN, -ENOMEM, -EINVAL or -EOPNOTSUPP when not.
 */
static inline int cesium_be_read_async(struct cesium_backend *be,
				       struct cesium_io_req *req, u64 off,
				       void *buf, size_t len,
				       unsigned int flags)
{
	if (!be->ops->read_async)
		return -EOPNOTSUPP;
	req->be = be;
	req->off = off;
	req->buf = buf;
	req->len = len;
	req->write = false;
	req->flags = flags;
	req->error = 0;
	atomic_set(&req->pending, 1);
	return be->ops->read_async(be, req, off, buf, len, flags);
}

/**
 * cesium_be_write_async() - start an asynchronous write.
 * @be:		the backend.
 * @req:	the request, @req->end set; in use until @req->end is called.
 * @off:	device offset, a multiple of the logical block size.
 * @buf:	source, aligned likewise; kmalloc or vmalloc memory, left
 *		alone until @req->end is called.
 * @len:	bytes, a multiple of the logical block size.
 * @flags:	CESIUM_IO_PREFLUSH, CESIUM_IO_FUA.
 *
 * Context: process context, may sleep.
 * Return: 0 when started (@req->end will be called, maybe already was);
 * -ENOMEM or -EINVAL when not.
 */
static inline int cesium_be_write_async(struct cesium_backend *be,
					struct cesium_io_req *req, u64 off,
					const void *buf, size_t len,
					unsigned int flags)
{
	req->be = be;
	req->off = off;
	req->buf = (void *)buf;
	req->len = len;
	req->write = true;
	req->flags = flags;
	req->error = 0;
	atomic_set(&req->pending, 1);
	if (!be->ops->write_async) {
		req->end(req, be->ops->write(be, off, buf, len, flags));
		return 0;
	}
	return be->ops->write_async(be, req, off, buf, len, flags);
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
/*
 * ... and end asynchronous writes later, from a workqueue, after up to
 * @max_delay jiffies each, so that they end out of order.
 */
void cesium_mem_backend_set_write_delay(struct cesium_backend *be,
					unsigned long max_delay);
void cesium_mem_backend_hold_writes(struct cesium_backend *be, bool hold);

#endif /* _CESIUM_IO_BACKEND_H */
