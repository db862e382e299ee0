// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoints: the index written into the log, so that attaching loads it
 * and replays only what came after.
 *
 * A checkpoint appends:
 *  - a SEG record for every segment changed since the last checkpoint, its
 *    image as it is in memory; unchanged segments keep their older copy
 *    (copy-on-write: a copy is never written over, only left behind).
 *    These go a stretch (CESIUM_CKPT_STRETCH) at a time under log.lock,
 *    which it drops in between so that writers go on (readers always do);
 *  - under log.lock from here on: the segments writers changed meanwhile
 *    (again), one MAP record per namespace (per 128 Ki segments) with the
 *    addresses of all its segments' copies, in key order, and a ROOT
 *    record listing them;
 * then makes the log durable and writes the other superblock, pointing at
 * the ROOT record and at the next batch, where replay will start. The head
 * of the log moves to where the cleaner got (gc.c): the space behind it
 * is free from then on, and discarded.
 *
 * When writers changed more than a stretch of segments meanwhile (uniform
 * overwrites reach most of the index while a checkpoint of it is under
 * way), writing them again with writers out would hold them off for as
 * long as the stretches took, and write much of the index twice. The
 * checkpoint is then fuzzy: with writers out it writes only the segments
 * that have no copy (new ones, and those whose copy replay cannot follow:
 * see seg_forget() in index.c), names the last copy of the others, and
 * replay starts at its first batch instead of after it. Every copy it
 * names was written after that batch, or is of a segment unchanged since
 * it was written, so replaying every put and delete from there, in order,
 * over the copies gives the index as it is at the end (a record older than
 * a copy is put again and then overwritten by what came after it). The
 * segments changed meanwhile stay dirty for the next checkpoint.
 */
#include <linux/bsearch.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../io/backend.h"
#include "store_int.h"

/* Addresses per MAP record: its value stays within the record limit. */
#define CESIUM_MAP_MAX	(CESIUM_DISK_VALUE_MAX / sizeof(__le64))
/* Segment bytes a checkpoint appends before it lets writers in. */
#define CESIUM_CKPT_STRETCH	(1U << 20)
/* Passes over the segments without a copy before a fuzzy checkpoint's last. */
#define CESIUM_CKPT_PASSES	3

/**
 * cesium_ckpt_hold_default() - segments a checkpoint writes with writers out.
 * @block_bytes:	the store's block (and segment) size.
 *
 * One stretch: beyond that, the checkpoint is fuzzy.
 */
u32 cesium_ckpt_hold_default(u32 block_bytes)
{
	return CESIUM_CKPT_STRETCH / block_bytes;
}

/* MAP records a checkpoint writes: one per namespace and CESIUM_MAP_MAX. */
static u32 cesium_ckpt_nr_maps(struct cesium_store *st)
{
	u32 i, maps = 0;

	for (i = 0; i < st->nr_ns; i++)
		maps += DIV_ROUND_UP(cesium_index_nr_segments(&st->ns_vec[i]->idx),
				     CESIUM_MAP_MAX);
	return maps;
}

/*
 * Bytes of the records of a checkpoint of every segment: at most, with
 * each segment whole (*@most, what the log's reserve must hold), and with
 * the segments as they are now, without their gaps (the return value).
 * Per segment, a SEG record (its header, the image, up to 8 bytes of
 * padding) and its address in a MAP record.
 */
static u64 cesium_ckpt_image_bytes(struct cesium_store *st, u64 *most)
{
	u32 maps = cesium_ckpt_nr_maps(st), i;
	u64 whole = 0, now = 0, meta;

	for (i = 0; i < st->nr_ns; i++) {
		struct cesium_index *idx = &st->ns_vec[i]->idx;
		u64 n = cesium_index_nr_segments(idx);

		whole += n * (cesium_rec_size(0, st->sb.block_bytes) +
			      sizeof(__le64));
		now += cesium_index_image_bytes(idx) +
		       n * (cesium_rec_size(0, 0) + 8 + sizeof(__le64));
	}
	meta = maps * cesium_rec_size(0, 0) +
	       cesium_rec_size(0, cesium_root_bytes(maps));
	*most = whole + meta;
	return now + meta;
}

