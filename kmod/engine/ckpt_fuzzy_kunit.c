// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of fuzzy checkpoints (ckpt.c): writers that change segments
 * between a checkpoint's stretches leave them dirty, the checkpoint names
 * their last copies and replay starts at its first batch. A test hook runs
 * the writes between two stretches, so each case is the same every run.
 * What it checks, after a power cut: no value lost or older than the last
 * one written, where
 *  - segments written in a stretch were overwritten after it (stale copies);
 *  - two segments written in a stretch merged, so the copy of the one left
 *    would not hold the other's keys;
 *  - the first key of the segment after them was deleted and put again,
 *    into the merged one: the stale copy of its old segment would hold it
 *    too, and attach would find the key twice;
 *  - a segment written in a stretch split (new segments, no copy).
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "../io/backend.h"
#include "store_int.h"
#include "store_kunit.h"

#define FZ_KEYS		24000	/* 100-byte values: about 3 MiB of segments */
#define FZ_LEN		100
#define FZ_SPLIT_KEYS	60	/* 115-byte entries: more than a segment */

struct fz_ctx {
	struct kunit *test;
	struct cesium_store *st;
	u32 *ver;		/* version of key i, 0: deleted */
	u8 *v;
	u8 *img;
	bool done;
};

static void fz_key(char *key, u32 i)
{
	snprintf(key, 8, "k%05u", i);
}

static void fz_value(u8 *v, u32 i, u32 ver)
{
	u32 k;

	for (k = 0; k < FZ_LEN; k++)
		v[k] = (u8)(i * 31 + ver * 7 + k);
}

static void fz_put(struct fz_ctx *f, u32 i)
{
	char key[8];

	fz_key(key, i);
	fz_value(f->v, i, ++f->ver[i]);
	KUNIT_EXPECT_EQ(f->test, cesium_store_put(f->st, 0, key, 6, f->v, FZ_LEN,
						  0, CESIUM_DURABILITY_NONE), 0);
}

static void fz_delete(struct fz_ctx *f, u32 i)
{
	char key[8];

	fz_key(key, i);
	KUNIT_EXPECT_EQ(f->test, cesium_store_delete(f->st, 0, key, 6, 0,
						     CESIUM_DURABILITY_NONE), 0);
	f->ver[i] = 0;
}

/* The number in the first key of segment @seg (the caller keeps writers out). */
static u32 fz_first_key(struct fz_ctx *f, u32 seg)
{
	struct cesium_index *idx = &f->st->ns_vec[0]->idx;
	u32 len = cesium_index_seg_image(idx, seg, f->img), off, i, n = 0;
	const u8 *e;

	/* slot 0 follows the 16-byte header; images have no gap */
	off = get_unaligned_le16(f->img + 16) - (idx->seg_bytes - len);
	e = f->img + off;
	/* a split key (longer) counts as the key it follows */
	for (i = 2; i < 7; i++)
		n = n * 10 + e[i] - '0';
	return n;
}

/* The split: keys after "k00005" in its segment, written in a stretch. */
static void fz_split_key(char *key, u32 j)
{
	snprintf(key, 12, "k00005x%03u", j);
}

/*
 * Between the first two stretches: what the file's comment lists. It runs
 * inside the checkpoint, which holds maint_lock: it expects, never asserts.
 */
static void fz_hook(struct cesium_store *st, void *arg)
{
	struct fz_ctx *f = arg;
	struct cesium_index *idx = &st->ns_vec[0]->idx;
	u32 nr = cesium_index_nr_segments(idx), a, b, c, j, i;
	char key[12];

	if (f->done)
		return;
	f->done = true;
	/* Stale copies: the first stretch wrote these segments. */
	for (i = 0; i < 100; i++)
		fz_put(f, i);
	/* Segments 20 and 21 (written) shrink until they merge. */
	a = fz_first_key(f, 20);
	b = fz_first_key(f, 21);
	c = fz_first_key(f, 22);
	for (i = a + 1; i < c; i++)
		if (i != b)
			fz_delete(f, i);
	KUNIT_EXPECT_LT(f->test, cesium_index_nr_segments(idx), nr);
	/* The first key of the segment after them moves into them. */
	fz_delete(f, c);
	fz_put(f, c);
	/* The segment of k00005 splits. */
	for (j = 0; j < FZ_SPLIT_KEYS; j++) {
		fz_split_key(key, j);
		memset(f->v, j, FZ_LEN);
		KUNIT_EXPECT_EQ(f->test,
				cesium_store_put(st, 0, key, strlen(key), f->v,
						 FZ_LEN, 0,
						 CESIUM_DURABILITY_NONE), 0);
	}
}

