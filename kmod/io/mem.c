// SPDX-License-Identifier: GPL-2.0
/*
 * The memory backend: a vmalloc'ed "device" for KUnit and the user-space
 * tests. It has no write cache, so every completed write is stable; tests
 * can make it fail reads or writes to exercise the error paths. An
 * asynchronous read ends before read_async() returns; an asynchronous write
 * too, unless a test asked for delays (cesium_mem_backend_set_write_delay()):
 * then it is done and ends from a workqueue, later and out of order; or
 * holds them (cesium_mem_backend_hold_writes()) until it lets them end,
 * newest first.
 */
#include <linux/list.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "backend.h"

struct cesium_mem_backend {
	struct cesium_backend be;
	u8 *data;
	bool fail_reads;
	bool fail_writes;
	unsigned long write_delay;	/* jiffies, at most */
	atomic_t delayed;		/* delayed writes not ended */
	spinlock_t hold_lock;		/* protects hold and held */
	bool hold;			/* keep asynchronous writes */
	struct list_head held;		/* struct cesium_mem_write, newest first */
};

/* A delayed asynchronous write. */
struct cesium_mem_write {
	struct delayed_work dwork;
	struct list_head node;		/* on held */
	struct cesium_backend *be;
	struct cesium_io_req *req;
	unsigned int flags;
};

static struct cesium_mem_backend *to_mem_be(struct cesium_backend *be)
{
	return container_of(be, struct cesium_mem_backend, be);
}

static int cesium_mem_check(struct cesium_backend *be, u64 off, size_t len)
{
	if (WARN_ON_ONCE(!IS_ALIGNED(off | len, be->logical_block_size) ||
			 off + len > be->size_bytes || off + len < off))
		return -EINVAL;
	return 0;
}

static int cesium_mem_read(struct cesium_backend *be, u64 off, void *buf,
			   size_t len)
{
	struct cesium_mem_backend *m = to_mem_be(be);
	int ret = cesium_mem_check(be, off, len);

	if (ret)
		return ret;
	atomic64_inc(&be->stats.reads);
	atomic64_add(len, &be->stats.read_bytes);
	if (READ_ONCE(m->fail_reads)) {
		atomic64_inc(&be->stats.errors);
		return -EIO;
	}
	memcpy(buf, m->data + off, len);
	return 0;
}

/* The memory needs no waiting: the read is done before this returns. */
static int cesium_mem_read_async(struct cesium_backend *be,
				 struct cesium_io_req *req, u64 off, void *buf,
				 size_t len, unsigned int flags)
{
	int ret = cesium_mem_check(be, off, len);

	if (ret)
		return ret;
	req->end(req, cesium_mem_read(be, off, buf, len));
	return 0;
}

static int cesium_mem_write(struct cesium_backend *be, u64 off,
			    const void *buf, size_t len, unsigned int flags)
{
	struct cesium_mem_backend *m = to_mem_be(be);
	int ret = cesium_mem_check(be, off, len);

	if (ret)
		return ret;
	atomic64_inc(&be->stats.writes);
	atomic64_add(len, &be->stats.write_bytes);
	if (flags & CESIUM_IO_PREFLUSH)
		atomic64_inc(&be->stats.flushes);
	if (READ_ONCE(m->fail_writes)) {
		atomic64_inc(&be->stats.errors);
		return -EIO;
	}
	memcpy(m->data + off, buf, len);
	return 0;
}

static void cesium_mem_write_work(struct work_struct *work)
{
	struct cesium_mem_write *w = container_of(to_delayed_work(work),
						  struct cesium_mem_write,
						  dwork);
	struct cesium_mem_backend *m = to_mem_be(w->be);
	struct cesium_io_req *req = w->req;
	int err;

	err = cesium_mem_write(w->be, req->off, req->buf, req->len, w->flags);
	/*
	 * Before the end: once it has run, the owner may release the
	 * device, and nothing here touches it any more.
	 */
	atomic_dec(&m->delayed);
	req->end(req, err);
	kfree(w);
}

static int cesium_mem_write_async(struct cesium_backend *be,
				  struct cesium_io_req *req, u64 off,
				  const void *buf, size_t len,
				  unsigned int flags)
{
	struct cesium_mem_backend *m = to_mem_be(be);
	unsigned long delay = READ_ONCE(m->write_delay);
	struct cesium_mem_write *w;
	int ret = cesium_mem_check(be, off, len);

	if (ret)
		return ret;
	if (!delay && !READ_ONCE(m->hold)) {
		req->end(req, cesium_mem_write(be, off, buf, len, flags));
		return 0;
	}
	w = kmalloc(sizeof(*w), GFP_NOIO);
	if (!w)
		return -ENOMEM;
	INIT_DELAYED_WORK(&w->dwork, cesium_mem_write_work);
	w->be = be;
	w->req = req;
	w->flags = flags;
	atomic_inc(&m->delayed);
	spin_lock(&m->hold_lock);
	if (m->hold) {
		list_add(&w->node, &m->held);
		spin_unlock(&m->hold_lock);
		return 0;
	}
	spin_unlock(&m->hold_lock);
	queue_delayed_work(system_unbound_wq, &w->dwork,
			   get_random_u32_below(delay + 1));
	return 0;
}

