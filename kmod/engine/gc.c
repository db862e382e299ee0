// SPDX-License-Identifier: GPL-2.0
/*
 * The log cleaner and the maintenance work that runs it and checkpoints.
 *
 * Cleaning goes round the log from its head, oldest batches first (a
 * FIFO cleaner), up to the first batch of the checkpoint in force. For
 * every record it passes:
 *  - a put whose value the index still points at is appended again at the
 *    tail and the index entry moved to the copy;
 *  - a segment copy that the index still uses (stale ones too, which a
 *    fuzzy checkpoint names) is forgotten, so the next checkpoint writes
 *    the segment again, with writers out;
 *  - everything else (overwritten and deleted values, deletes, inline
 *    values, older maps and roots) is already covered by the checkpoint
 *    and needs nothing.
 * The space cleaned becomes free as the cleaner goes (every
 * cesium_gc_free_every() bytes), with a superblock that moves the head
 * (cesium_ckpt_free_cleaned()), up to the first batch that held a
 * segment copy still in use; from there on at the next checkpoint
 * (ckpt.c), which records the new head and discards what is behind it.
 *
 * Policy: clean while the log is larger than gc_ratio percent of the live
 * keys and values (so gc_ratio is the space amplification the cleaner
 * keeps, where the data allows: records have headers, and the log also
 * holds the index's checkpoint), or when free space runs short;
 * checkpoint every ckpt_interval bytes of log (cesium_ckpt_interval():
 * sixteen times the index's image within twice the room gc_ratio leaves
 * over what live data needs), when the cleaner won half that much, when
 * it is stuck at the checkpoint with the log over the ratio
 * (cesium_gc_stuck()), and when writes have been idle for a second if the
 * checkpoint would write at most half the log it frees or spares a
 * recovery (after a few puts spread over the index, each costs a whole
 * segment; they wait for the interval or the detach). Work is done in
 * steps of CESIUM_GC_STEP bytes on the store's workqueue, so writers keep
 * going in between; a writer that finds the cleaner behind waits for it
 * (cesium_gc_throttle()).
 *
 * While key ranges are lost with damaged checkpoint segments (lost.c),
 * neither the cleaner nor checkpoints run: the cleaner decides what is
 * dead by the index, which does not know the lost keys, and a checkpoint
 * would forget the damage. Writes that need the space meanwhile get
 * -ENOSPC, and the kernel log says why.
 *
 * Locking: maint_lock serializes the cleaner and checkpoints. A batch is
 * read with no lock held: nothing writes between the head and the
 * checkpoint's first batch. Moves take log.lock like any writer, a few
 * records at a time; dead puts are told apart without it.
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

/* Log bytes the cleaner lets the log use: gc_ratio percent of the data. */
static u64 cesium_gc_allowed(struct cesium_store *st)
{
	return div_u64(atomic64_read(&st->user_bytes) *
		       READ_ONCE(st->gc_ratio), 100);
}

/* Log bytes live data needs: values' records and an image of the index. */
static u64 cesium_live_need(struct cesium_store *st)
{
	return atomic64_read(&st->live_bytes) + READ_ONCE(st->ckpt_image_bytes);
}

/*
 * Log between checkpoints: sixteen times the index's image, so that
 * checkpoints cost at most a sixteenth of what is written, and the images
 * they leave dead in the log (the FIFO cleaner reaches them late) take a
 * sixteenth of it. But the log after the checkpoint cannot be cleaned, so
 * no more than twice the room gc_ratio leaves over what live data needs
 * (the values' records and an image of the index): about half of that log
 * is live data, which needs no room; when it is not, the cleaner gets
 * stuck and a checkpoint comes early (cesium_gc_stuck()). Unless that is
 * under two images (small values, where the index is most of the data:
 * space then costs write amplification, and checkpoints stay under half
 * of what is written). At least 16 MiB (a sixteenth of a small device),
 * at most a quarter of the device.
 *
 * Measured under uniform random overwrites on a 4 GiB drive, at the
 * default gc_ratio 145: space amplification 1.40-1.45 at 400-byte values
 * and 1.44-1.45 at 4096, for 3.4-3.8 and 2.25 device bytes per user byte.
 * (The room itself as the bound, eight images and gc_ratio 150: 1.45-1.51
 * and 1.49-1.52 for 4.0 and 2.4.)
 */
