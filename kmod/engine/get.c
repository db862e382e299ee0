// SPDX-License-Identifier: GPL-2.0
/*
 * Reading values: get, exists, and the read of a value from its log record
 * that get and scan share.
 *
 * A value that lives in the log is read with no lock held and checked
 * afterwards: the record must verify (checksum) and be the put of this key
 * with this length. The space of a record can be reused once the cleaner
 * has moved its key elsewhere (gc.c), so a record that does not match is
 * first compared with the index again: when the key has moved, the read is
 * retried at the new address; only a record the index still points at is
 * damage (-EUCLEAN).
 *
 * Values read from the device and verified go into the store's hot-item
 * cache (cache.c), which is asked first. Its entries are keyed by address
 * and checked against namespace, key and length like a record; callers
 * take cesium_cache_gen() before their index lookup, so that what they
 * read from space the cleaner frees meanwhile is not cached (see
 * cesium_cache_gen()).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../io/backend.h"
#include "bufpool.h"
#include "store_int.h"

/* A reader gives up after this many moves of its key under it. */
#define CESIUM_READ_RETRIES	8

/**
 * cesium_rec_span() - the device range a get reads for a log value.
 * @st:		the store.
 * @key_len:	the key's length.
 * @v:		the index entry, CESIUM_V_LOG.
 * @start:	receives the first byte, aligned to the logical block.
 * @end:	receives the end, aligned likewise.
 */
void cesium_rec_span(struct cesium_store *st, u32 key_len,
		     const struct cesium_vref *v, u64 *start, u64 *end)
{
	u32 lbs = st->be->logical_block_size;

	*start = round_down(v->addr, lbs);
	*end = round_up(v->addr + cesium_rec_size(key_len, v->len), lbs);
}

/**
 * cesium_rec_value() - check a record read for a get, find its value.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @v:		the index entry the record was read for.
 * @r:		the record's bytes, cesium_rec_size(key_len, v->len) of them.
 * @value:	receives where in @r the value's v->len bytes are.
 *
 * Return: 0, or -EUCLEAN when the record is damaged or not this put.
 */
int cesium_rec_value(u64 ns, const u8 *key, u32 key_len,
		     const struct cesium_vref *v, const u8 *r,
		     const u8 **value)
{
	struct cesium_rec rec;
	int ret;

	ret = cesium_rec_verify(r, cesium_rec_size(key_len, v->len), &rec);
	if (ret < 0 || rec.op != CESIUM_REC_PUT || rec.ns != ns ||
	    rec.key_len != key_len || memcmp(rec.key, key, key_len) ||
	    rec.value_len != v->len)
		return -EUCLEAN;
	*value = rec.value;
	return 0;
}

/**
 * cesium_rec_match() - check a record read for a get, copy its value.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @v:		the index entry the record was read for.
 * @r:		the record's bytes, cesium_rec_size(key_len, v->len) of them.
 * @buf:	receives the value.
 *
 * Return: 0, or -EUCLEAN when the record is damaged or not this put.
 */
int cesium_rec_match(u64 ns, const u8 *key, u32 key_len,
		     const struct cesium_vref *v, const u8 *r, void *buf)
{
	const u8 *value;
	int ret;

	ret = cesium_rec_value(ns, key, key_len, v, r, &value);
	if (!ret)
		memcpy(buf, value, v->len);
	return ret;
}

/**
 * cesium_rec_moved() - after a mismatch: where the index points now.
 * @st:		the store.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @v:		the entry the failed read used; updated to the current one.
 * @buf:	receives the value when it is now inline.
 * @buf_len:	room at @buf.
 *
 * Return: 1 when the key still has a log value, elsewhere (read again at
 * @v); 0 when its value is now inline and was copied to @buf; -EUCLEAN
 * when the index still points at the record read (damage; counted);
 * -ENOENT when the key is gone; -EOVERFLOW when its new value does not fit.
 */
int cesium_rec_moved(struct cesium_store *st, u64 ns, const u8 *key,
		     u32 key_len, struct cesium_vref *v, void *buf,
		     u32 buf_len)
{
	struct cesium_vref now;
	int ret;

	down_read(&st->index_lock);
	ret = cesium_lookup(st, ns, key, key_len, &now);
	if (ret)
		goto out;
	if (now.kind == CESIUM_V_LOG && now.addr == v->addr &&
	    now.len == v->len) {
		atomic64_inc(&st->checksum_errors);
		ret = -EUCLEAN;
		goto out;
	}
	if (now.len > buf_len) {
		ret = -EOVERFLOW;
		goto out;
	}
	if (now.kind == CESIUM_V_INLINE) {
		memcpy(buf, now.data, now.len);
		v->len = now.len;
		v->kind = CESIUM_V_INLINE;
		goto out;
	}
	*v = now;
	ret = 1;
out:
	up_read(&st->index_lock);
	return ret;
}

