// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the asynchronous scan (scan.c, scan_async.h) over the
 * memory backend: values inline, in the pending batch and in the log; done
 * called once, when the last of several reads ends; the same records as
 * cesium_store_scan(); read errors, damage, keys that moved or changed
 * length while the reads were in flight, and what CESIUM_ST_SCAN_NOWAIT
 * refuses. The memory backend ends a read before read_async() returns;
 * the held backend below keeps reads in flight until the test ends them.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../io/backend.h"
#include "scan_async.h"
#include "store_int.h"
#include "store_kunit.h"

/* Long enough that no periodic commit runs during a case. */
#define SA_COMMIT_MS	600000
#define SA_BUF		(512 * 1024)
#define SA_HELD_MAX	64

struct sa_scan {
	struct cesium_scan_async sa;
	struct cesium_scan_args a;
	int done;
};

static struct store_ctx *sa_setup(struct kunit *test, u32 lbs)
{
	struct store_ctx *c = store_setup_commit(test, 4 * MIB, lbs,
						 SA_COMMIT_MS);

	/* The device path: no value comes from the hot-item cache. */
	cesium_store_set_cache_bytes(c->st, 0);
	/* What is pending stays pending: no checkpoint writes it out. */
	cesium_store_pause_maint(c->st, true);
	return c;
}

static void sa_done(struct cesium_scan_async *sa)
{
	container_of(sa, struct sa_scan, sa)->done++;
}

/* A scan of the whole default namespace into a buffer of @buf_len. */
static struct sa_scan *sa_new(struct kunit *test, struct store_ctx *c,
			      u32 buf_len)
{
	struct sa_scan *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->a.buf_len = buf_len;
	t->a.buf = kunit_kzalloc(test, max_t(u32, buf_len, 1), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->a.buf);
	t->sa.st = c->st;
	t->sa.a = &t->a;
	t->sa.done = sa_done;
	return t;
}

/* The value of key @i, generation @gen: @len bytes. */
static void sa_fill(u8 *v, u32 len, u32 i, u32 gen)
{
	u32 k;

	for (k = 0; k < len; k++)
		v[k] = (u8)(i * 31 + gen * 7 + k);
}

/* Put keys "kNNN" 0..@n-1, values of @len bytes, generation @gen. */
static void sa_put(struct kunit *test, struct store_ctx *c, u32 n, u32 len,
		   u32 gen, enum cesium_durability dur)
{
	u8 *v = kunit_kmalloc(test, max_t(u32, len, 1), GFP_KERNEL);
	char key[8];
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, v);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "k%03u", i);
		sa_fill(v, len, i, gen);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 4, v, len,
						       0, dur), 0);
	}
	kunit_kfree(test, v);
}

/* The output holds keys 0..@n-1 in order, values of @len from @gen. */
static void sa_expect(struct kunit *test, const struct cesium_scan_args *a,
		      u32 n, u32 len, u32 gen)
{
	u8 *want = kunit_kmalloc(test, max_t(u32, len, 1), GFP_KERNEL);
	const u8 *p = a->buf;
	char key[8];
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_EQ(test, a->nr, n);
	for (i = 0; i < n; i++) {
		const struct cesium_scan_out_rec *r = (const void *)p;

		snprintf(key, sizeof(key), "k%03u", i);
		sa_fill(want, len, i, gen);
		KUNIT_ASSERT_EQ(test, r->key_len, 4u);
		KUNIT_ASSERT_EQ(test, r->value_len, len);
		KUNIT_EXPECT_EQ(test, memcmp(p + sizeof(*r), key, 4), 0);
		KUNIT_EXPECT_EQ(test, memcmp(p + sizeof(*r) + 4, want, len), 0);
		p += round_up(sizeof(*r) + 4 + len, 8);
	}
	KUNIT_EXPECT_EQ(test, (u32)(p - (const u8 *)a->buf), a->bytes);
	kunit_kfree(test, want);
}

/* Device reads the test ends itself (sa_release()). */
struct sa_held {
	const struct cesium_backend_ops *saved;
	struct cesium_io_req *req[SA_HELD_MAX];
	void *buf[SA_HELD_MAX];
	u64 off[SA_HELD_MAX];
	size_t len[SA_HELD_MAX];
	u32 n;
};

static struct sa_held *sa_held;

