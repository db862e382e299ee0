// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the asynchronous get (get_async.c) over the memory
 * backend, whose reads end before read_async() returns: inline and log
 * values, the pending batch, what CESIUM_GET_NOWAIT refuses, errors,
 * damage, a key that moved between the lookup and the check, and a read
 * the device queue bounced (-EAGAIN).
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../io/backend.h"
#include "get_async.h"
#include "store_int.h"
#include "store_kunit.h"

/* Long enough that no periodic commit runs during a case. */
#define GA_COMMIT_MS 600000

struct ga_get {
	struct cesium_get_async g;
	int done;
};

static struct store_ctx *ga_setup(struct kunit *test, u32 lbs)
{
	struct store_ctx *c = store_setup_commit(test, 4 * MIB, lbs,
						 GA_COMMIT_MS);

	/* The device path: no value comes from the hot-item cache. */
	cesium_store_set_cache_bytes(c->st, 0);
	return c;
}

static void ga_done(struct cesium_get_async *g)
{
	container_of(g, struct ga_get, g)->done++;
}

static struct ga_get *ga_new(struct kunit *test, struct store_ctx *c,
			     const char *key, u32 buf_len)
{
	struct ga_get *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	/* The caller's memory is not zeroed (uring_get.c uses kmalloc). */
	memset(&t->g, 0xa5, sizeof(t->g));
	t->g.st = c->st;
	t->g.ns = 0;
	t->g.key_len = strlen(key);
	memcpy(t->g.key, key, t->g.key_len);
	t->g.buf_len = buf_len;
	t->g.done = ga_done;
	return t;
}

/* @len bytes of @c, test memory. */
static u8 *ga_bytes(struct kunit *test, u8 c, size_t len)
{
	u8 *p = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, c, len);
	return p;
}

static void ga_expect_value(struct kunit *test, struct ga_get *t,
			    const void *want, u32 want_len)
{
	KUNIT_EXPECT_EQ(test, t->g.value_len, want_len);
	KUNIT_ASSERT_NOT_NULL(test, t->g.value);
	KUNIT_EXPECT_EQ(test, memcmp(t->g.value, want, want_len), 0);
}

/* A value inline in the index is there at once, also without sleeping. */
static void get_async_inline(struct kunit *test)
{
	struct store_ctx *c = ga_setup(test, 512);
	struct ga_get *t = ga_new(test, c, "s", 64);
	struct cesium_store_stats s;

	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "s", 1, "small", 5,
					       0, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			0);
	ga_expect_value(test, t, "small", 5);
	cesium_get_async_end(&t->g, 0);
	KUNIT_EXPECT_EQ(test, t->done, 0);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.gets, 1ull);
	KUNIT_EXPECT_EQ(test, s.bytes_out, 5ull);
}

/* A value in the written log: read queued, done called, then checked. */
static void get_async_log(struct kunit *test)
{
	static const u32 lbs[] = { 512, 4096 };
	const u32 len = 3000;
	u8 *val = kunit_kmalloc(test, len, GFP_KERNEL);
	struct cesium_store_stats s;
	u64 reads;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, val);
	memset(val, 0xa5, len);
	for (i = 0; i < ARRAY_SIZE(lbs); i++) {
		struct store_ctx *c = ga_setup(test, lbs[i]);
		struct ga_get *t = ga_new(test, c, "big", len);

		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "big", 3, val,
						       len, 0,
						       CESIUM_DURABILITY_SYNC),
				0);
		reads = atomic64_read(&c->be->stats.reads);
		KUNIT_EXPECT_EQ(test,
				cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
				-EIOCBQUEUED);
		KUNIT_EXPECT_EQ(test, t->done, 1);
		KUNIT_EXPECT_EQ(test, atomic64_read(&c->be->stats.reads),
				reads + 1);
		KUNIT_EXPECT_EQ(test, cesium_get_async_finish(&t->g), 0);
		ga_expect_value(test, t, val, len);
		cesium_get_async_end(&t->g, 0);
		cesium_store_stats(c->st, &s);
		KUNIT_EXPECT_EQ(test, s.gets, 1ull);
		KUNIT_EXPECT_EQ(test, s.bytes_out, (u64)len);
	}
}

