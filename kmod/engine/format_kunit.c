// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the on-device format's encoders and parsers.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "format.h"

#define BLK 4096

static void cesium_test_super(struct cesium_super *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->seq = 7;
	memset(sb->uuid, 0xab, sizeof(sb->uuid));
	sb->device_bytes = 1 << 20;
	sb->block_bytes = BLK;
	sb->data_start = 2 * BLK;
	sb->data_end = 1 << 20;
	sb->log_head = 2 * BLK;
	sb->log_head_seq = 1;
	sb->log_head_prev = 42;
	sb->gc_head = 2 * BLK;
	sb->gc_head_seq = 1;
	sb->ckpt_begin = 2 * BLK;
}

static void format_super_roundtrip(struct kunit *test)
{
	u8 *blk = kunit_kzalloc(test, BLK, GFP_KERNEL);
	struct cesium_super in, out;

	KUNIT_ASSERT_NOT_NULL(test, blk);
	cesium_test_super(&in);
	cesium_super_encode(&in, blk);
	KUNIT_ASSERT_EQ(test, cesium_super_decode(blk, BLK, &out), 0);
	KUNIT_EXPECT_EQ(test, out.seq, in.seq);
	KUNIT_EXPECT_EQ(test, out.data_end, in.data_end);
	KUNIT_EXPECT_EQ(test, out.log_head_prev, in.log_head_prev);
	KUNIT_EXPECT_EQ(test, memcmp(out.uuid, in.uuid, 16), 0);
}

static void format_super_damage(struct kunit *test)
{
	u8 *blk = kunit_kzalloc(test, BLK, GFP_KERNEL);
	struct cesium_super in, out;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, blk);
	cesium_test_super(&in);
	/* Any flipped bit of the covered bytes is caught. */
	for (i = 0; i < sizeof(struct cesium_disk_super) * 8; i++) {
		cesium_super_encode(&in, blk);
		blk[i / 8] ^= 1 << (i % 8);
		KUNIT_EXPECT_NE(test, cesium_super_decode(blk, BLK, &out), 0);
	}
	memset(blk, 0, BLK);
	KUNIT_EXPECT_EQ(test, cesium_super_decode(blk, BLK, &out), -EMEDIUMTYPE);
	/* A checksum that holds over impossible geometry is refused too. */
	in.log_head = in.data_end;
	memset(blk, 0, BLK);
	cesium_super_encode(&in, blk);
	KUNIT_EXPECT_EQ(test, cesium_super_decode(blk, BLK, &out), -EUCLEAN);
	/* Short buffers never read past their end. */
	cesium_test_super(&in);
	cesium_super_encode(&in, blk);
	KUNIT_EXPECT_NE(test, cesium_super_decode(blk, 100, &out), 0);
}

/*
 * Versions: this one and version 2 (whole segment images) are read; an
 * older or newer one is -EPROTONOSUPPORT, whatever its checksum.
 */
static void format_super_versions(struct kunit *test)
{
	static const u16 versions[] = { 1, 2, CESIUM_FORMAT_VERSION,
					CESIUM_FORMAT_VERSION + 1 };
	u8 *blk = kunit_kzalloc(test, BLK, GFP_KERNEL);
	struct cesium_disk_hdr *h = (void *)blk;
	struct cesium_super in, out;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, blk);
	cesium_test_super(&in);
	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		u16 v = versions[i];

		cesium_super_encode(&in, blk);
		KUNIT_EXPECT_EQ(test, le16_to_cpu(h->version),
				CESIUM_FORMAT_VERSION);
		h->version = cpu_to_le16(v);
		h->csum = cpu_to_le64(cesium_disk_csum(blk, le32_to_cpu(h->len)));
		KUNIT_EXPECT_EQ(test, cesium_super_decode(blk, BLK, &out),
				v >= CESIUM_FORMAT_VERSION_MIN &&
				v <= CESIUM_FORMAT_VERSION ? 0 : -EPROTONOSUPPORT);
	}
	KUNIT_EXPECT_EQ(test, CESIUM_FORMAT_VERSION_MIN, 2);
}

