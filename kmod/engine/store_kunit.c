// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the store over the memory backend: operations, recovery
 * after close, torn log tails, damaged records, a full device, write
 * errors, signatures. Checkpoints and the cleaner: ckpt_kunit.c.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../io/backend.h"
#include "format.h"
#include "store.h"
#include "store_int.h"
#include "store_kunit.h"

/* Bytes of the live keys and values (sysfs data_bytes). */
static u64 store_data_bytes(struct cesium_store *st)
{
	struct cesium_store_info info;

	cesium_store_info(st, &info);
	return info.data_bytes;
}

static void store_put_get_delete(struct kunit *test)
{
	static const u32 lbs[] = { 512, 4096 };
	static const u8 small[8] = "abcdefg";
	const u32 big_len = 3000;
	u8 *big = kunit_kmalloc(test, big_len, GFP_KERNEL);
	u32 i, len;

	KUNIT_ASSERT_NOT_NULL(test, big);
	memset(big, 0x5a, big_len);
	for (i = 0; i < ARRAY_SIZE(lbs); i++) {
		struct store_ctx *c = store_setup(test, 4 * MIB, lbs[i]);
		u8 buf[16];

		KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "s", 1, small,
						       8, 0, 0), 0);
		KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "b", 1, big,
						       big_len, 0, 0), 0);
		KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 1, "s", 1, "x", 1,
						       0, 0), 0);
		expect_value(test, c->st, 0, "s", small, 8);
		expect_value(test, c->st, 0, "b", big, big_len);
		expect_value(test, c->st, 1, "s", "x", 1);
		KUNIT_EXPECT_EQ(test, store_data_bytes(c->st),
				(u64)(1 + 8) + (1 + big_len) + (1 + 1));
		/* An overwrite counts the new value only. */
		KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "s", 1, small,
						       8, 0, 0), 0);
		KUNIT_EXPECT_EQ(test, store_data_bytes(c->st),
				(u64)(1 + 8) + (1 + big_len) + (1 + 1));
		/* Too small a buffer: the length needed comes back. */
		KUNIT_EXPECT_EQ(test, cesium_store_get(c->st, 0, "b", 1, buf,
						       sizeof(buf), &len),
				-EOVERFLOW);
		KUNIT_EXPECT_EQ(test, len, big_len);
		KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "s", 1, 0), 1);
		KUNIT_EXPECT_EQ(test, cesium_store_delete(c->st, 0, "s", 1, 0, 0), 0);
		KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "s", 1, 0), 0);
		KUNIT_EXPECT_EQ(test, cesium_store_delete(c->st, 0, "s", 1, 0, 0),
				-ENOENT);
		KUNIT_EXPECT_EQ(test, cesium_store_get(c->st, 0, "s", 1, buf,
						       sizeof(buf), &len),
				-ENOENT);
		/* The other namespace is untouched. */
		expect_value(test, c->st, 1, "s", "x", 1);

		KUNIT_EXPECT_EQ(test, store_data_bytes(c->st),
				(u64)(1 + big_len) + (1 + 1));
		store_reopen(test, c);
		expect_value(test, c->st, 0, "b", big, big_len);
		expect_value(test, c->st, 1, "s", "x", 1);
		KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "s", 1, 0), 0);
		/* Counted again from the index at attach. */
		KUNIT_EXPECT_EQ(test, store_data_bytes(c->st),
				(u64)(1 + big_len) + (1 + 1));
	}
}

static void store_flags_and_limits(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 4 * MIB, 512);
	u8 key[CESIUM_STORE_KEY_MAX + 1];

	memset(key, 'k', sizeof(key));
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, key, 0, "v", 1, 0, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, key, sizeof(key), "v",
					       1, 0, 0), -E2BIG);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, key, sizeof(key) - 1,
					       "v", 1, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, key, 1, "v",
					       CESIUM_STORE_VALUE_MAX + 1, 0, 0),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "n", 1, "1", 1,
					       CESIUM_ST_UPDATE_ONLY, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "n", 1, "1", 1,
					       CESIUM_ST_NO_OVERWRITE, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "n", 1, "2", 1,
					       CESIUM_ST_NO_OVERWRITE, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "n", 1, "3", 1,
					       CESIUM_ST_UPDATE_ONLY,
					       CESIUM_DURABILITY_SYNC), 0);
	expect_value(test, c->st, 0, "n", "3", 1);
}