static u64 cesium_ckpt_interval(struct cesium_store *st)
{
	u64 image = READ_ONCE(st->ckpt_image_bytes);
	u64 need = cesium_live_need(st);
	u64 allowed = cesium_gc_allowed(st);
	u64 margin = allowed > need ? allowed - need : 0;
	u64 iv = min(16 * image, max(2 * margin, 2 * image));

	iv = max(iv, min(CESIUM_CKPT_MIN, st->log.cap / 16));
	return min(iv, st->log.cap / 4);
}

/* Little room left: free space under an eighth of the device. */
static bool cesium_space_short(struct cesium_store *st)
{
	struct cesium_log *log = &st->log;
	u64 used = READ_ONCE(log->tail_lpos) - READ_ONCE(log->head_lpos);

	return used + READ_ONCE(log->reserve) + log->cap / 8 > log->cap;
}

/*
 * Should the cleaner run, for a log that may use @allowed bytes?
 * maint_lock held or not: an estimate.
 */
static bool cesium_gc_wanted_at(struct cesium_store *st, u64 allowed)
{
	struct cesium_log *log = &st->log;
	u64 dirty = READ_ONCE(log->tail_lpos) - READ_ONCE(st->gc_lpos);

	if (READ_ONCE(st->gc_lpos) >= READ_ONCE(st->ckpt_begin_lpos) ||
	    cesium_store_lost(st))
		return false;
	if (cesium_space_short(st))
		return true;
	/* Not for a few MiB: each pass costs a checkpoint. */
	if (dirty < min(CESIUM_CKPT_MIN, log->cap / 16))
		return false;
	return dirty > allowed;
}

/* Background cleaning: at the tunable gc_ratio. */
static bool cesium_gc_wanted(struct cesium_store *st)
{
	return cesium_gc_wanted_at(st, cesium_gc_allowed(st));
}

/*
 * Is an idle checkpoint worth its cost: would it write (the dirty segments)
 * at most half the @gain bytes of log it frees or spares a recovery?
 * Takes index_lock to count; called at most once per idle second.
 */
static bool cesium_ckpt_cheap(struct cesium_store *st, u64 gain)
{
	u64 dirty = 0;
	u32 i;

	down_read(&st->index_lock);
	for (i = 0; i < st->nr_ns; i++)
		dirty += cesium_index_nr_dirty(&st->ns_vec[i]->idx);
	up_read(&st->index_lock);
	return 2 * dirty * cesium_rec_size(0, st->sb.block_bytes) <= gain;
}

/*
 * The cleaner is at the checkpoint's first batch with the log over
 * gc_ratio: a checkpoint lets it go on, so that the bound holds however
 * the log since the checkpoint turned out (more dead records than the
 * interval counted on). Only where the bound is meant to hold (the room
 * over what live data needs is two images or more: not for small values,
 * whose interval has its floor), after two images of log, so that
 * checkpoints never cost more than half of what is written, and not for
 * a log under the cleaner's own floor.
 */
static bool cesium_gc_stuck(struct cesium_store *st, u64 since)
{
	u64 image = READ_ONCE(st->ckpt_image_bytes);
	u64 need = cesium_live_need(st);
	u64 allowed = cesium_gc_allowed(st);
	u64 dirty = READ_ONCE(st->log.tail_lpos) - READ_ONCE(st->gc_lpos);

	return READ_ONCE(st->gc_lpos) >= READ_ONCE(st->ckpt_begin_lpos) &&
	       since >= 2 * image && allowed >= need + 2 * image &&
	       dirty >= min(CESIUM_CKPT_MIN, st->log.cap / 16) &&
	       dirty > allowed;
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
	if (won && cesium_space_short(st))
		return true;
	/*
	 * The cleaner went as far as it may, and what it won waits for a
	 * checkpoint (segment copies in use): worth one that frees more
	 * than the index's image it writes.
	 */
	if (won >= READ_ONCE(st->ckpt_image_bytes) &&
	    READ_ONCE(st->gc_lpos) >= READ_ONCE(st->ckpt_begin_lpos))
		return true;
	if (cesium_gc_stuck(st, since))
		return true;
	return idle && (won || since) && cesium_ckpt_cheap(st, won + since);
}

/* Records the cleaner handles per hold of log.lock: writers get in between. */
#define CESIUM_GC_LOCKED_RECS	16