static int cesium_mem_flush(struct cesium_backend *be)
{
	atomic64_inc(&be->stats.flushes);
	return READ_ONCE(to_mem_be(be)->fail_writes) ? -EIO : 0;
}

/* Discarded bytes read back as zeroes, as on a device that says so. */
static int cesium_mem_discard(struct cesium_backend *be, u64 off, u64 len)
{
	struct cesium_mem_backend *m = to_mem_be(be);
	int ret = cesium_mem_check(be, off, len);

	if (ret)
		return ret;
	atomic64_inc(&be->stats.discards);
	atomic64_add(len, &be->stats.discard_bytes);
	if (READ_ONCE(m->fail_writes)) {
		atomic64_inc(&be->stats.errors);
		return -EIO;
	}
	memset(m->data + off, 0, len);
	return 0;
}

/* A memory device that fails both reads and writes plays a removed one. */
static bool cesium_mem_alive(struct cesium_backend *be)
{
	struct cesium_mem_backend *m = to_mem_be(be);

	return !(READ_ONCE(m->fail_reads) && READ_ONCE(m->fail_writes));
}

static void cesium_mem_release(struct cesium_backend *be)
{
	struct cesium_mem_backend *m = to_mem_be(be);

	/* The owner waits for its writes before it lets the device go. */
	WARN_ON_ONCE(atomic_read(&m->delayed));
	vfree(m->data);
	kfree(m);
}

static const struct cesium_backend_ops cesium_mem_ops = {
	.read = cesium_mem_read,
	.read_async = cesium_mem_read_async,
	.write = cesium_mem_write,
	.write_async = cesium_mem_write_async,
	.flush = cesium_mem_flush,
	.discard = cesium_mem_discard,
	.alive = cesium_mem_alive,
	.release = cesium_mem_release,
};

/**
 * cesium_mem_backend_create() - a zero-filled memory device.
 * @size_bytes:		size, rounded down to @logical_block_size.
 * @logical_block_size:	512 or 4096, say.
 *
 * Context: process context, may sleep.
 * Return: the backend, or NULL when out of memory or for a bad size.
 */
struct cesium_backend *cesium_mem_backend_create(u64 size_bytes,
						 u32 logical_block_size)
{
	struct cesium_mem_backend *m;

	if (!logical_block_size || (logical_block_size & 511) ||
	    logical_block_size > PAGE_SIZE ||
	    size_bytes < logical_block_size)
		return NULL;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return NULL;
	size_bytes = round_down(size_bytes, logical_block_size);
	m->data = vzalloc(size_bytes);
	if (!m->data) {
		kfree(m);
		return NULL;
	}
	spin_lock_init(&m->hold_lock);
	INIT_LIST_HEAD(&m->held);
	m->be.ops = &cesium_mem_ops;
	m->be.size_bytes = size_bytes;
	m->be.logical_block_size = logical_block_size;
	m->be.physical_block_size = logical_block_size;
	m->be.max_io_bytes = 1U << 20;
	strscpy(m->be.name, "mem", sizeof(m->be.name));
	return &m->be;
}

/**
 * cesium_mem_backend_set_fail() - make later I/O fail with -EIO.
 * @be:		a memory backend.
 * @fail_reads:	reads fail.
 * @fail_writes: writes and flushes fail.
 */
void cesium_mem_backend_set_fail(struct cesium_backend *be, bool fail_reads,
				 bool fail_writes)
{
	WRITE_ONCE(to_mem_be(be)->fail_reads, fail_reads);
	WRITE_ONCE(to_mem_be(be)->fail_writes, fail_writes);
}

/**
 * cesium_mem_backend_set_write_delay() - end asynchronous writes later.
 * @be:		a memory backend.
 * @max_delay:	each ends after 0..@max_delay jiffies; 0: at once.
 */
void cesium_mem_backend_set_write_delay(struct cesium_backend *be,
					unsigned long max_delay)
{
	WRITE_ONCE(to_mem_be(be)->write_delay, max_delay);
}

/**
 * cesium_mem_backend_hold_writes() - keep asynchronous writes from ending.
 * @be:		a memory backend.
 * @hold:	true: writes started from now on stay in flight; false: the
 *		held ones are done and end now, newest first (out of order),
 *		in the caller's context.
 */
void cesium_mem_backend_hold_writes(struct cesium_backend *be, bool hold)
{
	struct cesium_mem_backend *m = to_mem_be(be);
	struct cesium_mem_write *w, *tmp;
	LIST_HEAD(held);

	spin_lock(&m->hold_lock);
	WRITE_ONCE(m->hold, hold);
	while (!hold && !list_empty(&m->held))
		list_move_tail(m->held.next, &held);
	spin_unlock(&m->hold_lock);
	list_for_each_entry_safe(w, tmp, &held, node) {
		list_del(&w->node);
		cesium_mem_write_work(&w->dwork.work);
	}
}
