// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of checkpoints, recovery and the log cleaner over the memory
 * backend: a detach checkpoints and the next attach reads the index, not
 * the log; a crash replays only the tail; overwrites that write the device
 * over several times never run out of space and lose nothing; a damaged
 * batch in the middle of the log is reported and skipped, while one that
 * was never durable ends the log; a damaged segment of the checkpoint
 * costs the keys of its range (lost.c), a damaged MAP or ROOT the attach.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/unaligned.h>

#include "../io/backend.h"
#include "format.h"
#include "store_int.h"
#include "store_kunit.h"

/* Value of key @i in round @round: @len bytes, different every round. */
static void ckpt_value(u8 *v, u32 len, u32 i, u32 round)
{
	u32 k;

	for (k = 0; k < len; k++)
		v[k] = (u8)(i * 31 + round * 7 + k);
}

static void ckpt_key(char *key, u32 i)
{
	snprintf(key, 8, "k%05u", i);
}

static u32 ckpt_len(u32 i)
{
	return i % 2 ? 600 : 16;	/* odd keys in the log, even inline */
}

static void ckpt_expect_all(struct kunit *test, struct cesium_store *st,
			    u32 nr, u32 round, u8 *v)
{
	char key[8];
	u32 i;

	for (i = 0; i < nr; i++) {
		ckpt_key(key, i);
		ckpt_value(v, ckpt_len(i), i, round);
		expect_value(test, st, 0, key, v, ckpt_len(i));
	}
}

/* Every key 0..@nr-1 holds its value of version @ver[i], @len bytes. */
static void ckpt_expect_versions(struct kunit *test, struct cesium_store *st,
				 u32 nr, u32 len, const u32 *ver, u8 *v)
{
	char key[8];
	u32 i;

	for (i = 0; i < nr; i++) {
		ckpt_key(key, i);
		ckpt_value(v, len, i, ver[i]);
		expect_value(test, st, 0, key, v, len);
	}
}

/* Detach checkpoints: attach reads the index, not the whole log. */
static void ckpt_recovery(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 16 * MIB, 512);
	u8 *v = kunit_kmalloc(test, 4096, GFP_KERNEL);
	struct cesium_store_stats s;
	struct cesium_store_info info;
	char key[8];
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, v);
	for (i = 0; i < 2000; i++) {
		ckpt_key(key, i);
		ckpt_value(v, ckpt_len(i), i, 0);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 6, v,
						       ckpt_len(i), 0, 0), 0);
	}
	store_reopen(test, c);
	ckpt_expect_all(test, c->st, 2000, 0, v);
	cesium_store_stats(c->st, &s);
	cesium_store_info(c->st, &info);
	/* The index's segments and maps, not the 600 KiB of log. */
	KUNIT_EXPECT_GT(test, s.recovery_bytes, 0ull);
	KUNIT_EXPECT_LT(test, s.recovery_bytes, info.used_bytes / 4);
	KUNIT_EXPECT_EQ(test, info.nr_keys, 2000ull);

	/* A crash after more puts: the checkpoint and the tail after it. */
	cesium_store_pause_maint(c->st, true);
	for (i = 0; i < 2000; i += 3) {
		ckpt_key(key, i);
		ckpt_value(v, ckpt_len(i), i, 1);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 6, v,
						       ckpt_len(i), 0,
						       CESIUM_DURABILITY_SYNC),
				0);
	}
	KUNIT_ASSERT_EQ(test, cesium_store_delete(c->st, 0, "k00001", 6,
						  0, CESIUM_DURABILITY_SYNC), 0);
	cesium_store_drop(c->st);
	c->st = NULL;
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	for (i = 0; i < 2000; i++) {
		u32 round = i % 3 ? 0 : 1;

		ckpt_key(key, i);
		if (i == 1) {
			KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0,
								  key, 6, 0), 0);
			continue;
		}
		ckpt_value(v, ckpt_len(i), i, round);
		expect_value(test, c->st, 0, key, v, ckpt_len(i));
	}
}

/* Put keys 0..@nr-1 again: 2000-byte values of @round, default durability. */
static void ckpt_overwrite(struct kunit *test, struct cesium_store *st,
			   u32 nr, u32 round, u8 *v)
{
	char key[8];
	u32 i;

	for (i = 0; i < nr; i++) {
		ckpt_key(key, i);
		ckpt_value(v, 2000, i, round);
		KUNIT_ASSERT_EQ(test, cesium_store_put(st, 0, key, 6, v, 2000,
						       0, 0), 0);
	}
}

/*
 * Overwrites that write the device over five times: no -ENOSPC, the last
 * value of every key, space given back, and all of it again after a
 * reopen (the log has wrapped round the device).
 */