static int sa_hold_read_async(struct cesium_backend *be,
			      struct cesium_io_req *req, u64 off, void *buf,
			      size_t len, unsigned int flags)
{
	struct sa_held *h = sa_held;

	if (h->n == SA_HELD_MAX)
		return -ENOMEM;	/* made synchronously by the scan */
	h->req[h->n] = req;
	h->buf[h->n] = buf;
	h->off[h->n] = off;
	h->len[h->n] = len;
	h->n++;
	return 0;
}

/* From here on, asynchronous reads of @c wait for sa_release(). */
static struct sa_held *sa_hold(struct kunit *test, struct store_ctx *c)
{
	struct cesium_backend_ops *ops = kunit_kmalloc(test, sizeof(*ops),
							GFP_KERNEL);
	struct sa_held *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ops);
	KUNIT_ASSERT_NOT_NULL(test, h);
	h->saved = c->be->ops;
	*ops = *h->saved;
	ops->read_async = sa_hold_read_async;
	sa_held = h;
	c->be->ops = ops;
	return h;
}

/* Reads start as usual again (those held stay held). */
static void sa_unhold(struct store_ctx *c, struct sa_held *h)
{
	c->be->ops = h->saved;
}

/* End held read @i: read the device now, flip every byte with @xor. */
static void sa_release(struct kunit *test, struct store_ctx *c,
		       struct sa_held *h, u32 i, u8 xor)
{
	u8 *b = h->buf[i];
	size_t k;
	int err;

	err = h->saved->read(c->be, h->off[i], b, h->len[i]);
	KUNIT_EXPECT_EQ(test, err, 0);
	for (k = 0; xor && k < h->len[i]; k++)
		b[k] ^= xor;
	h->req[i]->end(h->req[i], err);
}

/* Inline values and values in the pending batch: done in start. */
static void scan_async_no_read(struct kunit *test)
{
	struct store_ctx *c = sa_setup(test, 512);
	struct sa_scan *t = sa_new(test, c, SA_BUF);
	struct cesium_store_stats s;
	u64 reads;

	sa_put(test, c, 20, 10, 0, CESIUM_DURABILITY_SYNC);
	reads = atomic64_read(&c->be->stats.reads);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_start(&t->sa), 0);
	sa_expect(test, &t->a, 20, 10, 0);
	cesium_scan_async_end(&t->sa, 0);
	KUNIT_EXPECT_EQ(test, t->done, 0);
	KUNIT_EXPECT_NULL(test, t->sa.s);

	/* Log values not yet written: from memory, no read. */
	sa_put(test, c, 20, 1500, 1, CESIUM_DURABILITY_NONE);
	t = sa_new(test, c, SA_BUF);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_start(&t->sa), 0);
	sa_expect(test, &t->a, 20, 1500, 1);
	cesium_scan_async_end(&t->sa, 0);
	KUNIT_EXPECT_EQ(test, t->done, 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->be->stats.reads), reads);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.scans, 2ull);
}

/* Log values: reads queued, done called, then the records checked. */
static void scan_async_log(struct kunit *test)
{
	static const u32 lbs[] = { 512, 4096 };
	struct cesium_store_stats s;
	struct sa_scan *t, *w;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(lbs); i++) {
		struct store_ctx *c = sa_setup(test, lbs[i]);

		sa_put(test, c, 32, 3000, 0, CESIUM_DURABILITY_SYNC);
		t = sa_new(test, c, SA_BUF);
		KUNIT_EXPECT_EQ(test, cesium_scan_async_start(&t->sa),
				-EIOCBQUEUED);
		KUNIT_EXPECT_EQ(test, t->done, 1);
		KUNIT_EXPECT_EQ(test, cesium_scan_async_finish(&t->sa), 0);
		cesium_scan_async_end(&t->sa, 0);
		sa_expect(test, &t->a, 32, 3000, 0);

		/* The records of the synchronous scan, byte for byte. */
		w = sa_new(test, c, SA_BUF);
		KUNIT_ASSERT_EQ(test, cesium_store_scan(c->st, &w->a), 0);
		KUNIT_EXPECT_EQ(test, w->a.bytes, t->a.bytes);
		KUNIT_EXPECT_EQ(test, memcmp(w->a.buf, t->a.buf, t->a.bytes),
				0);
		cesium_store_stats(c->st, &s);
		KUNIT_EXPECT_EQ(test, s.scans, 2ull);
		KUNIT_EXPECT_EQ(test, s.bytes_out, 2ull * t->a.bytes);
	}
}

/*
 * Several reads in flight: done is called once, when the last ends, not
 * before; the limit and a full buffer stop the scan as they do waiting.
 */
