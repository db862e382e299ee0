// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libcesium-user's asynchronous API without the module: what the ring
 * functions refuse before any system call, the SQEs they fill in (read
 * back from the ring before submission: async.c is compiled into this
 * program), the depth limit, and a round trip through the host's real
 * io_uring to /dev/null, where every command completes with its own
 * user_data (and a result of the host's choosing: -EOPNOTSUPP from a
 * kernel, 0 from some sandboxes). Skips (77) where the host has no
 * io_uring with SQE128.
 */
#include <fcntl.h>
#include <stdlib.h>
#include "../../../userlib/async.c"
#include "test.h"

#define DEPTH	8

/* The SQE of the @i-th command queued since the last submission. */
static const struct io_uring_sqe *queued_sqe(struct cesium_ring *r,
					     unsigned int i)
{
	struct io_uring_sq *sq = &r->ring.sq;
	unsigned int idx = (sq->sqe_head + i) & *sq->kring_mask;

	/* SQE128: each entry is two struct io_uring_sqe. */
	return &sq->sqes[idx << 1];
}

static struct cesium_kv_cmd sqe_cmd(const struct io_uring_sqe *sqe)
{
	struct cesium_kv_cmd cmd;

	memcpy(&cmd, sqe->cmd, sizeof(cmd));
	return cmd;
}

static void test_args(struct cesium *c, struct cesium_ring *r)
{
	static char key[256], buf[16];
	struct cesium_completion done[2];
	struct cesium_ring *r2 = (struct cesium_ring *)&r2;
	uint64_t len;

	CHECK_INT(cesium_ring_open(NULL, 8, &r2), -EFAULT);
	CHECK_INT(cesium_ring_open(c, 8, NULL), -EFAULT);
	CHECK_INT(cesium_ring_open(c, 0, &r2), -EINVAL);
	CHECK_INT(cesium_ring_open(c, 32769, &r2), -EINVAL);
	CHECK(r2 == (struct cesium_ring *)&r2);	/* untouched on failure */
	cesium_ring_close(NULL);

	CHECK_INT(cesium_ring_put(NULL, 0, key, 1, "v", 1, 0, NULL), -EFAULT);
	CHECK_INT(cesium_ring_put(r, 0, key, 0, "v", 1, 0, NULL), -EINVAL);
	CHECK_INT(cesium_ring_put(r, 0, key, 256, "v", 1, 0, NULL), -E2BIG);
	CHECK_INT(cesium_ring_put(r, 0, NULL, 1, "v", 1, 0, NULL), -EFAULT);
	CHECK_INT(cesium_ring_put(r, 0, key, 1, NULL, 1, 0, NULL), -EFAULT);
	if (sizeof(size_t) > 4)
		CHECK_INT(cesium_ring_put(r, 0, key, 1, "v",
					  (size_t)UINT32_MAX + 1, 0, NULL),
			  -E2BIG);

	CHECK_INT(cesium_ring_get(NULL, 0, key, 1, buf, 1, &len, 0, NULL),
		  -EFAULT);
	CHECK_INT(cesium_ring_get(r, 0, key, 0, buf, 1, &len, 0, NULL),
		  -EINVAL);
	CHECK_INT(cesium_ring_get(r, 0, key, 256, buf, 1, &len, 0, NULL),
		  -E2BIG);
	CHECK_INT(cesium_ring_get(r, 0, NULL, 1, buf, 1, &len, 0, NULL),
		  -EFAULT);
	CHECK_INT(cesium_ring_get(r, 0, key, 1, NULL, 1, &len, 0, NULL),
		  -EFAULT);

	CHECK_INT(cesium_ring_delete(NULL, 0, key, 1, 0, NULL), -EFAULT);
	CHECK_INT(cesium_ring_delete(r, 0, key, 0, 0, NULL), -EINVAL);
	CHECK_INT(cesium_ring_delete(r, 0, key, 256, 0, NULL), -E2BIG);
	CHECK_INT(cesium_ring_delete(r, 0, NULL, 1, 0, NULL), -EFAULT);
	CHECK_INT(cesium_ring_exists(NULL, 0, key, 1, 0, NULL), -EFAULT);
	CHECK_INT(cesium_ring_exists(r, 0, key, 0, 0, NULL), -EINVAL);
	CHECK_INT(cesium_ring_exists(r, 0, key, 256, 0, NULL), -E2BIG);
	CHECK_INT(cesium_ring_exists(r, 0, NULL, 1, 0, NULL), -EFAULT);

	CHECK_INT(cesium_ring_submit(NULL), -EFAULT);
	CHECK_INT(cesium_ring_reap(NULL, done, 2, 0), -EFAULT);
	CHECK_INT(cesium_ring_reap(r, NULL, 2, 0), -EFAULT);
	CHECK_INT(cesium_ring_reap(r, NULL, 0, 0), 0);
	CHECK_INT(cesium_ring_reap(r, done, 2, 3), -EINVAL);
	/* Nothing outstanding: waiting for one would never end. */
	CHECK_INT(cesium_ring_reap(r, done, 2, 1), -EINVAL);
	CHECK_INT(cesium_ring_reap(r, done, 2, 0), 0);
	CHECK_INT(cesium_ring_submit(r), 0);

	/* None of the above queued anything. */
	CHECK_INT(r->queued + r->inflight, 0);
}