static void ckpt_gc_overwrite(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 8 * MIB, 4096);
	u8 *v = kunit_kmalloc(test, 4096, GFP_KERNEL);
	struct cesium_store_info info;
	struct cesium_store_stats s;
	u32 i, round, nr = 200, last = 99;
	char key[8];

	KUNIT_ASSERT_NOT_NULL(test, v);
	for (round = 0; round <= last; round++)
		ckpt_overwrite(test, c->st, nr, round, v);
	for (i = 0; i < nr; i++) {
		ckpt_key(key, i);
		ckpt_value(v, 2000, i, last);
		expect_value(test, c->st, 0, key, v, 2000);
	}
	/*
	 * Half the keys go; the cleaner gives their space back. Background
	 * maintenance stops first: what is in use is measured after this
	 * maintenance, not during the next.
	 */
	cesium_store_pause_maint(c->st, true);
	for (i = 0; i < nr; i += 2) {
		ckpt_key(key, i);
		KUNIT_ASSERT_EQ(test, cesium_store_delete(c->st, 0, key, 6, 0, 0),
				0);
	}
	KUNIT_ASSERT_EQ(test, cesium_store_maintain(c->st), 0);
	cesium_store_info(c->st, &info);
	cesium_store_stats(c->st, &s);
	kunit_info(test, "device writes %llu KiB for %llu KiB of puts: cleaner moved %llu KiB, freed %llu KiB; %llu checkpoints of %llu KiB; used %llu KiB, live %llu KiB\n",
		   atomic64_read(&c->be->stats.write_bytes) >> 10,
		   s.bytes_in >> 10, s.gc_moved_bytes >> 10,
		   s.gc_freed_bytes >> 10, s.checkpoints,
		   s.checkpoint_bytes >> 10, info.used_bytes >> 10,
		   s.live_bytes >> 10);
	KUNIT_EXPECT_GT(test, s.gc_freed_bytes, 32ull * MIB);
	KUNIT_EXPECT_GT(test, s.checkpoints, 0ull);
	KUNIT_EXPECT_EQ(test, s.live_bytes, 100ull * cesium_rec_size(6, 2000));
	/* What is in use: live records and the index, with the policy's slack */
	KUNIT_EXPECT_LT(test, info.used_bytes,
			2 * (s.live_bytes + info.index_bytes) + 64 * 4096);
	store_reopen(test, c);
	for (i = 0; i < nr; i++) {
		ckpt_key(key, i);
		if (i % 2 == 0) {
			KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0,
								  key, 6, 0), 0);
			continue;
		}
		ckpt_value(v, 2000, i, last);
		expect_value(test, c->st, 0, key, v, 2000);
	}
}

/*
 * A writer that finds the log far over gc_ratio with the cleaner behind
 * (here: maintenance was paused while the log grew to several times the
 * data) waits for it: its put returns once the cleaner has given space
 * back, and the wait is counted; one that may not wait answers -EAGAIN.
 */
static void ckpt_gc_throttle(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 32 * MIB, 4096);
	u8 *v = kunit_kmalloc(test, 2000, GFP_KERNEL);
	struct cesium_store_stats s;
	char key[8];
	u32 round;

	KUNIT_ASSERT_NOT_NULL(test, v);
	cesium_store_pause_maint(c->st, true);
	for (round = 0; round < 12; round++)
		ckpt_overwrite(test, c->st, 200, round, v);
	cesium_store_stats(c->st, &s);
	KUNIT_ASSERT_EQ(test, s.gc_stalls, 0ull);
	KUNIT_ASSERT_EQ(test, s.gc_freed_bytes, 0ull);
	/* Over 4 MiB of log for 400 KiB of data: the next put waits. */
	KUNIT_ASSERT_GT(test, cesium_log_used_bytes(&c->st->log), 4ull * MIB);
	cesium_store_pause_maint(c->st, false);
	ckpt_key(key, 0);
	/* One that may not sleep (uring, IO_URING_F_NONBLOCK): -EAGAIN. */
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, key, 6, v, 2000,
					       CESIUM_ST_NOWAIT, 0), -EAGAIN);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.gc_stalls, 0ull);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 6, v, 2000, 0, 0),
			0);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.gc_stalls, 1ull);
	KUNIT_EXPECT_GT(test, s.gc_freed_bytes, 2ull * MIB);
	KUNIT_EXPECT_GT(test, s.checkpoints, 0ull);
}

static void ckpt_put_round(struct kunit *test, struct cesium_store *st,
			   u32 from, u32 to, u32 round, u8 *v)
{
	char key[8];
	u32 i;

	for (i = from; i < to; i++) {
		ckpt_key(key, i);
		ckpt_value(v, ckpt_len(i), i, round);
		KUNIT_ASSERT_EQ(test, cesium_store_put(st, 0, key, 6, v,
						       ckpt_len(i), 0,
						       CESIUM_DURABILITY_SYNC),
				0);
	}
}

/* Power cut: the store goes without a checkpoint and comes back. */
static void ckpt_crash(struct kunit *test, struct store_ctx *c)
{
	cesium_store_drop(c->st);
	c->st = NULL;
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	cesium_store_pause_maint(c->st, true);
}

/*
 * The cleaner frees log without a checkpoint when no segment copy in use
 * lies there (recovery replays the values it moved), and the head stops at
 * the first batch that holds one. The memory device's discard zeroes what
 * is freed, so anything recovery still needed there would be lost.
 */