static void scan_async_held(struct kunit *test)
{
	struct store_ctx *c = sa_setup(test, 4096);
	struct sa_scan *t = sa_new(test, c, SA_BUF);
	struct sa_held *h;
	u32 i;

	sa_put(test, c, 64, 4000, 0, CESIUM_DURABILITY_SYNC);
	h = sa_hold(test, c);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_start(&t->sa), -EIOCBQUEUED);
	sa_unhold(c, h);
	/* 64 records of 4 KiB blocks: more than one read of 128 KiB. */
	KUNIT_ASSERT_GE(test, h->n, 2u);
	for (i = 0; i + 1 < h->n; i++)
		sa_release(test, c, h, i, 0);
	KUNIT_EXPECT_EQ(test, t->done, 0);
	sa_release(test, c, h, h->n - 1, 0);
	KUNIT_EXPECT_EQ(test, t->done, 1);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_finish(&t->sa), 0);
	cesium_scan_async_end(&t->sa, 0);
	sa_expect(test, &t->a, 64, 4000, 0);
	KUNIT_EXPECT_FALSE(test, t->a.more);

	/* Ten records fit: the rest is "more". */
	t = sa_new(test, c, 10 * round_up(8 + 4 + 4000, 8) + 100);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_start(&t->sa), -EIOCBQUEUED);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_finish(&t->sa), 0);
	cesium_scan_async_end(&t->sa, 0);
	sa_expect(test, &t->a, 10, 4000, 0);
	KUNIT_EXPECT_TRUE(test, t->a.more);
}

static void scan_async_errors(struct kunit *test)
{
	struct store_ctx *c = sa_setup(test, 512);
	u8 *blk = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct cesium_store_stats s;
	struct sa_scan *t;
	static u8 big[CESIUM_STORE_KEY_MAX + 1];

	KUNIT_ASSERT_NOT_NULL(test, blk);
	sa_put(test, c, 1, 1000, 0, CESIUM_DURABILITY_SYNC);

	/* A bound over the key limit: refused, not counted. */
	t = sa_new(test, c, SA_BUF);
	t->a.start = big;
	t->a.start_len = sizeof(big);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_start(&t->sa), -E2BIG);
	cesium_scan_async_end(&t->sa, -E2BIG);

	/* Without sleeping, a value on the device is refused, not counted. */
	t = sa_new(test, c, SA_BUF);
	t->a.flags = CESIUM_ST_SCAN_NOWAIT;
	KUNIT_EXPECT_EQ(test, cesium_scan_async_start(&t->sa), -EAGAIN);
	cesium_scan_async_end(&t->sa, -EAGAIN);
	KUNIT_EXPECT_EQ(test, t->done, 0);

	/* The first record does not fit. */
	t = sa_new(test, c, 100);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_start(&t->sa), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, t->a.bytes, (u32)round_up(8 + 4 + 1000, 8));
	cesium_scan_async_end(&t->sa, -EOVERFLOW);

	/* A device that fails the read. */
	t = sa_new(test, c, SA_BUF);
	cesium_mem_backend_set_fail(c->be, true, false);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_start(&t->sa), -EIOCBQUEUED);
	cesium_mem_backend_set_fail(c->be, false, false);
	KUNIT_EXPECT_EQ(test, t->done, 1);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_finish(&t->sa), -EIO);
	cesium_scan_async_end(&t->sa, -EIO);

	/*
	 * A damaged record (the first sync put is the first batch, at byte
	 * 8192): reported, counted, never returned.
	 */
	KUNIT_ASSERT_EQ(test, cesium_be_read(c->be, 2 * 4096, blk, 4096), 0);
	blk[CESIUM_LOG_HDR_BYTES + 24 + 4 + 500] ^= 1;
	KUNIT_ASSERT_EQ(test, cesium_be_write(c->be, 2 * 4096, blk, 4096, 0), 0);
	t = sa_new(test, c, SA_BUF);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_start(&t->sa), -EIOCBQUEUED);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_finish(&t->sa), -EUCLEAN);
	cesium_scan_async_end(&t->sa, -EUCLEAN);

	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.scans, 3ull);
	KUNIT_EXPECT_EQ(test, s.bytes_out, 0ull);
	KUNIT_EXPECT_EQ(test, s.checksum_errors, 1ull);
}

/*
 * A scan of the 16 keys whose reads are held while every key is written
 * again (@len bytes, generation @gen), and whose reads then come back
 * damaged: finish finds the new values all the same.
 */
