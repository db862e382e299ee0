// SPDX-License-Identifier: GPL-2.0
/*
 * The log writer.
 *
 * Writers append records to the pending batch under log->lock. A batch is
 * sealed when the next record does not fit, when a caller needs its record
 * durable (a sync operation, the periodic commit, a sync command, a
 * detach), and is then padded to whole blocks; the next batch starts at the
 * next block. A sealed batch is written asynchronously from its buffer
 * while writers go on filling the next one: up to CESIUM_LOG_NBUF - 1
 * batches are in flight, and a writer that needs a buffer waits for the
 * oldest write. Completions (any context, done_lock) take batches off the
 * ring in sequence order, so written_seq and mem_off only move over
 * batches that are on the device and all batches before them. Until then
 * readers copy the batch's bytes from its buffer (cesium_log_read_pending(),
 * without log->lock: see there).
 *
 * Durability: a batch sealed for a sync caller while nothing else is in
 * flight is written with PREFLUSH (every earlier batch stable first) and
 * FUA (this one stable on completion): one device write. Otherwise the
 * caller waits until its batch and all before it are written, then flushes
 * the device's cache (cesium_log_wait_durable()); several sync writers
 * waiting on the same batches share the write and the flush (group
 * commit). A batch never counts as durable before every earlier one is
 * written and flushed. Every batch
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
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../io/backend.h"
#include "log.h"

/*
 * Where bytes that may not be on the device lie. Under done_lock, in a
 * mem_seq write section.
 */
static void __cesium_log_set_mem(struct cesium_log *log)
{
	u64 mem = log->nr_inflight ? log->bufs[log->first].off :
		  log->batch_off;

	log->mem_off = mem;
	log->mem_len = (log->batch_off >= mem ? log->batch_off - mem :
			log->batch_off + log->cap - mem) + log->buf_bytes;
}

/* As __cesium_log_set_mem(), under done_lock alone. */
static void cesium_log_set_mem(struct cesium_log *log)
{
	raw_write_seqcount_begin(&log->mem_seq);
	__cesium_log_set_mem(log);
	raw_write_seqcount_end(&log->mem_seq);
}

/*
 * Under done_lock: move the waiters that have their answer (their batch is
 * stable, or the log failed) to @ready. Returns whether the flush work has
 * something to do for the others: a flush (their batch is written, not
 * known stable), or sealing the pending batch they wait on now that no
 * write is in flight (group commit: cesium_log_durable_async()).
 */
static bool cesium_log_take_waiters(struct cesium_log *log,
				    struct list_head *ready)
{
	struct cesium_log_waiter *w, *tmp;
	bool flush = false;

	list_for_each_entry_safe(w, tmp, &log->waiters, node) {
		if (w->seq <= log->durable_seq) {
			w->err = 0;
			list_move_tail(&w->node, ready);
		} else if (log->error) {
			w->err = log->error;
			list_move_tail(&w->node, ready);
		} else if (w->seq <= log->written_seq || !log->nr_inflight) {
			flush = true;
		}
	}
	return flush;
}

/* Tell the waiters on @ready; no lock held, any context. */
static void cesium_log_answer(struct list_head *ready)
{
	struct cesium_log_waiter *w, *tmp;

	list_for_each_entry_safe(w, tmp, ready, node) {
		list_del(&w->node);
		/* @w may be freed from here on. */
		w->done(w, w->err);
	}
}