static void ckpt_gc_free_crash(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 16 * MIB, 4096);
	u8 *v = kunit_kmalloc(test, 4096, GFP_KERNEL);
	struct cesium_store_stats s0, s1;
	u32 round, nr = 600;
	u64 begin;

	KUNIT_ASSERT_NOT_NULL(test, v);
	cesium_store_pause_maint(c->st, true);
	for (round = 0; round < 3; round++)
		ckpt_put_round(test, c->st, 0, nr, round, v);
	KUNIT_ASSERT_EQ(test, cesium_checkpoint(c->st), 0);
	begin = c->st->ckpt_begin_lpos;
	cesium_store_stats(c->st, &s0);
	/* Rounds 0 and 1 are dead; round 2's logged values move, then go. */
	KUNIT_ASSERT_EQ(test, cesium_gc_run(c->st, U64_MAX, CESIUM_GC_ALL), 0);
	cesium_store_stats(c->st, &s1);
	KUNIT_EXPECT_EQ(test, s1.checkpoints, s0.checkpoints);
	KUNIT_EXPECT_GT(test, s1.gc_moved_bytes, s0.gc_moved_bytes);
	KUNIT_EXPECT_EQ(test, c->st->log.head_lpos, begin);
	/* The checkpoint in force points at zeroed space: replay mends it. */
	ckpt_crash(test, c);
	ckpt_expect_all(test, c->st, nr, 2, v);

	/*
	 * A checkpoint of every segment, then one of the last segment only:
	 * the others' copies in the first stay in use.
	 */
	KUNIT_ASSERT_EQ(test, cesium_checkpoint(c->st), 0);
	begin = c->st->ckpt_begin_lpos;
	ckpt_put_round(test, c->st, nr - 1, nr, 3, v);
	KUNIT_ASSERT_EQ(test, cesium_checkpoint(c->st), 0);
	cesium_store_stats(c->st, &s0);
	KUNIT_ASSERT_EQ(test, cesium_gc_run(c->st, U64_MAX, CESIUM_GC_ALL), 0);
	cesium_store_stats(c->st, &s1);
	KUNIT_EXPECT_EQ(test, s1.checkpoints, s0.checkpoints);
	KUNIT_EXPECT_EQ(test, c->st->log.head_lpos, begin);
	KUNIT_EXPECT_EQ(test, c->st->gc_lpos, c->st->ckpt_begin_lpos);
	ckpt_crash(test, c);
	ckpt_expect_all(test, c->st, nr - 1, 2, v);
	ckpt_value(v, ckpt_len(nr - 1), nr - 1, 3);
	expect_value(test, c->st, 0, "k00599", v, ckpt_len(nr - 1));
}

#define CW_KEYS		60000
#define CW_LEN		100

#define CW_MAX_LEN	600

struct ckpt_writer {
	struct work_struct work;
	u64 puts;		/* first: store_start_workers() waits on it */
	u64 low;		/* least ckpt_bytes >= 1 MiB seen after a put */
	struct cesium_store *st;
	u32 *ver;
	u32 keys;		/* it overwrites keys 0..@keys-1 */
	u32 len;		/* with values of this length */
	u64 max_puts;		/* and stops after this many */
	bool *stop;
	int err;
};

/* Overwrites keys at random with a new version each, until told to stop. */
static void ckpt_writer_fn(struct work_struct *work)
{
	struct ckpt_writer *w = container_of(work, struct ckpt_writer, work);
	u32 seed = 7, i;
	char key[8];
	u8 v[CW_MAX_LEN];
	u64 b;

	while (!READ_ONCE(*w->stop) && !w->err && w->puts < w->max_puts) {
		seed = seed * 1103515245 + 12345;
		i = (seed >> 8) % w->keys;
		ckpt_key(key, i);
		ckpt_value(v, w->len, i, w->ver[i] + 1);
		w->err = cesium_store_put(w->st, 0, key, 6, v, w->len, 0,
					  CESIUM_DURABILITY_NONE);
		if (!w->err)
			w->ver[i]++;
		/*
		 * The checkpoint's bytes so far (a racy peek): under its
		 * total only between two of its stretches.
		 */
		b = READ_ONCE(w->st->ckpt_bytes);
		if (b >= MIB && b < w->low)
			w->low = b;
		WRITE_ONCE(w->puts, w->puts + 1);
	}
}

/* A writer of @keys keys of @len bytes, @max_puts puts at most. */
static struct ckpt_writer *ckpt_writer_new(struct kunit *test,
					   struct cesium_store *st, u32 keys,
					   u32 len, u64 max_puts, bool *stop)
{
	struct ckpt_writer *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	w->ver = kunit_kcalloc(test, keys, sizeof(*w->ver), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w->ver);
	w->st = st;
	w->low = U64_MAX;
	w->keys = keys;
	w->len = len;
	w->max_puts = max_puts;
	w->stop = stop;
	return w;
}

/*
 * A checkpoint of an index of several stretches lets a writer in between
 * them, and loses none of its puts: what they change in segments already
 * written is written again at the end (power cut after it, every key has
 * its last version).
 */
static void ckpt_concurrent_writer(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 4096);
	struct workqueue_struct *wq[1];
	struct ckpt_writer *w;
	bool stop = false;
	char key[8];
	u32 i, *ver;
	u8 *v;

	w = ckpt_writer_new(test, c->st, CW_KEYS, CW_LEN, U64_MAX, &stop);
	ver = w->ver;
	v = kunit_kmalloc(test, CW_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	cesium_store_pause_maint(c->st, true);
	for (i = 0; i < CW_KEYS; i++) {
		ckpt_key(key, i);
		ckpt_value(v, CW_LEN, i, 0);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 6, v,
						       CW_LEN, 0,
						       CESIUM_DURABILITY_NONE),
				0);
	}
	store_start_workers(test, wq, 1, w, sizeof(*w),
			    offsetof(struct ckpt_writer, puts), ckpt_writer_fn);
	KUNIT_EXPECT_EQ(test, cesium_checkpoint(c->st), 0);
	WRITE_ONCE(stop, true);
	destroy_workqueue(wq[0]);
	KUNIT_ASSERT_EQ(test, w->err, 0);
	kunit_info(test, "%llu puts; one after %llu KiB of a checkpoint of %llu KiB\n",
		   w->puts, w->low >> 10, c->st->ckpt_bytes >> 10);
	/*
	 * The writer got in while the checkpoint was under way: in the
	 * kernel, a mutex waiter that found it taken again is handed it at
	 * the next unlock. (The user-space harness's mutexes promise no
	 * such thing: there the test checks only that nothing is lost.)
	 */
	if (IS_ENABLED(CONFIG_KUNIT))
		KUNIT_EXPECT_LT(test, w->low, c->st->ckpt_bytes);
	KUNIT_ASSERT_EQ(test, cesium_store_sync(c->st), 0);
	ckpt_crash(test, c);
	ckpt_expect_versions(test, c->st, CW_KEYS, CW_LEN, ver, v);
}

