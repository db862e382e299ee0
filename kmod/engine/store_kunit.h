/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the store's KUnit suites share: a formatted, attached store on a
 * memory device per test, torn down by the suite's .exit.
 */
#ifndef _CESIUM_ENGINE_STORE_KUNIT_H
#define _CESIUM_ENGINE_STORE_KUNIT_H

#include <kunit/test.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "../io/backend.h"
#include "store.h"

#define MIB (1024 * 1024)

struct store_ctx {
	struct cesium_backend *be;
	struct cesium_store *st;
};

/* Close the test's store and free its device (also the case's .exit). */
static inline void store_teardown(struct kunit *test)
{
	struct store_ctx *c = test->priv;

	if (!c)
		return;
	if (c->st)
		cesium_store_close(c->st);
	if (c->be)
		cesium_be_release(c->be);
	test->priv = NULL;
}

/*
 * A formatted, attached store on a fresh memory device, committing every
 * @commit_ms; one per test.
 */
static inline struct store_ctx *store_setup_commit(struct kunit *test,
						   u64 bytes, u32 lbs,
						   u32 commit_ms)
{
	enum cesium_signature sig;
	struct store_ctx *c;

	store_teardown(test);
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	test->priv = c;
	c->be = cesium_mem_backend_create(bytes, lbs);
	KUNIT_ASSERT_NOT_NULL(test, c->be);
	KUNIT_ASSERT_EQ(test, cesium_store_format(c->be, false, &sig), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, commit_ms, &c->st), 0);
	return c;
}

/* The same with the 5 ms group commit the module uses by default. */
static inline struct store_ctx *store_setup(struct kunit *test, u64 bytes, u32 lbs)
{
	return store_setup_commit(test, bytes, lbs, 5);
}

static inline void store_reopen(struct kunit *test, struct store_ctx *c)
{
	KUNIT_ASSERT_EQ(test, cesium_store_close(c->st), 0);
	c->st = NULL;
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
}

static inline void expect_value(struct kunit *test, struct cesium_store *st, u64 ns,
			 const char *key, const void *want, u32 want_len)
{
	u8 *buf = kvmalloc(want_len + 1, GFP_KERNEL);
	u32 len = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, cesium_store_get(st, ns, key, strlen(key), buf,
					       want_len + 1, &len), 0);
	KUNIT_EXPECT_EQ(test, len, want_len);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, want_len), 0);
	kvfree(buf);
}

/*
 * Start @nr workers running @fn, on the works at @works, @stride bytes
 * apart, each on a WQ_UNBOUND workqueue of its own (@wq[i]), and wait until
 * each has moved the u64 @counter_off bytes into its work's struct off 0:
 * the workers are at work when this returns.
 */
static inline void store_start_workers(struct kunit *test,
				       struct workqueue_struct **wq, u32 nr,
				       void *works, size_t stride,
				       size_t counter_off, work_func_t fn)
{
	u32 n, i;

	for (n = 0; n < nr; n++) {
		struct work_struct *w = works + n * stride;

		wq[n] = alloc_workqueue("cesium_kt%u", WQ_UNBOUND, 1, n);
		KUNIT_ASSERT_NOT_NULL(test, wq[n]);
		INIT_WORK(w, fn);
		queue_work(wq[n], w);
	}
	for (n = 0; n < nr; n++) {
		const u64 *counter = works + n * stride + counter_off;

		for (i = 0; !READ_ONCE(*counter) && i < 1000000; i++)
			cond_resched();
	}
}

#endif /* _CESIUM_ENGINE_STORE_KUNIT_H */