static void cesium_log_flush_work(struct work_struct *work);

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
	u32 i;

	memset(log, 0, sizeof(*log));
	log->be = be;
	log->block_bytes = sb->block_bytes;
	log->start = sb->data_start;
	log->end = sb->data_end;
	log->cap = sb->data_end - sb->data_start;
	memcpy(log->uuid, sb->uuid, sizeof(log->uuid));
	mutex_init(&log->lock);
	mutex_init(&log->flush_lock);
	spin_lock_init(&log->done_lock);
	init_waitqueue_head(&log->wait);
	INIT_LIST_HEAD(&log->waiters);
	INIT_WORK(&log->flush_work, cesium_log_flush_work);
	log->buf_bytes = cesium_log_buf_bytes(sb->block_bytes);
	for (i = 0; i < CESIUM_LOG_NBUF; i++) {
		log->bufs[i].log = log;
		log->bufs[i].data = vzalloc(log->buf_bytes);
		if (!log->bufs[i].data)
			goto out_free;
	}
	log->buf = log->bufs[0].data;
	log->used = CESIUM_LOG_HDR_BYTES;
	log->batch_off = pos->tail;
	seqcount_init(&log->mem_seq);
	cesium_log_set_mem(log);
	log->tail_lpos = pos->tail_lpos;
	log->head_lpos = pos->head_lpos;
	log->head_seq = pos->head_seq;
	log->seq = pos->seq;
	log->prev_csum = pos->prev_csum;
	log->written_seq = pos->seq - 1;
	log->durable_seq = pos->seq - 1;
	return 0;

out_free:
	while (i--)
		vfree(log->bufs[i].data);
	mutex_destroy(&log->flush_lock);
	mutex_destroy(&log->lock);
	return -ENOMEM;
}

/**
 * cesium_log_destroy() - free the writer; pending records are dropped.
 * @log:	the log; commit first to keep its records.
 *
 * Waits for writes in flight.
 */
void cesium_log_destroy(struct cesium_log *log)
{
	u32 i;

	LIST_HEAD(ready);

	wait_event(log->wait, !READ_ONCE(log->nr_busy));
	/* The last completion may still be leaving done_lock. */
	spin_lock_irq(&log->done_lock);
	spin_unlock_irq(&log->done_lock);
	cancel_work_sync(&log->flush_work);
	/* Waiters are answered before their store goes: none is left. */
	spin_lock_irq(&log->done_lock);
	if (WARN_ON_ONCE(!list_empty(&log->waiters)) && !log->error)
		WRITE_ONCE(log->error, -EIO);
	cesium_log_take_waiters(log, &ready);
	spin_unlock_irq(&log->done_lock);
	cesium_log_answer(&ready);
	for (i = 0; i < CESIUM_LOG_NBUF; i++) {
		vfree(log->bufs[i].data);
		log->bufs[i].data = NULL;
	}
	log->buf = NULL;
	mutex_destroy(&log->flush_lock);
	mutex_destroy(&log->lock);
}

/* The pending batch now goes at @off. Under log->lock. */
static void cesium_log_set_tail(struct cesium_log *log, u64 off)
{
	spin_lock_irq(&log->done_lock);
	raw_write_seqcount_begin(&log->mem_seq);
	WRITE_ONCE(log->batch_off, off);
	__cesium_log_set_mem(log);
	raw_write_seqcount_end(&log->mem_seq);
	spin_unlock_irq(&log->done_lock);
}

/*
 * Where the batch after the pending one goes, @bytes on; less than a block
 * left: wrap. Under log->lock.
 */
static u64 cesium_log_next_off(struct cesium_log *log, u64 bytes)
{
	u64 off = log->batch_off + bytes;

	log->tail_lpos += bytes;
	if (log->end - off < log->block_bytes) {
		log->tail_lpos += log->end - off;
		off = log->start;
	}
	return off;
}

/*
 * A batch's write ended: take the written batches at the ring's front off
 * it, in order. A failed batch stays on it (its records stay readable
 * from memory) and stops the log: no write is accepted after it.
 * Context: any (a bio's end_io); never takes log->lock.
 */