static void format_record_roundtrip(struct kunit *test)
{
	static const u8 key[] = { 0x00, 0xff, 0x10 };
	u8 *buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	struct cesium_rec rec;
	u32 size;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	size = cesium_rec_encode(buf, CESIUM_REC_PUT, 9, key, sizeof(key),
				 "value", 5);
	KUNIT_EXPECT_EQ(test, size, cesium_rec_size(3, 5));
	KUNIT_EXPECT_EQ(test, size % 8, 0u);
	KUNIT_ASSERT_EQ(test, cesium_rec_verify(buf, size, &rec), (int)size);
	KUNIT_EXPECT_EQ(test, rec.ns, 9ull);
	KUNIT_EXPECT_EQ(test, rec.key_len, 3);
	KUNIT_EXPECT_EQ(test, memcmp(rec.value, "value", 5), 0);
	/* Truncated: refused. Damaged value: checksum mismatch. */
	KUNIT_EXPECT_EQ(test, cesium_rec_decode(buf, size - 1, &rec), -EUCLEAN);
	buf[size - 8] ^= 1;
	KUNIT_EXPECT_EQ(test, cesium_rec_verify(buf, size, &rec), -EUCLEAN);
	/* A delete carries no value. */
	size = cesium_rec_encode(buf, CESIUM_REC_DELETE, 0, key, 1, NULL, 0);
	KUNIT_EXPECT_EQ(test, cesium_rec_verify(buf, size, &rec), (int)size);
	KUNIT_EXPECT_EQ(test, rec.op, CESIUM_REC_DELETE);
}

/*
 * A record hashed before the log's lock (cesium_rec_csum_of(), from the
 * key and value where they lie) is the record cesium_rec_encode() writes:
 * for every length of key and value around xxh64's 32-byte stripes.
 */
static void format_record_csum_of(struct kunit *test)
{
	u8 *a = kunit_kzalloc(test, 8192, GFP_KERNEL);
	u8 *b = kunit_kzalloc(test, 8192, GFP_KERNEL);
	u8 *src = kunit_kmalloc(test, 4096 + 255, GFP_KERNEL);
	static const u32 vlens[] = { 0, 1, 7, 31, 32, 33, 100, 400, 4096 };
	struct cesium_rec rec;
	u32 i, k, size;
	u64 csum;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, src);
	for (i = 0; i < 4096 + 255; i++)
		src[i] = i * 131 + 7;
	for (k = 1; k <= 255; k += k < 40 ? 1 : 54) {
		for (i = 0; i < ARRAY_SIZE(vlens); i++) {
			csum = cesium_rec_csum_of(CESIUM_REC_PUT, k * 3, src, k,
						  src + k, vlens[i]);
			size = cesium_rec_encode(a, CESIUM_REC_PUT, k * 3, src,
						 k, src + k, vlens[i]);
			KUNIT_ASSERT_EQ(test, cesium_rec_encode_csum(b,
					CESIUM_REC_PUT, k * 3, src, k, src + k,
					vlens[i], csum), size);
			KUNIT_ASSERT_EQ_MSG(test, memcmp(a, b, size), 0,
					    "key %u value %u", k, vlens[i]);
			KUNIT_ASSERT_EQ(test, cesium_rec_verify(b, size, &rec),
					(int)size);
		}
	}
	/* A delete: no value, NULL. */
	csum = cesium_rec_csum_of(CESIUM_REC_DELETE, 5, src, 9, NULL, 0);
	size = cesium_rec_encode(a, CESIUM_REC_DELETE, 5, src, 9, NULL, 0);
	cesium_rec_encode_csum(b, CESIUM_REC_DELETE, 5, src, 9, NULL, 0, csum);
	KUNIT_EXPECT_EQ(test, memcmp(a, b, size), 0);
	/* Any other op, namespace or value gives another checksum. */
	KUNIT_EXPECT_NE(test, csum, cesium_rec_csum_of(CESIUM_REC_PUT, 5, src, 9,
						       NULL, 0));
	KUNIT_EXPECT_NE(test, csum, cesium_rec_csum_of(CESIUM_REC_DELETE, 6,
						       src, 9, NULL, 0));
	KUNIT_EXPECT_NE(test, cesium_rec_csum_of(CESIUM_REC_PUT, 5, src, 9,
						 src, 1),
			cesium_rec_csum_of(CESIUM_REC_PUT, 5, src, 9, src + 1, 1));
}