/* Chop the log after its first batch: recovery keeps exactly that batch. */
static void store_torn_tail(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 4 * MIB, 512);
	struct cesium_store_stats s;
	u8 *blk = kunit_kmalloc(test, 4096, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, blk);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "a", 1, "1", 1, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "b", 1, "2", 1, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	/* A crash, not a detach: no checkpoint covers the log. */
	cesium_store_drop(c->st);
	c->st = NULL;
	/* The second batch is the block after the first (block 3). */
	KUNIT_ASSERT_EQ(test, cesium_be_read(c->be, 3 * 4096, blk, 4096), 0);
	blk[CESIUM_LOG_HDR_BYTES + 4] ^= 0xff;
	KUNIT_ASSERT_EQ(test, cesium_be_write(c->be, 3 * 4096, blk, 4096, 0), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	expect_value(test, c->st, 0, "a", "1", 1);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "b", 1, 0), 0);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_GT(test, s.recovery_bytes, 0ull);
	/* Writing goes on from the torn batch's place. */
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "c", 1, "3", 1, 0, 0), 0);
	store_reopen(test, c);
	expect_value(test, c->st, 0, "c", "3", 1);
}

/* A damaged value record is reported, never returned. */
static void store_damaged_record(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 4 * MIB, 512);
	u8 *blk = kunit_kmalloc(test, 4096, GFP_KERNEL);
	u8 *big = kunit_kmalloc(test, 1000, GFP_KERNEL);
	struct cesium_store_stats s;
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, blk);
	KUNIT_ASSERT_NOT_NULL(test, big);
	memset(big, 7, 1000);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "k", 1, big,
					       1000, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	KUNIT_ASSERT_EQ(test, cesium_be_read(c->be, 2 * 4096, blk, 4096), 0);
	blk[CESIUM_LOG_HDR_BYTES + 24 + 1 + 500] ^= 1;
	KUNIT_ASSERT_EQ(test, cesium_be_write(c->be, 2 * 4096, blk, 4096, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_get(c->st, 0, "k", 1, big,
					       1000, &len), -EUCLEAN);
	cesium_store_stats(c->st, &s);
	KUNIT_EXPECT_EQ(test, s.checksum_errors, 1ull);
}

static void store_full_device(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 1 * MIB, 4096);
	static u8 val[64 * 1024];
	char key[8];
	int i, ret = 0;

	for (i = 0; i < 100 && !ret; i++) {
		snprintf(key, sizeof(key), "k%03d", i);
		ret = cesium_store_put(c->st, 0, key, 4, val, sizeof(val), 0, 0);
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_GT(test, i, 5);
	/* Everything acknowledged before is there, also after a reopen. */
	store_reopen(test, c);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "k000", 4, 0), 1);
	snprintf(key, sizeof(key), "k%03d", i - 2);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, key, 4, 0), 1);
	snprintf(key, sizeof(key), "k%03d", i - 1);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, key, 4, 0), 0);
}

static void store_write_error(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 4 * MIB, 512);
	struct cesium_store_info info;

	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "a", 1, "1", 1, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	cesium_mem_backend_set_fail(c->be, false, true);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "b", 1, "2", 1, 0,
					       CESIUM_DURABILITY_SYNC), -EIO);
	cesium_store_info(c->st, &info);
	KUNIT_EXPECT_EQ(test, info.state, CESIUM_STORE_READ_ONLY);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "c", 1, "3", 1, 0, 0),
			-EROFS);
	/* Reads go on. */
	expect_value(test, c->st, 0, "a", "1", 1);
	cesium_mem_backend_set_fail(c->be, false, false);
	KUNIT_EXPECT_NE(test, cesium_store_close(c->st), 0);
	c->st = NULL;
	KUNIT_ASSERT_EQ(test, cesium_store_open(c->be, 5, &c->st), 0);
	expect_value(test, c->st, 0, "a", "1", 1);
}

/* A device that stops answering: the store fails, -EIO, close returns. */
static void store_device_gone(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 4 * MIB, 512);
	struct cesium_store_info info;
	static u8 big[1000];
	u32 len;

	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "k", 1, big,
					       sizeof(big), 0,
					       CESIUM_DURABILITY_SYNC), 0);
	cesium_mem_backend_set_fail(c->be, true, true);
	KUNIT_EXPECT_EQ(test, cesium_store_get(c->st, 0, "k", 1, big,
					       sizeof(big), &len), -EIO);
	cesium_store_info(c->st, &info);
	KUNIT_EXPECT_EQ(test, info.state, CESIUM_STORE_FAILED);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "k", 1, 0), -EIO);
	KUNIT_EXPECT_EQ(test, cesium_store_put(c->st, 0, "a", 1, "1", 1, 0, 0),
			-EIO);
	KUNIT_EXPECT_EQ(test, cesium_store_sync(c->st), -EIO);
	KUNIT_EXPECT_NE(test, cesium_store_close(c->st), 0);
	c->st = NULL;
}