static void cesium_log_end_io(struct cesium_io_req *req, int err)
{
	struct cesium_log_buf *lb = container_of(req, struct cesium_log_buf,
						 req);
	struct cesium_log *log = lb->log;
	unsigned long flags;
	LIST_HEAD(ready);

	spin_lock_irqsave(&log->done_lock, flags);
	lb->done = true;
	lb->error = err;
	log->nr_busy--;
	raw_write_seqcount_begin(&log->mem_seq);
	while (log->nr_inflight) {
		struct cesium_log_buf *o = &log->bufs[log->first];

		if (!o->done)
			break;
		if (o->error) {
			if (!log->error)
				WRITE_ONCE(log->error, o->error);
			break;
		}
		WRITE_ONCE(log->written_seq, o->seq);
		if (o->durable && o->seq > log->durable_seq)
			WRITE_ONCE(log->durable_seq, o->seq);
		log->first = (log->first + 1) % CESIUM_LOG_NBUF;
		log->nr_inflight--;
	}
	__cesium_log_set_mem(log);
	raw_write_seqcount_end(&log->mem_seq);
	/*
	 * Under the lock: cesium_log_destroy() waits for it to be dropped,
	 * after which this touches nothing of the log.
	 */
	if (cesium_log_take_waiters(log, &ready))
		queue_work(system_unbound_wq, &log->flush_work);
	wake_up_all(&log->wait);
	spin_unlock_irqrestore(&log->done_lock, flags);
	cesium_log_answer(&ready);
}

/*
 * Seal the pending buffer as a batch of @len bytes (header space
 * included) and @nr records, start writing it at batch_off, move on to the
 * next buffer. @durable: a sync caller waits on it (see the file comment).
 */
static int cesium_log_put_batch(struct cesium_log *log, u32 len, u32 nr,
				u32 flags, bool durable)
{
	struct cesium_log_buf *lb = &log->bufs[log->cur];
	u32 padded = round_up(len, log->block_bytes);
	struct cesium_log_batch b = {
		.seq = log->seq,
		.prev_csum = log->prev_csum,
		.len = len,
		.nr_records = nr,
		.flags = flags,
	};
	u64 off;
	int ret;

	/* The next buffer must be free before this one goes. */
	wait_event(log->wait,
		   READ_ONCE(log->nr_inflight) <= CESIUM_LOG_NBUF - 2 ||
		   READ_ONCE(log->error));
	ret = READ_ONCE(log->error);
	if (ret)
		return ret;
	b.durable_seq = READ_ONCE(log->durable_seq);
	memcpy(b.uuid, log->uuid, sizeof(b.uuid));
	memset(lb->data + len, 0, padded - len);
	cesium_log_batch_seal(lb->data, &b);
	lb->off = log->batch_off;
	lb->len = padded;
	lb->seq = log->seq;
	lb->done = false;
	lb->error = 0;
	lb->req.end = cesium_log_end_io;

	log->prev_csum = le64_to_cpu(((struct cesium_disk_hdr *)lb->data)->csum);
	if (log->head_lpos == log->tail_lpos)
		log->head_seq = log->seq;
	log->seq++;
	log->nr_records = 0;
	log->commits++;
	off = cesium_log_next_off(log, padded);

	/*
	 * The batch joins the ring and the next buffer becomes the pending
	 * one at once for cesium_log_read_pending(), which reads them
	 * without log->lock.
	 */
	spin_lock_irq(&log->done_lock);
	raw_write_seqcount_begin(&log->mem_seq);
	lb->durable = durable && !log->nr_inflight;
	log->nr_inflight++;
	log->nr_busy++;
	log->cur = (log->cur + 1) % CESIUM_LOG_NBUF;
	WRITE_ONCE(log->buf, log->bufs[log->cur].data);
	WRITE_ONCE(log->used, CESIUM_LOG_HDR_BYTES);
	WRITE_ONCE(log->batch_off, off);
	__cesium_log_set_mem(log);
	raw_write_seqcount_end(&log->mem_seq);
	spin_unlock_irq(&log->done_lock);

	ret = cesium_be_write_async(log->be, &lb->req, lb->off, lb->data,
				    padded, lb->durable ? CESIUM_IO_PREFLUSH |
				    CESIUM_IO_FUA : 0);
	if (ret)
		cesium_log_end_io(&lb->req, ret);
	return 0;
}