/**
 * cesium_ckpt_account() - size the log's reserve after the index.
 * @st:		the store.
 *
 * Appends other than checkpoints and the cleaner's leave the reserve free,
 * so a checkpoint of the whole index, and with it the space the cleaner
 * won, is always possible: twice (half for the cleaner's moves, half for
 * the checkpoint) the whole index with every segment whole, a wrap's gap
 * and a few blocks. The maintenance policy (gc.c) counts the images as
 * they are (ckpt_image_bytes).
 */
void cesium_ckpt_account(struct cesium_store *st)
{
	u32 bs = st->sb.block_bytes;
	u64 image, most;

	down_read(&st->index_lock);
	image = cesium_ckpt_image_bytes(st, &most);
	up_read(&st->index_lock);
	WRITE_ONCE(st->ckpt_image_bytes, image);
	mutex_lock(&st->log.lock);
	st->log.reserve = 2 * (most + most / 8 + 2 * cesium_rec_size(0, bs) +
			       4 * bs);
	mutex_unlock(&st->log.lock);
}

static int cesium_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/**
 * cesium_ckpt_note_segs() - remember where the checkpoint's segments are.
 * @st:		the store, every segment's copy the checkpoint's (stale
 *		ones too, after a fuzzy checkpoint): just after a checkpoint
 *		or its load; the caller holds maint_lock and log.lock, or
 *		attaches.
 *
 * The cleaner frees log without a checkpoint only up to the first of
 * these copies (cesium_ckpt_free_cleaned()); the index cannot tell, as a
 * segment changed since the checkpoint forgets where its copy was. Without
 * the memory for the list, every copy counts as in use.
 */
void cesium_ckpt_note_segs(struct cesium_store *st)
{
	u32 i, j, k = 0, n = 0;
	u64 *segs;

	for (i = 0; i < st->nr_ns; i++)
		n += cesium_index_nr_segments(&st->ns_vec[i]->idx);
	segs = kvmalloc_array(max(n, 1U), sizeof(*segs), GFP_KERNEL);
	for (i = 0; segs && i < st->nr_ns; i++) {
		struct cesium_index *idx = &st->ns_vec[i]->idx;

		for (j = 0; j < cesium_index_nr_segments(idx); j++)
			segs[k++] = cesium_index_seg_copy(idx, j);
	}
	if (segs)
		sort(segs, k, sizeof(*segs), cesium_u64_cmp, NULL);
	kvfree(st->ckpt_segs);
	st->ckpt_segs = segs;
	st->nr_ckpt_segs = k;
}

/**
 * cesium_ckpt_uses() - is the segment copy at @disk the checkpoint's?
 * @st:		the store; the caller holds maint_lock.
 * @disk:	device address of a SEG record.
 */
bool cesium_ckpt_uses(const struct cesium_store *st, u64 disk)
{
	return !st->ckpt_segs ||
	       bsearch(&disk, st->ckpt_segs, st->nr_ckpt_segs,
		       sizeof(*st->ckpt_segs), cesium_u64_cmp);
}

/* Append one metadata record; its address in *@addr. */
static int cesium_ckpt_add(struct cesium_store *st, u8 op, u64 ns,
			   const void *value, u32 len, u64 *addr)
{
	int ret;

	ret = cesium_log_reserve(&st->log, cesium_rec_size(0, len),
				 CESIUM_LOG_CKPT,
				 addr);
	if (ret)
		return ret;
	cesium_log_add(&st->log, op, ns, NULL, 0, value, len);
	st->ckpt_bytes += cesium_rec_size(0, len);
	return 0;
}