/**
 * cesium_store_buf_alloc() - a command's buffer of @bytes, not zeroed.
 * @st:		the store.
 * @bytes:	its size.
 * @gfp:	GFP_KERNEL, or GFP_NOWAIT for a caller that must not sleep.
 *
 * Up to CESIUM_GET_POOL_BYTES from the store's pool of buffers, which
 * Debian's kernels (init_on_alloc) do not zero at every use as they zero
 * every kmalloc(); larger ones from kvmalloc() (kmalloc() without
 * sleeping). A pool buffer holds what an earlier command left: the caller
 * must hand out only bytes it wrote.
 *
 * Return: the buffer, or NULL.
 */
void *cesium_store_buf_alloc(struct cesium_store *st, size_t bytes, gfp_t gfp)
{
	if (bytes <= st->get_bufs.bytes)
		return cesium_bufpool_get(&st->get_bufs, gfp);
	if (gfpflags_allow_blocking(gfp))
		return kvmalloc(bytes, gfp);
	return kmalloc(bytes, gfp);
}

/**
 * cesium_store_buf_free() - give back a cesium_store_buf_alloc() buffer.
 * @st:		the store.
 * @buf:	the buffer, or NULL.
 * @bytes:	the size it was allocated with.
 */
void cesium_store_buf_free(struct cesium_store *st, void *buf, size_t bytes)
{
	if (bytes <= st->get_bufs.bytes)
		cesium_bufpool_put(&st->get_bufs, buf);
	else
		kvfree(buf);
}

/*
 * The buffer of a device read of @bytes: the pool's (its buffers are
 * aligned to their power-of-two size, as direct I/O needs), else
 * cesium_io_alloc()'s. cesium_store_buf_free() frees either.
 */
static u8 *cesium_read_buf_alloc(struct cesium_store *st, size_t bytes)
{
	if (bytes <= st->get_bufs.bytes)
		return cesium_bufpool_get(&st->get_bufs, GFP_KERNEL);
	return cesium_io_alloc(bytes, GFP_KERNEL);
}

/**
 * cesium_read_record() - read a value from its log record.
 * @st:		the store.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @v:		the key's index entry, CESIUM_V_LOG; updated when the key
 *		moved meanwhile (its length and kind too).
 * @buf:	receives the value; room for @v->len bytes at least.
 * @buf_len:	room at @buf.
 * @cache_gen:	cesium_cache_gen() of the store's cache, taken before the
 *		index lookup that gave @v.
 *
 * From the cache, the pending batch or the device, in that order; the
 * record is checked, and a value read from the device is cached.
 *
 * Context: process context, may sleep; no lock held.
 * Return: 0, or the errors of cesium_rec_moved(), -EIO, -ENOMEM.
 */
int cesium_read_record(struct cesium_store *st, u64 ns, const u8 *key,
		       u32 key_len, struct cesium_vref *v, void *buf,
		       u32 buf_len, u64 cache_gen)
{
	int tries, ret = -EUCLEAN;
	u64 start = 0, end = 0;
	u8 *io = NULL;

	for (tries = 0; tries < CESIUM_READ_RETRIES; tries++) {
		u32 rsize = cesium_rec_size(key_len, v->len);
		bool from_device = false;
		u8 *r;

		if (cesium_cache_get(st->cache, v->addr, ns, key, key_len, buf,
				     v->len)) {
			ret = 0;
			break;
		}
		cesium_store_buf_free(st, io, end - start);
		cesium_rec_span(st, key_len, v, &start, &end);
		io = cesium_read_buf_alloc(st, end - start);
		if (!io)
			return -ENOMEM;
		r = io + (v->addr - start);
		if (!cesium_log_read_pending(&st->log, v->addr, r, rsize)) {
			ret = cesium_be_read(st->be, start, io, end - start);
			if (ret) {
				cesium_io_failed(st, ret);
				break;
			}
			from_device = true;
		}
		ret = cesium_rec_match(ns, key, key_len, v, r, buf);
		if (!ret) {
			if (from_device)
				cesium_cache_insert(st->cache, cache_gen,
						    v->addr, ns, key, key_len,
						    buf, v->len);
			break;
		}
		/* Before the lookup of the retry, as for the first one. */
		cache_gen = cesium_cache_gen(st->cache);
		ret = cesium_rec_moved(st, ns, key, key_len, v, buf, buf_len);
		if (ret <= 0)
			break;
		ret = -EUCLEAN;
	}
	cesium_store_buf_free(st, io, end - start);
	return ret;
}