#define GW_KEYS		2000
#define GW_LEN		CW_MAX_LEN	/* in the log, not inline */

/*
 * The cleaner moves live values while a writer overwrites them: it tells
 * dead values apart without log.lock and moves the others under it, a few
 * at a time, so the writer gets in between; a value it found live and the
 * writer replaced before it took the lock is not moved over the new one.
 * Every key has its last version, then again after a power cut.
 */
static void ckpt_gc_concurrent_writer(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 16 * MIB, 4096);
	struct cesium_store_stats s0, s1;
	struct workqueue_struct *wq[1];
	struct ckpt_writer *w;
	u64 before, during;
	bool stop = false;
	u32 i, round, *ver;
	char key[8];
	u8 *v;

	/* 6000 puts, 3.6 MiB: the 16 MiB log needs no cleaning meanwhile. */
	w = ckpt_writer_new(test, c->st, GW_KEYS, GW_LEN, 6000, &stop);
	ver = w->ver;
	v = kunit_kmalloc(test, GW_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	cesium_store_pause_maint(c->st, true);
	/* Rounds of overwrites, in turns, so live values lie all over. */
	for (round = 0; round < 3; round++) {
		for (i = round; i < GW_KEYS; i += 1 + round) {
			ckpt_key(key, i);
			ckpt_value(v, GW_LEN, i, ++ver[i]);
			KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 6,
							       v, GW_LEN, 0,
							       CESIUM_DURABILITY_NONE),
					0);
		}
	}
	KUNIT_ASSERT_EQ(test, cesium_checkpoint(c->st), 0);
	cesium_store_stats(c->st, &s0);
	store_start_workers(test, wq, 1, w, sizeof(*w),
			    offsetof(struct ckpt_writer, puts), ckpt_writer_fn);
	before = READ_ONCE(w->puts);
	KUNIT_EXPECT_EQ(test, cesium_gc_run(c->st, U64_MAX, CESIUM_GC_ALL), 0);
	during = READ_ONCE(w->puts) - before;
	/* Then what the writer left behind the checkpoint, writer still on. */
	KUNIT_EXPECT_EQ(test, cesium_checkpoint(c->st), 0);
	KUNIT_EXPECT_EQ(test, cesium_gc_run(c->st, U64_MAX, CESIUM_GC_ALL), 0);
	WRITE_ONCE(stop, true);
	destroy_workqueue(wq[0]);
	KUNIT_ASSERT_EQ(test, w->err, 0);
	cesium_store_stats(c->st, &s1);
	kunit_info(test, "%llu puts, %llu while the cleaner moved %llu KiB\n",
		   w->puts, during,
		   (s1.gc_moved_bytes - s0.gc_moved_bytes) >> 10);
	KUNIT_EXPECT_GT(test, s1.gc_moved_bytes, s0.gc_moved_bytes);
	/* In the kernel a mutex waiter is handed the lock at the next unlock. */
	if (IS_ENABLED(CONFIG_KUNIT))
		KUNIT_EXPECT_GT(test, during, 0ull);
	ckpt_expect_versions(test, c->st, GW_KEYS, GW_LEN, ver, v);
	KUNIT_ASSERT_EQ(test, cesium_store_sync(c->st), 0);
	ckpt_crash(test, c);
	ckpt_expect_versions(test, c->st, GW_KEYS, GW_LEN, ver, v);
}

struct ckpt_gc_worker {
	struct work_struct work;
	struct cesium_store *st;
	int ret;
};

static void ckpt_gc_worker_fn(struct work_struct *work)
{
	struct ckpt_gc_worker *g = container_of(work, struct ckpt_gc_worker,
						 work);

	g->ret = cesium_gc_run(g->st, U64_MAX, CESIUM_GC_ALL);
}

/*
 * The race the cleaner's lockless liveness test leaves: it finds a value
 * live, then waits for log.lock, which a writer holds while it replaces
 * that value. Under the lock the cleaner must look again and leave the
 * new value alone. Here the test is the writer: it holds log.lock while
 * the cleaner starts, then puts by hand, as cesium_store_put() does.
 * (Should the cleaner not have reached the key in the half second, the
 * put comes first and the case passes without the race: it cannot fail
 * for timing.)
 */
