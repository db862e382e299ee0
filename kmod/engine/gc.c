// SPDX-License-Identifier: GPL-2.0
/*
 * The log cleaner and the maintenance work that runs it and checkpoints.
 *
 * Cleaning goes round the log from its head, oldest batches first (a
 * FIFO cleaner), up to the first batch of the checkpoint in force. For
 * every record it passes:
 *  - a put whose value the index still points at is appended again at the
 *    tail and the index entry moved to the copy;
 *  - a segment copy that the index still uses is marked dirty, so the next
 *    checkpoint writes it again;
 *  - everything else (overwritten and deleted values, deletes, inline
 *    values, older maps and roots) is already covered by the checkpoint
 *    and needs nothing.
 * The space cleaned becomes free at the next checkpoint (ckpt.c), which
 * records the new head and discards what is behind it.
 *
 * Policy: clean while the log is larger than gc_ratio percent of what the
 * live data needs (the values' records and a checkpoint of the whole
 * index), or when free space runs short; checkpoint every ckpt_interval
 * bytes of log (at least 16 MiB, eight times the index's image, at most a
 * quarter of the device), when the cleaner won that much, and when writes
 * have been idle for a second. Work is done in steps of CESIUM_GC_STEP
 * bytes on the store's workqueue, so writers keep going in between.
 *
 * While key ranges are lost with damaged checkpoint segments (lost.c),
 * neither the cleaner nor checkpoints run: the cleaner decides what is
 * dead by the index, which does not know the lost keys, and a checkpoint
 * would forget the damage. Writes that need the space meanwhile get
 * -ENOSPC, and the kernel log says why.
 *
 * Locking: maint_lock serializes the cleaner and checkpoints. A batch is
 * read with no lock held: nothing writes between the head and the
 * checkpoint's first batch. Moves take log.lock like any writer.
 */
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../io/backend.h"
#include "store_int.h"

#define CESIUM_GC_STEP		(8ULL << 20)
#define CESIUM_CKPT_MIN		(16ULL << 20)
#define CESIUM_IDLE_JIFFIES	HZ

static u64 cesium_ckpt_interval(struct cesium_store *st)
{
	u64 iv = max(CESIUM_CKPT_MIN, 8 * READ_ONCE(st->ckpt_image_bytes));

	return min(iv, st->log.cap / 4);
}

/* Bytes live data needs: values in the log and a checkpoint of the index. */
static u64 cesium_live_need(struct cesium_store *st)
{
	return atomic64_read(&st->live_bytes) + READ_ONCE(st->ckpt_image_bytes);
}

/* Little room left: free space under an eighth of the device. */
static bool cesium_space_short(struct cesium_store *st)
{
	struct cesium_log *log = &st->log;
	u64 used = READ_ONCE(log->tail_lpos) - READ_ONCE(log->head_lpos);

	return used + READ_ONCE(log->reserve) + log->cap / 8 > log->cap;
}

/*
 * Should the cleaner run, for a log that may use @ratio percent of what
 * live data needs? maint_lock held or not: an estimate.
 */
static bool cesium_gc_wanted_at(struct cesium_store *st, u32 ratio)
{
	struct cesium_log *log = &st->log;
	u64 dirty = READ_ONCE(log->tail_lpos) - READ_ONCE(st->gc_lpos);

	if (READ_ONCE(st->gc_lpos) >= READ_ONCE(st->ckpt_begin_lpos) ||
	    cesium_store_lost(st))
		return false;
	if (cesium_space_short(st))
		return true;
	if (dirty < log->cap / 16)
		return false;
	return dirty * 100 > cesium_live_need(st) * ratio;
}

/* Background cleaning: at the tunable gc_ratio. */
static bool cesium_gc_wanted(struct cesium_store *st)
{
	return cesium_gc_wanted_at(st, READ_ONCE(st->gc_ratio));
}

static bool cesium_ckpt_wanted(struct cesium_store *st, bool idle)
{
	struct cesium_log *log = &st->log;
	u64 iv = cesium_ckpt_interval(st);
	u64 since = READ_ONCE(log->tail_lpos) - READ_ONCE(st->ckpt_tail_lpos);
	u64 won = READ_ONCE(st->gc_lpos) - READ_ONCE(log->head_lpos);

	if (cesium_store_lost(st))
		return false;
	if (since >= iv || won >= iv / 2)
		return true;
	/* short of space and the cleaner waits for a newer checkpoint */
	if (since && cesium_space_short(st) &&
	    READ_ONCE(st->gc_lpos) >= READ_ONCE(st->ckpt_begin_lpos))
		return true;
	if (won && (cesium_space_short(st) ||
		    READ_ONCE(st->gc_lpos) >= READ_ONCE(st->ckpt_begin_lpos)))
		return true;
	return idle && (since || won);
}

/*
 * Move the live records of the batch at @off (read into @buf) to the tail.
 * Return: 0; -ENOSPC when the tail has no room (checkpoint first); -EIO.
 */