static void fz_expect(struct fz_ctx *f)
{
	u8 *buf = kunit_kmalloc(f->test, FZ_LEN + 1, GFP_KERNEL);
	char key[12];
	u32 i, len;

	KUNIT_ASSERT_NOT_NULL(f->test, buf);
	for (i = 0; i < FZ_KEYS; i++) {
		fz_key(key, i);
		if (!f->ver[i]) {
			KUNIT_EXPECT_EQ(f->test,
					cesium_store_get(f->st, 0, key, 6, buf,
							 FZ_LEN, &len), -ENOENT);
			continue;
		}
		fz_value(f->v, i, f->ver[i]);
		expect_value(f->test, f->st, 0, key, f->v, FZ_LEN);
	}
	for (i = 0; i < FZ_SPLIT_KEYS; i++) {
		fz_split_key(key, i);
		memset(f->v, i, FZ_LEN);
		expect_value(f->test, f->st, 0, key, f->v, FZ_LEN);
	}
}

static void ckpt_fuzzy(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 4096);
	struct cesium_store_stats s;
	u64 fuzzy_read;
	struct fz_ctx *f;
	u32 i, dirty;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->test = test;
	f->st = c->st;
	f->ver = kunit_kcalloc(test, FZ_KEYS, sizeof(*f->ver), GFP_KERNEL);
	f->v = kunit_kmalloc(test, FZ_LEN, GFP_KERNEL);
	f->img = kunit_kmalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, f->ver && f->v && f->img);
	cesium_store_pause_maint(c->st, true);
	for (i = 0; i < FZ_KEYS; i++)
		fz_put(f, i);
	KUNIT_ASSERT_EQ(test, cesium_checkpoint(c->st), 0);
	/* The first half dirty: the stretches write it, the hook comes after 1 MiB. */
	for (i = 0; i < FZ_KEYS / 2; i++)
		fz_put(f, i);
	c->st->ckpt_hold_segs = 0;
	c->st->ckpt_hook = fz_hook;
	c->st->ckpt_hook_arg = f;
	KUNIT_ASSERT_EQ(test, cesium_checkpoint(c->st), 0);
	c->st->ckpt_hook = NULL;
	KUNIT_ASSERT_TRUE(test, f->done);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.checkpoints_fuzzy, 1ull);
	/* The segments overwritten after their stretch wait for the next one. */
	dirty = cesium_index_nr_dirty(&c->st->ns_vec[0]->idx);
	KUNIT_EXPECT_GT(test, dirty, 0u);
	fz_expect(f);

	/* Power cut: replay from the checkpoint's first batch. */
	KUNIT_ASSERT_EQ(test, cesium_store_sync(c->st), 0);
	cesium_store_drop(c->st);
	c->st = NULL;
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	f->st = c->st;
	cesium_store_pause_maint(c->st, true);
	fz_expect(f);
	cesium_store_stats(c->st, &s);
	fuzzy_read = s.recovery_bytes;

	/* Writers out: the next checkpoint is whole, and so is its replay. */
	for (i = FZ_KEYS / 2; i < FZ_KEYS / 2 + 100; i++)
		fz_put(f, i);
	KUNIT_ASSERT_EQ(test, cesium_checkpoint(c->st), 0);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.checkpoints_fuzzy, 0ull);
	KUNIT_EXPECT_EQ(test, cesium_index_nr_dirty(&c->st->ns_vec[0]->idx), 0u);
	cesium_store_drop(c->st);
	c->st = NULL;
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	f->st = c->st;
	fz_expect(f);
	/* The fuzzy one's replay read its segments again, this one's not. */
	cesium_store_stats(c->st, &s);
	kunit_info(test, "%u segments left dirty; recovery read %llu KiB after the fuzzy checkpoint, %llu KiB after the whole one\n",
		   dirty, fuzzy_read >> 10, s.recovery_bytes >> 10);
	KUNIT_EXPECT_GT(test, fuzzy_read, s.recovery_bytes + MIB);
}

static struct kunit_case cesium_ckpt_fuzzy_cases[] = {
	KUNIT_CASE(ckpt_fuzzy),
	{}
};

static struct kunit_suite cesium_ckpt_fuzzy_suite = {
	.name = "cesium_ckpt_fuzzy",
	.exit = store_teardown,
	.test_cases = cesium_ckpt_fuzzy_cases,
};
kunit_test_suite(cesium_ckpt_fuzzy_suite);
