// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the index (index.c), through its public interface and
 * cesium_index_check(). Built into cesium.ko with CESIUM_KUNIT=y; the
 * user-space tier runs the same file over its shim (tests/user/engine.mk).
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "index.h"

struct cesium_index_test {
	struct cesium_index idx;
	u32 rnd;
};

static int cesium_index_test_init(struct kunit *test)
{
	struct cesium_index_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	if (cesium_index_init(&t->idx, 0))
		return -EINVAL;
	t->rnd = 2463534242U;
	test->priv = t;
	return 0;
}

static void cesium_index_test_exit(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;

	KUNIT_EXPECT_EQ(test, cesium_index_check(&t->idx), 0);
	cesium_index_destroy(&t->idx);
	KUNIT_EXPECT_EQ(test, cesium_index_mem_bytes(&t->idx), 0ULL);
}

static u32 test_rnd(struct cesium_index_test *t)
{
	t->rnd ^= t->rnd << 13;
	t->rnd ^= t->rnd >> 17;
	t->rnd ^= t->rnd << 5;
	return t->rnd;
}

/* A 16-byte key that sorts by n. */
static void test_key(u8 *key, u32 n)
{
	memset(key, 'k', 16);
	put_unaligned_be32(n, key);
}

static int put_log(struct cesium_index *idx, const u8 *key, u32 key_len,
		   u64 addr, u32 len)
{
	struct cesium_vref v = { .kind = CESIUM_V_LOG, .len = len, .addr = addr };

	return cesium_index_insert(idx, key, key_len, &v, NULL, GFP_KERNEL);
}

static int put_inline(struct cesium_index *idx, const u8 *key, u32 key_len,
		      const void *data, u32 len, struct cesium_vref *old)
{
	struct cesium_vref v = { .kind = CESIUM_V_INLINE, .len = len,
				 .data = data };

	return cesium_index_insert(idx, key, key_len, &v, old, GFP_KERNEL);
}

static void cesium_index_test_empty(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;
	struct cesium_index_pos pos;
	struct cesium_vref v;
	u8 key[16];

	test_key(key, 1);

	KUNIT_EXPECT_EQ(test, cesium_index_lookup(&t->idx, key, 16, &v), -ENOENT);
	KUNIT_EXPECT_EQ(test, cesium_index_remove(&t->idx, key, 16, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, cesium_index_first(&t->idx, &pos), -ENOENT);
	KUNIT_EXPECT_EQ(test, cesium_index_seek_last(&t->idx, &pos), -ENOENT);
	KUNIT_EXPECT_EQ(test, cesium_index_seek(&t->idx, key, 16, &pos), -ENOENT);
	KUNIT_EXPECT_EQ(test, cesium_index_count(&t->idx), 0ULL);
	KUNIT_EXPECT_EQ(test, cesium_index_nr_segments(&t->idx), 0U);
	KUNIT_EXPECT_EQ(test, cesium_index_mem_bytes(&t->idx), 0ULL);
}

static void cesium_index_test_seg_bytes(struct kunit *test)
{
	static const u32 bad[] = { 1, 2048, 4095, 4097, 12288, 131072 };
	struct cesium_index idx;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, cesium_index_init(&idx, bad[i]), -EINVAL,
				    "seg_bytes %u", bad[i]);
	for (i = 4096; i <= CESIUM_INDEX_SEG_BYTES_MAX; i *= 2) {
		KUNIT_ASSERT_EQ(test, cesium_index_init(&idx, i), 0);
		/* an entry may take half a segment */
		KUNIT_EXPECT_GT(test, cesium_index_max_inline(&idx, 255),
				i / 2 - 300);
		KUNIT_EXPECT_LT(test, cesium_index_max_inline(&idx, 1), i / 2);
		cesium_index_destroy(&idx);
	}
}