static int cesium_gc_batch(struct cesium_store *st, const u8 *buf,
			   const struct cesium_log_batch *b, u64 off)
{
	struct cesium_rec rec;
	struct cesium_vref v;
	struct cesium_ns *ns;
	u64 addr;
	u32 pos;
	int ret = 0;

	mutex_lock(&st->log.lock);
	for (pos = CESIUM_LOG_HDR_BYTES; pos < b->len; pos += ret) {
		ret = cesium_rec_decode(buf + pos, b->len - pos, &rec);
		if (WARN_ON_ONCE(ret < 0))	/* the batch was verified */
			break;
		ns = cesium_ns_find(st, rec.ns);
		if (!ns)
			continue;
		if (rec.op == CESIUM_REC_SEG) {
			cesium_index_seg_release(&ns->idx, rec.value,
						 rec.value_len, off + pos);
			continue;
		}
		if (rec.op != CESIUM_REC_PUT ||
		    cesium_index_lookup(&ns->idx, rec.key, rec.key_len, &v) ||
		    v.kind != CESIUM_V_LOG || v.addr != off + pos ||
		    v.len != rec.value_len)
			continue;
		ret = cesium_log_reserve(&st->log, ret, CESIUM_LOG_GC, &addr);
		if (ret)
			break;
		v.addr = addr;
		/* In cesium_gc_run()'s GFP_NOIO scope. */
		cesium_index_write_begin(st);
		ret = cesium_index_insert(&ns->idx, rec.key, rec.key_len, &v,
					  NULL, GFP_KERNEL);
		cesium_index_write_end(st);
		if (WARN_ON_ONCE(ret != 1)) {
			ret = ret < 0 ? ret : -EUCLEAN;
			break;
		}
		cesium_log_add(&st->log, CESIUM_REC_PUT, rec.ns, rec.key,
			       rec.key_len, rec.value, rec.value_len);
		atomic64_add(cesium_rec_size(rec.key_len, rec.value_len),
			     &st->gc_moved_bytes);
		ret = cesium_rec_size(rec.key_len, rec.value_len);
	}
	mutex_unlock(&st->log.lock);
	return ret < 0 ? ret : 0;
}

/*
 * The cleaner skips the damaged stretch [@start, @end): the segment copies
 * in it that the index still uses (a checkpoint batch holds many, and one
 * damaged byte fails the whole batch) are written again by the next
 * checkpoint, as cesium_gc_batch() does for copies in sound batches.
 */
static void cesium_gc_release_range(struct cesium_store *st, u64 start,
				    u64 end)
{
	u32 i;

	down_write(&st->index_lock);
	for (i = 0; i < st->nr_ns; i++)
		cesium_index_seg_release_range(&st->ns_vec[i]->idx, start, end);
	up_write(&st->index_lock);
}

/*
 * Clean @budget bytes from the cleaner's position (or up to the
 * checkpoint's first batch): a whole step once the policy started it,
 * which keeps the log well under gc_ratio in between. Caller holds
 * maint_lock. Return: 0, or an error that stops cleaning for now.
 */
static int __cesium_gc_run(struct cesium_store *st, u64 budget, u8 *buf)
{
	struct cesium_log *log = &st->log;
	u32 bs = st->sb.block_bytes;
	struct cesium_log_batch b;
	u64 done = 0, bytes = 0;
	long n;
	int ret;

	if (cesium_store_lost(st))
		return 0;
	while (done < budget && st->gc_lpos < st->ckpt_begin_lpos) {
		u64 off = cesium_log_phys(log, st->gc_lpos);

		if (log->end - off < bs) {
			st->gc_lpos += log->end - off;
			continue;
		}
		n = cesium_log_read_batch(st, off, buf, &b, &bytes);
		if (n < 0)
			return n;
		if (!n || b.seq != st->gc_seq) {
			u64 next = cesium_find_successor(st, off, st->gc_seq,
							 buf);

			if (!next) {
				pr_warn_ratelimited("cesium %s: the cleaner stops at damaged batch %llu at %llu\n",
						    st->be->name, st->gc_seq,
						    off);
				return -EUCLEAN;
			}
			pr_err("cesium %s: log batch %llu at %llu is damaged, its records are lost\n",
			       st->be->name, st->gc_seq, off);
			atomic64_inc(&st->damaged_batches);
			cesium_gc_release_range(st, off, next > off ? next :
						log->end);
			st->gc_lpos += next >= off ? next - off :
				       log->end - off + next - log->start;
			st->gc_seq++;
			continue;
		}
		if (b.flags & CESIUM_LOG_F_WRAP) {
			n = log->end - off;
		} else {
			ret = cesium_gc_batch(st, buf, &b, off);
			if (ret)
				return ret;
		}
		st->gc_lpos += n;
		st->gc_seq++;
		done += n;
	}
	return 0;
}

/*
 * Clean up to @budget bytes under maint_lock, with a batch buffer of its
 * own. The write-out path: allocations never recurse into I/O.
 * Return: as __cesium_gc_run(), or -ENOMEM.
 */
static int cesium_gc_run(struct cesium_store *st, u64 budget)
{
	unsigned int noio = memalloc_noio_save();
	u8 *buf = vmalloc(cesium_log_buf_bytes(st->sb.block_bytes));
	int ret = -ENOMEM;

	if (buf) {
		mutex_lock(&st->maint_lock);
		ret = __cesium_gc_run(st, budget, buf);
		mutex_unlock(&st->maint_lock);
		vfree(buf);
	}
	memalloc_noio_restore(noio);
	return ret;
}

