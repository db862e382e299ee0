/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The log: every put and delete is appended to a pending batch in memory,
 * and batches are written to the data region one after another (group
 * commit). See format.h for the batch format.
 */
#ifndef _CESIUM_ENGINE_LOG_H
#define _CESIUM_ENGINE_LOG_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/processor.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../io/backend.h"
#include "format.h"

struct cesium_backend;

/* Batches that may be in memory at once: the pending one and those in flight. */
#define CESIUM_LOG_NBUF		4

struct cesium_log;

/**
 * struct cesium_log_waiter - an asynchronous wait for durability.
 * @node:	on the log's list of waiters.
 * @seq:	the batch waited for (set by cesium_log_durable_async()).
 * @err:	its result, for @done (private).
 * @done:	called once @seq and all before it are stable (@err 0), or
 *		the log failed (@err < 0); from any context (a write's end_io
 *		in interrupt context, or a workqueue), with no lock held. The
 *		waiter's memory may be freed in it.
 */
struct cesium_log_waiter {
	struct list_head node;
	u64 seq;
	int err;
	void (*done)(struct cesium_log_waiter *w, int err);
};

/**
 * struct cesium_log_buf - one batch buffer.
 * @data:	header space, then records; vmalloc'ed, buf_bytes long.
 * @log:	the log it belongs to.
 * @req:	the asynchronous write of the batch.
 * @off:	device offset of the batch (set when it is sealed).
 * @len:	bytes written, padded to blocks.
 * @seq:	its sequence number.
 * @durable:	written with PREFLUSH and FUA while nothing else was in
 *		flight: stable, with all before it, once written.
 * @done:	the write ended (under done_lock).
 * @error:	its error (under done_lock).
 */
struct cesium_log_buf {
	u8 *data;
	struct cesium_log *log;
	struct cesium_io_req req;
	u64 off;
	u32 len;
	u64 seq;
	bool durable;
	bool done;
	int error;
};

/**
 * struct cesium_log - the log's writer.
 * @be:		the device.
 * @block_bytes: batches are padded to and aligned on this.
 * @start:	first byte of the data region.
 * @end:	end of the data region.
 * @cap:	@end - @start.
 * @uuid:	the store's, written into every batch.
 * @lock:	serializes writers of the store: appends, commits, the index
 *		updates that go with appends, checkpoints and the cleaner's
 *		moves (see store.c); protects the fields from @buf to @reserve
 *		except where they say otherwise. Never held by a write's
 *		completion.
 * @buf:	the pending batch's buffer (@bufs[@cur].data); switched in
 *		a @mem_seq write section too.
 * @buf_bytes:	capacity of a buffer.
 * @used:	bytes of header and records in @buf; a record's bytes are in
 *		before it grows over them (store-release), and it is reset in
 *		a @mem_seq write section: lockless readers copy below it
 *		(cesium_log_read_pending()).
 * @nr_records:	records in @buf.
 * @batch_off:	device offset where the pending batch goes; also read
 *		without the lock, and written in a @mem_seq write section.
 * @seq:	the pending batch's sequence number.
 * @prev_csum:	the chain value it carries (checksum of the last batch).
 * @commits:	batches written.
 * @tail_lpos:	logical position of @batch_off. Logical positions count
 *		bytes since format, wrap gaps included; a position p is at
 *		device offset @start + p % @cap.
 * @head_lpos:	logical position of the oldest byte in use (the cleaner's
 *		head): [@head_lpos, @tail_lpos) is the log. Moved (with
 *		@head_seq) under @lock by the store's checkpoints and cleaner,
 *		which hold its maint_lock: either lock keeps it still.
 * @head_seq:	sequence number of the batch at @head_lpos (or of the
 *		pending batch when the log is empty).
 * @reserve:	bytes that user appends leave free: the cleaner may use
 *		half, checkpoints all, so that space can always be won back.
 * @done_lock:	spinlock, taken by writes' completions (any context):
 *		protects @first, @nr_inflight, @nr_busy, each buffer's @done
 *		and @error, and the updates of @written_seq, @durable_seq
 *		and @error (read with READ_ONCE() anywhere), @mem_seq.
 * @bufs:	the buffers, a ring: @nr_inflight written or being written
 *		from @first on, in sequence order, then the pending one
 *		(@cur).
 * @first:	oldest buffer in flight.
 * @nr_inflight: buffers submitted and not yet taken off the ring (a
 *		failed write stays on it: its records stay readable).
 * @nr_busy:	writes submitted whose completion has not run.
 * @cur:	the pending batch's buffer (under @lock and @done_lock).
 * @written_seq: batches up to this one are written.
 * @durable_seq: batches up to this one are on stable media.
 * @mem_seq:	odd while @mem_off and @mem_len, @first and @nr_inflight
 *		as a batch joins the ring, or @buf, @used and @batch_off as
 *		the pending batch moves on, change (under @done_lock).
 * @mem_off:	device offset of the oldest batch whose bytes may not be on
 *		the device yet (the oldest in flight, else @batch_off).
 * @mem_len:	bytes from @mem_off to the pending buffer's end, in the
 *		circle: outside them, the log is on the device (see
 *		cesium_log_written()).
 * @error:	the first write error; no write is accepted after one.
 * @wait:	woken when a write ends.
 * @flush_lock:	serializes cache flushes of cesium_log_wait_durable().
 * @waiters:	struct cesium_log_waiter, under @done_lock.
 * @flush_work:	flushes for waiters whose batches are written but not
 *		stable, on system_unbound_wq.
 */
