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
 * batch never depends on a batch that could still be lost. Recovery stops at
 * the first batch that does not verify; the chain of checksums keeps it
 * from resuming at a stale batch beyond.
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
 * @tail:	device offset of the next batch (end of the recovered log).
 * @seq:	sequence number of the next batch.
 * @prev_csum:	checksum of the last recovered batch (the chain value).
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int cesium_log_init(struct cesium_log *log, struct cesium_backend *be,
		    const struct cesium_super *sb, u64 tail, u64 seq,
		    u64 prev_csum)
{
	memset(log, 0, sizeof(*log));
	log->be = be;
	log->block_bytes = sb->block_bytes;
	log->start = sb->data_start;
	log->end = sb->data_end;
	memcpy(log->uuid, sb->uuid, sizeof(log->uuid));
	mutex_init(&log->lock);
	log->buf_bytes = cesium_log_buf_bytes(sb->block_bytes);
	log->buf = vzalloc(log->buf_bytes);
	if (!log->buf)
		return -ENOMEM;
	log->used = CESIUM_LOG_HDR_BYTES;
	log->batch_off = tail;
	log->seq = seq;
	log->prev_csum = prev_csum;
	log->written_seq = seq - 1;
	log->durable_seq = seq - 1;
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

static int __cesium_log_write(struct cesium_log *log, bool durable)
{
	u32 padded = round_up(log->used, log->block_bytes);
	struct cesium_log_batch b = {
		.seq = log->seq,
		.prev_csum = log->prev_csum,
		.len = log->used,
		.nr_records = log->nr_records,
	};
	unsigned int flags = 0;
	int ret;

	lockdep_assert_held(&log->lock);
	if (log->error)
		return log->error;
	if (!log->nr_records)
		return 0;

	memcpy(b.uuid, log->uuid, sizeof(b.uuid));
	memset(log->buf + log->used, 0, padded - log->used);
	cesium_log_batch_seal(log->buf, &b);
	if (durable)
		flags = CESIUM_IO_PREFLUSH | CESIUM_IO_FUA;
	ret = cesium_be_write(log->be, log->batch_off, log->buf, padded, flags);
	if (ret) {
		log->error = ret;
		return ret;
	}
	log->prev_csum = le64_to_cpu(((struct cesium_disk_hdr *)log->buf)->csum);
	log->written_seq = log->seq;
	if (durable)
		log->durable_seq = log->seq;
	log->seq++;
	/* Pairs with the lockless check in cesium_log_read_pending(). */
	smp_store_release(&log->batch_off, log->batch_off + padded);
	log->used = CESIUM_LOG_HDR_BYTES;
	log->nr_records = 0;
	log->commits++;
	return 0;
}

/**
 * cesium_log_reserve() - make room for a record in the pending batch.
 * @log:	the log, locked.
 * @rec_bytes:	cesium_rec_size() of the record.
 * @addr:	receives the device address the record will have.
 *
 * Writes the pending batch first when the record does not fit in it. Until
 * the lock is dropped, cesium_log_add() of a record of @rec_bytes cannot
 * fail.
 *
 * Context: process context, log->lock held; may sleep (I/O).
 * Return: 0; -ENOSPC when the data region has no room for the record;
 * -EROFS after a write error; -EIO when the write of the pending batch
 * fails.
 */
int cesium_log_reserve(struct cesium_log *log, u32 rec_bytes, u64 *addr)
{
	int ret;

	lockdep_assert_held(&log->lock);
	if (log->error)
		return -EROFS;
	if (WARN_ON_ONCE(CESIUM_LOG_HDR_BYTES + rec_bytes > log->buf_bytes))
		return -E2BIG;
	if (log->used + rec_bytes > log->buf_bytes) {
		ret = __cesium_log_write(log, false);
		if (ret)
			return ret;
	}
	if (log->batch_off + round_up(log->used + rec_bytes, log->block_bytes) >
	    log->end)
		return -ENOSPC;
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

	/* Bytes below batch_off are written: no lock needed to know it. */
	if (addr + len <= smp_load_acquire(&log->batch_off))
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
 * Return: written batches plus the pending one, rounded to blocks.
 */
u64 cesium_log_used_bytes(struct cesium_log *log)
{
	u64 used;

	mutex_lock(&log->lock);
	used = log->batch_off - log->start;
	if (log->nr_records)
		used += round_up(log->used, log->block_bytes);
	mutex_unlock(&log->lock);
	return used;
}
