/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The store's insides, shared by store.c, batch.c and scan.c. See store.c
 * for the locking rules.
 */
#ifndef _CESIUM_ENGINE_STORE_INT_H
#define _CESIUM_ENGINE_STORE_INT_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/seqlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "bufpool.h"
#include "cache.h"
#include "index.h"
#include "log.h"
#include "store.h"

struct cesium_ns {
	u64 id;
	struct cesium_index idx;
};

/* The namespaces, sorted by id; replaced whole when one is added. */
struct cesium_ns_vec {
	u32 nr;
	struct rcu_head rcu;
	struct cesium_ns *ns[];
};

/*
 * Buffers of the store's pool for gets (get_async.c): a 4 KiB value's
 * record and blocks fit.
 */
#define CESIUM_GET_POOL_BYTES	(8 * 1024)

/* Lockless lookups give up and take index_lock after this many tries. */
#define CESIUM_LOOKUP_TRIES	4

/* Test builds (KUnit, the user-space tier) can step into a checkpoint. */
#if defined(CESIUM_KUNIT) || defined(CESIUM_INDEX_DEBUG)
#define CESIUM_TEST_HOOKS
#endif

struct cesium_store {
	struct cesium_backend *be;
	/* The superblock in force: changed only under maint_lock. */
	struct cesium_super sb;
	struct cesium_log log;

	struct rw_semaphore index_lock;
	seqcount_t index_seq;		/* odd while the index changes */
	struct cesium_ns_vec __rcu *ns_pub;	/* for lockless readers */
	struct cesium_ns **ns_vec;	/* ns_pub's, for index_lock holders */
	u32 nr_ns;

	u32 inline_max;
	u32 commit_ms;
	atomic_t state;			/* enum cesium_store_state */
	atomic_t durability;		/* enum cesium_durability */

	struct workqueue_struct *wq;
	struct delayed_work commit_work;

	/*
	 * Checkpoints and the cleaner (ckpt.c, gc.c). maint_lock serializes
	 * them and protects the fields down to gc_seq; it is taken before
	 * log.lock. live_bytes and user_bytes are changed under index_lock
	 * (write) and read without it.
	 */
	struct mutex maint_lock;
	struct delayed_work maint_work;
	u64 ckpt_begin_lpos;		/* first batch of the checkpoint */
	u64 ckpt_tail_lpos;		/* the log's tail after it */
	u64 ckpt_bytes;			/* what it wrote */
	u64 ckpt_image_bytes;		/* all segments and maps, written */
	u64 gc_lpos;			/* cleaned up to here */
	u64 gc_seq;			/* the batch there */
	u64 gc_hold_lpos;		/* first cleaned batch with a segment */
	u64 gc_hold_seq;		/*  copy still in use, U64_MAX if none */
	u64 *ckpt_segs;			/* the checkpoint's segment copies, */
	u32 nr_ckpt_segs;		/*  sorted; NULL: not known (ckpt.c) */
	u32 ckpt_hold_segs;		/* most written with writers out */
#ifdef CESIUM_TEST_HOOKS
	/* run between a checkpoint's stretches, log.lock not held */
	void (*ckpt_hook)(struct cesium_store *st, void *arg);
	void *ckpt_hook_arg;
#endif
	atomic64_t live_bytes;		/* log records values need */
	/*
	 * Index changes by puts and deletes (not the cleaner's moves),
	 * counted inside the index_seq write section, before the change
	 * (cesium_apply()): scans tell a moved value from a new one.
	 */
	atomic64_t user_writes;
	atomic64_t user_bytes;		/* live keys and values */
	u32 gc_ratio;			/* percent: log vs user_bytes */
	bool ckpt_damaged;		/* the checkpoint in force has lost segs */
	unsigned long last_write;	/* jiffies of the last user write */
	bool maint_paused;		/* tests: no background maintenance */
	/*
	 * Writers the cleaner is behind wait here (cesium_gc_throttle());
	 * woken whenever the log's head moves, under log.lock.
	 */
	wait_queue_head_t gc_wait;
	unsigned long gc_stall_skip;	/* jiffies: no waits before this */

	struct cesium_cache *cache;	/* values read from the device */
	struct cesium_bufpool get_bufs;	/* for gets of log values (get_async.c) */

	/*
	 * Key ranges lost with damaged checkpoint segments (lost.c): built
	 * in lost_build at attach, then published whole; replaced by NULL
	 * under maint_lock when acknowledged. Read under RCU.
	 */
	struct cesium_lost __rcu *lost;
	struct cesium_lost *lost_build;
	u64 damaged_segments;		/* found at attach */

	atomic64_t puts;
	atomic64_t gets;
	atomic64_t deletes;
	atomic64_t exists;
	atomic64_t scans;
	atomic64_t batches;
	atomic64_t syncs;
	atomic64_t bytes_in;
	atomic64_t bytes_out;
	atomic64_t checksum_errors;
	u64 recovery_bytes;
	u64 recovery_us;
	atomic64_t checkpoints;
	atomic64_t checkpoints_fuzzy;
	atomic64_t checkpoint_bytes;
	atomic64_t gc_moved_bytes;
	atomic64_t gc_freed_bytes;
	atomic64_t discard_bytes;
	atomic64_t damaged_batches;
	atomic64_t gc_stalls;
};