static void store_superblocks(struct kunit *test)
{
	struct cesium_backend *be = cesium_mem_backend_create(4 * MIB, 512);
	enum cesium_signature sig;
	struct cesium_store *st;
	u8 *blk = kunit_kzalloc(test, 4096, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, be);
	KUNIT_ASSERT_NOT_NULL(test, blk);
	KUNIT_EXPECT_EQ(test, cesium_store_open(be, 5, &st), -EMEDIUMTYPE);
	/* An ext4 magic: refused without force, named either way. */
	blk[1080] = 0x53;
	blk[1081] = 0xef;
	KUNIT_ASSERT_EQ(test, cesium_be_write(be, 0, blk, 4096, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_format(be, false, &sig), -EEXIST);
	KUNIT_EXPECT_EQ(test, sig, CESIUM_SIGNATURE_EXT);
	KUNIT_EXPECT_EQ(test, cesium_store_format(be, true, &sig), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_format(be, false, &sig), -EEXIST);
	KUNIT_EXPECT_EQ(test, sig, CESIUM_SIGNATURE_CESIUM);
	/* One damaged superblock: the other serves. Both: -EUCLEAN. */
	KUNIT_ASSERT_EQ(test, cesium_be_read(be, 0, blk, 4096), 0);
	blk[40] ^= 1;
	KUNIT_ASSERT_EQ(test, cesium_be_write(be, 0, blk, 4096, 0), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_open(be, 5, &st), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_close(st), 0);
	/* (closing wrote a checkpoint's superblock over the damaged one) */
	KUNIT_ASSERT_EQ(test, cesium_be_write(be, 0, blk, 4096, 0), 0);
	KUNIT_ASSERT_EQ(test, cesium_be_write(be, 4096, blk, 4096, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_open(be, 5, &st), -EUCLEAN);
	cesium_be_release(be);
}

/* A batch is all or nothing; scans see it in key order, both ways. */
static void store_batch_scan(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 4 * MIB, 512);
	struct cesium_batch_item it[3] = {
		{ .op = CESIUM_REC_PUT, .key = "b", .key_len = 1,
		  .value = "2", .value_len = 1 },
		{ .op = CESIUM_REC_PUT, .key = "a", .key_len = 1,
		  .value = "1", .value_len = 1 },
		{ .op = CESIUM_REC_DELETE, .key = "zz", .key_len = 2 },
	};
	struct cesium_scan_args a = { .end = "b", .end_len = 1 };
	struct cesium_scan_out_rec *r;
	u8 *buf = kunit_kzalloc(test, 256, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* Deleting a missing key fails the batch: nothing is applied. */
	KUNIT_EXPECT_EQ(test, cesium_store_batch(c->st, it, 3, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, it[2].result, -ENOENT);
	KUNIT_EXPECT_EQ(test, it[0].result, -ECANCELED);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "a", 1, 0), 0);
	/* Each operation sees the ones before it. */
	it[2].key = "a";
	it[2].key_len = 1;
	KUNIT_EXPECT_EQ(test, cesium_store_batch(c->st, it, 3, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "a", 1, 0), 0);
	expect_value(test, c->st, 0, "b", "2", 1);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "a", 1, "1", 1, 0, 0),
			0);
	KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, "c", 1, "3", 1, 0, 0),
			0);

	/* [start, "b"): only "a". */
	a.buf = buf;
	a.buf_len = 256;
	KUNIT_ASSERT_EQ(test, cesium_store_scan(c->st, &a), 0);
	KUNIT_EXPECT_EQ(test, a.nr, 1u);
	KUNIT_EXPECT_FALSE(test, a.more);
	r = (struct cesium_scan_out_rec *)buf;
	KUNIT_EXPECT_EQ(test, r->key_len, 1u);
	KUNIT_EXPECT_EQ(test, buf[sizeof(*r)], 'a');
	/* Reverse, everything, limit 2: "c" then "b", and more to come. */
	a.end_len = 0;
	a.limit = 2;
	a.flags = CESIUM_ST_SCAN_REVERSE;
	KUNIT_ASSERT_EQ(test, cesium_store_scan(c->st, &a), 0);
	KUNIT_EXPECT_EQ(test, a.nr, 2u);
	KUNIT_EXPECT_TRUE(test, a.more);
	KUNIT_EXPECT_EQ(test, buf[sizeof(*r)], 'c');
	KUNIT_EXPECT_EQ(test, buf[16 + sizeof(*r)], 'b');
	/* A buffer too small for the first record says what it needs. */
	a.buf_len = 4;
	KUNIT_EXPECT_EQ(test, cesium_store_scan(c->st, &a), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, a.bytes, 16u);
	/* The batch survives a reopen. */
	store_reopen(test, c);
	expect_value(test, c->st, 0, "b", "2", 1);
}