static void cesium_index_test_replace_kinds(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;
	struct cesium_vref v, old;
	u8 key[] = "replace me";
	u8 val[100];

	memset(val, 0xab, sizeof(val));
	KUNIT_ASSERT_EQ(test, put_inline(&t->idx, key, sizeof(key), val, 100,
					 NULL), 0);

	/* inline -> log */
	v.kind = CESIUM_V_LOG;
	v.len = 1 << 20;
	v.addr = (1ULL << 48) - 1;
	KUNIT_EXPECT_EQ(test, cesium_index_insert(&t->idx, key, sizeof(key), &v,
						  &old, GFP_KERNEL), 1);
	KUNIT_EXPECT_EQ(test, old.kind, CESIUM_V_INLINE);
	KUNIT_EXPECT_EQ(test, old.len, 100U);
	KUNIT_EXPECT_NULL(test, old.data);
	KUNIT_ASSERT_EQ(test, cesium_index_lookup(&t->idx, key, sizeof(key), &v),
			0);
	KUNIT_EXPECT_EQ(test, v.kind, CESIUM_V_LOG);
	KUNIT_EXPECT_EQ(test, v.len, 1U << 20);
	KUNIT_EXPECT_EQ(test, v.addr, (1ULL << 48) - 1);

	/* log -> inline, empty value */
	KUNIT_EXPECT_EQ(test, put_inline(&t->idx, key, sizeof(key), NULL, 0,
					 &old), 1);
	KUNIT_EXPECT_EQ(test, old.kind, CESIUM_V_LOG);
	KUNIT_EXPECT_EQ(test, old.addr, (1ULL << 48) - 1);
	KUNIT_ASSERT_EQ(test, cesium_index_lookup(&t->idx, key, sizeof(key), &v),
			0);
	KUNIT_EXPECT_EQ(test, v.kind, CESIUM_V_INLINE);
	KUNIT_EXPECT_EQ(test, v.len, 0U);

	/* inline -> larger inline */
	KUNIT_EXPECT_EQ(test, put_inline(&t->idx, key, sizeof(key), val, 99,
					 NULL), 1);
	KUNIT_ASSERT_EQ(test, cesium_index_lookup(&t->idx, key, sizeof(key), &v),
			0);
	KUNIT_EXPECT_EQ(test, v.len, 99U);
	KUNIT_EXPECT_EQ(test, memcmp(v.data, val, 99), 0);
	KUNIT_EXPECT_EQ(test, cesium_index_count(&t->idx), 1ULL);
	KUNIT_EXPECT_EQ(test, cesium_index_check(&t->idx), 0);
}

/* Keys at the edges of the order: all-zero, all-0xff, prefixes of others. */
static void cesium_index_test_boundary_keys(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;
	static const struct {
		u8 fill;
		u8 last;
		u32 len;
	} order[] = {
		{ 0x00, 0x00, 1 }, { 0x00, 0x00, 2 }, { 0x00, 0x00, 255 },
		{ 0x00, 0x01, 255 }, { 0x61, 0x61, 1 }, { 0x61, 0x00, 2 },
		{ 0x61, 0x61, 9 }, { 0xff, 0xff, 1 }, { 0xff, 0xfe, 254 },
		{ 0xff, 0xff, 254 }, { 0xff, 0xfe, 255 }, { 0xff, 0xff, 255 },
	};
	struct cesium_index_pos pos;
	struct cesium_vref v;
	const u8 *key;
	u8 buf[255];
	u32 key_len;
	int i;

	/* insert in reverse order, every one a new smallest key */
	for (i = ARRAY_SIZE(order) - 1; i >= 0; i--) {
		memset(buf, order[i].fill, order[i].len);
		buf[order[i].len - 1] = order[i].last;
		KUNIT_ASSERT_EQ(test, put_log(&t->idx, buf, order[i].len, i, i),
				0);
	}

	KUNIT_ASSERT_EQ(test, cesium_index_first(&t->idx, &pos), 0);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		cesium_index_entry(&t->idx, &pos, &key, &key_len, &v);
		KUNIT_EXPECT_EQ(test, key_len, order[i].len);
		KUNIT_EXPECT_EQ(test, key[0], order[i].fill);
		KUNIT_EXPECT_EQ(test, key[key_len - 1], order[i].last);
		KUNIT_EXPECT_EQ(test, v.addr, (u64)i);
		KUNIT_EXPECT_EQ(test, cesium_index_next(&t->idx, &pos),
				i + 1 < ARRAY_SIZE(order) ? 0 : -ENOENT);
	}
	/* the empty key is below them all */
	KUNIT_ASSERT_EQ(test, cesium_index_seek(&t->idx, NULL, 0, &pos), 0);
	cesium_index_entry(&t->idx, &pos, &key, &key_len, &v);
	KUNIT_EXPECT_EQ(test, v.addr, 0ULL);
}