/*
 * Append the dirty segments (only those without a copy when @uncopied)
 * from the cursor (*@ns_i, *@seg_i) on, up to @budget bytes (no limit when
 * 0); @img is room for a segment's image. Caller holds log.lock.
 * Return: 0, with *@ns_i == nr_ns when every namespace was passed; an
 * error of cesium_ckpt_add().
 */
static int cesium_ckpt_segs(struct cesium_store *st, u64 budget, void *img,
			    bool uncopied, u32 *ns_i, u32 *seg_i)
{
	u64 done = 0, addr;
	u32 len;
	int ret;

	for (; *ns_i < st->nr_ns; (*ns_i)++, *seg_i = 0) {
		struct cesium_ns *ns = st->ns_vec[*ns_i];
		struct cesium_index *idx = &ns->idx;

		for (; *seg_i < cesium_index_nr_segments(idx); (*seg_i)++) {
			if (cesium_index_seg_disk(idx, *seg_i) ||
			    (uncopied && cesium_index_seg_copy(idx, *seg_i)))
				continue;
			if (budget && done >= budget)
				return 0;
			len = cesium_index_seg_image(idx, *seg_i, img);
			ret = cesium_ckpt_add(st, CESIUM_REC_SEG, ns->id, img,
					      len, &addr);
			if (ret)
				return ret;
			cesium_index_seg_written(idx, *seg_i, addr);
			done += len;
		}
	}
	return 0;
}

/*
 * Let writers in between two stretches of segments: log.lock dropped and
 * taken again (a waiter that found it taken again gets it handed over the
 * next time). What they change dirties segments again, and the last pass,
 * with writers out, writes those: the checkpoint is the index as it is
 * then, and replay starts after it.
 */
static void cesium_ckpt_yield(struct cesium_store *st)
{
	mutex_unlock(&st->log.lock);
#ifdef CESIUM_TEST_HOOKS
	if (st->ckpt_hook)
		st->ckpt_hook(st, st->ckpt_hook_arg);
#endif
	cond_resched();
	mutex_lock(&st->log.lock);
}

/*
 * Segments left for the pass with writers out: dirty ones (*@dirty) and
 * those without a copy (*@uncopied). Caller holds log.lock.
 */
static void cesium_ckpt_left(struct cesium_store *st, u32 *dirty,
			     u32 *uncopied)
{
	u32 i;

	*dirty = 0;
	*uncopied = 0;
	for (i = 0; i < st->nr_ns; i++) {
		struct cesium_index *idx = &st->ns_vec[i]->idx;

		*dirty += cesium_index_nr_dirty(idx);
		*uncopied += cesium_index_nr_uncopied(idx);
	}
}

/*
 * Append the dirty segments (only those without a copy when @uncopied), a
 * stretch at a time, writers in between. Caller holds log.lock.
 */
static int cesium_ckpt_stretches(struct cesium_store *st, void *img,
				 bool uncopied)
{
	u32 i = 0, seg_i = 0;
	int ret;

	for (;;) {
		ret = cesium_ckpt_segs(st, CESIUM_CKPT_STRETCH, img, uncopied,
				       &i, &seg_i);
		if (ret || i >= st->nr_ns)
			return ret;
		cesium_ckpt_yield(st);
	}
}

/*
 * After the stretches: write the segments left with writers out (the
 * caller holds log.lock from here to the end), all of them when they are
 * at most ckpt_hold_segs; else the checkpoint is fuzzy (true), and only
 * those without a copy are written, after further stretches while they
 * are more than that.
 */
static int cesium_ckpt_last_pass(struct cesium_store *st, void *img,
				 bool *fuzzy)
{
	u32 dirty, uncopied, tries, i = 0, seg_i = 0;
	int ret;

	for (tries = 0; ; tries++) {
		cesium_ckpt_left(st, &dirty, &uncopied);
		*fuzzy = dirty > st->ckpt_hold_segs;
		if (!*fuzzy || uncopied <= st->ckpt_hold_segs ||
		    tries == CESIUM_CKPT_PASSES)
			break;
		ret = cesium_ckpt_stretches(st, img, true);
		if (ret)
			return ret;
	}
	return cesium_ckpt_segs(st, 0, img, *fuzzy, &i, &seg_i);
}