/**
 * cesium_store_get() - read a key's value.
 * @st:		the store.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @buf:	where the value goes, kernel memory.
 * @buf_len:	its size.
 * @value_len:	receives the value's length (also on -EOVERFLOW).
 *
 * Context: process context, may sleep.
 * Return: 0; -ENOENT; -EOVERFLOW when @buf_len is too small; -EUCLEAN when
 * the value's record is damaged, or the key is absent from a lost range
 * (lost.c); -EIO; -EINVAL/-E2BIG; -ENOMEM.
 */
int cesium_store_get(struct cesium_store *st, u64 ns, const u8 *key,
		     u32 key_len, void *buf, u32 buf_len, u32 *value_len)
{
	struct cesium_vref v;
	u64 cache_gen;
	int ret;

	ret = cesium_check_key(key_len) ?: cesium_check_readable(st);
	if (ret)
		return ret;
	atomic64_inc(&st->gets);

	cache_gen = cesium_cache_gen(st->cache);
	ret = cesium_lookup_rcu(st, ns, key, key_len, &v, buf, buf_len, false);
	if (ret == -EOVERFLOW || !ret)
		*value_len = v.len;
	if (!ret && v.len > buf_len)
		ret = -EOVERFLOW;
	if (ret)
		return ret;

	if (v.kind == CESIUM_V_LOG) {
		ret = cesium_read_record(st, ns, key, key_len, &v, buf,
					 buf_len, cache_gen);
		*value_len = v.len;
		if (ret)
			return ret;
	}
	atomic64_add(v.len, &st->bytes_out);
	return 0;
}

/**
 * cesium_store_exists() - whether a key exists.
 * @st:		the store.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @flags:	0 or CESIUM_ST_NOWAIT (index_lock only tried).
 *
 * Return: 1 or 0; -EUCLEAN for an absent key in a lost range (lost.c);
 * -EINVAL/-E2BIG for a bad key length; -EIO when the store has failed;
 * -EAGAIN with CESIUM_ST_NOWAIT when it would have to wait (not counted).
 */
int cesium_store_exists(struct cesium_store *st, u64 ns, const u8 *key,
			u32 key_len, unsigned int flags)
{
	struct cesium_vref v;
	int ret;

	ret = cesium_check_key(key_len) ?: cesium_check_readable(st);
	if (ret)
		return ret;
	/* No room for an inline value: -EOVERFLOW says it is there. */
	ret = cesium_lookup_rcu(st, ns, key, key_len, &v, NULL, 0,
				flags & CESIUM_ST_NOWAIT);
	if (ret == -EAGAIN)
		return ret;
	atomic64_inc(&st->exists);
	if (ret == -EUCLEAN)
		return ret;
	return ret == 0 || ret == -EOVERFLOW;
}

/**
 * cesium_store_cache_drop() - forget cached values in a stretch of the log.
 * @st:		the store.
 * @start:	first device byte.
 * @end:	end, exclusive.
 *
 * For the log cleaner, when it frees [@start, @end): call it once the
 * index has stopped pointing there (a change made between
 * cesium_index_write_begin() and _end(), whose lock and barriers order it
 * with the cesium_cache_gen() readers take before their lookup) and before
 * the space is written again. It may be called with index_lock held.
 *
 * Context: process context; no allocation.
 */
void cesium_store_cache_drop(struct cesium_store *st, u64 start, u64 end)
{
	cesium_cache_drop_range(st->cache, start, end);
}

/**
 * cesium_store_set_cache_bytes() - the hot-item cache's budget.
 * @st:		the store.
 * @bytes:	entry, key and value bytes it may hold; 0 turns it off and
 *		frees it.
 *
 * Context: process context.
 */
void cesium_store_set_cache_bytes(struct cesium_store *st, u64 bytes)
{
	cesium_cache_set_max_bytes(st->cache, bytes);
}

/**
 * cesium_store_set_cache_admit() - when the hot-item cache takes a value.
 * @st:		the store.
 * @admit:	1: at its first miss; 2: at a second miss the cache's
 *		doorkeeper remembers (see cache.c).
 *
 * Return: 0, or -EINVAL for another @admit.
 */
int cesium_store_set_cache_admit(struct cesium_store *st, unsigned int admit)
{
	return cesium_cache_set_admit(st->cache, admit);
}

/**
 * cesium_store_cache_stats() - a snapshot of the hot-item cache's counters.
 * @st:		the store.
 * @s:		receives them (max_bytes is the budget).
 */
void cesium_store_cache_stats(struct cesium_store *st,
			      struct cesium_cache_stats *s)
{
	cesium_cache_stats(st->cache, s);
}
