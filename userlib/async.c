// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The asynchronous API: GET, PUT, DELETE and EXISTS as io_uring
 * uring_cmds on a ring of 128-byte SQEs (IORING_SETUP_SQE128), the command
 * struct copied by value into the SQE (DESIGN.md "ABI"), the result in
 * cqe->res, the caller's pointer in cqe->user_data.
 *
 * Accounting: every command is "outstanding" from the call that queues it
 * until cesium_ring_reap() hands out its completion; at most @depth are.
 * The submission queue has @depth entries and the completion queue twice
 * that (liburing's default), so neither can overflow.
 */
#include <stdlib.h>
#include <string.h>
#include <liburing.h>
#include "private.h"

/* io_uring's own limit on a ring's entries (IORING_MAX_ENTRIES). */
#define RING_MAX_DEPTH	32768U

struct cesium_ring {
	struct io_uring ring;
	int fd;			/* the struct cesium's: not ours to close */
	unsigned int depth;
	unsigned int queued;	/* prepared, not yet submitted */
	unsigned int inflight;	/* submitted, completion not yet reaped */
};

int cesium_ring_open(struct cesium *c, unsigned int depth,
		     struct cesium_ring **out)
{
	struct io_uring_params p;
	struct cesium_ring *r;
	int ret;

	if (!c || !out)
		return -EFAULT;
	if (!depth || depth > RING_MAX_DEPTH)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128;
	ret = io_uring_queue_init_params(depth, &r->ring, &p);
	if (ret < 0) {
		free(r);
		return ret;
	}
	r->fd = c->fd;
	r->depth = depth;
	*out = r;
	return 0;
}

void cesium_ring_close(struct cesium_ring *r)
{
	if (!r)
		return;
	io_uring_queue_exit(&r->ring);
	free(r);
}

/* An SQE for one more outstanding command, or NULL when there is no room. */
static struct io_uring_sqe *ring_sqe(struct cesium_ring *r)
{
	struct io_uring_sqe *sqe;

	if (r->queued + r->inflight >= r->depth)
		return NULL;
	sqe = io_uring_get_sqe(&r->ring);
	if (sqe)
		r->queued++;
	return sqe;
}

/* Queue @cmd as a uring_cmd @op; the SQE keeps its own copy of it. */
static int ring_queue(struct cesium_ring *r, unsigned int op,
		      const struct cesium_kv_cmd *cmd, void *user_data)
{
	struct io_uring_sqe *sqe = ring_sqe(r);

	if (!sqe)
		return -EBUSY;
	_Static_assert(sizeof(*cmd) <= 80, "a command fits an SQE128's cmd");
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, r->fd, NULL, 0, 0);
	sqe->cmd_op = op;
	/* sqe->cmd: 16 bytes in the first half, 64 in the second (SQE128). */
	memcpy(sqe->cmd, cmd, sizeof(*cmd));
	io_uring_sqe_set_data(sqe, user_data);
	return 0;
}

/* The cheap checks of kv.c, for a ring. */
static int ring_check_key(const struct cesium_ring *r, const void *key,
			  size_t key_len)
{
	return r ? cesium__check_key(key, key_len) : -EFAULT;
}

int cesium_ring_put(struct cesium_ring *r, uint64_t ns, const void *key,
		    size_t key_len, const void *value, size_t value_len,
		    unsigned int flags, void *user_data)
{
	struct cesium_kv_cmd cmd;
	int ret;

	if (!r)
		return -EFAULT;
	ret = cesium__put_cmd(&cmd, ns, key, key_len, value, value_len, flags);
	if (ret)
		return ret;
	return ring_queue(r, CESIUM_IOC_PUT, &cmd, user_data);
}

int cesium_ring_get(struct cesium_ring *r, uint64_t ns, const void *key,
		    size_t key_len, void *buf, size_t buf_len,
		    uint64_t *value_len, unsigned int flags, void *user_data)
{
	struct cesium_kv_cmd cmd;
	int ret;

	if (!r)
		return -EFAULT;
	ret = cesium__get_cmd(&cmd, ns, key, key_len, buf, buf_len, value_len,
			      flags);
	if (ret)
		return ret;
	return ring_queue(r, CESIUM_IOC_GET, &cmd, user_data);
}

int cesium_ring_delete(struct cesium_ring *r, uint64_t ns, const void *key,
		       size_t key_len, unsigned int flags, void *user_data)
{
	struct cesium_kv_cmd cmd;
	int ret;

	ret = ring_check_key(r, key, key_len);
	if (ret)
		return ret;
	cesium__kv_init(&cmd, ns, key, key_len, flags);
	return ring_queue(r, CESIUM_IOC_DELETE, &cmd, user_data);
}

int cesium_ring_exists(struct cesium_ring *r, uint64_t ns, const void *key,
		       size_t key_len, unsigned int flags, void *user_data)
{
	struct cesium_kv_cmd cmd;
	int ret;

	ret = ring_check_key(r, key, key_len);
	if (ret)
		return ret;
	cesium__kv_init(&cmd, ns, key, key_len, flags);
	return ring_queue(r, CESIUM_IOC_EXISTS, &cmd, user_data);
}

int cesium_ring_submit(struct cesium_ring *r)
{
	int ret;

	if (!r)
		return -EFAULT;
	if (!r->queued)
		return 0;
	ret = io_uring_submit(&r->ring);
	if (ret < 0)
		return ret;
	r->queued -= (unsigned int)ret;
	r->inflight += (unsigned int)ret;
	return ret;
}

/* Move up to @max ready completions to @out; return how many. */
static unsigned int ring_take(struct cesium_ring *r,
			      struct cesium_completion *out, unsigned int max)
{
	struct io_uring_cqe *cqe;
	unsigned int n = 0;

	while (n < max && io_uring_peek_cqe(&r->ring, &cqe) == 0) {
		out[n].user_data = io_uring_cqe_get_data(cqe);
		out[n].result = cqe->res;
		io_uring_cqe_seen(&r->ring, cqe);
		n++;
	}
	r->inflight -= n;
	return n;
}

int cesium_ring_reap(struct cesium_ring *r, struct cesium_completion *out,
		     unsigned int max, unsigned int min_wait)
{
	struct io_uring_cqe *cqe;
	unsigned int got;
	int ret;

	if (!r || (!out && max))
		return -EFAULT;
	if (min_wait > max || min_wait > r->queued + r->inflight)
		return -EINVAL;
	/* Waiting for commands nobody submitted would never end. */
	if (min_wait && r->queued) {
		ret = cesium_ring_submit(r);
		if (ret < 0)
			return ret;
	}
	got = ring_take(r, out, max);
	/* r->inflight: only if the kernel took fewer than were queued. */
	while (got < min_wait && r->inflight) {
		ret = io_uring_wait_cqe_nr(&r->ring, &cqe, min_wait - got);
		if (ret < 0)
			return got ? (int)got : ret;
		got += ring_take(r, out + got, max - got);
	}
	return (int)got;
}