/* The MAP records of namespace @ns: where each of its segments is. */
static int cesium_ckpt_maps(struct cesium_store *st, struct cesium_ns *ns,
			    __le64 *addrs, u8 *root, u32 *map_i)
{
	struct cesium_index *idx = &ns->idx;
	u32 nr = cesium_index_nr_segments(idx), i, first;
	u64 disk, addr;
	int ret;

	for (first = 0; first < nr; first += CESIUM_MAP_MAX) {
		u32 n = min_t(u32, nr - first, CESIUM_MAP_MAX);

		for (i = 0; i < n; i++) {
			disk = cesium_index_seg_copy(idx, first + i);
			/* every segment without a copy was just written */
			if (WARN_ON_ONCE(!disk))
				return -EUCLEAN;
			addrs[i] = cpu_to_le64(disk);
		}
		ret = cesium_ckpt_add(st, CESIUM_REC_MAP, ns->id, addrs,
				      n * sizeof(__le64), &addr);
		if (ret)
			return ret;
		cesium_root_set_map(root, (*map_i)++, addr, n);
	}
	return 0;
}

/* Write the superblock of a checkpoint into the slot not in force. */
static int cesium_ckpt_super(struct cesium_store *st, struct cesium_super *sb)
{
	u32 bs = sb->block_bytes;
	u8 *blk;
	int ret;

	blk = cesium_io_alloc(bs, GFP_NOIO);
	if (!blk)
		return -ENOMEM;
	memset(blk, 0, bs);
	cesium_super_encode(sb, blk);
	/* The log before it is durable: FUA alone orders it. */
	ret = cesium_be_write(st->be, (sb->seq & 1) * bs, blk, bs,
			      CESIUM_IO_FUA);
	kvfree(blk);
	return ret;
}

/*
 * Give freed log space [@from, @to) (logical) back to the device, and drop
 * the values cached from it before it is written again.
 */
static void cesium_ckpt_discard(struct cesium_store *st, u64 from, u64 to)
{
	struct cesium_log *log = &st->log;

	while (from < to) {
		u64 off = cesium_log_phys(log, from);
		u64 len = min(to - from, log->end - off);

		cesium_store_cache_drop(st, off, off + len);
		if (!cesium_be_discard(st->be, off, len))
			atomic64_add(len, &st->discard_bytes);
		from += len;
	}
}

/* Has anything changed since the last checkpoint? Under log.lock. */
static bool cesium_ckpt_needed(struct cesium_store *st)
{
	u32 i;

	if (__cesium_log_used(&st->log) >
	    st->ckpt_tail_lpos - st->log.head_lpos ||
	    st->gc_lpos > st->log.head_lpos || !st->sb.ckpt_root ||
	    st->ckpt_damaged)
		return true;
	for (i = 0; i < st->nr_ns; i++)
		if (cesium_index_nr_dirty(&st->ns_vec[i]->idx))
			return true;
	return false;
}