/* Seal and start writing the pending batch, if it holds records. */
static int cesium_log_submit(struct cesium_log *log, bool durable)
{
	lockdep_assert_held(&log->lock);
	if (READ_ONCE(log->error))
		return READ_ONCE(log->error);
	if (!log->nr_records)
		return 0;
	return cesium_log_put_batch(log, log->used, log->nr_records, 0,
				    durable);
}

/**
 * __cesium_log_submit() - start writing the pending batch.
 * @log:	the log, locked.
 *
 * Return: 0 or the log's write error.
 */
int __cesium_log_submit(struct cesium_log *log)
{
	return cesium_log_submit(log, false);
}

/**
 * __cesium_log_drain() - wait until no batch is in flight.
 * @log:	the log, locked (writes end without it).
 *
 * Return: 0 when every sealed batch is written, else the write error.
 */
int __cesium_log_drain(struct cesium_log *log)
{
	lockdep_assert_held(&log->lock);
	wait_event(log->wait, !READ_ONCE(log->nr_busy));
	return READ_ONCE(log->error);
}

/**
 * cesium_log_set_error() - stop the log after a failed write.
 * @log:	the log.
 * @err:	the error; the first one is kept.
 */
void cesium_log_set_error(struct cesium_log *log, int err)
{
	LIST_HEAD(ready);

	spin_lock_irq(&log->done_lock);
	if (!log->error)
		WRITE_ONCE(log->error, err);
	cesium_log_take_waiters(log, &ready);
	spin_unlock_irq(&log->done_lock);
	cesium_log_answer(&ready);
}

/* Flush the device's cache so that batches up to @seq, written, are stable. */
static int cesium_log_flush(struct cesium_log *log, u64 seq)
{
	u64 target;
	int ret;

	mutex_lock(&log->flush_lock);
	ret = READ_ONCE(log->error);
	if (ret || READ_ONCE(log->durable_seq) >= seq)
		goto out;
	/* Whatever is written now is stable after the flush. */
	target = READ_ONCE(log->written_seq);
	ret = cesium_be_flush(log->be);
	if (ret) {
		cesium_log_set_error(log, ret);
		goto out;
	}
	spin_lock_irq(&log->done_lock);
	if (target > log->durable_seq)
		WRITE_ONCE(log->durable_seq, target);
	spin_unlock_irq(&log->done_lock);
out:
	mutex_unlock(&log->flush_lock);
	return ret;
}

/*
 * For the waiters: seal the pending batch when one waits on it, flush
 * what is written; answer those whose batch is stable.
 */
static void cesium_log_flush_work(struct work_struct *work)
{
	struct cesium_log *log = container_of(work, struct cesium_log,
					      flush_work);
	struct cesium_log_waiter *w;
	bool seal = false;
	LIST_HEAD(ready);

	mutex_lock(&log->lock);
	spin_lock_irq(&log->done_lock);
	list_for_each_entry(w, &log->waiters, node)
		seal |= w->seq == log->seq;
	spin_unlock_irq(&log->done_lock);
	if (seal)
		cesium_log_submit(log, true);
	mutex_unlock(&log->lock);
	/* An error is kept in log->error and answers the waiters below. */
	cesium_log_flush(log, READ_ONCE(log->written_seq));
	spin_lock_irq(&log->done_lock);
	/* Written meanwhile: flush again. */
	if (cesium_log_take_waiters(log, &ready))
		queue_work(system_unbound_wq, &log->flush_work);
	spin_unlock_irq(&log->done_lock);
	cesium_log_answer(&ready);
}

