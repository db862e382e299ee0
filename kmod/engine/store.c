// SPDX-License-Identifier: GPL-2.0
/*
 * The store: namespaces of keys in the in-memory index (the hybrid sorted
 * vector, index.c), every change appended to the log (log.c), values up to
 * inline_max kept inside the index and larger ones read back from their
 * log record.
 *
 * Locking:
 *  - log.lock serializes writers. A put or delete holds it across checking
 *    its precondition, reserving log space, changing the index and adding
 *    its record, so the log's order is the index's order and a failed
 *    index change leaves no record behind.
 *  - index_lock (rw_semaphore) protects the namespace vector and every
 *    namespace's index. Readers that walk (the counters, the cleaner's
 *    checks, a scan whose lockless walks kept failing) share it and never
 *    take log.lock while holding it;
 *    writers take it for writing, inside log.lock, only for the index
 *    change itself (lock order: log.lock, then index_lock), and make
 *    index_seq odd meanwhile (cesium_index_write_begin()).
 *  - Gets and exists take no lock (cesium_lookup_rcu()): under
 *    rcu_read_lock() they look the key up in whatever state the index is
 *    in, which frees segments, fence vectors and namespace vectors only
 *    after a grace period, and keep the result only if index_seq did not
 *    move meanwhile; after a few tries they take index_lock.
 *  - Scans collect their records the same way (scan.c): one walk of the
 *    range under rcu_read_lock() (cesium_index_walk_rcu()) into kernel
 *    memory, kept only if index_seq did not move meanwhile, else walked
 *    again; after CESIUM_LOOKUP_TRIES tries they walk under index_lock.
 *  - Device reads of values happen with no lock held and are checked
 *    afterwards (get.c, and scan.c, which reads a scan's values in
 *    parallel).
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/processor.h>
#include <linux/random.h>
#include <linux/rwsem.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <linux/xxhash.h>
#include <asm/unaligned.h>

#include "../io/backend.h"
#include "store_int.h"

/* Clean the log when it is larger than this percentage of the live data. */
#define CESIUM_GC_RATIO_DEFAULT		145
/* Values up to this many bytes live inside the index by default. */
#define CESIUM_INLINE_MAX_DEFAULT	128
/* Smallest device worth formatting: superblocks and 62 log blocks. */
#define CESIUM_MIN_DEVICE_BLOCKS	64

static u32 cesium_block_bytes(struct cesium_backend *be)
{
	return max_t(u32, CESIUM_MIN_BLOCK_BYTES, be->logical_block_size);
}

/* An I/O buffer: aligned to the page, so to any logical block size. */
void *cesium_io_alloc(size_t bytes, gfp_t gfp)
{
	if (bytes <= PAGE_SIZE)
		return kmalloc(PAGE_SIZE, gfp);
	return __vmalloc(bytes, gfp);
}

u64 cesium_chain_seed(const u8 *uuid)
{
	return xxh64(uuid, 16, 0);
}

/* ---- format ------------------------------------------------------------ */

static int cesium_probe(struct cesium_backend *be, enum cesium_signature *found)
{
	size_t btrfs_len = 0;
	u8 *head, *btrfs;
	int ret = -ENOMEM;

	head = cesium_io_alloc(CESIUM_PROBE_HEAD_BYTES, GFP_KERNEL);
	btrfs = cesium_io_alloc(CESIUM_PROBE_BTRFS_BYTES, GFP_KERNEL);
	if (!head || !btrfs)
		goto out;
	ret = cesium_be_read(be, 0, head, CESIUM_PROBE_HEAD_BYTES);
	if (ret)
		goto out;
	if (be->size_bytes >= CESIUM_PROBE_BTRFS_OFF + CESIUM_PROBE_BTRFS_BYTES) {
		ret = cesium_be_read(be, CESIUM_PROBE_BTRFS_OFF, btrfs,
				     CESIUM_PROBE_BTRFS_BYTES);
		if (ret)
			goto out;
		btrfs_len = CESIUM_PROBE_BTRFS_BYTES;
	}
	*found = cesium_detect_signature(head, CESIUM_PROBE_HEAD_BYTES,
					 btrfs, btrfs_len);
out:
	kvfree(btrfs);
	kvfree(head);
	return ret;
}

/**
 * cesium_store_format() - write an empty store on a device.
 * @be:		the device, not attached.
 * @force:	overwrite a device that carries a known signature.
 * @found:	receives the signature found (also when @force).
 *
 * Writes both superblocks and clears the first log block, then flushes.
 *
 * Context: process context, may sleep.
 * Return: 0; -EEXIST when the device carries a signature and !@force;
 * -EINVAL when the device is too small; -EIO; -ENOMEM.
 */
int cesium_store_format(struct cesium_backend *be, bool force,
			enum cesium_signature *found)
{
	u32 bs = cesium_block_bytes(be);
	struct cesium_super sb = { .seq = 1 };
	u8 *blk;
	int ret;