/* cesium_checkpoint() without the allocation scope. */
static int __cesium_checkpoint(struct cesium_store *st)
{
	struct cesium_log *log = &st->log;
	u64 old_head, new_head, begin, addr, begin_off, begin_seq, begin_prev;
	u32 nr_maps, map_i = 0, i;
	struct cesium_super sb;
	u8 *root = NULL, *img;
	__le64 *addrs;
	u64 keys = 0;
	bool fuzzy;
	int ret;

	addrs = kvmalloc_array(CESIUM_MAP_MAX, sizeof(*addrs), GFP_KERNEL);
	img = kvmalloc(st->sb.block_bytes, GFP_KERNEL);
	if (!addrs || !img) {
		kvfree(img);
		kvfree(addrs);
		return -ENOMEM;
	}
	mutex_lock(&st->maint_lock);
	mutex_lock(&log->lock);
	ret = 0;
	/* The checkpoint in force names the damaged segments: keep it. */
	if (cesium_store_lost(st) || !cesium_ckpt_needed(st))
		goto out;
	st->ckpt_bytes = 0;
	/*
	 * The pending batch first: the index this checkpoint writes has its
	 * records, so the cleaner may pass them once it is in force (else
	 * they wait for the next one: values the last writes left dead).
	 */
	if (log->nr_records) {
		ret = __cesium_log_write(log, false);
		if (ret)
			goto out;
	}
	begin = log->tail_lpos;
	/* Where a fuzzy checkpoint's replay starts: its first batch. */
	begin_off = log->batch_off;
	begin_seq = log->seq;
	begin_prev = log->prev_csum;
	/* The dirty segments, a stretch at a time, writers in between. */
	ret = cesium_ckpt_stretches(st, img, false);
	if (ret)
		goto out;
	/* Then what they changed meanwhile, and the maps: writers out. */
	ret = cesium_ckpt_last_pass(st, img, &fuzzy);
	if (ret)
		goto out;
	nr_maps = cesium_ckpt_nr_maps(st);
	root = kvmalloc(cesium_root_bytes(nr_maps), GFP_KERNEL);
	ret = -ENOMEM;
	if (!root)
		goto out;
	for (i = 0; i < st->nr_ns; i++)
		keys += cesium_index_count(&st->ns_vec[i]->idx);
	cesium_root_encode(root, keys, nr_maps, st->sb.block_bytes);
	for (i = 0; i < st->nr_ns; i++) {
		ret = cesium_ckpt_maps(st, st->ns_vec[i], addrs, root, &map_i);
		if (ret)
			goto out;
	}
	if (WARN_ON_ONCE(map_i != nr_maps)) {
		ret = -EUCLEAN;
		goto out;
	}
	ret = cesium_ckpt_add(st, CESIUM_REC_ROOT, 0, root,
			      cesium_root_bytes(nr_maps), &addr);
	if (ret)
		goto out;
	ret = __cesium_log_write(log, true);
	if (ret)
		goto out;

	old_head = log->head_lpos;
	new_head = min(st->gc_lpos, begin);
	sb = st->sb;
	sb.seq++;
	sb.log_head = fuzzy ? begin_off : log->batch_off;
	sb.log_head_seq = fuzzy ? begin_seq : log->seq;
	sb.log_head_prev = fuzzy ? begin_prev : log->prev_csum;
	sb.gc_head = cesium_log_phys(log, new_head);
	sb.gc_head_seq = new_head == st->gc_lpos ? st->gc_seq : log->head_seq;
	sb.ckpt_begin = cesium_log_phys(log, begin);
	sb.ckpt_root = addr;
	sb.ckpt_root_len = cesium_root_bytes(nr_maps);
	sb.ckpt_seq++;
	ret = cesium_ckpt_super(st, &sb);
	if (ret) {
		cesium_log_set_error(log, ret);
		goto out;
	}
	st->sb = sb;
	st->ckpt_damaged = false;
	/* Nothing needs [old_head, new_head) any more; nobody reuses it yet. */
	cesium_ckpt_discard(st, old_head, new_head);
	log->head_lpos = new_head;
	wake_up_all(&st->gc_wait);
	log->head_seq = sb.gc_head_seq;
	st->gc_lpos = max(st->gc_lpos, new_head);
	/* Every segment copy the cleaner met was written again. */
	st->gc_hold_lpos = U64_MAX;
	cesium_ckpt_note_segs(st);
	st->ckpt_begin_lpos = begin;
	st->ckpt_tail_lpos = log->tail_lpos;
	atomic64_inc(&st->checkpoints);
	if (fuzzy)
		atomic64_inc(&st->checkpoints_fuzzy);
	atomic64_add(st->ckpt_bytes, &st->checkpoint_bytes);
	atomic64_add(new_head - old_head, &st->gc_freed_bytes);
	mutex_unlock(&log->lock);
	mutex_unlock(&st->maint_lock);
	kvfree(root);
	kvfree(img);
	kvfree(addrs);
	cesium_ckpt_account(st);
	return 0;

out:
	mutex_unlock(&log->lock);
	mutex_unlock(&st->maint_lock);
	kvfree(root);
	kvfree(img);
	kvfree(addrs);
	return ret ? cesium_write_failed(st, ret) : 0;
}

