// SPDX-License-Identifier: GPL-2.0
/*
 * The bio backend: a block device opened exclusively, read and written with
 * bios. A request is cut into bios of up to BIO_MAX_VECS pages, submitted
 * under one plug so they are all in flight at once, and waited for as a
 * group. Buffers must be aligned to the logical block size (the engine's
 * are page-aligned), so every bio covers whole logical blocks.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "bio_backend.h"

#define CREATE_TRACE_POINTS
#include "trace_io.h"

struct cesium_bio_backend {
	struct cesium_backend be;
	struct block_device *bdev;
	fmode_t mode;
};

/* One request's bios: the last to complete wakes the submitter. */
struct cesium_bio_wait {
	atomic_t pending;
	blk_status_t status;
	struct completion done;
};

static struct cesium_bio_backend *to_bio_be(struct cesium_backend *be)
{
	return container_of(be, struct cesium_bio_backend, be);
}

static void cesium_bio_end_io(struct bio *bio)
{
	struct cesium_bio_wait *w = bio->bi_private;

	if (bio->bi_status)
		WRITE_ONCE(w->status, bio->bi_status);
	bio_put(bio);
	if (atomic_dec_and_test(&w->pending))
		complete(&w->done);
}

static struct page *cesium_buf_page(const void *buf)
{
	return is_vmalloc_addr(buf) ? vmalloc_to_page(buf) : virt_to_page(buf);
}

static int cesium_bio_rw(struct cesium_bio_backend *b, u64 off, void *buf,
			 size_t len, blk_opf_t opf, blk_opf_t first_opf)
{
	u32 lbs = b->be.logical_block_size;
	blk_opf_t first_opf0 = first_opf;
	u64 start = off, start_len = len;
	struct cesium_bio_wait w;
	struct blk_plug plug;
	bool is_write = op_is_write(opf);
	int ret;

	if (WARN_ON_ONCE(!IS_ALIGNED(off | len | (unsigned long)buf, lbs) ||
			 off + len > b->be.size_bytes || off + len < off))
		return -EINVAL;

	atomic_set(&w.pending, 1);
	w.status = BLK_STS_OK;
	init_completion(&w.done);

	blk_start_plug(&plug);
	while (len) {
		unsigned int nr = min_t(size_t, BIO_MAX_VECS,
					DIV_ROUND_UP(offset_in_page(buf) + len,
						     PAGE_SIZE));
		struct bio *bio = bio_alloc(b->bdev, nr, opf | first_opf,
					    GFP_NOIO);

		first_opf = 0;
		bio->bi_iter.bi_sector = off >> SECTOR_SHIFT;
		bio->bi_end_io = cesium_bio_end_io;
		bio->bi_private = &w;
		while (len) {
			unsigned int poff = offset_in_page(buf);
			unsigned int plen = min_t(size_t, len, PAGE_SIZE - poff);

			if (bio_add_page(bio, cesium_buf_page(buf), plen,
					 poff) != plen)
				break;
			buf += plen;
			off += plen;
			len -= plen;
		}
		if (is_write) {
			atomic64_inc(&b->be.stats.writes);
			atomic64_add(bio->bi_iter.bi_size, &b->be.stats.write_bytes);
		} else {
			atomic64_inc(&b->be.stats.reads);
			atomic64_add(bio->bi_iter.bi_size, &b->be.stats.read_bytes);
		}
		atomic_inc(&w.pending);
		submit_bio(bio);
	}
	blk_finish_plug(&plug);

	if (!atomic_dec_and_test(&w.pending))
		wait_for_completion_io(&w.done);
	ret = w.status ? blk_status_to_errno(w.status) : 0;
	if (ret)
		atomic64_inc(&b->be.stats.errors);
	trace_cesium_io(b->be.name, is_write, start, start_len,
			(first_opf0 & REQ_PREFLUSH ? CESIUM_IO_PREFLUSH : 0) |
			(opf & REQ_FUA ? CESIUM_IO_FUA : 0), ret);
	return ret;
}

static int cesium_bio_read(struct cesium_backend *be, u64 off, void *buf,
			   size_t len)
{
	return cesium_bio_rw(to_bio_be(be), off, buf, len, REQ_OP_READ, 0);
}