	if (be->size_bytes < (u64)CESIUM_MIN_DEVICE_BLOCKS * bs)
		return -EINVAL;
	ret = cesium_probe(be, found);
	if (ret)
		return ret;
	if (*found != CESIUM_SIGNATURE_NONE && !force)
		return -EEXIST;

	blk = cesium_io_alloc(bs, GFP_KERNEL);
	if (!blk)
		return -ENOMEM;
	get_random_bytes(sb.uuid, sizeof(sb.uuid));
	sb.block_bytes = bs;
	sb.device_bytes = round_down(be->size_bytes, bs);
	sb.data_start = 2ULL * bs;
	sb.data_end = sb.device_bytes;
	sb.log_head = sb.data_start;
	sb.log_head_seq = 1;
	sb.log_head_prev = cesium_chain_seed(sb.uuid);
	sb.gc_head = sb.data_start;
	sb.gc_head_seq = 1;
	sb.ckpt_begin = sb.data_start;

	memset(blk, 0, bs);
	ret = cesium_be_write(be, sb.data_start, blk, bs, 0);
	if (ret)
		goto out;
	cesium_super_encode(&sb, blk);
	ret = cesium_be_write(be, bs, blk, bs, 0);
	if (ret)
		goto out;
	ret = cesium_be_write(be, 0, blk, bs, CESIUM_IO_PREFLUSH | CESIUM_IO_FUA);
out:
	kvfree(blk);
	return ret;
}

/* ---- namespaces -------------------------------------------------------- */