static void ckpt_gc_recheck(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 16 * MIB, 4096);
	struct cesium_store *st = c->st;
	struct ckpt_gc_worker *g;
	struct workqueue_struct *wq;
	char key[8];
	int ret, aret = -1;
	u64 addr;
	u8 *v;
	u32 i;

	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	v = kunit_kmalloc(test, GW_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_ASSERT_NOT_NULL(test, v);
	wq = alloc_workqueue("cesium_kt_gc", WQ_UNBOUND, 1);
	KUNIT_ASSERT_NOT_NULL(test, wq);
	cesium_store_pause_maint(st, true);
	/* k00000's value is the log's first record, then a few more. */
	for (i = 0; i < 8; i++) {
		ckpt_key(key, i);
		ckpt_value(v, GW_LEN, i, 1);
		KUNIT_ASSERT_EQ(test, cesium_store_put(st, 0, key, 6, v, GW_LEN,
						       0,
						       CESIUM_DURABILITY_NONE),
				0);
	}
	KUNIT_ASSERT_EQ(test, cesium_checkpoint(st), 0);

	mutex_lock(&st->log.lock);
	g->st = st;
	INIT_WORK(&g->work, ckpt_gc_worker_fn);
	queue_work(wq, &g->work);
	msleep(500);
	ckpt_key(key, 0);
	ckpt_value(v, GW_LEN, 0, 2);
	ret = cesium_log_reserve(&st->log, cesium_rec_size(6, GW_LEN),
				 CESIUM_LOG_USER, &addr);
	if (!ret) {
		cesium_index_write_begin(st);
		aret = cesium_apply(st, CESIUM_REC_PUT, 0, key, 6, v, GW_LEN,
				    addr, GFP_KERNEL);
		cesium_index_write_end(st);
		if (!aret)
			cesium_log_add(&st->log, CESIUM_REC_PUT, 0, key, 6, v,
				       GW_LEN);
	}
	mutex_unlock(&st->log.lock);
	flush_work(&g->work);
	destroy_workqueue(wq);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, aret, 0);
	KUNIT_EXPECT_EQ(test, g->ret, 0);
	/* The cleaner moved the others, and not k00000's old value. */
	KUNIT_EXPECT_GT(test, atomic64_read(&st->gc_moved_bytes), 0ll);
	expect_value(test, st, 0, key, v, GW_LEN);
	KUNIT_ASSERT_EQ(test, cesium_store_sync(st), 0);
	ckpt_crash(test, c);
	expect_value(test, c->st, 0, key, v, GW_LEN);
	for (i = 1; i < 8; i++) {
		ckpt_key(key, i);
		ckpt_value(v, GW_LEN, i, 1);
		expect_value(test, c->st, 0, key, v, GW_LEN);
	}
}

/* A durable batch damaged later: reported, skipped, the rest replayed. */
static void ckpt_mid_log_damage(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 4 * MIB, 512);
	u8 *blk = kunit_kmalloc(test, 4096, GFP_KERNEL);
	struct cesium_store_stats s;

	KUNIT_ASSERT_NOT_NULL(test, blk);
	cesium_store_pause_maint(c->st, true);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "a", 1, "1", 1, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "b", 1, "2", 1, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "c", 1, "3", 1, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	cesium_store_drop(c->st);
	c->st = NULL;
	/* Batches from block 2: "b" is the second. */
	KUNIT_ASSERT_EQ(test, cesium_be_read(c->be, 3 * 4096, blk, 4096), 0);
	blk[CESIUM_LOG_HDR_BYTES + 4] ^= 0x10;
	KUNIT_ASSERT_EQ(test, cesium_be_write(c->be, 3 * 4096, blk, 4096, 0), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	expect_value(test, c->st, 0, "a", "1", 1);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "b", 1, 0), 0);
	expect_value(test, c->st, 0, "c", "3", 1);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.damaged_batches, 1ull);
	/* Writes go on after the last batch, and survive. */
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "d", 1, "4", 1, 0, 0),
			0);
	store_reopen(test, c);
	expect_value(test, c->st, 0, "c", "3", 1);
	expect_value(test, c->st, 0, "d", "4", 1);
}

/*
 * Batches written without a flush (durability none): a damaged one may be
 * a write the crash tore, and what came after it may have reached the
 * device out of order: the log ends there, a prefix survives.
 */
static void ckpt_unflushed_damage(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 8 * MIB, 512);
	u32 big = 600 * 1024, padded;
	u8 *v = kvmalloc(big, GFP_KERNEL);
	u8 *blk = kunit_kmalloc(test, 4096, GFP_KERNEL);
	static const char * const keys[] = { "a", "b", "c", "d" };
	struct cesium_store_stats s;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_NOT_NULL(test, blk);
	memset(v, 0x5a, big);
	cesium_store_pause_maint(c->st, true);
	/* Each put pushes the batch before it out, unflushed. */
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, keys[i], 1, v,
						       big, 0,
						       CESIUM_DURABILITY_NONE),
				0);
	cesium_store_drop(c->st);
	c->st = NULL;
	padded = round_up(CESIUM_LOG_HDR_BYTES + cesium_rec_size(1, big), 4096);
	KUNIT_ASSERT_EQ(test, cesium_be_read(c->be, 2 * 4096 + padded, blk,
					     4096), 0);
	blk[CESIUM_LOG_HDR_BYTES + 100] ^= 1;
	KUNIT_ASSERT_EQ(test, cesium_be_write(c->be, 2 * 4096 + padded, blk,
					      4096, 0), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "a", 1, 0), 1);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "b", 1, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "c", 1, 0), 0);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.damaged_batches, 0ull);
	kvfree(v);
}

/* A checkpoint's metadata record at @addr, read whole into @buf (verified). */
static void ckpt_read_rec(struct kunit *test, struct cesium_backend *be,
			  u64 addr, u32 value_len, u8 *buf, u32 buf_len,
			  struct cesium_rec *rec)
{
	u32 lbs = be->logical_block_size;
	u64 start = round_down(addr, lbs);
	u64 end = round_up(addr + cesium_rec_size(0, value_len), lbs);

	KUNIT_ASSERT_LE(test, end - start, (u64)buf_len);
	KUNIT_ASSERT_EQ(test, cesium_be_read(be, start, buf, end - start), 0);
	KUNIT_ASSERT_GT(test, cesium_rec_verify(buf + (addr - start),
						 end - start - (addr - start),
						 rec), 0);
}

/*
 * Where the checkpoint in force keeps its ROOT record, the first MAP record
 * and that MAP's segment @i; and how many segments the MAP lists.
 */
struct ckpt_where {
	u64 root;
	u64 map;
	u32 nr_segs;
	u64 seg;
};