/**
 * cesium_log_durable_async() - make every appended record stable, without
 * waiting for it.
 * @log:	the log, not locked.
 * @w:		the waiter, @w->done set; @w->seq is set here.
 *
 * Seals the pending batch (as cesium_log_commit() does) when no write is in
 * flight, and returns at once: @w->done is called when that batch and all
 * before it are stable. While a write is in flight the pending batch stays
 * open, for more records of other waiters, and is sealed when the write
 * ends (the flush work): one write and flush for all of them.
 *
 * Context: process context, may sleep (for the log's lock or a buffer).
 * Return: 0 when all is stable already (@w->done is not called), a
 * negative errno of the log (not called either), or -EIOCBQUEUED.
 */
int cesium_log_durable_async(struct cesium_log *log,
			     struct cesium_log_waiter *w)
{
	int ret = 0;

	mutex_lock(&log->lock);
	if (!log->nr_records) {
		w->seq = log->seq - 1;
	} else if (!READ_ONCE(log->nr_inflight)) {
		ret = cesium_log_submit(log, true);
		w->seq = log->seq - 1;
	} else {
		w->seq = log->seq;
	}
	spin_lock_irq(&log->done_lock);
	/* Not stable yet (and no error sealing): wait for it. */
	if (!ret && log->durable_seq < w->seq) {
		ret = log->error;
		if (!ret) {
			list_add_tail(&w->node, &log->waiters);
			/* Else a write's end does it. */
			if (w->seq <= log->written_seq || !log->nr_inflight)
				queue_work(system_unbound_wq,
					   &log->flush_work);
			ret = -EIOCBQUEUED;
		}
	}
	spin_unlock_irq(&log->done_lock);
	mutex_unlock(&log->lock);
	return ret;
}

/**
 * __cesium_log_write() - write the pending batch and wait for every write.
 * @log:	the log, locked.
 * @durable:	and make every batch stable.
 *
 * For checkpoints and the cleaner, which must know the log on the device.
 *
 * Return: 0 or the device's error (kept: no write is accepted after it).
 */
int __cesium_log_write(struct cesium_log *log, bool durable)
{
	int ret;

	lockdep_assert_held(&log->lock);
	ret = cesium_log_submit(log, durable);
	if (!ret)
		ret = __cesium_log_drain(log);
	if (!ret && durable)
		ret = cesium_log_flush(log, log->seq - 1);
	return ret;
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
 *		cleaner's moves) may use half of it, CESIUM_LOG_CKPT all;
 *		CESIUM_LOG_USER_NOWAIT as USER, but it neither writes a batch
 *		nor wraps (-EAGAIN instead, nothing done).
 * @addr:	receives the device address the record will have.
 *
 * Writes the pending batch first when the record does not fit in it, and
 * wraps to the data region's start (writing a WRAP batch) when the batch
 * would not fit before its end. Until the lock is dropped,
 * cesium_log_add() of a record of @rec_bytes cannot fail.
 *
 * Context: process context, log->lock held; may sleep (for a buffer).
 * Return: 0; -ENOSPC when the log has no room for the record (-EAGAIN for
 * CESIUM_LOG_USER_NOWAIT: the caller may clean and retry); -EROFS after a
 * write error; -EIO when a write fails.
 */
int cesium_log_reserve(struct cesium_log *log, u32 rec_bytes,
		       enum cesium_log_who who, u64 *addr)
{
	bool nowait = who == CESIUM_LOG_USER_NOWAIT;
	u64 limit, need, gap, keep;
	int ret;

	lockdep_assert_held(&log->lock);
	if (READ_ONCE(log->error))
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
		if (nowait)
			return -EAGAIN;
		ret = __cesium_log_submit(log);
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
		return nowait ? -EAGAIN : -ENOSPC;
	if (gap) {
		if (nowait)
			return -EAGAIN;
		ret = __cesium_log_submit(log);
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
			cesium_log_set_tail(log, log->start);
		}
	}
	*addr = log->batch_off + log->used;
	return 0;
}

