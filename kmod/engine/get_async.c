// SPDX-License-Identifier: GPL-2.0
/*
 * A get in two halves, for callers that must not wait for the device
 * (io_uring): cesium_get_async_start() looks the key up and, for a value in
 * the written log, starts the read of its record and returns -EIOCBQUEUED;
 * when the read ends, the caller's done() runs (interrupt context) and the
 * caller then calls cesium_get_async_finish() from process context, which
 * checks the record as cesium_read_record() does. cesium_get_async_end()
 * counts the get and frees its buffers.
 *
 * With CESIUM_GET_NOWAIT, start never sleeps: index_lock is only tried, the
 * buffers come from GFP_NOWAIT, the read goes out with CESIUM_IO_NOWAIT,
 * and a value still in the pending batch (whose lock is a mutex) is left
 * alone; each of these answers -EAGAIN, for the caller to start again where
 * it may sleep. Nothing is counted and nothing stays allocated then.
 *
 * The record is checked after the read, with no lock held, as get.c does: a
 * record that does not match is compared with the index again
 * (cesium_rec_moved()), and a key the cleaner moved is read again at its
 * new place, synchronously (rare: finish runs where it may sleep). A read
 * that came back -EAGAIN (the queue was full) is also done again
 * synchronously.
 */
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bufpool.h"
#include "get_async.h"
#include "store_int.h"

/*
 * Record spans up to this many bytes are read into kmalloc memory: a power
 * of two, so page-aligned, and available without sleeping. Larger ones
 * need vmalloc, which may sleep.
 */
#define CESIUM_GET_KMALLOC_MAX	(32 * 1024)

/*
 * A buffer of @bytes: from the store's pool (bufpool.c) when it fits one
 * of its buffers (*@pooled, true). Else, for a read (@io), kmalloc memory
 * up to a size and, when it may sleep, vmalloc beyond; for a value,
 * kvmalloc memory, or kmalloc memory up to a size without sleeping.
 */
static void *cesium_get_alloc(struct cesium_store *st, size_t bytes,
			      bool nowait, bool io, bool *pooled)
{
	gfp_t gfp = nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_KERNEL;

	*pooled = bytes <= st->get_bufs.bytes;
	if (*pooled)
		return cesium_bufpool_get(&st->get_bufs, gfp);
	if (!io && !nowait)
		return kvmalloc(bytes, GFP_KERNEL);
	if (bytes <= CESIUM_GET_KMALLOC_MAX)
		return kmalloc(io ? roundup_pow_of_two(bytes) : bytes, gfp);
	return nowait ? NULL : cesium_io_alloc(bytes, GFP_KERNEL);
}

static void cesium_get_free(struct cesium_store *st, void *buf, bool pooled)
{
	if (pooled)
		cesium_bufpool_put(&st->get_bufs, buf);
	else
		kvfree(buf);
}

/* Room at g->value for a value of @len bytes; see cesium_get_alloc(). */
static void *cesium_get_value_alloc(struct cesium_get_async *g, u32 len,
				    bool nowait)
{
	g->value = cesium_get_alloc(g->st, max_t(u32, len, 1), nowait, false,
				    &g->value_pooled);
	return g->value;
}

static void cesium_get_value_free(struct cesium_get_async *g)
{
	if (!g->value_in_io)
		cesium_get_free(g->st, g->value, g->value_pooled);
	g->value = NULL;
	g->value_in_io = false;
}

static void cesium_get_io_free(struct cesium_get_async *g)
{
	cesium_get_free(g->st, g->io_buf, g->io_pooled);
	g->io_buf = NULL;
}

static void cesium_get_io_end(struct cesium_io_req *req, int err)
{
	struct cesium_get_async *g = container_of(req, struct cesium_get_async,
						  io);

	g->io_err = err;
	g->done(g);
}

/*
 * Read the record again where it is now, waiting: the slow path. @gen is
 * the cache's generation from before the lookup that moved g->v.
 */
static int cesium_get_reread(struct cesium_get_async *g, u64 gen)
{
	int ret;

	cesium_get_value_free(g);
	if (!cesium_get_value_alloc(g, g->buf_len, false))
		return -ENOMEM;
	ret = cesium_read_record(g->st, g->ns, g->key, g->key_len, &g->v,
				 g->value, g->buf_len, gen);
	g->value_len = g->v.len;
	return ret;
}

/*
 * Check the record read into io_buf and take its value where it is there
 * (no copy: io_buf then stays until the end); cache it when it came from
 * the device (not from the pending batch), as cesium_read_record() does.
 * May sleep.
 */
static int cesium_get_check(struct cesium_get_async *g, bool from_device)
{
	const u8 *r = g->io_buf + (g->v.addr - g->io_start);
	const u8 *value;
	u64 gen;
	int ret;

	ret = cesium_rec_value(g->ns, g->key, g->key_len, &g->v, r, &value);
	if (!ret) {
		if (from_device)
			cesium_cache_insert(g->st->cache, g->cache_gen,
					    g->v.addr, g->ns, g->key,
					    g->key_len, value, g->v.len);
		cesium_get_value_free(g);
		g->value = (void *)value;
		g->value_in_io = true;
		return 0;
	}
	/* Not this key's put: damage, or the key moved meanwhile. */
	cesium_get_value_free(g);
	if (!cesium_get_value_alloc(g, g->buf_len, false))
		return -ENOMEM;
	gen = cesium_cache_gen(g->st->cache);
	ret = cesium_rec_moved(g->st, g->ns, g->key, g->key_len, &g->v,
			       g->value, g->buf_len);
	g->value_len = g->v.len;
	if (ret == 1)
		ret = cesium_get_reread(g, gen);
	return ret;
}