/*
 * A value in the pending batch is read from memory, under the log's lock:
 * CESIUM_GET_NOWAIT refuses it, and so a contended index lock.
 */
static void get_async_nowait(struct kunit *test)
{
	struct store_ctx *c = ga_setup(test, 512);
	struct ga_get *t = ga_new(test, c, "p", 1000);
	u8 *val = ga_bytes(test, 3, 1000);
	struct cesium_store_stats s;

	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "p", 1, val, 1000, 0,
					       CESIUM_DURABILITY_NONE), 0);
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			-EAGAIN);
	KUNIT_EXPECT_NULL(test, t->g.io_buf);
	KUNIT_EXPECT_NULL(test, t->g.value);
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, 0), 0);
	ga_expect_value(test, t, val, 1000);
	cesium_get_async_end(&t->g, 0);
	KUNIT_EXPECT_EQ(test, t->done, 0);

	down_write(&c->st->index_lock);
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			-EAGAIN);
	up_write(&c->st->index_lock);
	/* What was refused is not counted. */
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.gets, 1ull);
}

static void get_async_errors(struct kunit *test)
{
	struct store_ctx *c = ga_setup(test, 512);
	struct ga_get *t = ga_new(test, c, "nope", 100);
	u8 *val = ga_bytes(test, 9, 500);
	struct cesium_store_stats s;

	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			-ENOENT);
	cesium_get_async_end(&t->g, -ENOENT);

	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "v", 1, val, 500, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	t = ga_new(test, c, "v", 10);
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, t->g.value_len, 500u);
	cesium_get_async_end(&t->g, -EOVERFLOW);

	/* A device that fails the read. */
	t = ga_new(test, c, "v", 500);
	cesium_mem_backend_set_fail(c->be, true, false);
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			-EIOCBQUEUED);
	cesium_mem_backend_set_fail(c->be, false, false);
	KUNIT_EXPECT_EQ(test, t->done, 1);
	KUNIT_EXPECT_EQ(test, cesium_get_async_finish(&t->g), -EIO);
	cesium_get_async_end(&t->g, -EIO);

	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.gets, 3ull);
	KUNIT_EXPECT_EQ(test, s.bytes_out, 0ull);
}

/* A damaged record is reported and counted, never returned. */
static void get_async_damaged(struct kunit *test)
{
	struct store_ctx *c = ga_setup(test, 512);
	struct ga_get *t = ga_new(test, c, "k", 1000);
	u8 *blk = ga_bytes(test, 0, 4096);
	u8 *val = ga_bytes(test, 7, 1000);
	struct cesium_store_stats s;

	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "k", 1, val, 1000, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	KUNIT_ASSERT_EQ(test, cesium_be_read(c->be, 2 * 4096, blk, 4096), 0);
	blk[CESIUM_LOG_HDR_BYTES + 24 + 1 + 500] ^= 1;
	KUNIT_ASSERT_EQ(test, cesium_be_write(c->be, 2 * 4096, blk, 4096, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			-EIOCBQUEUED);
	KUNIT_EXPECT_EQ(test, cesium_get_async_finish(&t->g), -EUCLEAN);
	cesium_get_async_end(&t->g, -EUCLEAN);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.checksum_errors, 1ull);
}

/*
 * The key is written again between the read and the check, and the bytes
 * read no longer match (as when the cleaner reuses the space): the get
 * follows the index to the new value, in the log or inline, and counts no
 * damage.
 */