static void ckpt_locate(struct kunit *test, struct cesium_backend *be, u32 i,
			struct ckpt_where *w)
{
	u8 *buf = kunit_kmalloc(test, 64 * 1024, GFP_KERNEL);
	struct cesium_super sb;
	struct cesium_root root;
	struct cesium_rec rec;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, cesium_read_super(be, &sb), 0);
	KUNIT_ASSERT_NE(test, sb.ckpt_root, 0ull);
	w->root = sb.ckpt_root;
	ckpt_read_rec(test, be, sb.ckpt_root, sb.ckpt_root_len, buf, 64 * 1024,
		      &rec);
	KUNIT_ASSERT_EQ(test, cesium_root_decode(rec.value, rec.value_len,
						 &root), 0);
	KUNIT_ASSERT_EQ(test, root.nr_maps, 1u);
	w->map = le64_to_cpu(root.maps[0].addr);
	w->nr_segs = le32_to_cpu(root.maps[0].nr_segs);
	KUNIT_ASSERT_LT(test, i, w->nr_segs);
	ckpt_read_rec(test, be, w->map, w->nr_segs * sizeof(__le64), buf,
		      64 * 1024, &rec);
	w->seg = get_unaligned_le64(rec.value + i * sizeof(__le64));
}

/* Flip one bit of the byte at @addr on the device. */
static void ckpt_flip(struct kunit *test, struct cesium_backend *be, u64 addr)
{
	u32 lbs = be->logical_block_size;
	u8 *blk = kunit_kmalloc(test, lbs, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, blk);
	KUNIT_ASSERT_EQ(test, cesium_be_read(be, round_down(addr, lbs), blk,
					     lbs), 0);
	blk[addr % lbs] ^= 0x20;
	KUNIT_ASSERT_EQ(test, cesium_be_write(be, round_down(addr, lbs), blk,
					      lbs, 0), 0);
}

#define CKPT_LOST_KEYS	2000

static u32 ckpt_vlen(u32 i, bool small)
{
	return small ? 16 : ckpt_len(i);
}

/*
 * Store CKPT_LOST_KEYS keys (values of ckpt_len(), or all inline with
 * @small), detach, damage segment @seg of the checkpoint and attach again.
 * Returns the run [*a, *b] of keys that answer -EUCLEAN, after checking
 * that it is one run and that every other key reads right.
 */
static void ckpt_lose_segment(struct kunit *test, struct store_ctx *c, u8 *v,
			      bool small, u32 seg, struct ckpt_where *w,
			      u32 *a, u32 *b)
{
	struct cesium_store_stats s;
	u32 i, len, nr = 0;
	char key[8];
	int ret;

	for (i = 0; i < CKPT_LOST_KEYS; i++) {
		ckpt_key(key, i);
		ckpt_value(v, ckpt_vlen(i, small), i, 0);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 6, v,
						       ckpt_vlen(i, small), 0, 0), 0);
	}
	KUNIT_ASSERT_EQ(test, cesium_store_close(c->st), 0);
	c->st = NULL;
	ckpt_locate(test, c->be, seg, w);
	KUNIT_ASSERT_GT(test, w->nr_segs, 8u);
	/* Inside the image, past the record's header. */
	ckpt_flip(test, c->be, w->seg + sizeof(struct cesium_disk_rec) + 100);
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	cesium_store_pause_maint(c->st, true);

	*a = U32_MAX;
	*b = 0;
	for (i = 0; i < CKPT_LOST_KEYS; i++) {
		ckpt_key(key, i);
		ckpt_value(v, ckpt_vlen(i, small), i, 0);
		ret = cesium_store_get(c->st, 0, key, 6, v + 4096, 4096, &len);
		if (ret == -EUCLEAN) {
			*a = min(*a, i);
			*b = max(*b, i);
			nr++;
			KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, key,
								  6, 0), -EUCLEAN);
			continue;
		}
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, len, ckpt_vlen(i, small));
		KUNIT_EXPECT_EQ(test, memcmp(v + 4096, v, ckpt_vlen(i, small)), 0);
	}
	/* One run of keys, more than a few: a segment holds dozens. */
	KUNIT_ASSERT_GT(test, nr, 10u);
	KUNIT_ASSERT_EQ(test, nr, *b - *a + 1);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.damaged_segments, 1ull);
	KUNIT_EXPECT_GT(test, s.checksum_errors, 0ull);
}

/*
 * A damaged segment in the checkpoint costs its keys, not the store: the
 * rest reads back, the lost range answers -EUCLEAN to what cannot be known,
 * writes into it work, CHECK names the segment, and the loss lasts across
 * attaches until acknowledged.
 */