/* Index in @vec (@nr, sorted) of the first namespace with id >= @id. */
static u32 cesium_ns_pos_in(struct cesium_ns *const *vec, u32 nr, u64 id)
{
	u32 lo = 0, hi = nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (vec[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static u32 cesium_ns_pos(struct cesium_store *st, u64 id)
{
	return cesium_ns_pos_in(st->ns_vec, st->nr_ns, id);
}

static struct cesium_ns *cesium_ns_find_in(struct cesium_ns *const *vec,
					   u32 nr, u64 id)
{
	u32 pos = cesium_ns_pos_in(vec, nr, id);

	return pos < nr && vec[pos]->id == id ? vec[pos] : NULL;
}

struct cesium_ns *cesium_ns_find(struct cesium_store *st, u64 id)
{
	return cesium_ns_find_in(st->ns_vec, st->nr_ns, id);
}

/*
 * Namespace @id for a lockless reader, under rcu_read_lock(): namespaces
 * are freed only when the store is, and their vector after a grace period.
 */
struct cesium_ns *cesium_ns_find_rcu(struct cesium_store *st, u64 id)
{
	const struct cesium_ns_vec *vec = rcu_dereference(st->ns_pub);

	return vec ? cesium_ns_find_in(vec->ns, vec->nr, id) : NULL;
}

/**
 * cesium_lookup() - look a key up in its namespace.
 * @st:		the store; the caller holds index_lock, or log.lock (which
 *		holds writers off).
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @v:		receives the entry.
 *
 * Return: 0 or -ENOENT.
 */
int cesium_lookup(struct cesium_store *st, u64 ns, const u8 *key, u32 key_len,
		  struct cesium_vref *v)
{
	struct cesium_ns *n = cesium_ns_find(st, ns);

	return n ? cesium_index_lookup(&n->idx, key, key_len, v) : -ENOENT;
}

/**
 * cesium_lookup_known() - cesium_lookup(), for a write's precondition.
 * @st:		the store; the caller holds log.lock or index_lock.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @v:		receives the entry.
 *
 * Return: 0; -ENOENT; -EUCLEAN when the key is not in the index but in a
 * lost range (lost.c), so that it may exist.
 */
int cesium_lookup_known(struct cesium_store *st, u64 ns, const u8 *key,
			u32 key_len, struct cesium_vref *v)
{
	int ret = cesium_lookup(st, ns, key, key_len, v);

	if (ret == -ENOENT && cesium_lost_has(st, ns, key, key_len))
		ret = -EUCLEAN;
	return ret;
}

static void cesium_ns_vec_free(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct cesium_ns_vec, rcu));
}

/*
 * Find or create namespace @id. Caller holds index_lock for writing. A new
 * namespace comes with a new vector (copy-on-write: namespaces are few and
 * rarely added), so lockless readers always see a whole one.
 */
struct cesium_ns *cesium_ns_get(struct cesium_store *st, u64 id,
				       gfp_t gfp)
{
	struct cesium_ns_vec *old = rcu_dereference_protected(st->ns_pub, 1);
	u32 pos = cesium_ns_pos(st, id);
	struct cesium_ns_vec *vec;
	struct cesium_ns *ns;

	if (pos < st->nr_ns && st->ns_vec[pos]->id == id)
		return st->ns_vec[pos];

	vec = kvmalloc(struct_size(vec, ns, st->nr_ns + 1), gfp);
	ns = kzalloc(sizeof(*ns), gfp);
	if (!vec || !ns)
		goto fail;
	ns->id = id;
	if (cesium_index_init(&ns->idx, st->sb.block_bytes))
		goto fail;
	vec->nr = st->nr_ns + 1;
	if (pos)
		memcpy(vec->ns, st->ns_vec, pos * sizeof(*vec->ns));
	vec->ns[pos] = ns;
	if (st->nr_ns > pos)
		memcpy(&vec->ns[pos + 1], &st->ns_vec[pos],
		       (st->nr_ns - pos) * sizeof(*vec->ns));
	rcu_assign_pointer(st->ns_pub, vec);
	st->ns_vec = vec->ns;
	st->nr_ns = vec->nr;
	if (old)
		call_rcu(&old->rcu, cesium_ns_vec_free);
	return ns;
fail:
	kfree(ns);
	kvfree(vec);
	return NULL;
}

/**
 * cesium_lookup_rcu() - look a key up without a lock.
 * @st:		the store.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @v:		receives the entry; an inline value goes to @buf.
 * @buf:	room for an inline value.
 * @buf_len:	its size.
 * @nowait:	never sleep.
 *
 * Repeats the lookup until no writer changed the index meanwhile (the
 * index_seq count), a few times, then takes index_lock (tries to, with
 * @nowait).
 *
 * Return: as cesium_index_lookup_rcu(), but -EUCLEAN instead of -ENOENT
 * for a key in a lost range (lost.c); -EAGAIN only with @nowait.
 */
int cesium_lookup_rcu(struct cesium_store *st, u64 ns, const u8 *key,
		      u32 key_len, struct cesium_vref *v, void *buf,
		      u32 buf_len, bool nowait)
{
	struct cesium_ns *n;
	unsigned int seq;
	int tries, ret;

	for (tries = 0; tries < CESIUM_LOOKUP_TRIES; tries++) {
		seq = raw_read_seqcount(&st->index_seq);
		if (seq & 1) {
			cpu_relax();
			continue;
		}
		rcu_read_lock();
		n = cesium_ns_find_rcu(st, ns);
		ret = n ? cesium_index_lookup_rcu(&n->idx, key, key_len, v, buf,
						  buf_len) : -ENOENT;
		rcu_read_unlock();
		if (ret != -EAGAIN && !read_seqcount_retry(&st->index_seq, seq))
			goto out;
	}
	if (!nowait)
		down_read(&st->index_lock);
	else if (!down_read_trylock(&st->index_lock))
		return -EAGAIN;
	ret = cesium_lookup(st, ns, key, key_len, v);
	if (!ret && v->kind == CESIUM_V_INLINE) {
		if (v->len > buf_len)
			ret = -EOVERFLOW;
		else if (v->len)
			memcpy(buf, v->data, v->len);
		v->data = NULL;
	}
	up_read(&st->index_lock);
out:
	if (ret == -ENOENT && cesium_lost_has(st, ns, key, key_len))
		ret = -EUCLEAN;
	return ret;
}

/*
 * Changing the index: index_lock for writing, and index_seq odd, which
 * sends lockless readers round again.
 */
void cesium_index_write_begin(struct cesium_store *st)
{
	down_write(&st->index_lock);
	raw_write_seqcount_begin(&st->index_seq);
}

/* As cesium_index_write_begin(), but false when index_lock is taken. */
bool cesium_index_write_trybegin(struct cesium_store *st)
{
	if (!down_write_trylock(&st->index_lock))
		return false;
	raw_write_seqcount_begin(&st->index_seq);
	return true;
}

void cesium_index_write_end(struct cesium_store *st)
{
	raw_write_seqcount_end(&st->index_seq);
	up_write(&st->index_lock);
}

/* Recovery: append a checkpointed segment to namespace @ns_id. */
int cesium_ns_load_seg(struct cesium_store *st, u64 ns_id, const void *img,
		       u32 len, u64 disk)
{
	struct cesium_ns *ns;
	int ret;

	cesium_index_write_begin(st);
	ns = cesium_ns_get(st, ns_id, GFP_KERNEL);
	ret = ns ? cesium_index_load_seg(&ns->idx, img, len, disk, GFP_KERNEL) :
		   -ENOMEM;
	cesium_index_write_end(st);
	if (ret == -EUCLEAN)
		atomic64_inc(&st->checksum_errors);
	return ret;
}

void cesium_ns_free_all(struct cesium_store *st)
{
	u32 i;

	kvfree(st->ckpt_segs);
	st->ckpt_segs = NULL;
	st->nr_ckpt_segs = 0;
	for (i = 0; i < st->nr_ns; i++) {
		cesium_index_destroy(&st->ns_vec[i]->idx);
		kfree(st->ns_vec[i]);
	}
	/* No reader is left: the vector goes at once. */
	kvfree(rcu_dereference_protected(st->ns_pub, 1));
	RCU_INIT_POINTER(st->ns_pub, NULL);
	st->ns_vec = NULL;
	st->nr_ns = 0;
}

/*
 * The index entry of a put: inline when small enough, else the address of
 * its log record.
 */
static void cesium_make_vref(struct cesium_store *st, struct cesium_ns *ns,
			     u32 key_len, const void *value, u32 value_len,
			     u64 addr, struct cesium_vref *v)
{
	v->len = value_len;
	if (value_len <= st->inline_max &&
	    value_len <= cesium_index_max_inline(&ns->idx, key_len)) {
		v->kind = CESIUM_V_INLINE;
		v->data = value;
		v->addr = 0;
	} else {
		v->kind = CESIUM_V_LOG;
		v->data = NULL;
		v->addr = addr;
	}
}

/* Apply one put or delete to the index. Caller holds index_lock for writing. */
int cesium_apply(struct cesium_store *st, u8 op, u64 ns_id,
			const u8 *key, u32 key_len, const void *value,
			u32 value_len, u64 addr, gfp_t gfp)
{
	struct cesium_vref v, old;
	struct cesium_ns *ns;
	int ret;

	atomic64_inc(&st->user_writes);
	/* Seen by whoever sees the change (cesium_scan_recheck()). */
	smp_mb__after_atomic();
	if (op == CESIUM_REC_DELETE) {
		ns = cesium_ns_find(st, ns_id);
		ret = ns ? cesium_index_remove(&ns->idx, key, key_len, &old) :
			   -ENOENT;
		if (!ret)
			cesium_live_update(st, key_len, &old, NULL);
		return ret;
	}
	ns = cesium_ns_get(st, ns_id, gfp);
	if (!ns)
		return -ENOMEM;
	cesium_make_vref(st, ns, key_len, value, value_len, addr, &v);
	ret = cesium_index_insert(&ns->idx, key, key_len, &v, &old, gfp);
	if (ret < 0)
		return ret;
	cesium_live_update(st, key_len, ret ? &old : NULL, &v);
	return 0;
}

/*
 * Count the log bytes live values take (@old's record is no longer needed,
 * @now's is) and the bytes of the live keys and values. Caller holds
 * index_lock for writing.
 */
void cesium_live_update(struct cesium_store *st, u32 key_len,
			const struct cesium_vref *old,
			const struct cesium_vref *now)
{
	s64 d = 0, u = 0;

	if (old && old->kind == CESIUM_V_LOG)
		d -= cesium_rec_size(key_len, old->len);
	if (now && now->kind == CESIUM_V_LOG)
		d += cesium_rec_size(key_len, now->len);
	if (old)
		u -= key_len + old->len;
	if (now)
		u += key_len + now->len;
	atomic64_add(d, &st->live_bytes);
	atomic64_add(u, &st->user_bytes);
}

/* ---- open, recovery, close --------------------------------------------- */

static void cesium_store_maint_work(struct work_struct *work)
{
	struct cesium_store *st = container_of(to_delayed_work(work),
					       struct cesium_store, maint_work);

	cesium_maint(st);
}

static void cesium_store_commit_work(struct work_struct *work)
{
	struct cesium_store *st = container_of(to_delayed_work(work),
					       struct cesium_store, commit_work);

	if (cesium_log_commit(&st->log, true))
		atomic_cmpxchg(&st->state, CESIUM_STORE_ONLINE,
			       CESIUM_STORE_READ_ONLY);
}

/*
 * Log bytes the live values need, and bytes of the live keys and values,
 * counted over the whole index.
 */
static void cesium_count_live(struct cesium_store *st)
{
	struct cesium_index_pos pos;
	struct cesium_vref v;
	const u8 *key;
	u32 key_len, i;
	u64 live = 0, user = 0;
	int ret;

	down_read(&st->index_lock);
	for (i = 0; i < st->nr_ns; i++) {
		struct cesium_index *idx = &st->ns_vec[i]->idx;

		for (ret = cesium_index_first(idx, &pos); !ret;
		     ret = cesium_index_next(idx, &pos)) {
			cesium_index_entry(idx, &pos, &key, &key_len, &v);
			if (v.kind == CESIUM_V_LOG)
				live += cesium_rec_size(key_len, v.len);
			user += key_len + v.len;
		}
	}
	up_read(&st->index_lock);
	atomic64_set(&st->live_bytes, live);
	atomic64_set(&st->user_bytes, user);
}

/**
 * cesium_store_open() - attach: read the superblocks and recover.
 * @be:		the device.
 * @commit_ms:	interval of the periodic group commit.
 * @out:	receives the store.
 *
 * Context: process context, may sleep.
 * Return: 0; -EMEDIUMTYPE when the device holds no CesiumDB superblock;
 * -EPROTONOSUPPORT for another format version; -EUCLEAN when both
 * superblocks, or the checkpoint's ROOT or a MAP record, are damaged (a
 * damaged segment only loses its keys: lost.c); -EIO; -ENOMEM.
 */
int cesium_store_open(struct cesium_backend *be, u32 commit_ms,
		      struct cesium_store **out)
{
	struct cesium_log_pos pos;
	struct cesium_store *st;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	st->be = be;
	st->inline_max = CESIUM_INLINE_MAX_DEFAULT;
	st->commit_ms = max_t(u32, commit_ms, 1);
	st->gc_ratio = CESIUM_GC_RATIO_DEFAULT;
	atomic_set(&st->durability, CESIUM_DURABILITY_PERIODIC);
	init_rwsem(&st->index_lock);
	seqcount_init(&st->index_seq);
	mutex_init(&st->maint_lock);
	init_waitqueue_head(&st->gc_wait);
	st->gc_stall_skip = jiffies;
	INIT_DELAYED_WORK(&st->commit_work, cesium_store_commit_work);
	INIT_DELAYED_WORK(&st->maint_work, cesium_store_maint_work);

	ret = cesium_read_super(be, &st->sb);
	if (ret)
		goto out_free;
	st->ckpt_hold_segs = cesium_ckpt_hold_default(st->sb.block_bytes);
	ret = cesium_recover(st, &pos);
	if (ret)
		goto out_ns;
	ret = cesium_log_init(&st->log, be, &st->sb, &pos);
	if (ret)
		goto out_log;
	st->gc_lpos = pos.head_lpos;
	st->gc_seq = pos.head_seq;
	st->gc_hold_lpos = U64_MAX;
	cesium_count_live(st);
	cesium_ckpt_account(st);
	st->wq = alloc_workqueue("cesium_%s", WQ_MEM_RECLAIM, 0, be->name);
	if (!st->wq) {
		ret = -ENOMEM;
		goto out_log;
	}
	cesium_bufpool_init(&st->get_bufs, CESIUM_GET_POOL_BYTES);
	st->cache = cesium_cache_create(be->name, CESIUM_CACHE_BYTES_DEFAULT);
	if (IS_ERR(st->cache)) {
		ret = PTR_ERR(st->cache);
		goto out_wq;
	}
	*out = st;
	return 0;

out_wq:
	destroy_workqueue(st->wq);
out_log:
	cesium_log_destroy(&st->log);
out_ns:
	cesium_lost_free(st);
	cesium_ns_free_all(st);
out_free:
	mutex_destroy(&st->maint_lock);
	kfree(st);
	return ret;
}

/**
 * cesium_store_close() - detach: write what is pending and a checkpoint,
 * flush, free.
 * @st:		the store; no operation may be running or start.
 *
 * Context: process context, may sleep.
 * Return: 0, or the error of the last write (the store is freed anyway).
 */
int cesium_store_close(struct cesium_store *st)
{
	int ret;

	cancel_delayed_work_sync(&st->maint_work);
	cancel_delayed_work_sync(&st->commit_work);
	ret = cesium_log_commit(&st->log, true);
	if (!ret && !READ_ONCE(st->log.error))
		ret = cesium_checkpoint(st);
	cesium_store_drop(st);
	return ret;
}

/**
 * cesium_store_drop() - free a store without writing anything: what a
 * power cut leaves on the device (for tests).
 * @st:		the store; no operation may be running or start.
 */
void cesium_store_drop(struct cesium_store *st)
{
	cancel_delayed_work_sync(&st->maint_work);
	cancel_delayed_work_sync(&st->commit_work);
	destroy_workqueue(st->wq);
	cesium_cache_destroy(st->cache);
	cesium_bufpool_destroy(&st->get_bufs);
	cesium_log_destroy(&st->log);
	cesium_lost_free(st);
	cesium_ns_free_all(st);
	mutex_destroy(&st->maint_lock);
	kfree(st);
}

/* ---- operations -------------------------------------------------------- */

int cesium_check_key(u32 key_len)
{
	if (!key_len)
		return -EINVAL;
	return key_len > CESIUM_STORE_KEY_MAX ? -E2BIG : 0;
}

int cesium_check_writable(struct cesium_store *st)
{
	switch (atomic_read(&st->state)) {
	case CESIUM_STORE_ONLINE:
		return 0;
	case CESIUM_STORE_READ_ONLY:
		return -EROFS;
	default:
		return -EIO;
	}
}

enum cesium_durability cesium_resolve(struct cesium_store *st,
					     enum cesium_durability dur)
{
	return dur == CESIUM_DURABILITY_DEFAULT ? atomic_read(&st->durability) :
						  dur;
}

/*
 * After a device error: when the device is gone the store has failed
 * (every operation is -EIO from then on; detach still works).
 */
int cesium_io_failed(struct cesium_store *st, int err)
{
	if (err != -EIO || cesium_be_alive(st->be))
		return err;
	if (atomic_xchg(&st->state, CESIUM_STORE_FAILED) != CESIUM_STORE_FAILED)
		pr_err("cesium %s: the device stopped answering; the store has failed\n",
		       st->be->name);
	return err;
}

/* After a write error the store accepts no more writes. */
int cesium_write_failed(struct cesium_store *st, int err)
{
	if (err == -EIO || err == -EROFS)
		atomic_cmpxchg(&st->state, CESIUM_STORE_ONLINE,
			       CESIUM_STORE_READ_ONLY);
	return cesium_io_failed(st, err);
}

/* A failed store answers nothing but -EIO. */
int cesium_check_readable(struct cesium_store *st)
{
	return atomic_read(&st->state) == CESIUM_STORE_FAILED ? -EIO : 0;
}

/* Honour the durability of an operation whose record is in batch @seq. */
int cesium_finish(struct cesium_store *st, u64 seq,
			 enum cesium_durability dur)
{
	WRITE_ONCE(st->last_write, jiffies);
	cesium_maint_kick(st);
	switch (dur) {
	case CESIUM_DURABILITY_SYNC:
		return cesium_write_failed(st,
					   cesium_log_make_durable(&st->log, seq));
	case CESIUM_DURABILITY_PERIODIC:
		queue_delayed_work(st->wq, &st->commit_work,
				   msecs_to_jiffies(st->commit_ms));
		return 0;
	default:
		return 0;
	}
}

/**
 * cesium_store_put() - store a value under a key.
 * @st:		the store.
 * @ns:		namespace.
 * @key:	key, 1..CESIUM_STORE_KEY_MAX bytes.
 * @key_len:	its length.
 * @value:	value, kernel memory.
 * @value_len:	0..CESIUM_STORE_VALUE_MAX bytes.
 * @flags:	CESIUM_ST_NO_OVERWRITE, CESIUM_ST_UPDATE_ONLY,
 *		CESIUM_ST_NOWAIT.
 * @dur:	durability of this put.
 *
 * Context: process context, may sleep; with CESIUM_ST_NOWAIT it does not.
 * Return: 0; -EINVAL/-E2BIG for bad lengths; -EEXIST (no-overwrite);
 * -ENOENT (update-only); -EUCLEAN (either, for a key in a lost range);
 * -ENOSPC; -EROFS; -EIO; -ENOMEM; -EAGAIN with CESIUM_ST_NOWAIT when it
 * would have to wait (log.lock taken, the pending batch full or the log
 * short of room, the cleaner behind, sync durability, no memory at once),
 * nothing changed.
 */
int cesium_store_put(struct cesium_store *st, u64 ns, const u8 *key,
		     u32 key_len, const void *value, u32 value_len,
		     unsigned int flags, enum cesium_durability dur)
{
	bool nowait = flags & CESIUM_ST_NOWAIT;
	struct cesium_vref old;
	unsigned int noio;
	int ret, retried = 0;
	u64 addr, seq, csum;

	ret = cesium_check_key(key_len);
	if (ret)
		return ret;
	if (value_len > CESIUM_STORE_VALUE_MAX)
		return -E2BIG;
	ret = cesium_check_writable(st);
	if (ret)
		return ret;
	dur = cesium_resolve(st, dur);
	if (nowait && dur == CESIUM_DURABILITY_SYNC)
		return -EAGAIN;
	ret = cesium_gc_throttle(st, nowait);
	if (ret)
		return ret;
	/* Hashed here: under log.lock the record is only copied. */
	csum = cesium_rec_csum_of(CESIUM_REC_PUT, ns, key, key_len, value,
				  value_len);

again:
	if (!nowait)
		mutex_lock(&st->log.lock);
	else if (!mutex_trylock(&st->log.lock))
		return -EAGAIN;
	if (flags & (CESIUM_ST_NO_OVERWRITE | CESIUM_ST_UPDATE_ONLY)) {
		/* Writers are held off by log.lock: the answer stands. */
		ret = cesium_lookup_known(st, ns, key, key_len, &old);
		if (ret == -EUCLEAN)
			goto out_unlock;
		if (!ret && (flags & CESIUM_ST_NO_OVERWRITE)) {
			ret = -EEXIST;
			goto out_unlock;
		}
		if (ret == -ENOENT && (flags & CESIUM_ST_UPDATE_ONLY))
			goto out_unlock;
	}
	ret = cesium_log_reserve(&st->log, cesium_rec_size(key_len, value_len),
				 nowait ? CESIUM_LOG_USER_NOWAIT : CESIUM_LOG_USER,
				 &addr);
	if (ret)
		goto out_unlock;
	/* Nothing reserved stays behind: only cesium_log_add() takes it. */
	if (nowait && !cesium_index_write_trybegin(st)) {
		ret = -EAGAIN;
		goto out_unlock;
	}
	if (!nowait)
		cesium_index_write_begin(st);
	/* The write-out path: no allocation may recurse into I/O. */
	noio = memalloc_noio_save();
	ret = cesium_apply(st, CESIUM_REC_PUT, ns, key, key_len, value,
			   value_len, addr, nowait ? GFP_NOWAIT : GFP_KERNEL);
	memalloc_noio_restore(noio);
	cesium_index_write_end(st);
	/* A failed insert changed nothing. */
	if (ret == -ENOMEM && nowait)
		ret = -EAGAIN;
	if (ret)
		goto out_unlock;
	seq = cesium_log_add_csum(&st->log, CESIUM_REC_PUT, ns, key, key_len,
				  value, value_len, csum);
	mutex_unlock(&st->log.lock);

	atomic64_inc(&st->puts);
	atomic64_add(key_len + value_len, &st->bytes_in);
	return cesium_finish(st, seq, dur);

out_unlock:
	mutex_unlock(&st->log.lock);
	if (ret == -ENOSPC && !nowait && retried++ < 3 && !cesium_reclaim(st))
		goto again;
	return cesium_write_failed(st, ret);
}

/**
 * cesium_store_delete() - remove a key.
 * @st:		the store.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @flags:	0 or CESIUM_ST_NOWAIT (as for cesium_store_put()).
 * @dur:	durability of this delete.
 *
 * Context: process context, may sleep; with CESIUM_ST_NOWAIT it does not.
 * Return: 0; -ENOENT; -EUCLEAN for an absent key in a lost range;
 * -EINVAL/-E2BIG; -ENOSPC; -EROFS; -EIO; -EAGAIN with CESIUM_ST_NOWAIT
 * when it would have to wait, nothing changed.
 */
int cesium_store_delete(struct cesium_store *st, u64 ns, const u8 *key,
			u32 key_len, unsigned int flags,
			enum cesium_durability dur)
{
	bool nowait = flags & CESIUM_ST_NOWAIT;
	struct cesium_vref old;
	struct cesium_ns *n;
	int ret, retried = 0;
	u64 addr, seq;

	ret = cesium_check_key(key_len);
	if (ret)
		return ret;
	ret = cesium_check_writable(st);
	if (ret)
		return ret;
	dur = cesium_resolve(st, dur);
	if (nowait && dur == CESIUM_DURABILITY_SYNC)
		return -EAGAIN;

again:
	if (!nowait)
		mutex_lock(&st->log.lock);
	else if (!mutex_trylock(&st->log.lock))
		return -EAGAIN;
	ret = cesium_lookup_known(st, ns, key, key_len, &old);
	if (ret)
		goto out_unlock;
	n = cesium_ns_find(st, ns);
	ret = cesium_log_reserve(&st->log, cesium_rec_size(key_len, 0),
				 nowait ? CESIUM_LOG_USER_NOWAIT : CESIUM_LOG_USER,
				 &addr);
	if (ret)
		goto out_unlock;
	if (nowait && !cesium_index_write_trybegin(st)) {
		ret = -EAGAIN;
		goto out_unlock;
	}
	if (!nowait)
		cesium_index_write_begin(st);
	ret = cesium_index_remove(&n->idx, key, key_len, &old);
	if (!ret)
		cesium_live_update(st, key_len, &old, NULL);
	cesium_index_write_end(st);
	if (WARN_ON_ONCE(ret))
		goto out_unlock;
	seq = cesium_log_add(&st->log, CESIUM_REC_DELETE, ns, key, key_len,
			     NULL, 0);
	mutex_unlock(&st->log.lock);

	atomic64_inc(&st->deletes);
	return cesium_finish(st, seq, dur);

out_unlock:
	mutex_unlock(&st->log.lock);
	if (ret == -ENOSPC && !nowait && retried++ < 3 && !cesium_reclaim(st))
		goto again;
	return cesium_write_failed(st, ret);
}

/**
 * cesium_store_sync() - make every completed operation durable.
 * @st:		the store.
 *
 * Context: process context, may sleep.
 * Return: 0, -EIO, or -EROFS after an earlier write error.
 */
int cesium_store_sync(struct cesium_store *st)
{
	atomic64_inc(&st->syncs);
	if (cesium_check_readable(st))
		return -EIO;
	return cesium_write_failed(st, cesium_log_commit(&st->log, true));
}

/**
 * cesium_store_sync_async() - make every completed operation durable,
 * without waiting: for callers that complete later (uring_cmd).
 * @st:		the store.
 * @w:		the waiter, @w->done set: called once it is durable, or
 *		with the device's error; any context, no lock held.
 * @count:	count it as a SYNC command.
 *
 * Context: process context, may sleep (for the log's lock).
 * Return: 0 when it is durable already; -EIOCBQUEUED when @w->done will be
 * called; -EIO or -EROFS (@w->done is not called then).
 */
int cesium_store_sync_async(struct cesium_store *st,
			    struct cesium_log_waiter *w, bool count)
{
	int ret;

	if (count)
		atomic64_inc(&st->syncs);
	if (cesium_check_readable(st))
		return -EIO;
	ret = cesium_log_durable_async(&st->log, w);
	if (ret == -EIOCBQUEUED)
		return ret;
	return cesium_write_failed(st, ret);
}

/**
 * cesium_store_write_failed() - what a write's device error makes of the
 * store (read-only, or failed when the device is gone).
 * @st:		the store.
 * @err:	the error (as cesium_store_sync_async()'s waiter got it).
 *
 * Context: process context.
 * Return: the error to report: @err, or -EIO for a failed store.
 */
int cesium_store_write_failed(struct cesium_store *st, int err)
{
	return cesium_write_failed(st, err);
}

/**
 * cesium_store_durability() - the durability an operation gets.
 * @st:		the store.
 * @dur:	what it asked for; CESIUM_DURABILITY_DEFAULT: the store's.
 *
 * Return: @dur, or the store's when @dur is the default.
 */
enum cesium_durability cesium_store_durability(struct cesium_store *st,
					       enum cesium_durability dur)
{
	return cesium_resolve(st, dur);
}

/**
 * cesium_store_namespaces() - the namespaces that hold keys.
 * @st:		the store.
 * @ids:	receives up to @nr ids, in increasing order.
 * @nr:		room at @ids.
 * @total:	receives how many namespaces hold keys.
 *
 * Return: the number of ids written.
 */
u32 cesium_store_namespaces(struct cesium_store *st, u64 *ids, u32 nr,
			    u64 *total)
{
	u32 i, n = 0;

	*total = 0;
	down_read(&st->index_lock);
	for (i = 0; i < st->nr_ns; i++) {
		if (!cesium_index_count(&st->ns_vec[i]->idx))
			continue;
		if (n < nr)
			ids[n++] = st->ns_vec[i]->id;
		(*total)++;
	}
	up_read(&st->index_lock);
	return n;
}

/**
 * cesium_store_set_gc_ratio() - when the cleaner runs.
 * @st:		the store.
 * @pct:	clean while the log takes more than @pct percent of the live
 *		keys and values (data_bytes); 110..1000.
 *
 * Return: 0 or -EINVAL.
 */
int cesium_store_set_gc_ratio(struct cesium_store *st, u32 pct)
{
	if (pct < 110 || pct > 1000)
		return -EINVAL;
	WRITE_ONCE(st->gc_ratio, pct);
	cesium_maint_kick(st);
	return 0;
}

/**
 * cesium_store_set_durability() - the store's default durability.
 * @st:		the store.
 * @dur:	SYNC, PERIODIC or NONE.
 *
 * Return: 0 or -EINVAL.
 */
int cesium_store_set_durability(struct cesium_store *st,
				enum cesium_durability dur)
{
	if (dur < CESIUM_DURABILITY_SYNC || dur > CESIUM_DURABILITY_NONE)
		return -EINVAL;
	atomic_set(&st->durability, dur);
	return 0;
}

/**
 * cesium_store_info() - a snapshot of what the store reports.
 * @st:		the store.
 * @info:	receives it.
 */
void cesium_store_info(struct cesium_store *st, struct cesium_store_info *info)
{
	u32 i;

	memset(info, 0, sizeof(*info));
	info->state = atomic_read(&st->state);
	info->durability = atomic_read(&st->durability);
	info->format_version = CESIUM_FORMAT_VERSION;
	info->block_bytes = st->sb.block_bytes;
	memcpy(info->uuid, st->sb.uuid, sizeof(info->uuid));
	info->capacity_bytes = st->sb.data_end - st->sb.data_start;
	info->used_bytes = cesium_log_used_bytes(&st->log);
	info->data_bytes = atomic64_read(&st->user_bytes);
	info->inline_max = st->inline_max;
	info->commit_ms = st->commit_ms;
	info->gc_ratio = READ_ONCE(st->gc_ratio);
	down_read(&st->index_lock);
	info->index_bytes = sizeof(struct cesium_ns_vec) +
			    st->nr_ns * sizeof(*st->ns_vec);
	for (i = 0; i < st->nr_ns; i++) {
		info->nr_keys += cesium_index_count(&st->ns_vec[i]->idx);
		info->index_bytes += sizeof(struct cesium_ns) +
				     cesium_index_mem_bytes(&st->ns_vec[i]->idx);
	}
	up_read(&st->index_lock);
}

/**
 * cesium_store_stats() - a snapshot of the store's counters.
 * @st:		the store.
 * @s:		receives them.
 */
void cesium_store_stats(struct cesium_store *st, struct cesium_store_stats *s)
{
	s->puts = atomic64_read(&st->puts);
	s->gets = atomic64_read(&st->gets);
	s->deletes = atomic64_read(&st->deletes);
	s->exists = atomic64_read(&st->exists);
	s->scans = atomic64_read(&st->scans);
	s->batches = atomic64_read(&st->batches);
	s->syncs = atomic64_read(&st->syncs);
	s->bytes_in = atomic64_read(&st->bytes_in);
	s->bytes_out = atomic64_read(&st->bytes_out);
	mutex_lock(&st->log.lock);
	s->log_commits = st->log.commits;
	mutex_unlock(&st->log.lock);
	s->checksum_errors = atomic64_read(&st->checksum_errors);
	s->recovery_bytes = st->recovery_bytes;
	s->recovery_us = st->recovery_us;
	s->checkpoints = atomic64_read(&st->checkpoints);
	s->checkpoints_fuzzy = atomic64_read(&st->checkpoints_fuzzy);
	s->checkpoint_bytes = atomic64_read(&st->checkpoint_bytes);
	s->gc_moved_bytes = atomic64_read(&st->gc_moved_bytes);
	s->gc_freed_bytes = atomic64_read(&st->gc_freed_bytes);
	s->discard_bytes = atomic64_read(&st->discard_bytes);
	s->damaged_batches = atomic64_read(&st->damaged_batches);
	s->live_bytes = atomic64_read(&st->live_bytes);
	s->damaged_segments = st->damaged_segments;
	s->gc_stalls = atomic64_read(&st->gc_stalls);
}