/* Sequential keys fill one segment, then the next key starts another. */
static void cesium_index_test_split_at_boundary(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;
	struct cesium_index_pos pos;
	struct cesium_vref v;
	const u8 *key;
	u8 buf[16];
	u32 n, key_len, i;

	for (n = 0; cesium_index_nr_segments(&t->idx) < 2; n++) {
		test_key(buf, n);
		KUNIT_ASSERT_EQ(test, put_log(&t->idx, buf, 16, n, 1000), 0);
		KUNIT_ASSERT_LT(test, n, 1000U);
	}
	/* the last key went alone into the new segment */
	KUNIT_EXPECT_EQ(test, cesium_index_check(&t->idx), 0);
	KUNIT_ASSERT_EQ(test, cesium_index_seek_last(&t->idx, &pos), 0);
	KUNIT_EXPECT_EQ(test, pos.seg, 1U);
	KUNIT_EXPECT_EQ(test, pos.slot, 0U);

	/* a walk crosses the boundary both ways */
	KUNIT_ASSERT_EQ(test, cesium_index_prev(&t->idx, &pos), 0);
	KUNIT_EXPECT_EQ(test, pos.seg, 0U);
	cesium_index_entry(&t->idx, &pos, &key, &key_len, &v);
	KUNIT_EXPECT_EQ(test, v.addr, (u64)n - 2);
	KUNIT_ASSERT_EQ(test, cesium_index_next(&t->idx, &pos), 0);
	cesium_index_entry(&t->idx, &pos, &key, &key_len, &v);
	KUNIT_EXPECT_EQ(test, v.addr, (u64)n - 1);
	KUNIT_EXPECT_EQ(test, cesium_index_next(&t->idx, &pos), -ENOENT);

	/* an insert in the middle of the full first segment redistributes */
	test_key(buf, 3);
	buf[15] = 'z';
	KUNIT_ASSERT_EQ(test, put_log(&t->idx, buf, 16, 12345, 1), 0);
	KUNIT_EXPECT_EQ(test, cesium_index_check(&t->idx), 0);
	KUNIT_EXPECT_EQ(test, cesium_index_count(&t->idx), (u64)n + 1);
	for (i = 0; i < n; i++) {
		test_key(buf, i);
		KUNIT_EXPECT_EQ(test, cesium_index_lookup(&t->idx, buf, 16, &v), 0);
		KUNIT_EXPECT_EQ(test, v.addr, (u64)i);
	}
}

/* Random inserts split; removing most of them merges the segments back. */
static void cesium_index_test_split_merge(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;
	const u32 nr = 4000;
	struct cesium_vref v;
	u32 i, segs, *ids;
	u8 buf[16];

	ids = kunit_kmalloc_array(test, nr, sizeof(*ids), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ids);
	for (i = 0; i < nr; i++) {
		ids[i] = test_rnd(t);
		test_key(buf, ids[i]);
		KUNIT_ASSERT_EQ(test, put_inline(&t->idx, buf, 16, &ids[i], 4,
						 NULL), 0);
	}
	KUNIT_ASSERT_EQ(test, cesium_index_check(&t->idx), 0);
	segs = cesium_index_nr_segments(&t->idx);
	/* 4000 entries of 26 bytes, over 80% full */
	KUNIT_EXPECT_GT(test, segs, 25U);
	KUNIT_EXPECT_LT(test, segs, 35U);

	for (i = 0; i < nr; i++) {
		if (i % 10 == 0)
			continue;
		test_key(buf, ids[i]);
		KUNIT_ASSERT_EQ(test, cesium_index_remove(&t->idx, buf, 16, &v), 0);
		KUNIT_EXPECT_EQ(test, v.kind, CESIUM_V_INLINE);
		KUNIT_EXPECT_EQ(test, v.len, 4U);
		if (i % 256 == 0)
			KUNIT_ASSERT_EQ(test, cesium_index_check(&t->idx), 0);
	}
	KUNIT_EXPECT_EQ(test, cesium_index_count(&t->idx), (u64)nr / 10);
	KUNIT_EXPECT_LE(test, cesium_index_nr_segments(&t->idx), segs / 4);
	for (i = 0; i < nr; i += 10) {
		test_key(buf, ids[i]);
		KUNIT_ASSERT_EQ(test, cesium_index_lookup(&t->idx, buf, 16, &v), 0);
		KUNIT_EXPECT_EQ(test, memcmp(v.data, &ids[i], 4), 0);
	}
}