/**
 * cesium_ckpt_free_cleaned() - free what the cleaner won, without a
 * checkpoint.
 * @st:		the store; the caller holds maint_lock.
 *
 * Recovery reads the checkpoint's segment copies and the log from the
 * checkpoint's end on; before the checkpoint's first batch it reads no
 * value either: a value the cleaner moved was put again at the tail, where
 * replay finds it. So the cleaned log up to the first batch that holds a
 * segment copy of the checkpoint (gc_hold_lpos, cesium_ckpt_uses()) is
 * free once the moved copies are durable and a superblock says where the
 * head is. Under overwrites the checkpoints rewrite every
 * segment, and the cleaner frees space with this one block write instead
 * of a checkpoint of the whole index.
 *
 * Context: process context, may sleep; the write-out path (GFP_NOIO).
 * Return: 0; -EROFS or -EIO (the store turns read-only); -ENOMEM.
 */
int cesium_ckpt_free_cleaned(struct cesium_store *st)
{
	struct cesium_log *log = &st->log;
	u64 old_head, new_head, seq;
	struct cesium_super sb;
	int ret;

	lockdep_assert_held(&st->maint_lock);
	/*
	 * maint_lock alone keeps the head, the cleaner's position and the
	 * superblock as they are (checkpoints and the cleaner change them);
	 * log.lock is taken only where writers look: the I/O below is
	 * waited for without it.
	 */
	old_head = READ_ONCE(log->head_lpos);
	new_head = st->gc_lpos;
	seq = st->gc_seq;
	if (st->gc_hold_lpos < new_head) {
		new_head = st->gc_hold_lpos;
		seq = st->gc_hold_seq;
	}
	if (new_head <= old_head || cesium_store_lost(st) ||
	    !st->sb.ckpt_root || st->ckpt_damaged)
		return 0;
	/* The moved copies first: the superblock's FUA orders nothing else. */
	ret = cesium_log_commit(log, true);
	if (ret)
		goto out;
	sb = st->sb;
	sb.seq++;
	sb.gc_head = cesium_log_phys(log, new_head);
	sb.gc_head_seq = seq;
	ret = cesium_ckpt_super(st, &sb);
	if (ret) {
		cesium_log_set_error(log, ret);
		goto out;
	}
	st->sb = sb;
	/* Nobody reuses the space before the head moves past it. */
	cesium_ckpt_discard(st, old_head, new_head);
	/* Counted before a writer waiting for the space can look. */
	atomic64_add(new_head - old_head, &st->gc_freed_bytes);
	mutex_lock(&log->lock);
	log->head_lpos = new_head;
	log->head_seq = seq;
	mutex_unlock(&log->lock);
	wake_up_all(&st->gc_wait);
out:
	return ret ? cesium_write_failed(st, ret) : 0;
}

/**
 * cesium_checkpoint() - write a checkpoint and free what the cleaner won.
 * @st:		the store.
 *
 * The write-out path: its allocations never recurse into I/O. While key
 * ranges are lost (lost.c) it writes nothing: the checkpoint in force
 * keeps naming the damaged segments until the user acknowledges them.
 *
 * Context: process context, may sleep; takes maint_lock and log.lock.
 * Return: 0 (also when nothing was written); -EROFS or -EIO (the store turns read-only); -ENOSPC;
 * -ENOMEM.
 */
int cesium_checkpoint(struct cesium_store *st)
{
	unsigned int noio = memalloc_noio_save();
	int ret = __cesium_checkpoint(st);

	memalloc_noio_restore(noio);
	return ret;
}
