// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of checkpoints, recovery and the log cleaner over the memory
 * backend: a detach checkpoints and the next attach reads the index, not
 * the log; a crash replays only the tail; overwrites that write the device
 * over several times never run out of space and lose nothing; a damaged
 * batch in the middle of the log is reported and skipped, while one that
 * was never durable ends the log.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../io/backend.h"
#include "format.h"
#include "store.h"
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
						  CESIUM_DURABILITY_SYNC), 0);
	cesium_store_drop(c->st);
	c->st = NULL;
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	for (i = 0; i < 2000; i++) {
		u32 round = i % 3 ? 0 : 1;

		ckpt_key(key, i);
		if (i == 1) {
			KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0,
								  key, 6), 0);
			continue;
		}
		ckpt_value(v, ckpt_len(i), i, round);
		expect_value(test, c->st, 0, key, v, ckpt_len(i));
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
	for (round = 0; round <= last; round++) {
		for (i = 0; i < nr; i++) {
			ckpt_key(key, i);
			ckpt_value(v, 2000, i, round);
			KUNIT_ASSERT_EQ(test,
					cesium_store_put(c->st, 0, key, 6, v,
							 2000, 0, 0), 0);
		}
	}
	for (i = 0; i < nr; i++) {
		ckpt_key(key, i);
		ckpt_value(v, 2000, i, last);
		expect_value(test, c->st, 0, key, v, 2000);
	}
	/* Half the keys go; the cleaner gives their space back. */
	for (i = 0; i < nr; i += 2) {
		ckpt_key(key, i);
		KUNIT_ASSERT_EQ(test, cesium_store_delete(c->st, 0, key, 6, 0),
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
								  key, 6), 0);
			continue;
		}
		ckpt_value(v, 2000, i, last);
		expect_value(test, c->st, 0, key, v, 2000);
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
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "b", 1), 0);
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
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "a", 1), 1);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "b", 1), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "c", 1), 0);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.damaged_batches, 0ull);
	kvfree(v);
}

static struct kunit_case cesium_ckpt_cases[] = {
	KUNIT_CASE(ckpt_recovery),
	KUNIT_CASE(ckpt_gc_overwrite),
	KUNIT_CASE(ckpt_mid_log_damage),
	KUNIT_CASE(ckpt_unflushed_damage),
	{}
};

static struct kunit_suite cesium_ckpt_suite = {
	.name = "cesium_ckpt",
	.exit = store_teardown,
	.test_cases = cesium_ckpt_cases,
};
kunit_test_suite(cesium_ckpt_suite);
