// SPDX-License-Identifier: GPL-2.0
/*
 * The log writer.
 *
 * Writers append records to the pending batch under log->lock. A batch is
 * written when the next record does not fit, when a caller needs its
 * record durable (a sync operation, the periodic commit, a sync command, a
 * detach), and is then padded to whole blocks; the next batch starts at the
 * next block. Several sync writers that wait on the same batch share one
 * write: whoever takes the lock first writes it, and the others find their
 * batch already durable (group commit).
 *
 * Ordering: a durable batch is written with PREFLUSH (every earlier batch
 * stable first) and FUA (this one stable on completion), so a durable
 * batch never depends on a batch that could still be lost. Every batch
 * records the last batch known durable when it was written, which tells
 * recovery whether a damaged batch before a good one was torn by a crash
 * (not durable yet: the log ends there) or damaged later (report it and go
 * on). The chain of checksums keeps recovery from resuming at a stale
 * batch of an earlier lap.
 *
 * Space: the log is a circle over the data region (format.h). Appends take
 * space from the tail up to the head, less @reserve unless privileged;
 * the cleaner moves the head (gc.c) after a checkpoint.
 */
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../io/backend.h"
#include "log.h"

/**
 * cesium_log_init() - set up the writer after recovery.
 * @log:	the log.
 * @be:		the device.
 * @sb:		the superblock in force.
 * @pos:	where the recovered log ends and begins.
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int cesium_log_init(struct cesium_log *log, struct cesium_backend *be,
		    const struct cesium_super *sb,
		    const struct cesium_log_pos *pos)
{
	memset(log, 0, sizeof(*log));
	log->be = be;
	log->block_bytes = sb->block_bytes;
	log->start = sb->data_start;
	log->end = sb->data_end;
	log->cap = sb->data_end - sb->data_start;
	memcpy(log->uuid, sb->uuid, sizeof(log->uuid));
	mutex_init(&log->lock);
	log->buf_bytes = cesium_log_buf_bytes(sb->block_bytes);
	log->buf = vzalloc(log->buf_bytes);
	if (!log->buf)
		return -ENOMEM;
	log->used = CESIUM_LOG_HDR_BYTES;
	log->batch_off = pos->tail;
	log->tail_lpos = pos->tail_lpos;
	log->head_lpos = pos->head_lpos;
	log->head_seq = pos->head_seq;
	log->seq = pos->seq;
	log->prev_csum = pos->prev_csum;
	log->written_seq = pos->seq - 1;
	log->durable_seq = pos->seq - 1;
	return 0;
}

/**
 * cesium_log_destroy() - free the writer; pending records are dropped.
 * @log:	the log; commit first to keep its records.
 */
void cesium_log_destroy(struct cesium_log *log)
{
	vfree(log->buf);
	log->buf = NULL;
	mutex_destroy(&log->lock);
}

/* The pending batch moves on by @bytes; less than a block left: wrap. */
static void cesium_log_advance(struct cesium_log *log, u64 bytes)
{
	u64 off = log->batch_off + bytes;

	log->tail_lpos += bytes;
	if (log->end - off < log->block_bytes) {
		log->tail_lpos += log->end - off;
		off = log->start;
	}
	/* Pairs with smp_load_acquire() in cesium_log_read_pending(). */
	smp_store_release(&log->batch_off, off);
}

/* Write @buf's batch (header space included) at batch_off and move on. */
static int cesium_log_put_batch(struct cesium_log *log, u32 len, u32 nr,
				u32 flags, bool durable)
{
	u32 padded = round_up(len, log->block_bytes);
	struct cesium_log_batch b = {
		.seq = log->seq,
		.prev_csum = log->prev_csum,
		.len = len,
		.nr_records = nr,
		.flags = flags,
		.durable_seq = log->durable_seq,
	};
	int ret;

	memcpy(b.uuid, log->uuid, sizeof(b.uuid));
	memset(log->buf + len, 0, padded - len);
	cesium_log_batch_seal(log->buf, &b);
	ret = cesium_be_write(log->be, log->batch_off, log->buf, padded,
			      durable ? CESIUM_IO_PREFLUSH | CESIUM_IO_FUA : 0);
	if (ret) {
		log->error = ret;
		return ret;
	}
	log->prev_csum = le64_to_cpu(((struct cesium_disk_hdr *)log->buf)->csum);
	log->written_seq = log->seq;
	if (durable)
		log->durable_seq = log->seq;
	if (log->head_lpos == log->tail_lpos)
		log->head_seq = log->seq;
	log->seq++;
	cesium_log_advance(log, padded);

	log->commits++;
	return 0;
}

