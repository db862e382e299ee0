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
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../io/backend.h"
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
	struct cesium_rec rec;
	int ret;

	ret = cesium_rec_verify(r, cesium_rec_size(key_len, v->len), &rec);
	if (ret < 0 || rec.op != CESIUM_REC_PUT || rec.ns != ns ||
	    rec.key_len != key_len || memcmp(rec.key, key, key_len) ||
	    rec.value_len != v->len)
		return -EUCLEAN;
	memcpy(buf, rec.value, v->len);
	return 0;
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

/*
 * Read a value from its log record (pending batch or device) and check the
 * record. @v is updated when the key moved meanwhile (its length too).
 */
int cesium_read_record(struct cesium_store *st, u64 ns, const u8 *key,
		       u32 key_len, struct cesium_vref *v, void *buf,
		       u32 buf_len)
{
	int tries, ret = -EUCLEAN;
	u64 start, end;
	u8 *io = NULL;

	for (tries = 0; tries < CESIUM_READ_RETRIES; tries++) {
		u32 rsize = cesium_rec_size(key_len, v->len);
		u8 *r;

		cesium_rec_span(st, key_len, v, &start, &end);
		kvfree(io);
		io = cesium_io_alloc(end - start, GFP_KERNEL);
		if (!io)
			return -ENOMEM;
		r = io + (v->addr - start);
		if (!cesium_log_read_pending(&st->log, v->addr, r, rsize)) {
			ret = cesium_be_read(st->be, start, io, end - start);
			if (ret) {
				cesium_io_failed(st, ret);
				break;
			}
		}
		ret = cesium_rec_match(ns, key, key_len, v, r, buf);
		if (!ret)
			break;
		ret = cesium_rec_moved(st, ns, key, key_len, v, buf, buf_len);
		if (ret <= 0)
			break;
		ret = -EUCLEAN;
	}
	kvfree(io);
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
 * the value's record is damaged; -EIO; -EINVAL/-E2BIG; -ENOMEM.
 */
int cesium_store_get(struct cesium_store *st, u64 ns, const u8 *key,
		     u32 key_len, void *buf, u32 buf_len, u32 *value_len)
{
	struct cesium_vref v;
	int ret;

	ret = cesium_check_key(key_len) ?: cesium_check_readable(st);
	if (ret)
		return ret;
	atomic64_inc(&st->gets);

	down_read(&st->index_lock);
	ret = cesium_lookup(st, ns, key, key_len, &v);
	if (!ret) {
		*value_len = v.len;
		if (v.len > buf_len)
			ret = -EOVERFLOW;
		else if (v.kind == CESIUM_V_INLINE)
			memcpy(buf, v.data, v.len);
	}
	up_read(&st->index_lock);
	if (ret)
		return ret;

	if (v.kind == CESIUM_V_LOG) {
		ret = cesium_read_record(st, ns, key, key_len, &v, buf,
					 buf_len);
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
 *
 * Return: 1 or 0; -EINVAL/-E2BIG for a bad key length; -EIO when the
 * store has failed.
 */
int cesium_store_exists(struct cesium_store *st, u64 ns, const u8 *key,
			u32 key_len)
{
	struct cesium_vref v;
	int ret;

	ret = cesium_check_key(key_len) ?: cesium_check_readable(st);
	if (ret)
		return ret;
	atomic64_inc(&st->exists);
	down_read(&st->index_lock);
	ret = cesium_lookup(st, ns, key, key_len, &v);
	up_read(&st->index_lock);
	return ret == 0;
}
