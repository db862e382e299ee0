// SPDX-License-Identifier: GPL-2.0
/*
 * CHECK: read back the written log and verify every batch (header,
 * checksum, records), a stretch per call. A batch that does not verify is
 * reported by its offset; the walk then goes on block by block until a
 * batch verifies again, so one damaged region is one report. Nothing is
 * repaired and nothing damaged is used: gets of values in damaged batches
 * answer -EUCLEAN on their own.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../io/backend.h"
#include "store_int.h"

#define CESIUM_CHECK_STEP_DEFAULT	(4ULL << 20)

/* Verify the batch at @off. Returns its padded size, 0 if damaged, or -EIO. */
static long cesium_check_batch(struct cesium_store *st, u8 *buf, u32 cap,
			       u64 off, u64 tail)
{
	u32 bs = st->sb.block_bytes, padded;
	struct cesium_log_batch b;
	int ret;

	ret = cesium_be_read(st->be, off, buf, bs);
	if (ret)
		return ret;
	if (cesium_log_batch_peek(buf, bs, &b) ||
	    memcmp(b.uuid, st->sb.uuid, sizeof(b.uuid)))
		return 0;
	padded = round_up(b.len, bs);
	if (padded > cap || off + padded > tail)
		return 0;
	if (padded > bs) {
		ret = cesium_be_read(st->be, off + bs, buf + bs, padded - bs);
		if (ret)
			return ret;
	}
	return cesium_log_batch_verify(buf, padded, &b) ? 0 : padded;
}

/**
 * cesium_store_check() - verify a stretch of the written log.
 * @st:		the store.
 * @a:		where to start and how far; receives what was found.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for an offset outside the log or not on a block;
 * -EIO; -ENOMEM.
 */
int cesium_store_check(struct cesium_store *st, struct cesium_check_args *a)
{
	u32 bs = st->sb.block_bytes, cap = cesium_log_buf_bytes(bs);
	u64 max = a->max_bytes ?: CESIUM_CHECK_STEP_DEFAULT;
	bool in_damage = false;
	u64 off;
	long n;
	u8 *buf;

	a->head = st->sb.log_head;
	mutex_lock(&st->log.lock);
	a->tail = st->log.batch_off;
	mutex_unlock(&st->log.lock);
	off = a->offset ?: a->head;
	if (off < a->head || off > a->tail || !IS_ALIGNED(off, bs))
		return -EINVAL;
	a->checked = 0;
	a->batches = 0;
	a->found = 0;
	buf = vmalloc(cap);
	if (!buf)
		return -ENOMEM;
	while (off < a->tail && a->checked < max) {
		n = cesium_check_batch(st, buf, cap, off, a->tail);
		if (n < 0) {
			vfree(buf);
			return n;
		}
		if (n) {
			in_damage = false;
			a->batches++;
		} else {
			if (!in_damage) {
				if (a->found < a->nr_damaged)
					a->damaged[a->found] = off;
				a->found++;
				atomic64_inc(&st->checksum_errors);
			}
			in_damage = true;
			n = bs;
		}
		off += n;
		a->checked += n;
	}
	vfree(buf);
	a->offset = off;
	return 0;
}