/*
 * Whether the put @rec at @addr may still hold the value the index has for
 * its key. Asked without log.lock, by a lockless lookup: false is final
 * (once the index points elsewhere it never points back at @addr, which
 * only the tail's writes could reuse); true is asked again under the lock.
 */
static bool cesium_gc_maybe_live(struct cesium_store *st,
				 const struct cesium_rec *rec, u64 addr)
{
	struct cesium_vref v;

	return !cesium_lookup_rcu(st, rec->ns, rec->key, rec->key_len, &v,
				  NULL, 0, false) &&
	       v.kind == CESIUM_V_LOG && v.addr == addr &&
	       v.len == rec->value_len;
}

/*
 * One record of the batch at @off, whose bytes @raw are at @addr, under
 * log.lock: a segment copy is released, a put the index still points at
 * moved to the tail. Return: 0, or an error that stops the batch.
 */
static int cesium_gc_rec(struct cesium_store *st, const struct cesium_rec *rec,
			 const void *raw, u32 size, u64 addr, bool *held)
{
	struct cesium_ns *ns = cesium_ns_find(st, rec->ns);
	struct cesium_vref v;
	u64 to;
	int ret;

	if (!ns)
		return 0;
	if (rec->op == CESIUM_REC_SEG) {
		cesium_index_seg_release(&ns->idx, rec->value, rec->value_len,
					 addr);
		*held |= cesium_ckpt_uses(st, addr);
		return 0;
	}
	/* Writers are held off: this answer stands. */
	if (cesium_index_lookup(&ns->idx, rec->key, rec->key_len, &v) ||
	    v.kind != CESIUM_V_LOG || v.addr != addr ||
	    v.len != rec->value_len)
		return 0;
	ret = cesium_log_reserve(&st->log, size, CESIUM_LOG_GC, &to);
	if (ret)
		return ret;
	v.addr = to;
	/* In cesium_gc_run()'s GFP_NOIO scope. */
	cesium_index_write_begin(st);
	ret = cesium_index_insert(&ns->idx, rec->key, rec->key_len, &v, NULL,
				  GFP_KERNEL);
	cesium_index_write_end(st);
	if (WARN_ON_ONCE(ret != 1))
		return ret < 0 ? ret : -EUCLEAN;
	cesium_log_add_raw(&st->log, raw, size);
	atomic64_add(size, &st->gc_moved_bytes);
	return 0;
}

/*
 * Move the live records of the batch at @off (read into @buf) to the tail.
 * Dead puts, most of a cleaned batch under overwrites, are told apart
 * without log.lock; the lock is taken for the rest, a few records at a
 * time, so that writers are not held off for a whole batch.
 * Return: 0; -ENOSPC when the tail has no room (checkpoint first); -EIO.
 */
