// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit test of the lockless read path: readers on two workqueues get and
 * check keys while the test's thread puts, overwrites and deletes them,
 * inline and in the log, splitting and merging index segments all the
 * while. Every value a reader gets must be one that was put for its key;
 * nothing else may come back. Under KASAN this also shows that no reader
 * strays outside the memory it reaches.
 */
#include <kunit/test.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "../io/backend.h"
#include "store.h"
#include "store_kunit.h"

#define RD_KEYS		2000
#define RD_WRITES	60000
#define RD_READERS	2

struct rd_reader {
	struct work_struct work;
	struct cesium_store *st;
	u32 seed;
	const bool *stop;
	u64 gets, found, bad;
	char why[64];
};

/* The value of key @i at version @ver: its length and its bytes. */
static u32 rd_len(u32 ver)
{
	static const u32 lens[] = { 8, 100, 40, 120, 700, 2500 };

	return lens[ver % ARRAY_SIZE(lens)];
}

static void rd_fill(u8 *v, u32 i, u32 ver)
{
	u32 k, len = rd_len(ver);

	memcpy(v, &i, 4);
	memcpy(v + 4, &ver, 4);
	for (k = 8; k < len; k++)
		v[k] = (u8)(i * 7 + ver * 13 + k);
}

static void rd_key(char *key, u32 i)
{
	snprintf(key, 8, "r%05u", i);
}

static u32 rd_next(u32 *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

static void rd_reader_fn(struct work_struct *work)
{
	struct rd_reader *r = container_of(work, struct rd_reader, work);
	u8 *buf = kmalloc(4096, GFP_KERNEL), *want = kmalloc(4096, GFP_KERNEL);
	u32 i, ver, len;
	char key[8];
	int ret;

	if (!buf || !want) {
		r->bad++;
		goto out;
	}
	while (!READ_ONCE(*r->stop)) {
		/* As a return to user space would: let the others run. */
		cond_resched();
		i = rd_next(&r->seed) % RD_KEYS;
		rd_key(key, i);
		ret = cesium_store_get(r->st, 0, key, 6, buf, 4096, &len);
		WRITE_ONCE(r->gets, r->gets + 1);
		if (ret == -ENOENT)
			continue;
		if (ret) {
			snprintf(r->why, sizeof(r->why), "get %s: %d", key, ret);
			r->bad++;
			continue;
		}
		memcpy(&ver, buf + 4, 4);
		rd_fill(want, i, ver);
		if (len != rd_len(ver) || memcmp(buf, want, len)) {
			snprintf(r->why, sizeof(r->why), "get %s: %u bytes, not version %u",
				 key, len, ver);
			r->bad++;
			continue;
		}
		r->found++;
		cesium_store_exists(r->st, 0, key, 6, 0);
	}
out:
	kfree(buf);
	kfree(want);
}

static void read_concurrent(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 4096);
	struct workqueue_struct *wq[RD_READERS];
	struct rd_reader *r;
	u32 *ver, n, i, seed = 1;
	bool stop = false;
	char key[8];
	u8 *v;
	int ret;

	r = kunit_kcalloc(test, RD_READERS, sizeof(*r), GFP_KERNEL);
	ver = kunit_kcalloc(test, RD_KEYS, sizeof(*ver), GFP_KERNEL);
	v = kunit_kmalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, ver);
	KUNIT_ASSERT_NOT_NULL(test, v);
	for (i = 0; i < RD_KEYS; i += 2) {
		rd_key(key, i);
		rd_fill(v, i, 0);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 6, v,
						       rd_len(0), 0,
						       CESIUM_DURABILITY_NONE),
				0);
	}
	for (n = 0; n < RD_READERS; n++) {
		r[n].st = c->st;
		r[n].seed = n + 17;
		r[n].stop = &stop;
	}
	/* The readers are at work before the writes start. */
	store_start_workers(test, wq, RD_READERS, r, sizeof(*r),
			    offsetof(struct rd_reader, gets), rd_reader_fn);
	for (n = 0; n < RD_WRITES; n++) {
		if (n % 64 == 0)
			cond_resched();
		i = rd_next(&seed) % RD_KEYS;
		rd_key(key, i);
		if (rd_next(&seed) % 8 == 0) {
			ret = cesium_store_delete(c->st, 0, key, 6,
						  0, CESIUM_DURABILITY_NONE);
			KUNIT_EXPECT_TRUE(test, !ret || ret == -ENOENT);
			continue;
		}
		rd_fill(v, i, ++ver[i]);
		KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, key, 6, v,
						       rd_len(ver[i]), 0,
						       CESIUM_DURABILITY_NONE),
				0);
	}
	WRITE_ONCE(stop, true);
	for (n = 0; n < RD_READERS; n++) {
		destroy_workqueue(wq[n]);
		kunit_info(test, "reader %u: %llu gets, %llu found\n", n,
			   r[n].gets, r[n].found);
		KUNIT_EXPECT_EQ_MSG(test, r[n].bad, 0ull, "%s", r[n].why);
		KUNIT_EXPECT_GT(test, r[n].found, 0ull);
	}
}

static struct kunit_case cesium_read_cases[] = {
	KUNIT_CASE(read_concurrent),
	{}
};

static struct kunit_suite cesium_read_suite = {
	.name = "cesium_read",
	.exit = store_teardown,
	.test_cases = cesium_read_cases,
};
kunit_test_suite(cesium_read_suite);