/* The number in the first key of segment @i, from its image. */
static u32 test_seg_first(struct cesium_index *idx, u32 i, u8 *img)
{
	u32 len = cesium_index_seg_image(idx, i, img);
	/* slot 0 follows the 16-byte header; an image has no gap */
	u32 off = get_unaligned_le16(img + 16) - (idx->seg_bytes - len);

	return get_unaligned_be32(img + off + 1);
}

/*
 * Copies for fuzzy checkpoints: a segment whose values change keeps its
 * last copy, stale, as replaying the log over it gives the segment back;
 * it loses it when its first key goes, when it merges and when the
 * cleaner releases the copy (stale or not).
 */
static void cesium_index_test_seg_copies(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;
	struct cesium_index *idx = &t->idx;
	u32 i, segs, f2, f3, f6, f7, f8, len;
	u8 key[16], val[100], *img;
	struct cesium_vref v;

	img = kunit_kmalloc(test, idx->seg_bytes, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, img);
	memset(val, 1, sizeof(val));
	for (i = 0; i < 1000; i++) {
		test_key(key, 2 * i);
		KUNIT_ASSERT_EQ(test, put_inline(idx, key, 16, val, sizeof(val),
						 NULL), 0);
	}
	segs = cesium_index_nr_segments(idx);
	KUNIT_ASSERT_GT(test, segs, 10U);
	for (i = 0; i < segs; i++)
		cesium_index_seg_written(idx, i, 4096ULL * (i + 1));
	KUNIT_EXPECT_EQ(test, cesium_index_nr_dirty(idx), 0U);
	KUNIT_EXPECT_EQ(test, cesium_index_nr_uncopied(idx), 0U);
	f2 = test_seg_first(idx, 2, img);
	f3 = test_seg_first(idx, 3, img);
	/* A value replaced and a key removed inside segment 2: stale. */
	test_key(key, f2 + 2);
	KUNIT_EXPECT_EQ(test, put_inline(idx, key, 16, val, 50, NULL), 1);
	test_key(key, f2 + 4);
	KUNIT_EXPECT_EQ(test, cesium_index_remove(idx, key, 16, &v), 0);
	KUNIT_EXPECT_EQ(test, cesium_index_seg_disk(idx, 2), 0ULL);
	KUNIT_EXPECT_EQ(test, cesium_index_seg_copy(idx, 2), 4096ULL * 3);
	KUNIT_EXPECT_EQ(test, cesium_index_nr_dirty(idx), 1U);
	KUNIT_EXPECT_EQ(test, cesium_index_nr_uncopied(idx), 0U);
	/* Segment 3 loses its first key: no copy. */
	test_key(key, f3);
	KUNIT_EXPECT_EQ(test, cesium_index_remove(idx, key, 16, &v), 0);
	KUNIT_EXPECT_EQ(test, cesium_index_seg_copy(idx, 3), 0ULL);
	/* The cleaner passes the copies of segments 4 (clean) and 2 (stale). */
	len = cesium_index_seg_image(idx, 4, img);
	KUNIT_EXPECT_TRUE(test, cesium_index_seg_release(idx, img, len,
							 4096ULL * 5));
	KUNIT_EXPECT_EQ(test, cesium_index_seg_copy(idx, 4), 0ULL);
	len = cesium_index_seg_image(idx, 2, img);
	KUNIT_EXPECT_TRUE(test, cesium_index_seg_release(idx, img, len,
							 4096ULL * 3));
	KUNIT_EXPECT_EQ(test, cesium_index_seg_copy(idx, 2), 0ULL);
	KUNIT_EXPECT_EQ(test, cesium_index_nr_uncopied(idx), 3U);
	/* Segments 6 and 7 shrink to their first keys and merge. */
	f6 = test_seg_first(idx, 6, img);
	f7 = test_seg_first(idx, 7, img);
	f8 = test_seg_first(idx, 8, img);
	for (i = f6 + 2; i < f8; i += 2) {
		if (i == f7)
			continue;
		test_key(key, i);
		KUNIT_ASSERT_EQ(test, cesium_index_remove(idx, key, 16, &v), 0);
	}
	KUNIT_EXPECT_EQ(test, cesium_index_nr_segments(idx), segs - 1);
	KUNIT_EXPECT_EQ(test, cesium_index_seg_copy(idx, 6), 0ULL);
	KUNIT_EXPECT_EQ(test, cesium_index_seg_copy(idx, 7), 4096ULL * 9);
	KUNIT_EXPECT_EQ(test, cesium_index_check(idx), 0);
}

