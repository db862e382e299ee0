// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the log's write pipeline over a memory device whose
 * asynchronous writes end later and out of order: values are readable
 * while their batch is pending or being written, a sync put returns only
 * once its batch and every one before it are stable, asynchronous waiters
 * for durability are answered once it is and share batches, a failed
 * write stops the log without a hang, and what was acknowledged survives a
 * reopen.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../io/backend.h"
#include "store_int.h"
#include "store_kunit.h"

/* Writes end 0..2 jiffies after they start. */
#define LOG_DELAY	2

static u32 log_len(u32 i)
{
	/* Inline, small log values, values of several blocks. */
	return i % 3 == 0 ? 40 : i % 3 == 1 ? 300 + i % 700 : 3000 + i % 5000;
}

static void log_fill(u8 *v, u32 len, u32 i)
{
	u32 k;

	for (k = 0; k < len; k++)
		v[k] = (u8)(i * 13 + k);
}

static void log_key(char *key, u32 i)
{
	snprintf(key, 8, "k%05u", i);
}

static void log_expect(struct kunit *test, struct cesium_store *st, u32 i,
		       u8 *want, u8 *got)
{
	u32 len = log_len(i), got_len = 0;
	char key[8];

	log_key(key, i);
	log_fill(want, len, i);
	KUNIT_ASSERT_EQ(test, cesium_store_get(st, 0, key, 6, got, 8192,
					       &got_len), 0);
	KUNIT_ASSERT_EQ(test, got_len, len);
	KUNIT_ASSERT_EQ(test, memcmp(got, want, len), 0);
}

/*
 * As log_expect(), without aborting the test (writes may be held): false,
 * with what the log looked like, when key @i does not read back right.
 */
static bool log_check(struct kunit *test, struct cesium_store *st, u32 i,
		      u8 *want, u8 *got)
{
	struct cesium_log *log = &st->log;
	u32 len = log_len(i), got_len = 0;
	struct cesium_vref v;
	char key[8];
	int ret;

	log_key(key, i);
	log_fill(want, len, i);
	ret = cesium_store_get(st, 0, key, 6, got, 8192, &got_len);
	if (!ret && got_len == len && !memcmp(got, want, len))
		return true;
	down_read(&st->index_lock);
	v.addr = 0;
	cesium_lookup(st, 0, key, 6, &v);
	up_read(&st->index_lock);
	kunit_err(test,
		  "key %u: get %d, %u bytes at %llu; log at %llu, in memory from %llu for %llu, %u in flight",
		  i, ret, got_len, v.addr, log->batch_off, log->mem_off,
		  log->mem_len, log->nr_inflight);
	return false;
}

/* Put key @i with its value, and read it and another back at once. */
static bool log_put_check(struct kunit *test, struct cesium_store *st, u32 i,
			  u8 *want, u8 *got)
{
	char key[8];

	log_key(key, i);
	log_fill(want, log_len(i), i);
	if (cesium_store_put(st, 0, key, 6, want, log_len(i), 0,
			     CESIUM_DURABILITY_NONE))
		return false;
	return log_check(test, st, i, want, got) &&
	       log_check(test, st, (i * 7919) % (i + 1), want, got);
}

/*
 * Every value reads back right at once: from the pending batch, from
 * batches in flight (held by the device until the ring is full, then
 * ended newest first), or from the device; then under writes that end
 * late and out of order; and all of it after a reopen.
 */
static void log_inflight_reads(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 512);
	u8 *want = kunit_kmalloc(test, 8192, GFP_KERNEL);
	u8 *got = kunit_kmalloc(test, 8192, GFP_KERNEL);
	const u32 nr = 4000;
	struct cesium_log *log;
	u64 written;
	u32 i = 0, j;
	bool ok = true;

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);
	log = &c->st->log;
	/* Nothing may wait for the held writes meanwhile. */
	cesium_store_pause_maint(c->st, true);
	cesium_mem_backend_hold_writes(c->be, true);
	written = READ_ONCE(log->written_seq);
	/*
	 * Up to a full ring: one more sealed batch would wait for a buffer.
	 * No assertion may end the test while writes are held.
	 */
	while (ok && READ_ONCE(log->nr_inflight) < CESIUM_LOG_NBUF - 1)
		ok = log_put_check(test, c->st, i++, want, got);
	KUNIT_EXPECT_EQ(test, READ_ONCE(log->written_seq), written);
	for (j = 0; ok && j < i; j++)
		ok = log_check(test, c->st, j, want, got);
	cesium_mem_backend_hold_writes(c->be, false);
	KUNIT_EXPECT_TRUE(test, ok);
	KUNIT_EXPECT_EQ(test, READ_ONCE(log->nr_inflight), 0U);
	KUNIT_EXPECT_EQ(test, READ_ONCE(log->written_seq),
			written + CESIUM_LOG_NBUF - 1);
	cesium_store_pause_maint(c->st, false);

	cesium_mem_backend_set_write_delay(c->be, HZ / 10);
	for (; ok && i < nr; i++)
		ok = log_put_check(test, c->st, i, want, got);
	KUNIT_EXPECT_TRUE(test, ok);
	store_reopen(test, c);
	for (i = 0; i < nr; i++)
		log_expect(test, c->st, i, want, got);
	cesium_mem_backend_set_write_delay(c->be, 0);
}