static void get_async_moved(struct kunit *test)
{
	struct store_ctx *c = ga_setup(test, 512);
	u8 *a = ga_bytes(test, 'a', 1000);
	u8 *b = ga_bytes(test, 'b', 1200);
	struct cesium_store_stats s;
	struct ga_get *t;

	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "m", 1, a, 1000, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	t = ga_new(test, c, "m", 4096);
	KUNIT_ASSERT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			-EIOCBQUEUED);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "m", 1, b, 1200, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	t->g.io_buf[t->g.v.addr - t->g.io_start + 40] ^= 0xff;
	KUNIT_EXPECT_EQ(test, cesium_get_async_finish(&t->g), 0);
	ga_expect_value(test, t, b, 1200);
	cesium_get_async_end(&t->g, 0);

	t = ga_new(test, c, "m", 4096);
	KUNIT_ASSERT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			-EIOCBQUEUED);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "m", 1, "tiny", 4, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	t->g.io_buf[t->g.v.addr - t->g.io_start + 40] ^= 0xff;
	KUNIT_EXPECT_EQ(test, cesium_get_async_finish(&t->g), 0);
	ga_expect_value(test, t, "tiny", 4);
	cesium_get_async_end(&t->g, 0);

	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.checksum_errors, 0ull);
	KUNIT_EXPECT_EQ(test, s.gets, 2ull);
}

/* A value in the hot-item cache: done at once, no device read. */
static void get_async_cached(struct kunit *test)
{
	struct store_ctx *c = ga_setup(test, 512);
	u8 *a = ga_bytes(test, 'c', 3000);
	struct ga_get *t;
	u64 reads;
	int i;

	cesium_store_set_cache_bytes(c->st, 1 << 20);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "h", 1, a, 3000, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	/*
	 * The first two gets read it from the device; the second caches it
	 * (the cache's doorkeeper declines a value at its first miss).
	 */
	for (i = 0; i < 2; i++) {
		t = ga_new(test, c, "h", 4096);
		KUNIT_ASSERT_EQ(test, cesium_get_async_start(&t->g, 0),
				-EIOCBQUEUED);
		KUNIT_ASSERT_EQ(test, cesium_get_async_finish(&t->g), 0);
		cesium_get_async_end(&t->g, 0);
	}
	reads = atomic64_read(&c->be->stats.reads);
	t = ga_new(test, c, "h", 4096);
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			0);
	ga_expect_value(test, t, a, 3000);
	cesium_get_async_end(&t->g, 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->be->stats.reads), reads);
}

/*
 * A device that stopped answering: the get is -EIO and the store turns
 * failed, as after a synchronous get; the next get is -EIO at once and not
 * counted.
 */
static void get_async_dead_device(struct kunit *test)
{
	struct store_ctx *c = ga_setup(test, 512);
	u8 *val = ga_bytes(test, 'x', 1000);
	struct ga_get *t = ga_new(test, c, "x", 1000);
	struct cesium_store_stats s;
	struct cesium_store_info si;

	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "x", 1, val, 1000, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	cesium_mem_backend_set_fail(c->be, true, true);
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			-EIOCBQUEUED);
	KUNIT_EXPECT_EQ(test, cesium_get_async_finish(&t->g), -EIO);
	cesium_get_async_end(&t->g, -EIO);
	cesium_store_info(c->st, &si);
	KUNIT_EXPECT_EQ(test, si.state, CESIUM_STORE_FAILED);

	t = ga_new(test, c, "x", 1000);
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			-EIO);
	cesium_get_async_end(&t->g, -EIO);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.gets, 1ull);
	cesium_mem_backend_set_fail(c->be, false, false);
}

/* What a get reads from the pending batch is not cached: only the device's. */
static void get_async_pending_not_cached(struct kunit *test)
{
	struct store_ctx *c = ga_setup(test, 512);
	u8 *val = ga_bytes(test, 'n', 1000);
	struct ga_get *t = ga_new(test, c, "n", 1000);
	struct cesium_cache_stats cs;

	cesium_store_set_cache_bytes(c->st, 1 << 20);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "n", 1, val, 1000, 0,
					       CESIUM_DURABILITY_NONE), 0);
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, 0), 0);
	ga_expect_value(test, t, val, 1000);
	cesium_get_async_end(&t->g, 0);
	cesium_store_cache_stats(c->st, &cs);
	KUNIT_EXPECT_EQ(test, cs.entries, 0ull);
}