/* A scan of [@start, end of namespace 0) into @buf; its result. */
static int nowait_scan(struct cesium_store *st, const char *start,
		       unsigned int flags, u8 *buf, u32 *nr)
{
	struct cesium_scan_args a = {
		.start = start, .start_len = strlen(start),
		.flags = flags, .buf = buf, .buf_len = 4096,
	};
	int ret = cesium_store_scan(st, &a);

	*nr = a.nr;
	return ret;
}

/*
 * CESIUM_ST_NOWAIT (a uring_cmd's first issue): puts, deletes, exists and
 * scans that would wait for a lock, the device or sync durability answer
 * -EAGAIN, change nothing and count nothing; the rest run.
 */
static void store_nowait(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 4 * MIB, 512);
	u8 *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	u8 *big = kunit_kzalloc(test, 1000, GFP_KERNEL);
	const unsigned int nw = CESIUM_ST_NOWAIT;
	struct cesium_store_stats s0, s1;
	struct cesium_store *st = c->st;
	u32 nr;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, big);
	memset(big, 0x6b, 1000);
	cesium_store_set_cache_bytes(st, 0);
	KUNIT_ASSERT_EQ(test, cesium_store_put(st, 0, "i", 1, "inline", 6, nw,
					       CESIUM_DURABILITY_NONE), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_put(st, 0, "l", 1, big, 1000, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_put(st, 0, "s", 1, "v", 1, nw,
					       CESIUM_DURABILITY_SYNC), -EAGAIN);
	KUNIT_EXPECT_EQ(test, cesium_store_delete(st, 0, "i", 1, nw,
						  CESIUM_DURABILITY_SYNC),
			-EAGAIN);
	cesium_store_stats(st, &s0);

	/* A writer holds log.lock. */
	mutex_lock(&st->log.lock);
	KUNIT_EXPECT_EQ(test, cesium_store_put(st, 0, "i", 1, "x", 1, nw,
					       CESIUM_DURABILITY_NONE), -EAGAIN);
	KUNIT_EXPECT_EQ(test, cesium_store_delete(st, 0, "i", 1, nw,
						  CESIUM_DURABILITY_NONE),
			-EAGAIN);
	mutex_unlock(&st->log.lock);

	/* The index is being changed: lockless readers cannot finish. */
	cesium_index_write_begin(st);
	KUNIT_EXPECT_EQ(test, cesium_store_put(st, 0, "i", 1, "x", 1, nw,
					       CESIUM_DURABILITY_NONE), -EAGAIN);
	KUNIT_EXPECT_EQ(test, cesium_store_delete(st, 0, "i", 1, nw,
						  CESIUM_DURABILITY_NONE),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(st, 0, "i", 1, nw), -EAGAIN);
	KUNIT_EXPECT_EQ(test, nowait_scan(st, "i", CESIUM_ST_SCAN_NOWAIT, buf,
					  &nr), -EAGAIN);
	cesium_index_write_end(st);
	cesium_store_stats(st, &s1);
	KUNIT_EXPECT_EQ(test, s1.puts, s0.puts);
	KUNIT_EXPECT_EQ(test, s1.deletes, s0.deletes);
	KUNIT_EXPECT_EQ(test, s1.exists, s0.exists);
	KUNIT_EXPECT_EQ(test, s1.scans, s0.scans);
	expect_value(test, st, 0, "i", "inline", 6);

	/* A value on the device: only a keys-only scan needs no read. */
	KUNIT_EXPECT_EQ(test, nowait_scan(st, "i", CESIUM_ST_SCAN_NOWAIT, buf,
					  &nr), -EAGAIN);
	KUNIT_EXPECT_EQ(test, nowait_scan(st, "i", CESIUM_ST_SCAN_NOWAIT |
					  CESIUM_ST_SCAN_KEYS_ONLY, buf, &nr),
			0);
	KUNIT_EXPECT_EQ(test, nr, 2u);
	KUNIT_EXPECT_EQ(test, nowait_scan(st, "i", 0, buf, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2u);
	KUNIT_EXPECT_EQ(test, buf[sizeof(struct cesium_scan_out_rec) + 1 + 16],
			0x6b);

	/* Nothing in the way: they run. */
	KUNIT_EXPECT_EQ(test, cesium_store_exists(st, 0, "i", 1, nw), 1);
	KUNIT_EXPECT_EQ(test, cesium_store_delete(st, 0, "l", 1, nw,
						  CESIUM_DURABILITY_NONE), 0);
	KUNIT_EXPECT_EQ(test, nowait_scan(st, "", CESIUM_ST_SCAN_NOWAIT, buf,
					  &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 1u);
	KUNIT_EXPECT_EQ(test, cesium_store_delete(st, 0, "l", 1, nw,
						  CESIUM_DURABILITY_NONE),
			-ENOENT);
	cesium_store_stats(st, &s1);
	KUNIT_EXPECT_EQ(test, s1.deletes, s0.deletes + 1);
	KUNIT_EXPECT_EQ(test, s1.scans, s0.scans + 3);
	store_reopen(test, c);
	expect_value(test, c->st, 0, "i", "inline", 6);
	KUNIT_EXPECT_EQ(test, cesium_store_exists(c->st, 0, "l", 1, 0), 0);
}

/* CHECK walks the written log in steps and reports a damaged batch. */
static void store_check(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 4 * MIB, 512);
	u8 *blk = kunit_kmalloc(test, 4096, GFP_KERNEL);
	struct cesium_check_args a = { .max_bytes = 4096 };
	u64 damaged[4];
	char key[4];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, blk);
	for (i = 0; i < 5; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 2, "v", 1,
						       0, CESIUM_DURABILITY_SYNC),
				0);
	}
	/* One batch per step: five steps, all sound. */
	for (i = 0; i < 5; i++) {
		KUNIT_ASSERT_EQ(test, cesium_store_check(c->st, &a), 0);
		KUNIT_EXPECT_EQ(test, a.batches, 1ull);
		KUNIT_EXPECT_EQ(test, a.found, 0ull);
	}
	KUNIT_EXPECT_EQ(test, a.offset, a.tail);
	KUNIT_EXPECT_EQ(test, a.tail - a.head, 5 * 4096ull);
	/* Flip a bit in the third batch: one damaged stretch, at its offset. */
	KUNIT_ASSERT_EQ(test, cesium_be_read(c->be, 4 * 4096, blk, 4096), 0);
	blk[CESIUM_LOG_HDR_BYTES + 2] ^= 4;
	KUNIT_ASSERT_EQ(test, cesium_be_write(c->be, 4 * 4096, blk, 4096, 0), 0);
	a.offset = 0;
	a.max_bytes = 0;
	a.damaged = damaged;
	a.nr_damaged = ARRAY_SIZE(damaged);
	KUNIT_ASSERT_EQ(test, cesium_store_check(c->st, &a), 0);
	KUNIT_EXPECT_EQ(test, a.found, 1ull);
	KUNIT_EXPECT_EQ(test, a.batches, 4ull);
	KUNIT_EXPECT_EQ(test, damaged[0], 4 * 4096ull);
	/* Offsets off the log or off a block are refused. */
	a.offset = 4 * 4096 + 512;
	KUNIT_EXPECT_EQ(test, cesium_store_check(c->st, &a), -EINVAL);
	a.offset = 4096;
	KUNIT_EXPECT_EQ(test, cesium_store_check(c->st, &a), -EINVAL);
}

static struct kunit_case cesium_store_cases[] = {
	KUNIT_CASE(store_check),
	KUNIT_CASE(store_batch_scan),
	KUNIT_CASE(store_nowait),
	KUNIT_CASE(store_put_get_delete),
	KUNIT_CASE(store_flags_and_limits),
	KUNIT_CASE(store_torn_tail),
	KUNIT_CASE(store_damaged_record),
	KUNIT_CASE(store_full_device),
	KUNIT_CASE(store_write_error),
	KUNIT_CASE(store_device_gone),
	KUNIT_CASE(store_superblocks),
	{}
};

static struct kunit_suite cesium_store_suite = {
	.name = "cesium_store",
	.exit = store_teardown,
	.test_cases = cesium_store_cases,
};
kunit_test_suite(cesium_store_suite);
