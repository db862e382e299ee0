// SPDX-License-Identifier: GPL-2.0
/*
 * Attach: read the superblocks, load the checkpoint they point at and
 * replay the log after it.
 *
 * The checkpoint is the index as it was (ckpt.c): a ROOT record lists MAP
 * records, which list every segment's copy in key order. Recovery reads
 * those, then follows the chain of batches from the superblock's replay
 * point. It never reads more of the log than was written since the last
 * checkpoint, plus one stretch of at most a batch at the end to tell a torn
 * tail from damage:
 *  - a batch that does not verify, followed by one that does, continues the
 *    sequence and says the damaged one was durable before it was written,
 *    is damage: reported, its records lost, replay goes on;
 *  - otherwise it is the end of the log (never written, or torn by a crash
 *    before it was durable), and the log goes on from there.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <asm/unaligned.h>

#include "../io/backend.h"
#include "store_int.h"

static u32 cesium_dev_block_bytes(struct cesium_backend *be)
{
	return max_t(u32, CESIUM_MIN_BLOCK_BYTES, be->logical_block_size);
}

/**
 * cesium_read_super() - the superblock in force.
 * @be:		the device.
 * @sb:		receives it.
 *
 * Return: 0; -EMEDIUMTYPE when neither block is a CesiumDB superblock;
 * -EPROTONOSUPPORT; -EUCLEAN when damaged; -EIO; -ENOMEM.
 */
int cesium_read_super(struct cesium_backend *be, struct cesium_super *sb)
{
	u32 bs = cesium_dev_block_bytes(be);
	struct cesium_super cand;
	int ret, best = -EMEDIUMTYPE;
	u8 *blk;
	u32 i;

	if (be->size_bytes < 2ULL * bs)
		return -EMEDIUMTYPE;
	blk = cesium_io_alloc(bs, GFP_KERNEL);
	if (!blk)
		return -ENOMEM;
	for (i = 0; i < 2; i++) {
		ret = cesium_be_read(be, (u64)i * bs, blk, bs);
		if (!ret)
			ret = cesium_super_decode(blk, bs, &cand);
		if (!ret && cand.block_bytes != bs)
			ret = -EUCLEAN;
		if (!ret) {
			if (best || cand.seq > sb->seq)
				*sb = cand;
			best = 0;
		} else if (best && ret != -EMEDIUMTYPE) {
			/* Damage or a device error outranks "not ours". */
			best = ret;
		}
	}
	kvfree(blk);
	if (!best && sb->device_bytes > be->size_bytes)
		return -EUCLEAN;
	return best;
}

/*
 * Read the metadata record of @op with a @value_len value at @addr and
 * check it; for a SEG record @value_len is the most it may be (a
 * segment's image without its gap is shorter: ckpt.c). *@io is the buffer
 * to free; @rec points into it.
 */
static int cesium_read_meta(struct cesium_store *st, u64 addr, u32 value_len,
			    u8 op, u8 **io, struct cesium_rec *rec)
{
	u32 lbs = st->be->logical_block_size;
	u32 size = cesium_rec_size(0, op == CESIUM_REC_SEG ? 0 : value_len);
	u64 start = round_down(addr, lbs), end;
	int ret;

	*io = NULL;
	if (addr < st->sb.data_start || addr + size > st->sb.data_end ||
	    !IS_ALIGNED(addr, 8))
		return -EUCLEAN;
	/* The data region's end is block-aligned. */
	end = min(round_up(addr + cesium_rec_size(0, value_len), lbs),
		  st->sb.data_end);
	*io = cesium_io_alloc(end - start, GFP_KERNEL);
	if (!*io)
		return -ENOMEM;
	ret = cesium_be_read(st->be, start, *io, end - start);
	if (ret)
		return ret;
	st->recovery_bytes += end - start;
	ret = cesium_rec_verify(*io + (addr - start), end - addr, rec);
	if (ret < 0 || rec->op != op || rec->value_len > value_len ||
	    (op != CESIUM_REC_SEG && rec->value_len != value_len)) {
		atomic64_inc(&st->checksum_errors);
		return -EUCLEAN;
	}
	return 0;
}

/* Load the segments of one MAP record. */
static int cesium_load_map(struct cesium_store *st, u64 addr, u32 nr_segs,
			   u32 seg_bytes, u64 *prev_ns)
{
	struct cesium_rec map, seg;
	u8 *io, *sio = NULL;
	u32 i;
	int ret;

	ret = cesium_read_meta(st, addr, nr_segs * sizeof(__le64),
			       CESIUM_REC_MAP, &io, &map);
	if (ret)
		goto out;
	if (*prev_ns != U64_MAX && map.ns < *prev_ns) {
		ret = -EUCLEAN;
		goto out;
	}
	*prev_ns = map.ns;
	for (i = 0; i < nr_segs; i++) {
		u64 at = get_unaligned_le64(map.value + i * sizeof(__le64));

		kvfree(sio);
		ret = cesium_read_meta(st, at, seg_bytes, CESIUM_REC_SEG, &sio,
				       &seg);
		if (!ret && seg.ns != map.ns)
			ret = -EUCLEAN;
		if (!ret)
			ret = cesium_ns_load_seg(st, map.ns, seg.value,
						 seg.value_len, at);
		/* Damage costs the segment's keys (lost.c), not the store. */
		if (ret == -EUCLEAN)
			ret = cesium_lost_note(st, map.ns, at);
		if (ret)
			goto out;
	}
out:
	kvfree(sio);
	kvfree(io);
	return ret;
}