static int cesium_gc_batch(struct cesium_store *st, const u8 *buf,
			   const struct cesium_log_batch *b, u64 off, bool *held)
{
	struct cesium_rec rec;
	u32 pos, locked = 0;
	int ret = 0, size;

	for (pos = CESIUM_LOG_HDR_BYTES; pos < b->len; pos += size) {
		size = cesium_rec_decode(buf + pos, b->len - pos, &rec);
		if (WARN_ON_ONCE(size < 0)) {	/* the batch was verified */
			ret = size;
			break;
		}
		if (rec.op != CESIUM_REC_SEG &&
		    (rec.op != CESIUM_REC_PUT ||
		     !cesium_gc_maybe_live(st, &rec, off + pos)))
			continue;
		if (!locked++)
			mutex_lock(&st->log.lock);
		ret = cesium_gc_rec(st, &rec, buf + pos, size, off + pos, held);
		if (ret)
			break;
		if (locked == CESIUM_GC_LOCKED_RECS) {
			mutex_unlock(&st->log.lock);
			locked = 0;
		}
	}
	if (locked)
		mutex_unlock(&st->log.lock);
	return ret;
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
 * The batch at the cleaner's position holds segment copies the checkpoint
 * in force uses: the head may not pass it before the next checkpoint.
 */
static void cesium_gc_hold(struct cesium_store *st)
{
	if (st->gc_hold_lpos == U64_MAX) {
		st->gc_hold_lpos = st->gc_lpos;
		st->gc_hold_seq = st->gc_seq;
	}
}

/*
 * Cleaned log to free as the cleaner goes, not only at the end of a step:
 * the moved copies are at the tail before the space they leave is given
 * back, so a whole 8 MiB step of a store holding a few MiB would take
 * the space in use far over gc_ratio for a while (32 MiB drive, 400-byte
 * values: 2.3 times the data at the peaks, against 1.45 between). A
 * 32nd of what the ratio allows, so that the peaks stay within 3% of it;
 * at least 256 KiB, as each free costs a flush and a superblock write.
 */
static u64 cesium_gc_free_every(struct cesium_store *st)
{
	return clamp(cesium_gc_allowed(st) / 32, 256ULL << 10, CESIUM_GC_STEP);
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
	u64 free_every = cesium_gc_free_every(st);
	u32 bs = st->sb.block_bytes;
	struct cesium_log_batch b;
	u64 done = 0, bytes = 0;
	long n;
	int ret;

	if (cesium_store_lost(st))
		return 0;
	while (done < budget && st->gc_lpos < st->ckpt_begin_lpos) {
		u64 off = cesium_log_phys(log, st->gc_lpos);

		if (st->gc_lpos - READ_ONCE(log->head_lpos) >= free_every) {
			ret = cesium_ckpt_free_cleaned(st);
			if (ret)
				return ret;
		}

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
			/* it may hold the checkpoint's copies: keep it */
			cesium_gc_hold(st);
			st->gc_lpos += next >= off ? next - off :
				       log->end - off + next - log->start;
			st->gc_seq++;
			continue;
		}
		if (b.flags & CESIUM_LOG_F_WRAP) {
			n = log->end - off;
		} else {
			bool held = false;

			ret = cesium_gc_batch(st, buf, &b, off, &held);
			if (held)
				cesium_gc_hold(st);
			if (ret)
				return ret;
		}
		st->gc_lpos += n;
		st->gc_seq++;
		done += n;
	}
	return 0;
}

/**
 * cesium_gc_run() - clean up to @budget bytes and free what it can.
 * @st:		the store.
 * @budget:	bytes of log to clean, at most up to the checkpoint.
 * @allowed:	clean only if the log is over this many bytes when
 *		maint_lock is taken (cesium_gc_wanted_at(): a pass that held
 *		the lock meanwhile may have cleaned); CESIUM_GC_ALL to clean
 *		whatever the log's size.
 *
 * Cleans under maint_lock, with a batch buffer of its own, then frees the
 * cleaned log that needs no checkpoint (cesium_ckpt_free_cleaned()). The
 * write-out path: allocations never recurse into I/O. Maintenance calls
 * it; tests too, with background maintenance paused.
 *
 * Context: process context, may sleep.
 * Return: as __cesium_gc_run() or cesium_ckpt_free_cleaned(); -ENOMEM.
 */