/**
 * cesium_get_async_start() - look a key up, start reading its value.
 * @g:		the get, its caller's fields set.
 * @flags:	CESIUM_GET_NOWAIT or 0.
 *
 * Context: process context; sleeps only without CESIUM_GET_NOWAIT.
 * Return: 0 when the get is done (the value at @g->value; a value inline in
 * the index, or in the pending batch); -EIOCBQUEUED when the record's read
 * is in flight (@g->done will be called, maybe already was); -EAGAIN with
 * CESIUM_GET_NOWAIT when it would have to sleep (nothing to undo); or the
 * get's error as cesium_store_get() gives it: -ENOENT, -EOVERFLOW (with
 * @g->value_len), -EUCLEAN, -EIO, -EINVAL/-E2BIG, -ENOMEM. Unless -EAGAIN
 * or -EIOCBQUEUED, end with cesium_get_async_end() or _cancel().
 */
int cesium_get_async_start(struct cesium_get_async *g, unsigned int flags)
{
	bool nowait = flags & CESIUM_GET_NOWAIT;
	struct cesium_store *st = g->st;
	u32 rsize;
	u64 end;
	int ret;

	g->value = NULL;
	g->value_pooled = false;
	g->value_in_io = false;
	g->value_len = 0;
	g->io_buf = NULL;
	g->io_pooled = false;
	g->counted = false;
	ret = cesium_check_key(g->key_len) ?: cesium_check_readable(st);
	if (ret)
		return ret;
	g->counted = true;

	/* Room for an inline value, which is never over inline_max. */
	if (!cesium_get_value_alloc(g, min(g->buf_len, st->inline_max),
				    nowait))
		return nowait ? -EAGAIN : -ENOMEM;
	g->cache_gen = cesium_cache_gen(st->cache);
	ret = cesium_lookup_rcu(st, g->ns, g->key, g->key_len, &g->v, g->value,
				min(g->buf_len, st->inline_max), nowait);
	if (!ret || ret == -EOVERFLOW)
		g->value_len = g->v.len;
	if (!ret && g->v.len > g->buf_len)
		ret = -EOVERFLOW;
	/* A pool buffer for the inline value also holds this one. */
	if (ret == -EAGAIN || (!ret && g->v.kind != CESIUM_V_INLINE &&
			       !(g->value_pooled &&
				 g->v.len <= g->st->get_bufs.bytes)))
		cesium_get_value_free(g);
	if (ret == -EAGAIN)
		g->counted = false;
	if (ret || g->v.kind == CESIUM_V_INLINE)
		return ret;

	/*
	 * A hot value: from the cache, no device read. The buffer stays for
	 * the record's value on a miss; without it (no memory at once) the
	 * cache is not asked and finish allocates one.
	 */
	if (!g->value)
		cesium_get_value_alloc(g, g->v.len, nowait);
	if (g->value && cesium_cache_get(st->cache, g->v.addr, g->ns, g->key,
					 g->key_len, g->value, g->v.len))
		return 0;

	rsize = cesium_rec_size(g->key_len, g->v.len);
	if (nowait && !cesium_log_written(&st->log, g->v.addr, rsize))
		goto out_again;
	cesium_rec_span(st, g->key_len, &g->v, &g->io_start, &end);
	g->io_buf = cesium_get_alloc(st, end - g->io_start, nowait, true,
				     &g->io_pooled);
	if (!g->io_buf) {
		if (nowait)
			goto out_again;
		return -ENOMEM;
	}
	if (!nowait && cesium_log_read_pending(&st->log, g->v.addr,
					       g->io_buf + (g->v.addr -
							    g->io_start),
					       rsize))
		return cesium_get_check(g, false);

	g->io.end = cesium_get_io_end;
	ret = cesium_be_read_async(st->be, &g->io, g->io_start, g->io_buf,
				   end - g->io_start,
				   nowait ? CESIUM_IO_NOWAIT : 0);
	if (nowait && ret == -EAGAIN)
		goto out_again;
	if (ret)
		return ret;
	/* @g may be finished and freed already. */
	return -EIOCBQUEUED;

out_again:
	/* Nothing stays allocated, nothing is counted. */
	cesium_get_async_cancel(g);
	g->counted = false;
	return -EAGAIN;
}

/**
 * cesium_get_async_finish() - after @g->done: check the record read.
 * @g:		the get.
 *
 * Context: process context, may sleep (a key that moved is read again,
 * waiting).
 * Return: as cesium_get_async_start() without -EIOCBQUEUED and -EAGAIN.
 */
int cesium_get_async_finish(struct cesium_get_async *g)
{
	int ret = g->io_err;

	if (ret == -EAGAIN)
		ret = cesium_get_reread(g, g->cache_gen);
	else if (ret)
		ret = cesium_io_failed(g->st, ret);
	else
		ret = cesium_get_check(g, true);
	if (!g->value_in_io)
		cesium_get_io_free(g);
	return ret;
}

/**
 * cesium_get_async_end() - count a finished get and free its buffers.
 * @g:		the get.
 * @ret:	what start or finish returned.
 *
 * Counted as cesium_store_get() counts: the get once it passed its checks
 * (a failed store's -EIO is not counted), and the value's bytes when it
 * was found.
 */
void cesium_get_async_end(struct cesium_get_async *g, int ret)
{
	if (g->counted)
		atomic64_inc(&g->st->gets);
	if (!ret)
		atomic64_add(g->value_len, &g->st->bytes_out);
	cesium_get_async_cancel(g);
}

/**
 * cesium_get_async_cancel() - free a get's buffers, count nothing: the
 * caller starts it again elsewhere.
 * @g:		the get.
 */
void cesium_get_async_cancel(struct cesium_get_async *g)
{
	cesium_get_value_free(g);
	cesium_get_io_free(g);
}
