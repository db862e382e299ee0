// SPDX-License-Identifier: GPL-2.0
/*
 * Batches: puts and deletes applied atomically.
 *
 * All of a batch's records go into one log batch (room for all of them is
 * reserved at once), so a power cut keeps all or none of them: the batch is
 * written whole and checksummed whole. Readers see all or none of them:
 * the index changes are made in one index_lock write section. Every
 * precondition (no-overwrite, update-only, delete of an existing key) is
 * checked before anything changes, each against the state the earlier
 * operations of the batch leave.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/sched/mm.h>
#include <linux/string.h>

#include "../io/backend.h"
#include "store_int.h"

static bool cesium_same_key(const struct cesium_batch_item *a,
			    const struct cesium_batch_item *b)
{
	return a->ns == b->ns && a->key_len == b->key_len &&
	       !memcmp(a->key, b->key, a->key_len);
}

/*
 * Whether item @i's key exists once items 0..@i-1 are applied: 1, 0, or
 * -EUCLEAN when it is absent from a lost range (it may exist).
 */
static int cesium_batch_exists(struct cesium_store *st,
			       const struct cesium_batch_item *items, u32 i)
{
	struct cesium_vref v;
	u32 j;
	int ret;

	for (j = i; j-- > 0;)
		if (cesium_same_key(&items[j], &items[i]))
			return items[j].op == CESIUM_REC_PUT;
	ret = cesium_lookup_known(st, items[i].ns, items[i].key,
				  items[i].key_len, &v);
	return ret == -EUCLEAN ? ret : !ret;
}

static int cesium_batch_check(struct cesium_store *st,
			      const struct cesium_batch_item *it, int exists)
{
	/* A plain put needs no answer; every other operation does. */
	if (exists < 0)
		return it->op == CESIUM_REC_PUT && !it->flags ? 0 : exists;
	if (it->op == CESIUM_REC_DELETE)
		return exists ? 0 : -ENOENT;
	if ((it->flags & CESIUM_ST_NO_OVERWRITE) && exists)
		return -EEXIST;
	if ((it->flags & CESIUM_ST_UPDATE_ONLY) && !exists)
		return -ENOENT;
	return 0;
}

/* Fail the batch because of item @bad: it keeps its error, others cancel. */
static int cesium_batch_fail(struct cesium_batch_item *items, u32 nr,
			     u32 bad, int err)
{
	u32 i;

	for (i = 0; i < nr; i++)
		items[i].result = i == bad ? err : -ECANCELED;
	return err;
}

static int cesium_batch_validate(struct cesium_batch_item *items, u32 nr,
				 u32 *bytes)
{
	u32 i;
	int ret;

	*bytes = 0;
	for (i = 0; i < nr; i++) {
		struct cesium_batch_item *it = &items[i];

		ret = cesium_check_key(it->key_len);
		if (!ret && it->op != CESIUM_REC_PUT &&
		    it->op != CESIUM_REC_DELETE)
			ret = -EINVAL;
		if (!ret && it->op == CESIUM_REC_DELETE &&
		    (it->value_len || it->flags))
			ret = -EINVAL;
		if (!ret && it->value_len > CESIUM_STORE_VALUE_MAX)
			ret = -E2BIG;
		if (!ret && (it->flags & ~(CESIUM_ST_NO_OVERWRITE |
					   CESIUM_ST_UPDATE_ONLY)))
			ret = -EINVAL;
		if (ret)
			return cesium_batch_fail(items, nr, i, ret);
		*bytes += cesium_rec_size(it->key_len, it->value_len);
		/* Hashed before log.lock, under which it is only copied. */
		it->csum = cesium_rec_csum_of(it->op, it->ns, it->key,
					      it->key_len, it->value,
					      it->value_len);
	}
	return 0;
}

/**
 * cesium_store_batch() - apply puts and deletes atomically.
 * @st:		the store.
 * @items:	the operations, in order; each gets its result.
 * @nr:		1..CESIUM_STORE_BATCH_MAX.
 * @dur:	durability of the whole batch.
 *
 * Context: process context, may sleep.
 * Return: 0 when every operation is applied; else nothing is applied and
 * the error of the first operation that fails (-EINVAL, -E2BIG, -EEXIST,
 * -ENOENT, -EUCLEAN as for a put or delete alone), -E2BIG for a batch
 * too large for one log batch, -ENOSPC, -EROFS, -EIO, -ENOMEM.
 */
int cesium_store_batch(struct cesium_store *st, struct cesium_batch_item *items,
		       u32 nr, enum cesium_durability dur)
{
	unsigned int noio;
	u64 addr, seq = 0;
	u32 i, bytes;
	int ret, retried = 0;

	if (!nr || nr > CESIUM_STORE_BATCH_MAX)
		return -EINVAL;
	ret = cesium_batch_validate(items, nr, &bytes);
	if (ret)
		return ret;
	if (CESIUM_LOG_HDR_BYTES + bytes > st->log.buf_bytes)
		return cesium_batch_fail(items, nr, nr, -E2BIG);
	ret = cesium_check_writable(st);
	if (ret)
		return cesium_batch_fail(items, nr, nr, ret);
	dur = cesium_resolve(st, dur);
	cesium_gc_throttle(st, false);

again:
	mutex_lock(&st->log.lock);
	for (i = 0; i < nr; i++) {
		ret = cesium_batch_check(st, &items[i],
					 cesium_batch_exists(st, items, i));
		if (ret)
			goto out_fail;
	}
	i = nr;
	ret = cesium_log_reserve(&st->log, bytes, CESIUM_LOG_USER, &addr);
	if (ret == -ENOSPC && retried++ < 3) {
		mutex_unlock(&st->log.lock);
		if (!cesium_reclaim(st))
			goto again;
		return cesium_batch_fail(items, nr, nr, ret);
	}
	if (ret)
		goto out_fail;

	/* The write-out path: no allocation may recurse into I/O. */
	noio = memalloc_noio_save();
	cesium_index_write_begin(st);
	for (i = 0; i < nr; i++) {
		struct cesium_batch_item *it = &items[i];

		ret = cesium_apply(st, it->op, it->ns, it->key, it->key_len,
				   it->value, it->value_len, addr, GFP_KERNEL);
		if (ret)
			break;
		addr += cesium_rec_size(it->key_len, it->value_len);
	}
	cesium_index_write_end(st);
	memalloc_noio_restore(noio);
	if (ret) {
		/*
		 * Out of memory half-way: the index holds part of the batch
		 * and the log none of it. Stop writes; attaching again
		 * rebuilds the index from the log.
		 */
		atomic_cmpxchg(&st->state, CESIUM_STORE_ONLINE,
			       CESIUM_STORE_READ_ONLY);
		goto out_fail;
	}
	for (i = 0; i < nr; i++) {
		struct cesium_batch_item *it = &items[i];

		seq = cesium_log_add_csum(&st->log, it->op, it->ns, it->key,
					  it->key_len, it->value,
					  it->value_len, it->csum);
		it->result = 0;
	}
	mutex_unlock(&st->log.lock);

	atomic64_inc(&st->batches);
	return cesium_finish(st, seq, dur);

out_fail:
	mutex_unlock(&st->log.lock);
	return cesium_batch_fail(items, nr, i, cesium_write_failed(st, ret));
}