/**
 * __cesium_log_write() - write the pending batch, if it holds records.
 * @log:	the log, locked.
 * @durable:	with PREFLUSH and FUA: it and every batch before are stable.
 *
 * Return: 0 or the device's error (kept: no write is accepted after it).
 */
int __cesium_log_write(struct cesium_log *log, bool durable)
{
	int ret;

	lockdep_assert_held(&log->lock);
	if (log->error)
		return log->error;
	if (!log->nr_records)
		return 0;
	ret = cesium_log_put_batch(log, log->used, log->nr_records, 0, durable);
	if (ret)
		return ret;
	log->used = CESIUM_LOG_HDR_BYTES;
	log->nr_records = 0;
	return 0;
}

/**
 * __cesium_log_used() - bytes of the data region in use.
 * @log:	the log, locked.
 *
 * Return: from the head to the end of the pending batch.
 */
u64 __cesium_log_used(struct cesium_log *log)
{
	u64 used = log->tail_lpos - log->head_lpos;

	if (log->nr_records)
		used += round_up(log->used, log->block_bytes);
	return used;
}

/**
 * cesium_log_reserve() - make room for a record in the pending batch.
 * @log:	the log, locked.
 * @rec_bytes:	cesium_rec_size() of the record.
 * @who:	CESIUM_LOG_USER leaves the reserve alone, CESIUM_LOG_GC (the
 *		cleaner's moves) may use half of it, CESIUM_LOG_CKPT all.
 * @addr:	receives the device address the record will have.
 *
 * Writes the pending batch first when the record does not fit in it, and
 * wraps to the data region's start (writing a WRAP batch) when the batch
 * would not fit before its end. Until the lock is dropped,
 * cesium_log_add() of a record of @rec_bytes cannot fail.
 *
 * Context: process context, log->lock held; may sleep (I/O).
 * Return: 0; -ENOSPC when the log has no room for the record; -EROFS after
 * a write error; -EIO when a write fails.
 */
int cesium_log_reserve(struct cesium_log *log, u32 rec_bytes,
		       enum cesium_log_who who, u64 *addr)
{
	u64 limit, need, gap, keep;
	int ret;

	lockdep_assert_held(&log->lock);
	if (log->error)
		return -EROFS;
	if (WARN_ON_ONCE(CESIUM_LOG_HDR_BYTES + rec_bytes > log->buf_bytes))
		return -E2BIG;
	keep = min(log->reserve, log->cap);
	if (who == CESIUM_LOG_GC)
		keep /= 2;
	else if (who == CESIUM_LOG_CKPT)
		keep = 0;
	limit = log->head_lpos + log->cap - keep;
	if (log->used + rec_bytes > log->buf_bytes) {
		ret = __cesium_log_write(log, false);
		if (ret)
			return ret;
	}
	need = round_up(log->used + rec_bytes, log->block_bytes);
	gap = 0;
	if (log->batch_off + need > log->end) {
		/*
		 * The record goes into a new batch at the region's start:
		 * the rest of the region (pending batch, WRAP batch, what
		 * is skipped), then that batch.
		 */
		gap = log->end - log->batch_off;
		need = round_up(CESIUM_LOG_HDR_BYTES + rec_bytes,
				log->block_bytes);
	}
	/* One block more: the tail never catches up with the head. */
	if (log->tail_lpos + gap + need + log->block_bytes > limit)
		return -ENOSPC;
	if (gap) {
		ret = __cesium_log_write(log, false);
		if (ret)
			return ret;
	}
	/* Still no room before the end (else the pending batch took it). */
	need = round_up(log->used + rec_bytes, log->block_bytes);
	if (gap && log->batch_off + need > log->end) {
		ret = cesium_log_put_batch(log, CESIUM_LOG_HDR_BYTES, 0,
					   CESIUM_LOG_F_WRAP, false);
		if (ret)
			return ret;
		/* put_batch moved on by a block; the rest of the gap: */
		if (log->batch_off != log->start) {
			log->tail_lpos += log->end - log->batch_off;
			/* As in cesium_log_advance(). */
			smp_store_release(&log->batch_off, log->start);
		}
	}
	*addr = log->batch_off + log->used;
	return 0;
}