/*
 * Checkpoint images: a segment's image has no gap, loads back to the same
 * keys and values, and gives the same image again; a whole segment (as
 * format 2 wrote them before) loads too; lengths that are neither, and
 * images that name a device address, do not.
 */
static void cesium_index_test_seg_images(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;
	struct cesium_index back;
	const u32 nr = 2000, sb = CESIUM_INDEX_SEG_BYTES_DEFAULT;
	u32 i, len, segs, gapless = 0;
	u8 key[16], val[100], *img, *img2, *whole;
	u64 image = 0;
	struct cesium_vref v;

	img = kunit_kmalloc(test, sb, GFP_KERNEL);
	img2 = kunit_kmalloc(test, sb, GFP_KERNEL);
	whole = kunit_kzalloc(test, sb, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, img);
	KUNIT_ASSERT_NOT_NULL(test, img2);
	KUNIT_ASSERT_NOT_NULL(test, whole);
	for (i = 0; i < nr; i++) {
		u32 id = test_rnd(t);

		test_key(key, id);
		memset(val, id, sizeof(val));
		KUNIT_ASSERT_EQ(test, put_inline(&t->idx, key, 16, val,
						 sizeof(val), NULL), 0);
	}
	segs = cesium_index_nr_segments(&t->idx);
	KUNIT_ASSERT_EQ(test, cesium_index_init(&back, 0), 0);
	for (i = 0; i < segs; i++) {
		len = cesium_index_seg_image(&t->idx, i, img);
		KUNIT_EXPECT_LE(test, len, sb);
		gapless += len < sb;
		image += len;
		KUNIT_ASSERT_EQ(test, cesium_index_load_seg(&back, img, len,
							    4096 * (i + 1),
							    GFP_KERNEL), 0);
		KUNIT_EXPECT_EQ(test, cesium_index_seg_disk(&back, i),
				4096ULL * (i + 1));
		/* its image again: the same bytes, and no address in them */
		KUNIT_EXPECT_EQ(test, cesium_index_seg_image(&back, i, img2), len);
		KUNIT_EXPECT_EQ(test, memcmp(img, img2, len), 0);
	}
	/* random inserts leave gaps: the images are smaller than segments */
	KUNIT_EXPECT_GT(test, gapless, segs / 2);
	KUNIT_EXPECT_EQ(test, cesium_index_image_bytes(&t->idx), image);
	KUNIT_EXPECT_LT(test, image, (u64)segs * sb * 15 / 16);
	KUNIT_EXPECT_EQ(test, cesium_index_check(&back), 0);
	KUNIT_EXPECT_EQ(test, cesium_index_count(&back),
			cesium_index_count(&t->idx));
	t->rnd = 2463534242U;
	for (i = 0; i < nr; i++) {
		u32 id = test_rnd(t);

		test_key(key, id);
		memset(val, id, sizeof(val));
		KUNIT_ASSERT_EQ(test, cesium_index_lookup(&back, key, 16, &v), 0);
		KUNIT_EXPECT_EQ(test, v.len, (u32)sizeof(val));
		KUNIT_EXPECT_EQ(test, memcmp(v.data, val, sizeof(val)), 0);
	}
	cesium_index_destroy(&back);

	/* One segment: its image, whole (the gap put back), and bad ones. */
	len = cesium_index_seg_image(&t->idx, 0, img);
	KUNIT_ASSERT_LT(test, len, sb);
	i = 16 + 2 * get_unaligned_le16(img + 4);	/* header and slots */
	memcpy(whole, img, i);
	memcpy(whole + sb - (len - i), img + i, len - i);
	/* into an empty index, where only the image itself can be wrong */
	KUNIT_ASSERT_EQ(test, cesium_index_init(&back, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_index_load_seg(&back, img, len - 1, 8192,
						    GFP_KERNEL), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, cesium_index_load_seg(&back, whole, len + 8,
						    8192, GFP_KERNEL), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, cesium_index_load_seg(&back, img, 15, 8192,
						    GFP_KERNEL), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, cesium_index_nr_segments(&back), 0U);
	KUNIT_EXPECT_EQ(test, cesium_index_load_seg(&back, whole, sb, 4096,
						    GFP_KERNEL), 0);
	cesium_index_destroy(&back);
	KUNIT_ASSERT_EQ(test, cesium_index_init(&back, 0), 0);
	KUNIT_EXPECT_EQ(test, cesium_index_load_seg(&back, img, len, 4096,
						    GFP_KERNEL), 0);
	cesium_index_destroy(&back);
	KUNIT_ASSERT_EQ(test, cesium_index_init(&back, 0), 0);
	put_unaligned_le64(4096, img + 8);
	KUNIT_EXPECT_EQ(test, cesium_index_load_seg(&back, img, len, 8192,
						    GFP_KERNEL), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, cesium_index_nr_segments(&back), 0U);
	cesium_index_destroy(&back);
}

static void cesium_index_test_remove_everything(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;
	const u32 nr = 3000;
	struct cesium_index_pos pos;
	u8 buf[16];
	u32 i;

	for (i = 0; i < nr; i++) {
		test_key(buf, i * 7919 % nr);
		KUNIT_ASSERT_EQ(test, put_log(&t->idx, buf, 16, i, i), 0);
	}
	KUNIT_ASSERT_EQ(test, cesium_index_count(&t->idx), (u64)nr);
	for (i = 0; i < nr; i++) {
		test_key(buf, i * 104729 % nr);
		KUNIT_ASSERT_EQ(test, cesium_index_remove(&t->idx, buf, 16, NULL),
				0);
	}
	KUNIT_EXPECT_EQ(test, cesium_index_count(&t->idx), 0ULL);
	KUNIT_EXPECT_EQ(test, cesium_index_nr_segments(&t->idx), 0U);
	KUNIT_EXPECT_EQ(test, cesium_index_mem_bytes(&t->idx), 0ULL);
	KUNIT_EXPECT_EQ(test, cesium_index_first(&t->idx, &pos), -ENOENT);
}

static void cesium_index_test_ordered_walks(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;
	const u32 nr = 2000;
	struct cesium_index_pos pos;
	struct cesium_vref v;
	const u8 *key;
	u32 key_len, i;
	u8 buf[16];

	/* even numbers only, so odd ones seek to their successor */
	for (i = 0; i < nr; i++) {
		test_key(buf, 2 * ((i * 7919) % nr));
		KUNIT_ASSERT_EQ(test, put_log(&t->idx, buf, 16, i, 0), 0);
	}

	test_key(buf, 1001);
	KUNIT_ASSERT_EQ(test, cesium_index_seek(&t->idx, buf, 16, &pos), 0);
	for (i = 1002; i < 2 * nr; i += 2) {
		cesium_index_entry(&t->idx, &pos, &key, &key_len, &v);
		KUNIT_ASSERT_EQ(test, get_unaligned_be32(key), i);
		KUNIT_ASSERT_EQ(test, cesium_index_next(&t->idx, &pos),
				i + 2 < 2 * nr ? 0 : -ENOENT);
	}

	KUNIT_ASSERT_EQ(test, cesium_index_seek_last(&t->idx, &pos), 0);
	for (i = 2 * nr - 2;; i -= 2) {
		cesium_index_entry(&t->idx, &pos, &key, &key_len, &v);
		KUNIT_ASSERT_EQ(test, get_unaligned_be32(key), i);
		if (!i)
			break;
		KUNIT_ASSERT_EQ(test, cesium_index_prev(&t->idx, &pos), 0);
	}
	KUNIT_EXPECT_EQ(test, cesium_index_prev(&t->idx, &pos), -ENOENT);

	/* an exact hit, and a key past the end */
	test_key(buf, 1000);
	KUNIT_ASSERT_EQ(test, cesium_index_seek(&t->idx, buf, 16, &pos), 0);
	cesium_index_entry(&t->idx, &pos, &key, &key_len, &v);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(key), 1000U);
	test_key(buf, 2 * nr);
	KUNIT_EXPECT_EQ(test, cesium_index_seek(&t->idx, buf, 16, &pos), -ENOENT);
}