/*
 * The index as the last checkpoint wrote it. A SEG record that does not
 * verify loses its key range (lost.c); a damaged ROOT or MAP record fails
 * the attach: it would lose a whole namespace, or the store.
 */
static int cesium_load_ckpt(struct cesium_store *st)
{
	u64 prev_ns = U64_MAX, keys = 0;
	struct cesium_root root;
	struct cesium_rec rec;
	u32 i;
	u8 *io;
	int ret;

	if (!st->sb.ckpt_root)
		return 0;
	ret = cesium_read_meta(st, st->sb.ckpt_root, st->sb.ckpt_root_len,
			       CESIUM_REC_ROOT, &io, &rec);
	if (!ret)
		ret = cesium_root_decode(rec.value, rec.value_len, &root);
	if (!ret && root.seg_bytes != st->sb.block_bytes)
		ret = -EUCLEAN;
	for (i = 0; !ret && i < root.nr_maps; i++)
		ret = cesium_load_map(st, le64_to_cpu(root.maps[i].addr),
				      le32_to_cpu(root.maps[i].nr_segs),
				      root.seg_bytes, &prev_ns);
	kvfree(io);
	if (ret)
		goto fail;
	for (i = 0; i < st->nr_ns; i++)
		keys += cesium_index_count(&st->ns_vec[i]->idx);
	/* Lost segments took keys with them: the count cannot match. */
	if (keys != root.nr_keys && !st->lost_build) {
		ret = -EUCLEAN;
		goto fail;
	}
	st->ckpt_damaged = st->lost_build != NULL;
	return cesium_lost_publish(st);
fail:
	if (ret == -EUCLEAN)
		pr_err("cesium %s: the checkpoint is damaged (%d)\n",
		       st->be->name, ret);
	return ret;
}

/**
 * cesium_log_read_batch() - read and check the batch at @off.
 * @st:		the store.
 * @off:	a block in the data region.
 * @buf:	room for the largest batch, cesium_log_buf_bytes().
 * @b:		receives its header.
 * @bytes:	adds what was read.
 *
 * Return: the batch's padded size; 0 when no valid batch of this store is
 * there; -EIO.
 */
long cesium_log_read_batch(struct cesium_store *st, u64 off, u8 *buf,
			   struct cesium_log_batch *b, u64 *bytes)
{
	u32 bs = st->sb.block_bytes, cap = cesium_log_buf_bytes(bs), padded;
	int ret;

	ret = cesium_be_read(st->be, off, buf, bs);
	if (ret)
		return ret;
	*bytes += bs;
	if (cesium_log_batch_peek(buf, bs, b) ||
	    memcmp(b->uuid, st->sb.uuid, sizeof(b->uuid)))
		return 0;
	padded = round_up(b->len, bs);
	if (padded > cap || off + padded > st->sb.data_end)
		return 0;
	if (padded > bs) {
		ret = cesium_be_read(st->be, off + bs, buf + bs, padded - bs);
		if (ret)
			return ret;
		*bytes += padded - bs;
	}
	return cesium_log_batch_verify(buf, padded, b) ? 0 : padded;
}

static int cesium_replay_batch(struct cesium_store *st, const u8 *buf,
			       const struct cesium_log_batch *b, u64 off)
{
	struct cesium_rec rec;
	u32 pos;
	int ret;

	for (pos = CESIUM_LOG_HDR_BYTES; pos < b->len; pos += ret) {
		ret = cesium_rec_decode(buf + pos, b->len - pos, &rec);
		if (WARN_ON_ONCE(ret < 0))	/* the batch was verified */
			return ret;
		if (rec.op != CESIUM_REC_PUT && rec.op != CESIUM_REC_DELETE)
			continue;
		if (cesium_apply(st, rec.op, rec.ns, rec.key, rec.key_len,
				 rec.value, rec.value_len, off + pos,
				 GFP_KERNEL) == -ENOMEM)
			return -ENOMEM;
	}
	return 0;
}

/*
 * The block in @buf is where batch @seq should be and does not verify. Is
 * it damage rather than the end of the log: our magic with a header that
 * does not parse, or the header of batch @seq itself? (Never-written and
 * discarded blocks, and batches of an earlier lap, are the end.)
 */
static bool cesium_looks_damaged(struct cesium_store *st, const u8 *buf,
				 u64 seq)
{
	const struct cesium_disk_hdr *h = (const void *)buf;
	struct cesium_log_batch b;

	if (le32_to_cpu(h->magic) != CESIUM_DISK_MAGIC)
		return false;
	if (cesium_log_batch_peek(buf, st->sb.block_bytes, &b))
		return true;
	return b.seq == seq && !memcmp(b.uuid, st->sb.uuid, sizeof(b.uuid));
}