static void format_batch(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, BLK, GFP_KERNEL);
	struct cesium_log_batch b = { .seq = 3, .prev_csum = 99 }, out;
	u32 len = CESIUM_LOG_HDR_BYTES;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len += cesium_rec_encode(buf + len, CESIUM_REC_PUT, 0, "a", 1, "1", 1);
	len += cesium_rec_encode(buf + len, CESIUM_REC_DELETE, 0, "b", 1,
				 NULL, 0);
	b.len = len;
	b.nr_records = 2;
	cesium_log_batch_seal(buf, &b);
	KUNIT_ASSERT_EQ(test, cesium_log_batch_verify(buf, BLK, &out), 0);
	KUNIT_EXPECT_EQ(test, out.seq, 3ull);
	KUNIT_EXPECT_EQ(test, out.prev_csum, 99ull);
	KUNIT_EXPECT_EQ(test, out.nr_records, 2u);
	/* A batch that claims more than was read is not verified. */
	KUNIT_EXPECT_EQ(test, cesium_log_batch_verify(buf, len - 1, &out),
			-EUCLEAN);
	/* Torn: the second half of the batch never made it. */
	memset(buf + len / 2, 0, len - len / 2);
	KUNIT_EXPECT_EQ(test, cesium_log_batch_verify(buf, BLK, &out), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, cesium_log_batch_peek(buf, BLK, &out), 0);
}

static void format_signatures(struct kunit *test)
{
	u8 *head = kunit_kzalloc(test, CESIUM_PROBE_HEAD_BYTES, GFP_KERNEL);
	u8 *btrfs = kunit_kzalloc(test, CESIUM_PROBE_BTRFS_BYTES, GFP_KERNEL);
	struct cesium_super sb;

	KUNIT_ASSERT_NOT_NULL(test, head);
	KUNIT_ASSERT_NOT_NULL(test, btrfs);
	KUNIT_EXPECT_EQ(test, cesium_detect_signature(head, 8192, btrfs, 4096),
			CESIUM_SIGNATURE_NONE);
	head[1080] = 0x53;
	head[1081] = 0xef;
	KUNIT_EXPECT_EQ(test, cesium_detect_signature(head, 8192, btrfs, 4096),
			CESIUM_SIGNATURE_EXT);
	memset(head, 0, 8192);
	head[510] = 0x55;
	head[511] = 0xaa;
	KUNIT_EXPECT_EQ(test, cesium_detect_signature(head, 8192, NULL, 0),
			CESIUM_SIGNATURE_PARTITIONS);
	memset(head, 0, 8192);
	memcpy(btrfs + 64, "_BHRfS_M", 8);
	KUNIT_EXPECT_EQ(test, cesium_detect_signature(head, 8192, btrfs, 4096),
			CESIUM_SIGNATURE_BTRFS);
	cesium_test_super(&sb);
	cesium_super_encode(&sb, head + 4096);
	KUNIT_EXPECT_EQ(test, cesium_detect_signature(head, 8192, NULL, 0),
			CESIUM_SIGNATURE_CESIUM);
}

static struct kunit_case cesium_format_cases[] = {
	KUNIT_CASE(format_super_roundtrip),
	KUNIT_CASE(format_super_damage),
	KUNIT_CASE(format_super_versions),
	KUNIT_CASE(format_record_roundtrip),
	KUNIT_CASE(format_record_csum_of),
	KUNIT_CASE(format_batch),
	KUNIT_CASE(format_signatures),
	{}
};

static struct kunit_suite cesium_format_suite = {
	.name = "cesium_format",
	.test_cases = cesium_format_cases,
};
kunit_test_suite(cesium_format_suite);