static void ckpt_damaged_segment(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 16 * MIB, 512);
	u8 *v = kunit_kmalloc(test, 3 * 4096, GFP_KERNEL);
	u8 *out = kunit_kmalloc(test, 256 * 1024, GFP_KERNEL);
	struct cesium_batch_item item = { .op = CESIUM_REC_DELETE };
	struct cesium_scan_args sa = { 0 };
	struct cesium_check_args ca = { 0 };
	struct cesium_lost_range r;
	struct cesium_store_stats s;
	char key[8], lo[8], hi[8], mid[8];
	struct ckpt_where w;
	u64 damaged[4];
	u32 a, b, i, len;

	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_NOT_NULL(test, out);
	ckpt_lose_segment(test, c, v, false, 5, &w, &a, &b);
	/* The range comes from the neighbours: (key a - 1, key b + 1). */
	KUNIT_ASSERT_GT(test, a, 0u);
	KUNIT_ASSERT_LT(test, b, CKPT_LOST_KEYS - 1u);
	ckpt_key(lo, a - 1);
	ckpt_key(hi, b + 1);
	KUNIT_ASSERT_EQ(test, cesium_store_lost_range(c->st, 0, &r), 0);
	KUNIT_EXPECT_EQ(test, r.seg_addr, w.seg);
	KUNIT_EXPECT_EQ(test, r.ns, 0ull);
	KUNIT_EXPECT_EQ(test, r.lo_len, 6);
	KUNIT_EXPECT_EQ(test, memcmp(r.lo, lo, 6), 0);
	KUNIT_EXPECT_EQ(test, r.hi_len, 6);
	KUNIT_EXPECT_EQ(test, memcmp(r.hi, hi, 6), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_lost_range(c->st, 1, &r), -ENOENT);

	/* A key never stored, inside the range: it may have existed. */
	ckpt_key(mid, a);
	mid[6] = 'x';
	KUNIT_EXPECT_EQ(test, cesium_store_get(c->st, 0, mid, 7, v, 4096, &len),
			-EUCLEAN);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, mid, 7, 0), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, cesium_store_delete(c->st, 0, mid, 7, 0, 0),
			-EUCLEAN);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, mid, 7, "n", 1,
					       CESIUM_ST_NO_OVERWRITE, 0),
			-EUCLEAN);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, mid, 7, "n", 1,
					       CESIUM_ST_UPDATE_ONLY, 0),
			-EUCLEAN);
	item.key = mid;
	item.key_len = 7;
	KUNIT_EXPECT_EQ(test, cesium_store_batch(c->st, &item, 1, 0), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, item.result, -EUCLEAN);
	/* Outside it, absent is absent; in another namespace too. */
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "zz", 2, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 1, mid, 7, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_delete(c->st, 0, "zz", 2, 0, 0),
			-ENOENT);

	/* Plain puts into the range work and read back. */
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, mid, 7, "new", 3, 0,
					       0), 0);
	expect_value(test, c->st, 0, mid, "new", 3);
	ckpt_key(key, a);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, key, 6, "again", 5, 0,
					       0), 0);
	expect_value(test, c->st, 0, key, "again", 5);

	/* Scans stop before the range, then answer -EUCLEAN. */
	sa.buf = out;
	sa.buf_len = 256 * 1024;
	sa.flags = CESIUM_ST_SCAN_KEYS_ONLY;
	KUNIT_EXPECT_EQ(test, cesium_store_scan(c->st, &sa), 0);
	KUNIT_EXPECT_EQ(test, sa.nr, a);
	KUNIT_EXPECT_TRUE(test, sa.more);
	sa.start = lo;
	sa.start_len = 6;
	sa.flags = CESIUM_ST_SCAN_KEYS_ONLY | CESIUM_ST_SCAN_START_EXCL;
	KUNIT_EXPECT_EQ(test, cesium_store_scan(c->st, &sa), -EUCLEAN);
	sa.flags = CESIUM_ST_SCAN_KEYS_ONLY | CESIUM_ST_SCAN_REVERSE;
	sa.start_len = 0;
	KUNIT_EXPECT_EQ(test, cesium_store_scan(c->st, &sa), 0);
	KUNIT_EXPECT_EQ(test, sa.nr, CKPT_LOST_KEYS - 1 - b);
	KUNIT_EXPECT_TRUE(test, sa.more);
	/* From the range's upper bound on, all is known. */
	sa.flags = CESIUM_ST_SCAN_KEYS_ONLY;
	sa.start = hi;
	sa.start_len = 6;
	KUNIT_EXPECT_EQ(test, cesium_store_scan(c->st, &sa), 0);
	KUNIT_EXPECT_EQ(test, sa.nr, CKPT_LOST_KEYS - 1 - b);
	KUNIT_EXPECT_FALSE(test, sa.more);

	/* CHECK names the segment first, then the batch it is in. */
	ca.damaged = damaged;
	ca.nr_damaged = ARRAY_SIZE(damaged);
	ca.max_bytes = 64 * MIB;
	KUNIT_EXPECT_EQ(test, cesium_store_check(c->st, &ca), 0);
	KUNIT_EXPECT_EQ(test, ca.lost_segs, 1ull);
	KUNIT_EXPECT_GE(test, ca.found, 2ull);
	KUNIT_EXPECT_EQ(test, damaged[0], w.seg);
	KUNIT_EXPECT_LE(test, damaged[1], w.seg);

	/* No checkpoint forgets the loss: it is found again at attach. */
	KUNIT_EXPECT_EQ(test, cesium_store_maintain(c->st), -EBUSY);
	store_reopen(test, c);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.damaged_segments, 1ull);
	ckpt_key(key, a + 1);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, key, 6, 0), -EUCLEAN);
	expect_value(test, c->st, 0, mid, "new", 3);
	ckpt_key(key, a);
	expect_value(test, c->st, 0, key, "again", 5);

	/*
	 * Acknowledged: the keys are gone, the cleaner passes the damaged
	 * batch (and rewrites the sound segments whose copies are in it),
	 * and a checkpoint makes it the truth.
	 */
	cesium_store_lost_ack(c->st);
	KUNIT_EXPECT_FALSE(test, cesium_store_lost(c->st));
	ckpt_key(key, a + 1);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, key, 6, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_reclaim(c->st), 0);
	store_reopen(test, c);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.damaged_segments, 0ull);
	for (i = 0; i < CKPT_LOST_KEYS; i++) {
		ckpt_key(key, i);
		if (i == a) {
			expect_value(test, c->st, 0, key, "again", 5);
			continue;
		}
		if (i > a && i <= b) {
			KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, key,
								  6, 0), 0);
			continue;
		}
		ckpt_value(v, ckpt_len(i), i, 0);
		expect_value(test, c->st, 0, key, v, ckpt_len(i));
	}
	expect_value(test, c->st, 0, mid, "new", 3);
}