/**
 * cesium_maint() - clean and checkpoint as the policy says; requeue.
 * @st:		the store.
 *
 * Context: the store's workqueue.
 */
void cesium_maint(struct cesium_store *st)
{
	bool idle = time_after(jiffies, READ_ONCE(st->last_write) +
			       CESIUM_IDLE_JIFFIES);
	int ret = 0;

	if (cesium_check_writable(st) || READ_ONCE(st->maint_paused) ||
	    cesium_store_lost(st))
		return;
	if (cesium_gc_wanted(st)) {
		ret = cesium_gc_run(st, CESIUM_GC_STEP);
		if (ret == -ENOMEM)
			return;
	}
	if (cesium_ckpt_wanted(st, idle) || ret == -ENOSPC)
		ret = cesium_checkpoint(st);
	if (ret && ret != -ENOSPC)
		return;
	if (cesium_gc_wanted(st) || cesium_ckpt_wanted(st, false))
		queue_delayed_work(st->wq, &st->maint_work, 1);
	else if (cesium_ckpt_wanted(st, true))
		queue_delayed_work(st->wq, &st->maint_work,
				   CESIUM_IDLE_JIFFIES);
}

/**
 * cesium_maint_kick() - after a write: start maintenance when it is due.
 * @st:		the store.
 */
void cesium_maint_kick(struct cesium_store *st)
{
	if (READ_ONCE(st->maint_paused))
		return;
	/* Due now: also when the idle check is already queued for later. */
	if (cesium_gc_wanted(st) || cesium_ckpt_wanted(st, false))
		mod_delayed_work(st->wq, &st->maint_work, 0);
	else if (!delayed_work_pending(&st->maint_work))
		queue_delayed_work(st->wq, &st->maint_work,
				   CESIUM_IDLE_JIFFIES);
}

/**
 * cesium_reclaim() - a write found no room: clean and checkpoint now.
 * @st:		the store.
 *
 * Context: process context, no store lock held.
 * Return: 0 when space was won; -ENOSPC when none could be; -EIO,
 * -ENOMEM.
 */
int cesium_reclaim(struct cesium_store *st)
{
	u64 before = READ_ONCE(st->log.head_lpos);
	int ret;

	if (cesium_store_lost(st)) {
		pr_warn_ratelimited("cesium %s: the log is full: the cleaner waits until the lost checkpoint segments are acknowledged (sysfs lost_ranges)\n",
				    st->be->name);
		return -ENOSPC;
	}
	/* A checkpoint first lets the cleaner go up to the tail. */
	ret = cesium_checkpoint(st);
	if (!ret)
		ret = cesium_gc_run(st, st->log.cap);
	if (ret && ret != -ENOSPC)
		return ret;
	ret = cesium_checkpoint(st);
	if (ret)
		return ret;
	return READ_ONCE(st->log.head_lpos) > before ? 0 : -ENOSPC;
}

/**
 * cesium_store_maintain() - clean and checkpoint, now (sysfs "checkpoint",
 * tests, benchmarks: background work quiesced).
 * @st:		the store.
 *
 * Cleans deeper than the background does, to half of gc_ratio's margin
 * (120% of what live data needs at the default 140): the background stops
 * anywhere under its threshold, by 8 MiB steps, and a caller who asks for
 * maintenance wants the space back, not the next trigger.
 *
 * Context: process context, may sleep.
 * Return: 0 or the error of a checkpoint; -EBUSY while lost ranges wait
 * to be acknowledged (lost.c).
 */
int cesium_store_maintain(struct cesium_store *st)
{
	int ret, rounds;
	u32 target;

	ret = cesium_check_writable(st);
	if (ret)
		return ret;
	if (cesium_store_lost(st))
		return -EBUSY;
	/* A checkpoint first: the cleaner may then go up to the tail. */
	ret = cesium_checkpoint(st);
	if (ret)
		return ret;
	target = 100 + (READ_ONCE(st->gc_ratio) - 100) / 2;
	for (rounds = 0; rounds < 64 && cesium_gc_wanted_at(st, target);
	     rounds++) {
		ret = cesium_gc_run(st, CESIUM_GC_STEP);
		if (ret && ret != -ENOSPC)
			return ret;
		if (ret || cesium_ckpt_wanted(st, false)) {
			ret = cesium_checkpoint(st);
			if (ret)
				return ret;
		}
	}
	return cesium_checkpoint(st);
}

/**
 * cesium_store_pause_maint() - stop or restart background maintenance.
 * @st:		the store.
 * @paused:	no cleaning or checkpoints in the background while true
 *		(tests that need the log as they wrote it); detach and
 *		cesium_store_maintain() still checkpoint.
 */
void cesium_store_pause_maint(struct cesium_store *st, bool paused)
{
	WRITE_ONCE(st->maint_paused, paused);
	if (paused)
		cancel_delayed_work_sync(&st->maint_work);
}