/* A device queue that was full for a REQ_NOWAIT read. */
static int ga_again_read_async(struct cesium_backend *be,
			       struct cesium_io_req *req, u64 off, void *buf,
			       size_t len, unsigned int flags)
{
	req->end(req, -EAGAIN);
	return 0;
}

/* A read that ended -EAGAIN is done again, waiting, in finish. */
static void get_async_again(struct kunit *test)
{
	struct store_ctx *c = ga_setup(test, 4096);
	struct cesium_backend_ops *ops = kunit_kmalloc(test, sizeof(*ops),
							GFP_KERNEL);
	const struct cesium_backend_ops *saved = c->be->ops;
	u8 *val = ga_bytes(test, 'q', 2000);
	struct ga_get *t = ga_new(test, c, "q", 2000);

	KUNIT_ASSERT_NOT_NULL(test, ops);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "q", 1, val, 2000, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	*ops = *saved;
	ops->read_async = ga_again_read_async;
	c->be->ops = ops;
	KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, CESIUM_GET_NOWAIT),
			-EIOCBQUEUED);
	c->be->ops = saved;
	KUNIT_EXPECT_EQ(test, t->done, 1);
	KUNIT_EXPECT_EQ(test, cesium_get_async_finish(&t->g), 0);
	ga_expect_value(test, t, val, 2000);
	cesium_get_async_end(&t->g, 0);
}

/*
 * Gets of values in the log reuse their buffers (bufpool.c): a get of a
 * value that fits the pool's buffers leaves two (the record's blocks and
 * the value) for the next, which takes them as they are, older bytes and
 * all; what it returns is its own value, whole. A larger value's buffers
 * are not the pool's.
 */
static void get_async_pooled(struct kunit *test)
{
	static const u32 lens[] = { 4000, 3000, 200, 20000, 700 };
	struct store_ctx *c = ga_setup(test, 512);
	char key[4];
	u8 *val;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		snprintf(key, sizeof(key), "k%u", i);
		val = ga_bytes(test, 0x10 + i, lens[i]);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 2, val,
						       lens[i], 0,
						       CESIUM_DURABILITY_SYNC),
				0);
	}
	KUNIT_EXPECT_EQ(test, c->st->get_bufs.nr, 0u);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		struct ga_get *t;

		snprintf(key, sizeof(key), "k%u", i);
		t = ga_new(test, c, key, 32768);
		KUNIT_EXPECT_EQ(test, cesium_get_async_start(&t->g, 0),
				-EIOCBQUEUED);
		KUNIT_EXPECT_EQ(test, t->g.io_pooled, lens[i] < 8000);
		KUNIT_EXPECT_EQ(test, t->g.value_pooled, lens[i] < 8000);
		KUNIT_EXPECT_EQ(test, cesium_get_async_finish(&t->g), 0);
		ga_expect_value(test, t, ga_bytes(test, 0x10 + i, lens[i]),
				lens[i]);
		cesium_get_async_end(&t->g, 0);
		KUNIT_EXPECT_EQ(test, c->st->get_bufs.nr, 2u);
	}
}

static struct kunit_case cesium_get_async_cases[] = {
	KUNIT_CASE(get_async_inline),
	KUNIT_CASE(get_async_log),
	KUNIT_CASE(get_async_nowait),
	KUNIT_CASE(get_async_errors),
	KUNIT_CASE(get_async_damaged),
	KUNIT_CASE(get_async_moved),
	KUNIT_CASE(get_async_again),
	KUNIT_CASE(get_async_cached),
	KUNIT_CASE(get_async_dead_device),
	KUNIT_CASE(get_async_pending_not_cached),
	KUNIT_CASE(get_async_pooled),
	{}
};

static struct kunit_suite cesium_get_async_suite = {
	.name = "cesium_get_async",
	.exit = store_teardown,
	.test_cases = cesium_get_async_cases,
};
kunit_test_suite(cesium_get_async_suite);