/* A record of @size bytes was written at the pending batch's end. */
static u64 cesium_log_added(struct cesium_log *log, u32 size)
{
	/* Pairs with cesium_log_copy_mem(): the bytes before the new end. */
	smp_store_release(&log->used, log->used + size);
	log->nr_records++;
	return log->seq;
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
	return cesium_log_added(log, cesium_rec_encode(log->buf + log->used,
						       op, ns, key, key_len,
						       value, value_len));
}

/**
 * cesium_log_add_csum() - cesium_log_add() of a record hashed beforehand.
 * @log:	the log, locked, with room reserved by cesium_log_reserve().
 * @op:		as for cesium_log_add(), and so the other arguments.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @value:	value or NULL.
 * @value_len:	its length.
 * @csum:	cesium_rec_csum_of() the record, computed without the lock:
 *		under it, the record is only copied.
 *
 * Return: as cesium_log_add().
 */
u64 cesium_log_add_csum(struct cesium_log *log, u8 op, u64 ns, const u8 *key,
			u8 key_len, const void *value, u32 value_len, u64 csum)
{
	lockdep_assert_held(&log->lock);
	return cesium_log_added(log,
				cesium_rec_encode_csum(log->buf + log->used, op,
						       ns, key, key_len, value,
						       value_len, csum));
}

/**
 * cesium_log_add_raw() - append a record as it was read from the log.
 * @log:	the log, locked, with room reserved by cesium_log_reserve().
 * @rec:	a whole record (as checked by its batch's checksum).
 * @size:	its size, cesium_rec_size() of its key and value.
 *
 * A record holds no address or sequence number, so the cleaner moves one
 * by copying its bytes, checksum included.
 *
 * Return: as cesium_log_add().
 */
u64 cesium_log_add_raw(struct cesium_log *log, const void *rec, u32 size)
{
	lockdep_assert_held(&log->lock);
	memcpy(log->buf + log->used, rec, size);
	return cesium_log_added(log, size);
}

/**
 * cesium_log_commit() - write the pending batch.
 * @log:	the log, not locked.
 * @durable:	make it, and every batch before it, stable, and wait for it.
 *
 * Context: process context, may sleep.
 * Return: 0 or a negative errno from the device.
 */
int cesium_log_commit(struct cesium_log *log, bool durable)
{
	u64 seq;
	int ret;

	mutex_lock(&log->lock);
	ret = cesium_log_submit(log, durable);
	seq = log->seq - 1;
	mutex_unlock(&log->lock);
	if (ret || !durable)
		return ret;
	return cesium_log_wait_durable(log, seq);
}

/**
 * cesium_log_wait_durable() - wait until batch @seq is on stable media.
 * @log:	the log, not locked.
 * @seq:	a sealed batch.
 *
 * Waits for the writes up to @seq, then flushes the device's cache unless
 * a PREFLUSH+FUA write or another caller's flush already made them stable.
 *
 * Context: process context, may sleep.
 * Return: 0 or a negative errno from the device.
 */
int cesium_log_wait_durable(struct cesium_log *log, u64 seq)
{
	int ret;

	wait_event(log->wait, READ_ONCE(log->written_seq) >= seq ||
		   READ_ONCE(log->error));
	if (READ_ONCE(log->durable_seq) >= seq)
		return 0;
	ret = READ_ONCE(log->error);
	if (ret)
		return ret;
	return cesium_log_flush(log, seq);
}

/**
 * cesium_log_make_durable() - make batch @seq stable, and wait for it.
 * @log:	the log, not locked.
 * @seq:	what cesium_log_add() returned.
 *
 * Context: process context, may sleep.
 * Return: 0 or a negative errno from the device.
 */
int cesium_log_make_durable(struct cesium_log *log, u64 seq)
{
	int ret = 0;

	if (READ_ONCE(log->durable_seq) >= seq)
		return 0;
	mutex_lock(&log->lock);
	if (seq == log->seq)
		ret = cesium_log_submit(log, true);
	mutex_unlock(&log->lock);
	if (ret)
		return ret;
	return cesium_log_wait_durable(log, seq);
}