static int cesium_bio_write(struct cesium_backend *be, u64 off,
			    const void *buf, size_t len, unsigned int flags)
{
	blk_opf_t opf = REQ_OP_WRITE | REQ_SYNC;
	blk_opf_t first = 0;

	/* PREFLUSH orders what came before: the first bio carries it. FUA
	 * must hold for every bio of the request.
	 */
	if (flags & CESIUM_IO_PREFLUSH)
		first |= REQ_PREFLUSH;
	if (flags & CESIUM_IO_FUA)
		opf |= REQ_FUA;
	if (first & REQ_PREFLUSH)
		atomic64_inc(&be->stats.flushes);
	/* The block layer takes the pages; it never writes to them. */
	return cesium_bio_rw(to_bio_be(be), off, (void *)buf, len, opf, first);
}

static int cesium_bio_flush(struct cesium_backend *be)
{
	int ret;

	atomic64_inc(&be->stats.flushes);
	ret = blkdev_issue_flush(to_bio_be(be)->bdev);
	if (ret)
		atomic64_inc(&be->stats.errors);
	return ret;
}

static int cesium_bio_discard(struct cesium_backend *be, u64 off, u64 len)
{
	struct block_device *bdev = to_bio_be(be)->bdev;
	int ret;

	if (!bdev_max_discard_sectors(bdev))
		return -EOPNOTSUPP;
	atomic64_inc(&be->stats.discards);
	atomic64_add(len, &be->stats.discard_bytes);
	ret = blkdev_issue_discard(bdev, off >> SECTOR_SHIFT,
				   len >> SECTOR_SHIFT, GFP_NOIO);
	if (ret && ret != -EOPNOTSUPP)
		atomic64_inc(&be->stats.errors);
	return ret;
}

static bool cesium_bio_alive(struct cesium_backend *be)
{
	return disk_live(to_bio_be(be)->bdev->bd_disk);
}

static void cesium_bio_release(struct cesium_backend *be)
{
	struct cesium_bio_backend *b = to_bio_be(be);

	blkdev_put(b->bdev, b->mode);
	kfree(b);
}

static const struct cesium_backend_ops cesium_bio_ops = {
	.read = cesium_bio_read,
	.write = cesium_bio_write,
	.flush = cesium_bio_flush,
	.discard = cesium_bio_discard,
	.alive = cesium_bio_alive,
	.release = cesium_bio_release,
};

struct cesium_backend *cesium_bio_backend_open(const char *path, void *holder)
{
	fmode_t mode = FMODE_READ | FMODE_WRITE | FMODE_EXCL;
	struct cesium_bio_backend *b;
	struct block_device *bdev;
	dev_t devt;
	int ret;

	/* lookup_bdev() tells a missing path from one that is not a block
	 * device; blkdev_get_by_path() would say -ENOTBLK for both.
	 */
	ret = lookup_bdev(path, &devt);
	if (ret)
		return ERR_PTR(ret);

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return ERR_PTR(-ENOMEM);

	bdev = blkdev_get_by_dev(devt, mode, holder);
	if (IS_ERR(bdev)) {
		ret = PTR_ERR(bdev);
		goto out_free;
	}
	if (bdev_logical_block_size(bdev) > PAGE_SIZE) {
		ret = -EINVAL;
		goto out_put;
	}
	b->bdev = bdev;
	b->mode = mode;
	b->be.ops = &cesium_bio_ops;
	b->be.logical_block_size = bdev_logical_block_size(bdev);
	b->be.physical_block_size = bdev_physical_block_size(bdev);
	b->be.io_opt_bytes = bdev_io_opt(bdev);
	b->be.max_io_bytes = queue_max_sectors(bdev_get_queue(bdev)) <<
			     SECTOR_SHIFT;
	b->be.size_bytes = round_down(bdev_nr_bytes(bdev),
				      b->be.logical_block_size);
	b->be.write_cache = bdev_write_cache(bdev);
	snprintf(b->be.name, sizeof(b->be.name), "%pg", bdev);
	return &b->be;

out_put:
	blkdev_put(bdev, mode);
out_free:
	kfree(b);
	return ERR_PTR(ret);
}

dev_t cesium_bio_backend_devt(struct cesium_backend *be)
{
	return to_bio_be(be)->bdev->bd_dev;
}
