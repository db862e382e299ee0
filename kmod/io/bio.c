// SPDX-License-Identifier: GPL-2.0
/*
 * The bio backend: a block device opened exclusively, read and written with
 * bios. A request is cut into bios of up to BIO_MAX_VECS pages, submitted
 * under one plug so they are all in flight at once, and waited for as a
 * group. Buffers must be aligned to the logical block size (the engine's
 * are page-aligned), so every bio covers whole logical blocks.
 *
 * An asynchronous read or write (read_async; write_async, the log's
 * batches) ends in the last bio's end_io instead. A read started with
 * CESIUM_IO_NOWAIT has bios with REQ_NOWAIT, which the block layer cannot
 * split: each is cut to the queue's limits here, and a bio
 * the queue cannot take at once ends with BLK_STS_AGAIN (the read then
 * ends with -EAGAIN, for the caller to read again where it may wait).
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
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

/* The last part of an asynchronous read has ended. Any context. */
static void cesium_bio_req_end(struct cesium_io_req *req)
{
	struct cesium_backend *be = req->be;
	int err = READ_ONCE(req->error);

	if (err && err != -EAGAIN)
		atomic64_inc(&be->stats.errors);
	if (!req->write && is_vmalloc_addr(req->buf))
		invalidate_kernel_vmap_range(req->buf, req->len);
	trace_cesium_io(be->name, req->write, req->off, req->len,
			req->flags, err);
	/* @req may be freed from here on. */
	req->end(req, err);
}

static void cesium_bio_async_end_io(struct bio *bio)
{
	struct cesium_io_req *req = bio->bi_private;

	if (bio->bi_status)
		cmpxchg(&req->error, 0, blk_status_to_errno(bio->bi_status));
	bio_put(bio);
	if (atomic_dec_and_test(&req->pending))
		cesium_bio_req_end(req);
}

/*
 * Bytes of a read at @off from @buf that one bio may carry so that the
 * block layer need not split it: at most the queue's max_sectors, ending
 * on a physical block as get_max_io_size() wants, within a chunk, and no
 * more pages than the queue's segments (a page is at most one segment).
 */
static size_t cesium_bio_max_bytes(struct cesium_bio_backend *b, u64 off,
				   const void *buf, size_t len)
{
	struct request_queue *q = bdev_get_queue(b->bdev);
	u32 pbs = b->be.physical_block_size;
	u32 lbs = b->be.logical_block_size;
	unsigned int pages = min_t(unsigned int, queue_max_segments(q),
				   BIO_MAX_VECS);
	u64 max = (u64)queue_max_sectors(q) << SECTOR_SHIFT;
	u64 end;

	max = min_t(u64, max, (u64)pages * PAGE_SIZE - offset_in_page(buf));
	if (q->limits.chunk_sectors)
		max = min_t(u64, max, (u64)blk_chunk_sectors_left(off >> SECTOR_SHIFT,
					q->limits.chunk_sectors) << SECTOR_SHIFT);
	end = round_down(off + max, pbs);
	if (end <= off)
		end = off + round_down(max, lbs);
	return min_t(u64, len, end - off);
}

/* One bio of an asynchronous request: @blen bytes at @off, @buf. */
static struct bio *cesium_bio_async_bio(struct cesium_bio_backend *b,
				       struct cesium_io_req *req, u64 off,
				       void *buf, size_t blen, blk_opf_t opf,
				       gfp_t gfp)
{
	struct bio *bio;

	bio = bio_alloc(b->bdev, DIV_ROUND_UP(offset_in_page(buf) + blen,
					      PAGE_SIZE), opf, gfp);
	if (!bio)
		return NULL;
	bio->bi_iter.bi_sector = off >> SECTOR_SHIFT;
	bio->bi_end_io = cesium_bio_async_end_io;
	bio->bi_private = req;
	while (blen) {
		unsigned int poff = offset_in_page(buf);
		unsigned int plen = min_t(size_t, blen, PAGE_SIZE - poff);

		if (WARN_ON_ONCE(bio_add_page(bio, cesium_buf_page(buf), plen,
					      poff) != plen)) {
			bio_put(bio);
			return NULL;
		}
		buf += plen;
		blen -= plen;
	}
	return bio;
}