/*
 * The first and the last segment: ranges open at one end. Values inline:
 * once acknowledged, the cleaner moves no value, so only its pass over the
 * damaged checkpoint batch gets the sound segments copied there written
 * again.
 */
static void ckpt_damaged_edges(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 16 * MIB, 512);
	u8 *v = kunit_kmalloc(test, 3 * 4096, GFP_KERNEL);
	struct cesium_lost_range r;
	struct cesium_store_stats s;
	struct ckpt_where w;
	u32 a, b, a2, i;
	char key[8];

	KUNIT_ASSERT_NOT_NULL(test, v);
	ckpt_lose_segment(test, c, v, true, 0, &w, &a, &b);
	KUNIT_EXPECT_EQ(test, a, 0u);
	KUNIT_ASSERT_EQ(test, cesium_store_lost_range(c->st, 0, &r), 0);
	KUNIT_EXPECT_EQ(test, r.lo_len, 0);
	KUNIT_EXPECT_EQ(test, r.hi_len, 6);
	/* Below every key stored: in the range. */
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "a", 1, 0), -EUCLEAN);

	c = store_setup(test, 16 * MIB, 512);
	ckpt_lose_segment(test, c, v, true, 0, &w, &a, &b);
	cesium_store_close(c->st);
	c->st = NULL;
	/* Now the last one too: two ranges. */
	ckpt_locate(test, c->be, 0, &w);
	ckpt_locate(test, c->be, w.nr_segs - 1, &w);
	ckpt_flip(test, c->be, w.seg + sizeof(struct cesium_disk_rec) + 200);
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_lost_range(c->st, 1, &r), 0);
	KUNIT_EXPECT_EQ(test, r.seg_addr, w.seg);
	KUNIT_EXPECT_EQ(test, r.lo_len, 6);
	KUNIT_EXPECT_EQ(test, r.hi_len, 0);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "zz", 2, 0), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "a", 1, 0), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "k01000", 6, 0), 1);
	/* The last segment's keys: those after its lower bound. */
	for (a2 = 0; a2 < CKPT_LOST_KEYS; a2++) {
		ckpt_key(key, a2);
		if (!memcmp(key, r.lo, 6))
			break;
	}
	a2++;
	KUNIT_ASSERT_GT(test, a2, b + 1);
	KUNIT_ASSERT_LT(test, a2, CKPT_LOST_KEYS - 10u);
	for (i = 0; i < CKPT_LOST_KEYS; i++) {
		ckpt_key(key, i);
		if (i <= b || i >= a2) {
			KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0,
								  key, 6, 0),
					-EUCLEAN);
			continue;
		}
		ckpt_value(v, 16, i, 0);
		expect_value(test, c->st, 0, key, v, 16);
	}

	cesium_store_lost_ack(c->st);
	KUNIT_EXPECT_EQ(test, cesium_reclaim(c->st), 0);
	store_reopen(test, c);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.damaged_segments, 0ull);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "a", 1, 0), 0);
	for (i = 0; i < CKPT_LOST_KEYS; i++) {
		ckpt_key(key, i);
		if (i <= b || i >= a2) {
			KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0,
								  key, 6, 0), 0);
			continue;
		}
		ckpt_value(v, 16, i, 0);
		expect_value(test, c->st, 0, key, v, 16);
	}
}

/* A damaged MAP or ROOT record still fails the attach, cleanly. */
static void ckpt_damaged_map_root(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 16 * MIB, 512);
	struct cesium_store *st = NULL;
	struct ckpt_where w;
	char key[8];
	u32 i;

	for (i = 0; i < CKPT_LOST_KEYS; i++) {
		ckpt_key(key, i);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 6, "v",
						       1, 0, 0), 0);
	}
	KUNIT_ASSERT_EQ(test, cesium_store_close(c->st), 0);
	c->st = NULL;
	ckpt_locate(test, c->be, 0, &w);
	ckpt_flip(test, c->be, w.map + sizeof(struct cesium_disk_rec) + 8);
	KUNIT_EXPECT_EQ(test, cesium_store_open(c->be, 5, &st), -EUCLEAN);
	ckpt_flip(test, c->be, w.map + sizeof(struct cesium_disk_rec) + 8);
	ckpt_flip(test, c->be, w.root + sizeof(struct cesium_disk_rec));
	KUNIT_EXPECT_EQ(test, cesium_store_open(c->be, 5, &st), -EUCLEAN);
	/* Both mended: the store is whole again. */
	ckpt_flip(test, c->be, w.root + sizeof(struct cesium_disk_rec));
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	expect_value(test, c->st, 0, "k01999", "v", 1);
}

static struct kunit_case cesium_ckpt_cases[] = {
	KUNIT_CASE(ckpt_recovery),
	KUNIT_CASE(ckpt_gc_overwrite),
	KUNIT_CASE(ckpt_gc_free_crash),
	KUNIT_CASE(ckpt_gc_throttle),
	KUNIT_CASE(ckpt_concurrent_writer),
	KUNIT_CASE(ckpt_gc_concurrent_writer),
	KUNIT_CASE(ckpt_gc_recheck),
	KUNIT_CASE(ckpt_mid_log_damage),
	KUNIT_CASE(ckpt_unflushed_damage),
	KUNIT_CASE(ckpt_damaged_segment),
	KUNIT_CASE(ckpt_damaged_edges),
	KUNIT_CASE(ckpt_damaged_map_root),
	{}
};

static struct kunit_suite cesium_ckpt_suite = {
	.name = "cesium_ckpt",
	.exit = store_teardown,
	.test_cases = cesium_ckpt_cases,
};
kunit_test_suite(cesium_ckpt_suite);
