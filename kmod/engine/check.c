// SPDX-License-Identifier: GPL-2.0
/*
 * CHECK: read back the written log and verify every batch (header,
 * checksum, records), a stretch per call; the first call also names the
 * checkpoint segments that attach found damaged. A batch that does not verify is
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

/*
 * Verify the batch at @off, which must end before @tail. Returns its padded
 * size, 0 if damaged, or -EIO.
 */
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

/* Report the checkpoint segments found damaged at attach (lost.c). */
static void cesium_check_lost(struct cesium_store *st,
			      struct cesium_check_args *a)
{
	struct cesium_lost_range r;

	while (!cesium_store_lost_range(st, a->lost_segs, &r)) {
		if (a->found < a->nr_damaged)
			a->damaged[a->found] = r.seg_addr;
		a->found++;
		a->lost_segs++;
	}
}

/**
 * cesium_store_check() - verify a stretch of the written log.
 * @st:		the store.
 * @a:		where to start and how far; receives what was found.
 *
 * The log is a circle (format.h): a->offset goes round from a->head to
 * a->tail. An offset the cleaner has freed since the last call starts
 * over at the head. The cleaner waits while a stretch is checked. A call
 * that starts at the head first reports the checkpoint segments lost at
 * attach and not yet acknowledged (lost.c), by their records' addresses.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for an offset outside the data region or not on a
 * block; -EIO; -ENOMEM.
 */
int cesium_store_check(struct cesium_store *st, struct cesium_check_args *a)
{
	u32 bs = st->sb.block_bytes, cap = cesium_log_buf_bytes(bs);
	u64 max = a->max_bytes ?: CESIUM_CHECK_STEP_DEFAULT;
	struct cesium_log *log = &st->log;
	u64 off, lpos, head, tail;
	bool in_damage = false;
	long n = 0;
	u8 *buf;

	if (a->offset && (a->offset < log->start || a->offset >= log->end ||
			  !IS_ALIGNED(a->offset, bs)))
		return -EINVAL;
	if (cesium_check_readable(st))
		return -EIO;
	buf = vmalloc(cap);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&st->maint_lock);
	mutex_lock(&log->lock);
	/* Batches being written are not on the device yet: wait for them. */
	__cesium_log_drain(log);
	head = log->head_lpos;
	tail = log->tail_lpos;
	a->head = cesium_log_phys(log, head);
	a->tail = log->batch_off;
	lpos = a->offset ? cesium_log_lpos(log, a->offset) : head;
	mutex_unlock(&log->lock);
	if (lpos > tail)
		lpos = head;
	a->checked = 0;
	a->batches = 0;
	a->found = 0;
	a->lost_segs = 0;
	if (!a->offset)
		cesium_check_lost(st, a);
	while (lpos < tail && a->checked < max) {
		off = cesium_log_phys(log, lpos);
		if (log->end - off < bs) {
			lpos += log->end - off;
			continue;
		}
		n = cesium_check_batch(st, buf, cap, off, log->end);
		if (n < 0)
			break;
		if (n && lpos + n > tail)
			n = 0;
		if (n) {
			in_damage = false;
			a->batches++;
			if (le32_to_cpu(((struct cesium_disk_log *)buf)->flags) &
			    CESIUM_LOG_F_WRAP)
				n = log->end - off;
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
		lpos += n;
		a->checked += n;
	}
	mutex_unlock(&st->maint_lock);
	vfree(buf);
	a->offset = cesium_log_phys(log, min(lpos, tail));
	if (lpos >= tail)
		a->offset = a->tail;
	return n < 0 ? cesium_io_failed(st, n) : 0;
}