struct log_reader {
	struct work_struct work;
	struct completion done;
	struct kunit *test;
	struct cesium_store *st;
	u32 nr;
	bool ok;
};

static void log_reader_fn(struct work_struct *work)
{
	struct log_reader *r = container_of(work, struct log_reader, work);
	u8 *want = kmalloc(8192, GFP_KERNEL);
	u8 *got = kmalloc(8192, GFP_KERNEL);
	u32 i;

	r->ok = want && got;
	for (i = 0; r->ok && i < r->nr; i++)
		r->ok = log_check(r->test, r->st, i, want, got);
	kfree(got);
	kfree(want);
	complete(&r->done);
}

/*
 * Gets read values from the pending batch and from batches in flight
 * without log.lock: here the test holds it, with writes held by the
 * device, while another thread reads every key back.
 */
static void log_reads_without_lock(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 4096);
	u8 *want = kunit_kmalloc(test, 8192, GFP_KERNEL);
	u8 *got = kunit_kmalloc(test, 8192, GFP_KERNEL);
	struct workqueue_struct *wq;
	struct log_reader *r;
	struct cesium_log *log;
	bool ok = true, in_time;
	u32 i = 0;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_NOT_NULL(test, r);
	wq = alloc_workqueue("cesium_kt_rd", WQ_UNBOUND, 1);
	KUNIT_ASSERT_NOT_NULL(test, wq);
	log = &c->st->log;
	cesium_store_pause_maint(c->st, true);
	cesium_mem_backend_hold_writes(c->be, true);
	/* Two batches in flight, then some records in the pending one. */
	while (ok && READ_ONCE(log->nr_inflight) < 2)
		ok = log_put_check(test, c->st, i++, want, got);
	while (ok && log->nr_records < 20)
		ok = log_put_check(test, c->st, i++, want, got);
	r->test = test;
	r->st = c->st;
	r->nr = i;
	init_completion(&r->done);
	INIT_WORK(&r->work, log_reader_fn);
	mutex_lock(&log->lock);
	queue_work(wq, &r->work);
	in_time = wait_for_completion_timeout(&r->done, 30 * HZ);
	mutex_unlock(&log->lock);
	flush_work(&r->work);
	destroy_workqueue(wq);
	cesium_mem_backend_hold_writes(c->be, false);
	KUNIT_EXPECT_TRUE(test, ok);
	KUNIT_EXPECT_TRUE_MSG(test, in_time, "gets waited for log.lock");
	KUNIT_EXPECT_TRUE(test, r->ok);
	kunit_info(test, "%u keys read back, %u records pending\n", i,
		   log->nr_records);
}

/*
 * A sync put returns when its batch and all before it are stable, also
 * when earlier batches are still being written (which it waits for, then
 * flushes).
 */
static void log_sync_waits(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 4096);
	u8 *v = kunit_kmalloc(test, 8192, GFP_KERNEL);
	struct cesium_log *log;
	u32 i, round;
	char key[8];

	KUNIT_ASSERT_NOT_NULL(test, v);
	log = &c->st->log;
	/* No checkpoint may write between the sync put and the checks. */
	cesium_store_pause_maint(c->st, true);
	cesium_mem_backend_set_write_delay(c->be, LOG_DELAY);
	for (round = 0; round < 20; round++) {
		for (i = 0; i < 300; i++) {
			log_key(key, i);
			log_fill(v, log_len(i), i);
			KUNIT_ASSERT_EQ(test,
					cesium_store_put(c->st, 0, key, 6, v,
							 log_len(i), 0,
							 CESIUM_DURABILITY_NONE),
					0);
		}
		log_fill(v, 100, round);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "sync", 4, v,
						       100, 0,
						       CESIUM_DURABILITY_SYNC),
				0);
		/* Nothing else writes: the put's batch is the last sealed. */
		KUNIT_EXPECT_EQ(test, READ_ONCE(log->durable_seq),
				log->seq - 1);
		KUNIT_EXPECT_EQ(test, READ_ONCE(log->written_seq),
				log->seq - 1);
	}
	cesium_mem_backend_set_write_delay(c->be, 0);
}

/*
 * A write that fails while writers go on: later puts fail (-EROFS), a
 * sync fails, values stay readable, and detach neither hangs nor leaks.
 */