/* Is the batch at @at sequence @seq + 1, written after @seq was durable? */
static bool cesium_is_successor(struct cesium_store *st, u64 at, u64 seq,
				u8 *buf)
{
	struct cesium_log_batch b;

	return cesium_log_read_batch(st, at, buf, &b,
				     &st->recovery_bytes) > 0 &&
	       b.seq == seq + 1 && b.durable_seq >= seq;
}

/*
 * The batch at @off (sequence @seq) does not verify. Is its successor
 * within a batch's reach after it, or at the region's start (when @off was
 * a WRAP batch)? Return the successor's offset, or 0: @off is the end of
 * the log.
 */
u64 cesium_find_successor(struct cesium_store *st, u64 off, u64 seq, u8 *buf)
{
	u32 bs = st->sb.block_bytes;
	u64 at, stop = min(off + bs + cesium_log_buf_bytes(bs),
			   st->sb.data_end);

	for (at = off + bs; at + bs <= stop; at += bs)
		if (cesium_is_successor(st, at, seq, buf))
			return at;
	if (off != st->sb.data_start &&
	    cesium_is_successor(st, st->sb.data_start, seq, buf))
		return st->sb.data_start;
	return 0;
}

/**
 * cesium_recover() - load the checkpoint and replay the log after it.
 * @st:		the store, with its superblock read.
 * @pos:	receives where the log ends and begins.
 *
 * Return: 0; -EUCLEAN when the checkpoint's ROOT or a MAP record is
 * damaged; -EIO; -ENOMEM.
 */
int cesium_recover(struct cesium_store *st, struct cesium_log_pos *pos)
{
	u32 bs = st->sb.block_bytes, cap = cesium_log_buf_bytes(bs);
	u64 start = st->sb.data_start, end = st->sb.data_end;
	u64 size = end - start, off, lpos, seq, prev;
	struct cesium_log_batch b;
	ktime_t t0 = ktime_get();
	int ret;
	u8 *buf;

	ret = cesium_load_ckpt(st);
	if (ret)
		return ret;
	/* Before replay changes segments. */
	cesium_ckpt_note_segs(st);
	buf = vmalloc(cap);
	if (!buf)
		return -ENOMEM;

	pos->head_lpos = st->sb.gc_head - start;
	pos->head_seq = st->sb.gc_head_seq;
	off = st->sb.log_head;
	lpos = pos->head_lpos + (off >= st->sb.gc_head ? off - st->sb.gc_head :
				 size - (st->sb.gc_head - off));
	seq = st->sb.log_head_seq;
	prev = st->sb.log_head_prev;
	st->ckpt_begin_lpos = pos->head_lpos +
		(st->sb.ckpt_begin >= st->sb.gc_head ?
		 st->sb.ckpt_begin - st->sb.gc_head :
		 size - (st->sb.gc_head - st->sb.ckpt_begin));
	st->ckpt_tail_lpos = lpos;

	for (;;) {
		long n;

		if (end - off < bs) {
			lpos += end - off;
			off = start;
		}
		/* the tail never reaches the head: a full circle is damage */
		if (lpos + bs > pos->head_lpos + size)
			break;
		n = cesium_log_read_batch(st, off, buf, &b, &st->recovery_bytes);
		if (n < 0) {
			ret = n;
			break;
		}
		if (n && (b.seq != seq || b.prev_csum != prev))
			n = 0;
		if (!n) {
			u64 next = 0;

			if (cesium_looks_damaged(st, buf, seq))
				next = cesium_find_successor(st, off, seq, buf);

			if (!next)
				break;
			pr_err("cesium %s: log batch %llu at %llu is damaged, its records are lost\n",
			       st->be->name, seq, off);
			atomic64_inc(&st->damaged_batches);
			atomic64_inc(&st->checksum_errors);
			lpos += next >= off ? next - off : end - off + next - start;
			off = next;
			n = cesium_log_read_batch(st, off, buf, &b,
						  &st->recovery_bytes);
			if (n <= 0) {
				ret = n ? n : -EIO;
				break;
			}
			seq = b.seq;
		}
		if (b.flags & CESIUM_LOG_F_WRAP) {
			n = end - off;
		} else {
			cesium_index_write_begin(st);
			ret = cesium_replay_batch(st, buf, &b, off);
			cesium_index_write_end(st);
			if (ret)
				break;
		}
		prev = b.csum;
		seq++;
		off += n;
		lpos += n;
	}
	vfree(buf);
	if (end - off < bs) {
		lpos += end - off;
		off = start;
	}
	pos->tail = off;
	pos->tail_lpos = lpos;
	pos->seq = seq;
	pos->prev_csum = prev;
	if (pos->head_lpos == lpos)
		pos->head_seq = seq;
	st->recovery_us = ktime_us_delta(ktime_get(), t0);
	return ret;
}