/* Count a bio of an asynchronous request and send it. */
static void cesium_bio_submit_counted(struct cesium_backend *be,
				      struct bio *bio)
{
	if (op_is_write(bio_op(bio))) {
		atomic64_inc(&be->stats.writes);
		atomic64_add(bio->bi_iter.bi_size, &be->stats.write_bytes);
	} else {
		atomic64_inc(&be->stats.reads);
		atomic64_add(bio->bi_iter.bi_size, &be->stats.read_bytes);
	}
	submit_bio(bio);
}

/*
 * An asynchronous read or write of @len bytes at @off: bios sized so that
 * the block layer need not split them, sent under a plug. @first_opf goes
 * to the first bio only (PREFLUSH).
 */
static int cesium_bio_async(struct cesium_backend *be,
			    struct cesium_io_req *req, u64 off, void *buf,
			    size_t len, blk_opf_t opf, blk_opf_t first_opf,
			    bool nowait)
{
	struct cesium_bio_backend *b = to_bio_be(be);
	gfp_t gfp = nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO;
	struct bio_list bios;
	bool submitted = false;
	struct blk_plug plug;
	struct bio *bio;

	if (WARN_ON_ONCE(!IS_ALIGNED(off | len | (unsigned long)buf,
				     be->logical_block_size) || !len ||
			 off + len > be->size_bytes || off + len < off))
		return -EINVAL;
	if (nowait) {
		if (!bdev_nowait(b->bdev))
			return -EAGAIN;
		opf |= REQ_NOWAIT;
	}
	if (op_is_write(opf) && is_vmalloc_addr(buf))
		flush_kernel_vmap_range(buf, len);

	/*
	 * Without NOWAIT each bio is submitted once built (several bios of
	 * one bio_set held unsubmitted could wait on each other); with it,
	 * every bio is allocated first, so that a failed allocation leaves
	 * nothing in flight.
	 */
	bio_list_init(&bios);
	blk_start_plug(&plug);
	while (len) {
		bio = cesium_bio_async_bio(b, req, off, buf,
					  cesium_bio_max_bytes(b, off, buf, len),
					  opf | first_opf, gfp);
		if (!bio)
			goto out_fail;
		first_opf = 0;
		off += bio->bi_iter.bi_size;
		buf += bio->bi_iter.bi_size;
		len -= bio->bi_iter.bi_size;
		atomic_inc(&req->pending);
		if (nowait) {
			bio_list_add(&bios, bio);
			continue;
		}
		submitted = true;
		cesium_bio_submit_counted(be, bio);
	}
	while ((bio = bio_list_pop(&bios)))
		cesium_bio_submit_counted(be, bio);
	blk_finish_plug(&plug);
	if (atomic_dec_and_test(&req->pending))
		cesium_bio_req_end(req);
	return 0;

out_fail:
	blk_finish_plug(&plug);
	if (submitted) {
		/* Bios are in flight: the request ends, with an error. */
		cmpxchg(&req->error, 0, -EIO);
		if (atomic_dec_and_test(&req->pending))
			cesium_bio_req_end(req);
		return 0;
	}
	while ((bio = bio_list_pop(&bios)))
		bio_put(bio);
	return nowait ? -EAGAIN : -ENOMEM;
}

static int cesium_bio_read_async(struct cesium_backend *be,
				 struct cesium_io_req *req, u64 off, void *buf,
				 size_t len, unsigned int flags)
{
	return cesium_bio_async(be, req, off, buf, len, REQ_OP_READ, 0,
				flags & CESIUM_IO_NOWAIT);
}

static int cesium_bio_write_async(struct cesium_backend *be,
				  struct cesium_io_req *req, u64 off,
				  const void *buf, size_t len,
				  unsigned int flags)
{
	blk_opf_t opf = REQ_OP_WRITE | REQ_SYNC;
	blk_opf_t first = 0;

	/* As cesium_bio_write(). */
	if (flags & CESIUM_IO_PREFLUSH) {
		first |= REQ_PREFLUSH;
		atomic64_inc(&be->stats.flushes);
	}
	if (flags & CESIUM_IO_FUA)
		opf |= REQ_FUA;
	/* The block layer takes the pages; it never writes to them. */
	return cesium_bio_async(be, req, off, (void *)buf, len, opf, first,
				false);
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
	.read_async = cesium_bio_read_async,
	.write_async = cesium_bio_write_async,
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