/* Tries of cesium_log_read_pending() before it takes log->lock. */
#define CESIUM_LOG_READ_TRIES	64

/*
 * Copy [@addr, @addr + @len) from the buffers, in a mem_seq read section
 * (what it reads may be torn; the caller checks the section). It stays
 * within the buffers whatever it reads.
 * Return: 1 copied; 0 not in memory; -EAGAIN when the bytes lie in the
 * pending batch's window past its records and in no batch in flight: a
 * writer is adding that record (it changes the index first), or they are
 * on the device (a window that reaches round the circle).
 */
static int cesium_log_copy_mem(struct cesium_log *log, u64 addr, void *dst,
			       u32 len)
{
	u64 off = READ_ONCE(log->batch_off);
	u32 first = READ_ONCE(log->first);
	u32 nr = min_t(u32, READ_ONCE(log->nr_inflight), CESIUM_LOG_NBUF);
	bool pending = addr >= off && addr - off < log->buf_bytes;
	const struct cesium_log_buf *lb;
	u64 lb_off;
	u32 i, lb_len;

	/* Pairs with cesium_log_added(): the bytes it covers are in. */
	if (pending && addr + len <= off + smp_load_acquire(&log->used)) {
		memcpy(dst, READ_ONCE(log->buf) + (addr - off), len);
		return 1;
	}
	for (i = 0; i < nr; i++) {
		lb = &log->bufs[(first + i) % CESIUM_LOG_NBUF];
		lb_off = READ_ONCE(lb->off);
		lb_len = min(READ_ONCE(lb->len), log->buf_bytes);
		if (addr >= lb_off && addr + len <= lb_off + lb_len) {
			memcpy(dst, lb->data + (addr - lb_off), len);
			return 1;
		}
	}
	return pending ? -EAGAIN : 0;
}

/*
 * cesium_log_read_pending() under log->lock: no record is being added, so
 * bytes past the pending batch's end are not in memory; only completions
 * move the ring meanwhile.
 */
static bool cesium_log_read_pending_locked(struct cesium_log *log, u64 addr,
					   void *dst, u32 len)
{
	unsigned int seq;
	int found = 0;

	mutex_lock(&log->lock);
	do {
		seq = raw_read_seqcount(&log->mem_seq);
		if (!(seq & 1))
			found = cesium_log_copy_mem(log, addr, dst, len);
	} while ((seq & 1) || read_seqcount_retry(&log->mem_seq, seq));
	mutex_unlock(&log->lock);
	return found > 0;
}

/**
 * cesium_log_read_pending() - read record bytes that are not written yet.
 * @log:	the log, not locked.
 * @addr:	device address of the bytes.
 * @dst:	where to copy them.
 * @len:	how many.
 *
 * Without log->lock: the pending buffer, its end and the ring change in
 * mem_seq write sections, record bytes are in before the end that covers
 * them, and a buffer is reused only after a write section, so a copy made
 * in an unchanged read section is right. Where it keeps finding the bytes
 * past the pending batch's end (the record is being added, or the window
 * is stale), it asks under the lock, which waits for the writer.
 *
 * Return: true if the bytes were in the pending batch or in one being
 * written, and were copied; false if they are on the device.
 */
bool cesium_log_read_pending(struct cesium_log *log, u64 addr, void *dst,
			     u32 len)
{
	unsigned int seq, tries;
	int found;

	if (cesium_log_written(log, addr, len))
		return false;
	for (tries = 0; tries < CESIUM_LOG_READ_TRIES; tries++) {
		seq = raw_read_seqcount(&log->mem_seq);
		if (seq & 1) {
			cpu_relax();
			continue;
		}
		found = cesium_log_copy_mem(log, addr, dst, len);
		if (found >= 0 && !read_seqcount_retry(&log->mem_seq, seq))
			return found;
		cpu_relax();
	}
	return cesium_log_read_pending_locked(log, addr, dst, len);
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