struct cesium_ns *cesium_ns_find(struct cesium_store *st, u64 id);
struct cesium_ns *cesium_ns_find_rcu(struct cesium_store *st, u64 id);
int cesium_lookup(struct cesium_store *st, u64 ns, const u8 *key, u32 key_len,
		  struct cesium_vref *v);
int cesium_lookup_rcu(struct cesium_store *st, u64 ns, const u8 *key,
		      u32 key_len, struct cesium_vref *v, void *buf,
		      u32 buf_len, bool nowait);
void cesium_index_write_begin(struct cesium_store *st);
bool cesium_index_write_trybegin(struct cesium_store *st);
void cesium_index_write_end(struct cesium_store *st);
int cesium_apply(struct cesium_store *st, u8 op, u64 ns_id, const u8 *key,
		 u32 key_len, const void *value, u32 value_len, u64 addr,
		 gfp_t gfp);
void *cesium_io_alloc(size_t bytes, gfp_t gfp);
void cesium_rec_span(struct cesium_store *st, u32 key_len,
		     const struct cesium_vref *v, u64 *start, u64 *end);
int cesium_rec_value(u64 ns, const u8 *key, u32 key_len,
		     const struct cesium_vref *v, const u8 *r,
		     const u8 **value);
int cesium_rec_match(u64 ns, const u8 *key, u32 key_len,
		     const struct cesium_vref *v, const u8 *r, void *buf);
int cesium_rec_moved(struct cesium_store *st, u64 ns, const u8 *key,
		     u32 key_len, struct cesium_vref *v, void *buf,
		     u32 buf_len);
int cesium_read_record(struct cesium_store *st, u64 ns, const u8 *key,
		       u32 key_len, struct cesium_vref *v, void *buf,
		       u32 buf_len, u64 cache_gen);
void cesium_store_cache_drop(struct cesium_store *st, u64 start, u64 end);
int cesium_recover(struct cesium_store *st, struct cesium_log_pos *pos);
int cesium_read_super(struct cesium_backend *be, struct cesium_super *sb);
long cesium_log_read_batch(struct cesium_store *st, u64 off, u8 *buf,
			   struct cesium_log_batch *b, u64 *bytes);
u64 cesium_find_successor(struct cesium_store *st, u64 off, u64 seq, u8 *buf);
void cesium_ckpt_account(struct cesium_store *st);
void cesium_maint(struct cesium_store *st);
int cesium_ns_load_seg(struct cesium_store *st, u64 ns_id, const void *img,
		       u32 len, u64 disk);
struct cesium_ns *cesium_ns_get(struct cesium_store *st, u64 id, gfp_t gfp);
void cesium_ns_free_all(struct cesium_store *st);
u64 cesium_chain_seed(const u8 *uuid);
int cesium_checkpoint(struct cesium_store *st);
int cesium_ckpt_free_cleaned(struct cesium_store *st);
void cesium_ckpt_note_segs(struct cesium_store *st);
u32 cesium_ckpt_hold_default(u32 block_bytes);
bool cesium_ckpt_uses(const struct cesium_store *st, u64 disk);
/* cesium_gc_run()'s @allowed: clean whatever the log's size */
#define CESIUM_GC_ALL	0
int cesium_gc_run(struct cesium_store *st, u64 budget, u64 allowed);
void cesium_maint_kick(struct cesium_store *st);
int cesium_gc_throttle(struct cesium_store *st, bool nowait);
int cesium_reclaim(struct cesium_store *st);
void cesium_live_update(struct cesium_store *st, u32 key_len,
			const struct cesium_vref *old,
			const struct cesium_vref *now);
int cesium_lost_note(struct cesium_store *st, u64 ns, u64 seg_addr);
int cesium_lost_publish(struct cesium_store *st);
void cesium_lost_free(struct cesium_store *st);
bool cesium_lost_has(struct cesium_store *st, u64 ns, const u8 *key,
		     u32 key_len);
bool cesium_lost_meets(struct cesium_store *st, u64 ns, const u8 *lo,
		       u32 lo_len, const u8 *hi, u32 hi_len);
int cesium_lookup_known(struct cesium_store *st, u64 ns, const u8 *key,
			u32 key_len, struct cesium_vref *v);
int cesium_check_key(u32 key_len);
int cesium_check_writable(struct cesium_store *st);
int cesium_check_readable(struct cesium_store *st);
int cesium_io_failed(struct cesium_store *st, int err);
enum cesium_durability cesium_resolve(struct cesium_store *st,
				      enum cesium_durability dur);
int cesium_write_failed(struct cesium_store *st, int err);
int cesium_finish(struct cesium_store *st, u64 seq, enum cesium_durability dur);

#endif /* _CESIUM_ENGINE_STORE_INT_H */