/**
 * cesium_log_add() - append a record to the pending batch.
 * @log:	the log, locked, with room reserved by cesium_log_reserve().
 * @op:		CESIUM_REC_PUT or CESIUM_REC_DELETE.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @value:	value or NULL.
 * @value_len:	its length.
 *
 * Return: the sequence number of the batch that holds the record, for
 * cesium_log_make_durable().
 */
u64 cesium_log_add(struct cesium_log *log, u8 op, u64 ns, const u8 *key,
		   u8 key_len, const void *value, u32 value_len)
{
	lockdep_assert_held(&log->lock);
	log->used += cesium_rec_encode(log->buf + log->used, op, ns, key,
				       key_len, value, value_len);
	log->nr_records++;
	return log->seq;
}

/**
 * cesium_log_commit() - write the pending batch.
 * @log:	the log, not locked.
 * @durable:	make it, and every batch before it, stable.
 *
 * Context: process context, may sleep.
 * Return: 0 or a negative errno from the device.
 */
int cesium_log_commit(struct cesium_log *log, bool durable)
{
	int ret;

	mutex_lock(&log->lock);
	ret = __cesium_log_write(log, durable);
	if (!ret && durable && log->durable_seq < log->written_seq) {
		ret = cesium_be_flush(log->be);
		if (ret)
			log->error = ret;
		else
			log->durable_seq = log->written_seq;
	}
	mutex_unlock(&log->lock);
	return ret;
}

/**
 * cesium_log_make_durable() - wait until batch @seq is on stable media.
 * @log:	the log, not locked.
 * @seq:	what cesium_log_add() returned.
 *
 * Context: process context, may sleep.
 * Return: 0 or a negative errno from the device.
 */
int cesium_log_make_durable(struct cesium_log *log, u64 seq)
{
	int ret = 0;

	mutex_lock(&log->lock);
	if (log->durable_seq >= seq)
		goto out;
	if (log->error) {
		ret = log->error;
		goto out;
	}
	if (seq == log->seq) {
		ret = __cesium_log_write(log, true);
		goto out;
	}
	ret = cesium_be_flush(log->be);
	if (ret)
		log->error = ret;
	else
		log->durable_seq = log->written_seq;
out:
	mutex_unlock(&log->lock);
	return ret;
}

/**
 * cesium_log_read_pending() - read record bytes that are not written yet.
 * @log:	the log, not locked.
 * @addr:	device address of the bytes.
 * @dst:	where to copy them.
 * @len:	how many.
 *
 * Return: true if the bytes were in the pending batch and were copied;
 * false if they are on the device.
 */
bool cesium_log_read_pending(struct cesium_log *log, u64 addr, void *dst,
			     u32 len)
{
	bool found = false;

	if (cesium_log_written(log, addr, len))
		return false;
	mutex_lock(&log->lock);
	if (addr >= log->batch_off && addr + len <= log->batch_off + log->used) {
		memcpy(dst, log->buf + (addr - log->batch_off), len);
		found = true;
	}
	mutex_unlock(&log->lock);
	return found;
}

/**
 * cesium_log_used_bytes() - bytes of the data region in use.
 * @log:	the log.
 *
 * Return: from the head to the end of the pending batch.
 */
u64 cesium_log_used_bytes(struct cesium_log *log)
{
	u64 used;

	mutex_lock(&log->lock);
	used = __cesium_log_used(log);
	mutex_unlock(&log->lock);
	return used;
}