static void cesium_index_test_e2big(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;
	u32 max = cesium_index_max_inline(&t->idx, 255);
	struct cesium_vref v;
	u8 key[255];
	u8 *val;
	int i;

	val = kunit_kzalloc(test, max + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, val);
	memset(key, 0x11, sizeof(key));

	KUNIT_EXPECT_EQ(test, put_inline(&t->idx, key, 255, val, max + 1, NULL),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, cesium_index_count(&t->idx), 0ULL);
	KUNIT_EXPECT_EQ(test, cesium_index_mem_bytes(&t->idx), 0ULL);

	/* the largest entries still split: two per segment at most */
	for (i = 0; i < 5; i++) {
		key[254] = i;
		KUNIT_ASSERT_EQ(test, put_inline(&t->idx, key, 255, val, max,
						 NULL), 0);
	}
	KUNIT_EXPECT_GE(test, cesium_index_nr_segments(&t->idx), 3U);
	KUNIT_EXPECT_EQ(test, cesium_index_check(&t->idx), 0);
	KUNIT_ASSERT_EQ(test, cesium_index_lookup(&t->idx, key, 255, &v), 0);
	KUNIT_EXPECT_EQ(test, v.len, max);
}

static void cesium_index_test_invalid(struct kunit *test)
{
	struct cesium_index_test *t = test->priv;
	struct cesium_vref v = { .kind = CESIUM_V_LOG, .len = 1 };
	u8 key[256] = { 0 };

	KUNIT_EXPECT_EQ(test, cesium_index_insert(&t->idx, key, 0, &v, NULL,
						  GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, cesium_index_insert(&t->idx, key, 256, &v, NULL,
						  GFP_KERNEL), -EINVAL);
	v.addr = 1ULL << 48;
	KUNIT_EXPECT_EQ(test, cesium_index_insert(&t->idx, key, 1, &v, NULL,
						  GFP_KERNEL), -EINVAL);
	v.addr = 0;
	v.kind = 0;
	KUNIT_EXPECT_EQ(test, cesium_index_insert(&t->idx, key, 1, &v, NULL,
						  GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, cesium_index_count(&t->idx), 0ULL);
}

static struct kunit_case cesium_index_test_cases[] = {
	KUNIT_CASE(cesium_index_test_empty),
	KUNIT_CASE(cesium_index_test_seg_bytes),
	KUNIT_CASE(cesium_index_test_replace_kinds),
	KUNIT_CASE(cesium_index_test_boundary_keys),
	KUNIT_CASE(cesium_index_test_split_at_boundary),
	KUNIT_CASE(cesium_index_test_split_merge),
	KUNIT_CASE(cesium_index_test_seg_images),
	KUNIT_CASE(cesium_index_test_seg_copies),
	KUNIT_CASE(cesium_index_test_remove_everything),
	KUNIT_CASE(cesium_index_test_ordered_walks),
	KUNIT_CASE(cesium_index_test_e2big),
	KUNIT_CASE(cesium_index_test_invalid),
	{}
};

static struct kunit_suite cesium_index_test_suite = {
	.name = "cesium_index",
	.init = cesium_index_test_init,
	.exit = cesium_index_test_exit,
	.test_cases = cesium_index_test_cases,
};

kunit_test_suite(cesium_index_test_suite);