struct cesium_log {
	struct cesium_backend *be;
	u32 block_bytes;
	u64 start;
	u64 end;
	u64 cap;
	u8 uuid[16];

	struct mutex lock;
	u8 *buf;
	u32 buf_bytes;
	u32 used;
	u32 nr_records;
	u64 batch_off;
	u64 seq;
	u64 prev_csum;
	u64 commits;
	u64 tail_lpos;
	u64 head_lpos;
	u64 head_seq;
	u64 reserve;

	spinlock_t done_lock;
	struct cesium_log_buf bufs[CESIUM_LOG_NBUF];
	u32 first;
	u32 nr_inflight;
	u32 nr_busy;
	u32 cur;
	u64 written_seq;
	u64 durable_seq;
	seqcount_t mem_seq;
	u64 mem_off;
	u64 mem_len;
	int error;
	wait_queue_head_t wait;
	struct mutex flush_lock;
	struct list_head waiters;
	struct work_struct flush_work;
};

/* Where the log resumes after recovery. */
struct cesium_log_pos {
	u64 tail;		/* device offset of the next batch */
	u64 tail_lpos;		/* its logical position */
	u64 seq;		/* its sequence number */
	u64 prev_csum;		/* the chain value it carries */
	u64 head_lpos;		/* the oldest byte in use */
	u64 head_seq;		/* the sequence number of the batch there */
};

int cesium_log_init(struct cesium_log *log, struct cesium_backend *be,
		    const struct cesium_super *sb,
		    const struct cesium_log_pos *pos);
void cesium_log_destroy(struct cesium_log *log);

/* Who appends, for the reserve (see cesium_log_reserve()). */
enum cesium_log_who {
	CESIUM_LOG_USER,
	CESIUM_LOG_USER_NOWAIT,	/* -EAGAIN, nothing done, where it would wait */
	CESIUM_LOG_GC,
	CESIUM_LOG_CKPT,
};

int cesium_log_reserve(struct cesium_log *log, u32 rec_bytes,
		       enum cesium_log_who who, u64 *addr);
u64 cesium_log_add(struct cesium_log *log, u8 op, u64 ns, const u8 *key,
		   u8 key_len, const void *value, u32 value_len);
u64 cesium_log_add_csum(struct cesium_log *log, u8 op, u64 ns, const u8 *key,
			u8 key_len, const void *value, u32 value_len, u64 csum);
u64 cesium_log_add_raw(struct cesium_log *log, const void *rec, u32 size);
int __cesium_log_submit(struct cesium_log *log);
int __cesium_log_drain(struct cesium_log *log);
int __cesium_log_write(struct cesium_log *log, bool durable);
int cesium_log_commit(struct cesium_log *log, bool durable);
int cesium_log_make_durable(struct cesium_log *log, u64 seq);
int cesium_log_wait_durable(struct cesium_log *log, u64 seq);
void cesium_log_set_error(struct cesium_log *log, int err);
int cesium_log_durable_async(struct cesium_log *log,
			     struct cesium_log_waiter *w);
bool cesium_log_read_pending(struct cesium_log *log, u64 addr, void *dst,
			     u32 len);
u64 cesium_log_used_bytes(struct cesium_log *log);
u64 __cesium_log_used(struct cesium_log *log);

/* Device offset of logical position @lpos. */
static inline u64 cesium_log_phys(const struct cesium_log *log, u64 lpos)
{
	return log->start + lpos % log->cap;
}

/*
 * Logical position of device offset @off, which lies in the log (between
 * the head and the pending batch's end).
 */
static inline u64 cesium_log_lpos(const struct cesium_log *log, u64 off)
{
	u64 head = cesium_log_phys(log, log->head_lpos);

	return log->head_lpos + (off >= head ? off - head :
				 log->cap - (head - off));
}

/*
 * Whether the bytes [@addr, @addr + @len) of the log are on the device
 * (not in the pending batch nor in one being written), known without the
 * lock; for readers that must not sleep, and the first check of
 * cesium_log_read_pending(). The record was added before the caller found
 * it in the index, so it lies before the pending buffer's end: bytes
 * outside [mem_off, mem_off + mem_len) of the circle are written. Wrong
 * only by saying "not written" when the window moved meanwhile.
 */
static inline bool cesium_log_written(struct cesium_log *log, u64 addr,
				      u32 len)
{
	u64 mem, mem_len, dist;
	unsigned int seq;

	for (;;) {
		seq = raw_read_seqcount(&log->mem_seq);
		if (seq & 1) {
			cpu_relax();
			continue;
		}
		mem = log->mem_off;
		mem_len = log->mem_len;
		if (!read_seqcount_retry(&log->mem_seq, seq))
			break;
	}
	if (mem_len >= log->cap)
		return false;
	dist = addr >= mem ? addr - mem : addr + log->cap - mem;
	return dist >= mem_len;
}

/* Bytes of the pending-batch buffer: room for the largest record. */
static inline u32 cesium_log_buf_bytes(u32 block_bytes)
{
	return round_up(CESIUM_LOG_HDR_BYTES +
			cesium_rec_size(CESIUM_DISK_KEY_MAX,
					CESIUM_DISK_VALUE_MAX), block_bytes);
}

#endif /* _CESIUM_ENGINE_LOG_H */