/* What the queuing functions put in the SQEs. */
static void test_sqes(struct cesium_ring *r, int fd)
{
	static const char k1[] = "key-one", k2[] = "k2", v[] = "value";
	static char buf[32];
	static uint64_t len;
	struct cesium_completion done[4];
	const struct io_uring_sqe *sqe;
	struct cesium_kv_cmd cmd;
	int tags[4];

	CHECK_INT(cesium_ring_put(r, 7, k1, 7, v, 5, CESIUM_DUR_SYNC |
				  CESIUM_PUT_NO_OVERWRITE, &tags[0]), 0);
	CHECK_INT(cesium_ring_get(r, 8, k2, 2, buf, sizeof(buf), &len, 0,
				  &tags[1]), 0);
	CHECK_INT(cesium_ring_delete(r, 9, k1, 3, CESIUM_DUR_NONE,
				     &tags[2]), 0);
	CHECK_INT(cesium_ring_exists(r, 0, k2, 1, 0, &tags[3]), 0);
	CHECK_INT(r->queued, 4);

	sqe = queued_sqe(r, 0);
	CHECK_INT(sqe->opcode, IORING_OP_URING_CMD);
	CHECK_INT(sqe->fd, fd);
	CHECK(sqe->cmd_op == (uint32_t)CESIUM_IOC_PUT);
	CHECK(sqe->user_data == (uintptr_t)&tags[0]);
	cmd = sqe_cmd(sqe);
	CHECK_INT(cmd.size, sizeof(cmd));
	CHECK_INT(cmd.flags, CESIUM_DUR_SYNC | CESIUM_PUT_NO_OVERWRITE);
	CHECK(cmd.ns == 7);
	CHECK(cmd.key_ptr == (uintptr_t)k1 && cmd.key_len == 7);
	CHECK(cmd.value_ptr == (uintptr_t)v && cmd.value_len == 5);
	CHECK(cmd.value_len_ptr == 0);
	CHECK(cmd.reserved[0] == 0 && cmd.reserved[1] == 0);

	sqe = queued_sqe(r, 1);
	CHECK(sqe->cmd_op == (uint32_t)CESIUM_IOC_GET);
	cmd = sqe_cmd(sqe);
	CHECK(cmd.ns == 8 && cmd.flags == 0);
	CHECK(cmd.key_ptr == (uintptr_t)k2 && cmd.key_len == 2);
	CHECK(cmd.value_ptr == (uintptr_t)buf && cmd.value_len == sizeof(buf));
	CHECK(cmd.value_len_ptr == (uintptr_t)&len);

	sqe = queued_sqe(r, 2);
	CHECK(sqe->cmd_op == (uint32_t)CESIUM_IOC_DELETE);
	cmd = sqe_cmd(sqe);
	CHECK(cmd.ns == 9 && cmd.flags == CESIUM_DUR_NONE && cmd.key_len == 3);
	CHECK(cmd.value_ptr == 0 && cmd.value_len == 0);

	sqe = queued_sqe(r, 3);
	CHECK(sqe->cmd_op == (uint32_t)CESIUM_IOC_EXISTS);
	CHECK(sqe_cmd(sqe).key_len == 1);

	/* Through the real io_uring: each completes with its user_data. */
	CHECK_INT(cesium_ring_submit(r), 4);
	CHECK_INT(r->inflight, 4);
	CHECK_INT(cesium_ring_reap(r, done, 4, 4), 4);
	for (int i = 0; i < 4; i++) {
		CHECK(done[i].user_data >= (void *)&tags[0] &&
		      done[i].user_data <= (void *)&tags[3]);
		CHECK(done[i].result == -EOPNOTSUPP || done[i].result == 0);
	}
	CHECK(done[0].user_data != done[1].user_data &&
	      done[2].user_data != done[3].user_data);
	CHECK_INT(r->inflight, 0);
}