static void sa_scan_rewritten(struct kunit *test, struct store_ctx *c,
			      u32 len, u32 gen)
{
	struct sa_scan *t = sa_new(test, c, SA_BUF);
	struct sa_held *h = sa_hold(test, c);
	u32 i;

	KUNIT_ASSERT_EQ(test, cesium_scan_async_start(&t->sa), -EIOCBQUEUED);
	sa_unhold(c, h);
	sa_put(test, c, 16, len, gen, CESIUM_DURABILITY_SYNC);
	for (i = 0; i < h->n; i++)
		sa_release(test, c, h, i, 0xff);
	KUNIT_EXPECT_EQ(test, t->done, 1);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_finish(&t->sa), 0);
	cesium_scan_async_end(&t->sa, 0);
	sa_expect(test, &t->a, 16, len, gen);
	/* A retry waits: done is called for the first reads only. */
	KUNIT_EXPECT_EQ(test, t->done, 1);
}

/*
 * Every key is written again while the reads are in flight and the bytes
 * read no longer match (as when the cleaner reuses the space): the scan
 * follows the index to the new values and counts no damage; values that
 * changed length send it round again, waiting, in finish.
 */
static void scan_async_moved(struct kunit *test)
{
	struct store_ctx *c = sa_setup(test, 512);
	struct cesium_store_stats s;

	sa_put(test, c, 16, 2000, 0, CESIUM_DURABILITY_SYNC);
	sa_scan_rewritten(test, c, 2000, 1);
	/* Written again with another length: collected again. */
	sa_scan_rewritten(test, c, 2500, 2);

	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.checksum_errors, 0ull);
	KUNIT_EXPECT_EQ(test, s.scans, 2ull);
}

/*
 * Every key was put with sync durability: a batch, so a read, each. While
 * the reads are held every key is written again, with a value of the
 * same length; then the reads of keys 0..7 find their records as they
 * were, and those of keys 8..15 find other bytes (the cleaner moved those
 * records and their space was used again). Following the index from there
 * would return keys 8..15 as they are now next to keys 0..7 as they were,
 * splitting any BATCH that wrote two of them: the scan collects again and
 * returns them all as they are.
 */
static void scan_async_moved_split(struct kunit *test)
{
	struct store_ctx *c = sa_setup(test, 512);
	struct sa_scan *t;
	struct sa_held *h;
	u32 i;

	sa_put(test, c, 16, 2000, 0, CESIUM_DURABILITY_SYNC);
	t = sa_new(test, c, SA_BUF);
	h = sa_hold(test, c);
	KUNIT_ASSERT_EQ(test, cesium_scan_async_start(&t->sa), -EIOCBQUEUED);
	sa_unhold(c, h);
	KUNIT_ASSERT_EQ(test, h->n, 16u);
	sa_put(test, c, 16, 2000, 1, CESIUM_DURABILITY_SYNC);
	for (i = 0; i < h->n; i++)
		sa_release(test, c, h, i, i < 8 ? 0 : 0xff);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_finish(&t->sa), 0);
	cesium_scan_async_end(&t->sa, 0);
	sa_expect(test, &t->a, 16, 2000, 1);
}

/* A scan that ended its reads but is not finished is freed, not counted. */
static void scan_async_cancel(struct kunit *test)
{
	struct store_ctx *c = sa_setup(test, 512);
	struct sa_scan *t = sa_new(test, c, SA_BUF);
	struct cesium_store_stats s;

	sa_put(test, c, 8, 3000, 0, CESIUM_DURABILITY_SYNC);
	KUNIT_EXPECT_EQ(test, cesium_scan_async_start(&t->sa), -EIOCBQUEUED);
	cesium_scan_async_cancel(&t->sa);
	KUNIT_EXPECT_NULL(test, t->sa.s);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.scans, 0ull);
}

static struct kunit_case cesium_scan_async_cases[] = {
	KUNIT_CASE(scan_async_no_read),
	KUNIT_CASE(scan_async_log),
	KUNIT_CASE(scan_async_held),
	KUNIT_CASE(scan_async_errors),
	KUNIT_CASE(scan_async_moved),
	KUNIT_CASE(scan_async_moved_split),
	KUNIT_CASE(scan_async_cancel),
	{}
};

static struct kunit_suite cesium_scan_async_suite = {
	.name = "cesium_scan_async",
	.exit = store_teardown,
	.test_cases = cesium_scan_async_cases,
};
kunit_test_suite(cesium_scan_async_suite);
