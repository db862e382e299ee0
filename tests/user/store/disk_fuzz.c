// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for every on-device parser: the input is taken as a
 * superblock, a log batch, a record and a device head by the parsers
 * themselves; then it becomes the log of a freshly formatted store on the
 * memory backend, which is attached (recovery parses it), read and
 * scanned. Byte 0 chooses whether the harness seals the records as a
 * valid first batch (so recovery replays them rather than stopping at a
 * checksum), and whether a superblock then names the first record as a
 * checkpoint's ROOT (so recovery parses roots, maps and segments from the
 * input). The input is also taken as a ROOT value and as an index segment
 * image. No input may crash, hang, leak or WARN.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/types.h>
#include <linux/xxhash.h>

#include "kmod/engine/format.h"
#include "kmod/engine/index.h"
#include "kmod/engine/store.h"
#include "kmod/io/backend.h"
#include "tests/user/shim/shim.h"

#define DEV_BYTES	(1U << 20)
#define BLK		4096
#define LOG_BYTES	(64U * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A segment image from the input, whole or without its gap (as long as
 * the input, up to a segment): loaded only if it checks out; then its
 * own image must load again and give the same segment.
 */
static void fuzz_segment(const uint8_t *data, size_t size)
{
	static u8 img[BLK], img2[BLK];
	struct cesium_index_pos pos;
	struct cesium_index idx, again;
	struct cesium_vref v;
	const u8 *key;
	u32 key_len, len = size < BLK ? size : BLK, img_len;
	int ret;

	if (cesium_index_init(&idx, BLK))
		return;
	if (!cesium_index_load_seg(&idx, data, len, 1 << 20, GFP_KERNEL)) {
		if (cesium_index_check(&idx))
			abort();
		for (ret = cesium_index_first(&idx, &pos); !ret;
		     ret = cesium_index_next(&idx, &pos)) {
			cesium_index_entry(&idx, &pos, &key, &key_len, &v);
			if (cesium_index_lookup(&idx, key, key_len, &v))
				abort();
		}
		img_len = cesium_index_seg_image(&idx, 0, img);
		if (cesium_index_init(&again, BLK) ||
		    cesium_index_load_seg(&again, img, img_len, 1, GFP_KERNEL) ||
		    cesium_index_image_bytes(&again) != img_len ||
		    cesium_index_seg_image(&again, 0, img2) != img_len ||
		    memcmp(img, img2, img_len))
			abort();
		cesium_index_destroy(&again);
		cesium_index_seg_release(&idx, data, len, 1 << 20);
		cesium_index_load_seg(&idx, data, len, 2 << 20, GFP_KERNEL);
	}
	cesium_index_destroy(&idx);
}

/* Make the superblocks name the record at the batch's start a ROOT. */
static void point_root(struct cesium_backend *be, struct cesium_super *sb,
		       const u8 *buf, u8 *blk)
{
	const struct cesium_disk_rec *r =
		(const void *)(buf + CESIUM_LOG_HDR_BYTES);

	sb->seq++;
	sb->ckpt_root = 2 * BLK + CESIUM_LOG_HDR_BYTES;
	sb->ckpt_root_len = le32_to_cpu(r->value_len);
	memset(blk, 0, BLK);
	cesium_super_encode(sb, blk);
	if (cesium_be_write(be, 0, blk, BLK, 0) ||
	    cesium_be_write(be, BLK, blk, BLK, 0))
		abort();
}

/* Seal the records at the start of @buf's payload as batch 1 of @sb. */
static void seal_first_batch(u8 *buf, const struct cesium_super *sb)
{
	struct cesium_log_batch b = { .seq = 1 };
	struct cesium_rec rec;
	u32 off = CESIUM_LOG_HDR_BYTES;
	int n;

	while ((n = cesium_rec_decode(buf + off, LOG_BYTES - off, &rec)) > 0) {
		off += n;
		b.nr_records++;
	}
	b.prev_csum = sb->log_head_prev;
	memcpy(b.uuid, sb->uuid, sizeof(b.uuid));
	b.len = off;
	cesium_log_batch_seal(buf, &b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 buf[LOG_BYTES], out[8192];
	struct cesium_log_batch b;
	struct cesium_super sb;
	struct cesium_root root;
	struct cesium_rec rec;
	enum cesium_signature sig;
	struct cesium_backend *be;
	struct cesium_store *st;
	u32 len;

	shim_warn_abort(true);
	shim_printk_quiet(true);
	cesium_super_decode(data, size, &sb);
	cesium_log_batch_peek(data, size, &b);
	cesium_log_batch_verify(data, size, &b);
	cesium_rec_verify(data, size, &rec);
	cesium_detect_signature(data, size, data, size);
	cesium_root_decode(data, size, &root);
	fuzz_segment(data, size);
	if (!size)
		return 0;

	be = cesium_mem_backend_create(DEV_BYTES, 512);
	if (!be || cesium_store_format(be, true, &sig))
		abort();
	memset(buf, 0, sizeof(buf));
	memcpy(buf, data + 1, size - 1 < LOG_BYTES ? size - 1 : LOG_BYTES);
	if (data[0] & 1) {
		if (cesium_be_read(be, 0, out, BLK) ||
		    cesium_super_decode(out, BLK, &sb))
			abort();
		seal_first_batch(buf, &sb);
	}
	if (cesium_be_write(be, 2 * BLK, buf, LOG_BYTES, 0))
		abort();
	if ((data[0] & 3) == 3)
		point_root(be, &sb, buf, out);
	if (!cesium_store_open(be, 5, &st)) {
		struct cesium_scan_args a = {
			.buf = out, .buf_len = sizeof(out), .limit = 50,
		};

		cesium_store_get(st, 0, data, size < 8 ? size : 8, out,
				 sizeof(out), &len);
		cesium_store_scan(st, &a);
		a.flags = CESIUM_ST_SCAN_REVERSE;
		cesium_store_scan(st, &a);
		cesium_store_put(st, 0, (const u8 *)"k", 1, "v", 1, 0, 0);
		cesium_store_close(st);
	}
	cesium_be_release(be);
	return 0;
}