int cesium_gc_run(struct cesium_store *st, u64 budget, u64 allowed)
{
	unsigned int noio = memalloc_noio_save();
	u8 *buf = vmalloc(cesium_log_buf_bytes(st->sb.block_bytes));
	int ret = -ENOMEM;

	if (buf) {
		mutex_lock(&st->maint_lock);
		ret = 0;
		if (allowed == CESIUM_GC_ALL || cesium_gc_wanted_at(st, allowed))
			ret = __cesium_gc_run(st, budget, buf);
		if (!ret || ret == -ENOSPC) {
			int err = cesium_ckpt_free_cleaned(st);

			ret = err ?: ret;
		}
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
		ret = cesium_gc_run(st, CESIUM_GC_STEP, cesium_gc_allowed(st));
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
	struct delayed_work *dw = &st->maint_work;

	if (READ_ONCE(st->maint_paused))
		return;
	/*
	 * Queued to run now: it will see what this write did. (Under
	 * overwrites the cleaner is wanted after most puts, and requeueing
	 * it each time cost 1.7% of the CPU samples in mod_delayed_work_on.)
	 */
	if (delayed_work_pending(dw) && !timer_pending(&dw->timer))
		return;
	/* Due now: also when the idle check is already queued for later. */
	if (cesium_gc_wanted(st) || cesium_ckpt_wanted(st, false))
		mod_delayed_work(st->wq, dw, 0);
	else if (!delayed_work_pending(&st->maint_work))
		queue_delayed_work(st->wq, &st->maint_work,
				   CESIUM_IDLE_JIFFIES);
}

/*
 * Is the cleaner behind: the log over what gc_ratio allows by more than
 * the cleaner frees at a time (cesium_gc_free_every()), where it can
 * bring the log back (the room over what live data needs is two images
 * or more, as for cesium_gc_stuck(); the log over the cleaner's floor;
 * maintenance running)?
 */
static bool cesium_gc_behind(struct cesium_store *st)
{
	struct cesium_log *log = &st->log;
	u64 allowed = cesium_gc_allowed(st);
	u64 tail = READ_ONCE(log->tail_lpos);

	return tail - READ_ONCE(log->head_lpos) >
	       allowed + cesium_gc_free_every(st) &&
	       tail - READ_ONCE(st->gc_lpos) >=
	       min(CESIUM_CKPT_MIN, log->cap / 16) &&
	       allowed >= cesium_live_need(st) +
			  2 * READ_ONCE(st->ckpt_image_bytes) &&
	       !READ_ONCE(st->maint_paused) && !cesium_store_lost(st) &&
	       time_after_eq(jiffies, READ_ONCE(st->gc_stall_skip));
}

/**
 * cesium_gc_throttle() - before a write: wait while the cleaner is behind.
 * @st:		the store.
 * @nowait:	answer -EAGAIN instead of waiting.
 *
 * Writes can outrun the cleaner (it runs on a workqueue, and the writers
 * may have the CPUs); without a stall the space in use would grow past
 * gc_ratio for as long as they do. A writer waits for the head of the
 * log to come back within bounds, a second at most (a checkpoint of a
 * large index takes a while): when that passes with the cleaner still
 * behind, nobody waits for the next second (a cleaner that cannot keep
 * up must not make every write that slow).
 *
 * Context: process context, no store lock held; may sleep unless @nowait.
 * Return: 0; -EAGAIN with @nowait when it would wait.
 */
int cesium_gc_throttle(struct cesium_store *st, bool nowait)
{
	if (likely(!cesium_gc_behind(st)))
		return 0;
	if (nowait)
		return -EAGAIN;
	atomic64_inc(&st->gc_stalls);
	mod_delayed_work(st->wq, &st->maint_work, 0);
	if (!wait_event_timeout(st->gc_wait, !cesium_gc_behind(st), HZ))
		WRITE_ONCE(st->gc_stall_skip, jiffies + HZ);
	return 0;
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
		ret = cesium_gc_run(st, st->log.cap, CESIUM_GC_ALL);
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
 * Cleans deeper than the background does, to half the room gc_ratio leaves
 * over what live data needs (cesium_ckpt_interval()): the background
 * stops anywhere under its threshold, by 8 MiB steps, and a caller who
 * asks for maintenance wants the space back, not the next trigger. Then,
 * where the log's live values are at most an eighth of it (inline values:
 * the index holds them, the checkpoint made their records dead), all of
 * it up to the checkpoint, which moves little: what is left is the index's
 * image, wherever the background cleaner had stopped.
 *
 * Context: process context, may sleep.
 * Return: 0 or the error of a checkpoint; -EBUSY while lost ranges wait
 * to be acknowledged (lost.c).
 */
int cesium_store_maintain(struct cesium_store *st)
{
	u64 need, allowed, target;
	int ret, rounds;

	ret = cesium_check_writable(st);
	if (ret)
		return ret;
	if (cesium_store_lost(st))
		return -EBUSY;
	/* A checkpoint first: the cleaner may then go up to the tail. */
	ret = cesium_checkpoint(st);
	if (ret)
		return ret;
	need = cesium_live_need(st);
	allowed = cesium_gc_allowed(st);
	target = allowed > need ? need + (allowed - need) / 2 : allowed;
	for (rounds = 0; rounds < 64 && cesium_gc_wanted_at(st, target);
	     rounds++) {
		ret = cesium_gc_run(st, CESIUM_GC_STEP, target);
		if (ret && ret != -ENOSPC)
			return ret;
		if (ret || cesium_ckpt_wanted(st, false)) {
			ret = cesium_checkpoint(st);
			if (ret)
				return ret;
		}
	}
	if (atomic64_read(&st->live_bytes) * 8 <=
	    cesium_log_used_bytes(&st->log)) {
		ret = cesium_gc_run(st, st->log.cap, CESIUM_GC_ALL);
		if (ret && ret != -ENOSPC)
			return ret;
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