static void log_async_write_error(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 512);
	u8 *want = kunit_kmalloc(test, 8192, GFP_KERNEL);
	u8 *got = kunit_kmalloc(test, 8192, GFP_KERNEL);
	u32 i, written = 0;
	char key[8];
	int ret = 0;

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);
	cesium_mem_backend_set_write_delay(c->be, LOG_DELAY);
	cesium_mem_backend_set_fail(c->be, false, true);
	for (i = 0; i < 20000 && !ret; i++) {
		log_key(key, i);
		log_fill(want, log_len(i), i);
		ret = cesium_store_put(c->st, 0, key, 6, want, log_len(i), 0,
				       CESIUM_DURABILITY_NONE);
		if (!ret)
			written++;
	}
	KUNIT_EXPECT_TRUE(test, ret == -EROFS || ret == -EIO);
	KUNIT_EXPECT_NE(test, cesium_store_sync(c->st), 0);
	/* What the index took is read from the buffers it is still in. */
	for (i = 0; i < written; i += 97)
		log_expect(test, c->st, i, want, got);
	KUNIT_EXPECT_NE(test, cesium_store_close(c->st), 0);
	c->st = NULL;
	cesium_mem_backend_set_write_delay(c->be, 0);
}

struct log_waiter {
	struct cesium_log_waiter w;
	struct completion done;
	int err;
};

static void log_waiter_done(struct cesium_log_waiter *w, int err)
{
	struct log_waiter *lw = container_of(w, struct log_waiter, w);

	lw->err = err;
	complete(&lw->done);
}

/*
 * cesium_store_sync_async(): 0 when all is stable, else -EIOCBQUEUED and
 * the waiter is told once its batch and all before it are; waiters that
 * come while a write is in flight share the next batch.
 */
static void log_sync_async(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 512);
	struct log_waiter *lw;
	const u32 nr = 64;
	u64 commits;
	u32 i, queued = 0;
	char key[8];
	int ret;

	lw = kunit_kcalloc(test, nr, sizeof(*lw), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lw);
	/* Nothing written yet: stable at once. */
	lw[0].w.done = log_waiter_done;
	KUNIT_EXPECT_EQ(test, cesium_store_sync_async(c->st, &lw[0].w, true),
			0);

	cesium_mem_backend_set_write_delay(c->be, HZ / 10);
	commits = c->st->log.commits;
	for (i = 0; i < nr; i++) {
		log_key(key, i);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 6, key,
						       6, 0,
						       CESIUM_DURABILITY_NONE),
				0);
		init_completion(&lw[i].done);
		lw[i].w.done = log_waiter_done;
		ret = cesium_store_sync_async(c->st, &lw[i].w, false);
		KUNIT_EXPECT_TRUE(test, ret == 0 || ret == -EIOCBQUEUED);
		if (ret == -EIOCBQUEUED)
			queued++;
		else
			complete(&lw[i].done);
	}
	KUNIT_EXPECT_GT(test, queued, 0U);
	for (i = 0; i < nr; i++) {
		wait_for_completion(&lw[i].done);
		KUNIT_EXPECT_EQ(test, lw[i].err, 0);
		KUNIT_EXPECT_GE(test, READ_ONCE(c->st->log.durable_seq),
				lw[i].w.seq);
	}
	/* One put per waiter, far fewer batches: they were shared. */
	KUNIT_EXPECT_LT(test, c->st->log.commits - commits, (u64)nr / 2);
	cesium_mem_backend_set_write_delay(c->be, 0);
}

/* A waiter whose write fails is told the error; none is left behind. */
static void log_sync_async_error(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 512);
	struct log_waiter lw = { .w.done = log_waiter_done };
	int ret;

	init_completion(&lw.done);
	cesium_mem_backend_set_write_delay(c->be, HZ / 10);
	cesium_mem_backend_set_fail(c->be, false, true);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "k", 1, "v", 1, 0,
					       CESIUM_DURABILITY_NONE), 0);
	ret = cesium_store_sync_async(c->st, &lw.w, true);
	if (ret == -EIOCBQUEUED) {
		wait_for_completion(&lw.done);
		ret = cesium_store_write_failed(c->st, lw.err);
	}
	KUNIT_EXPECT_TRUE(test, ret == -EIO || ret == -EROFS);
	KUNIT_EXPECT_NE(test, cesium_store_close(c->st), 0);
	c->st = NULL;
	cesium_mem_backend_set_write_delay(c->be, 0);
}

static struct kunit_case cesium_log_cases[] = {
	KUNIT_CASE(log_inflight_reads),
	KUNIT_CASE(log_reads_without_lock),
	KUNIT_CASE(log_sync_waits),
	KUNIT_CASE(log_async_write_error),
	KUNIT_CASE(log_sync_async),
	KUNIT_CASE(log_sync_async_error),
	{}
};

static struct kunit_suite cesium_log_suite = {
	.name = "cesium_log",
	.exit = store_teardown,
	.test_cases = cesium_log_cases,
};
kunit_test_suite(cesium_log_suite);