/* At most DEPTH outstanding; reap with min_wait submits what is queued. */
static void test_depth(struct cesium_ring *r)
{
	struct cesium_completion done[DEPTH];
	unsigned int i;
	int got = 0, ret;

	for (i = 0; i < DEPTH; i++)
		CHECK_INT(cesium_ring_exists(r, 0, "k", 1, 0,
					     (void *)(uintptr_t)(i + 1)), 0);
	CHECK_INT(cesium_ring_exists(r, 0, "k", 1, 0, NULL), -EBUSY);
	/* Submitted, still outstanding: still full. */
	CHECK_INT(cesium_ring_submit(r), DEPTH);
	CHECK_INT(cesium_ring_put(r, 0, "k", 1, NULL, 0, 0, NULL), -EBUSY);
	/* Two at a time, until all are in. */
	while (got < DEPTH) {
		ret = cesium_ring_reap(r, done + got, 2, 1);
		CHECK(ret >= 1 && ret <= 2);
		if (ret < 1)
			break;
		got += ret;
	}
	CHECK_INT(got, DEPTH);
	/* Room again; reap(min_wait 1) submits the queued command itself. */
	CHECK_INT(cesium_ring_delete(r, 0, "k", 1, 0, (void *)42), 0);
	CHECK_INT(cesium_ring_reap(r, done, 1, 1), 1);
	CHECK(done[0].user_data == (void *)42);
	CHECK(done[0].result == -EOPNOTSUPP || done[0].result == 0);
	CHECK_INT(cesium_ring_reap(r, done, DEPTH, 0), 0);
}

int main(void)
{
	struct cesium_ring *r = NULL;
	struct cesium *c = NULL;
	int ret;

	/* Any path with a '/' is opened as given: /dev/null stands in. */
	ret = cesium_open("/dev/null", O_RDWR, &c);
	CHECK_INT(ret, 0);
	if (ret)
		return test_end("lib-async");
	ret = cesium_ring_open(c, DEPTH, &r);
	if (ret == -ENOSYS || ret == -EPERM || ret == -EINVAL) {
		printf("SKIP: user/lib-async: no io_uring with SQE128 here "
		       "(%s)\n", strerror(-ret));
		cesium_close(c);
		return TEST_SKIP;
	}
	CHECK_INT(ret, 0);
	if (!ret) {
		test_args(c, r);
		test_sqes(r, cesium_fd(c));
		test_depth(r);
		cesium_ring_close(r);
	}
	cesium_close(c);
	return test_end("lib-async");
}
