// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * uringtest: the data commands as io_uring uring_cmds, in the VM guest.
 *
 *   uringtest /dev/cesiumN
 *
 * Prints "CESIUM-RESULT PASS|FAIL uring/<name>" lines; exits 1 on a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <liburing.h>
#include <linux/cesium.h>

#define INFLIGHT 64

static int failures;

static void result(const char *name, int ok, const char *fmt, long a, long b)
{
	if (ok) {
		printf("CESIUM-RESULT PASS uring/%s\n", name);
		return;
	}
	failures++;
	printf("CESIUM-RESULT FAIL uring/%s: ", name);
	printf(fmt, a, b);
	printf("\n");
}

static void check_res(const char *name, long got, long want)
{
	result(name, got == want, "got %ld, want %ld", got, want);
}

static void kv_cmd(struct cesium_kv_cmd *c, const char *key, void *val,
		   unsigned int vlen, unsigned long long *lenp)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->key_ptr = (unsigned long)key;
	c->key_len = strlen(key);
	c->value_ptr = (unsigned long)val;
	c->value_len = vlen;
	c->value_len_ptr = (unsigned long)lenp;
}

static void prep(struct io_uring *ring, int fd, unsigned int op,
		 const void *cmd, size_t len, unsigned long long data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, cmd, len);
	sqe->user_data = data;
}

/* Submit one command and wait for its result. */
static int run1(struct io_uring *ring, int fd, unsigned int op,
		const void *cmd, size_t len)
{
	struct io_uring_cqe *cqe;
	int res;

	prep(ring, fd, op, cmd, len, 1);
	if (io_uring_submit_and_wait(ring, 1) < 0 ||
	    io_uring_wait_cqe(ring, &cqe) < 0)
		return -1000;
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

int main(int argc, char **argv)
{
	static char vals[INFLIGHT][64], keys[INFLIGHT][16], out[INFLIGHT][64];
	static unsigned long long lens[INFLIGHT];
	struct io_uring_params p;
	struct cesium_kv_cmd c;
	struct io_uring ring, small;
	struct io_uring_cqe *cqe;
	int fd, i, ret, bad, seen;
	unsigned long long len = 0;
	char buf[64];

	if (argc != 2) {
		fprintf(stderr, "usage: uringtest /dev/cesiumN\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128;
	ret = io_uring_queue_init_params(2 * INFLIGHT, &ring, &p);
	if (ret < 0) {
		printf("CESIUM-RESULT FAIL uring/setup: %s\n", strerror(-ret));
		return 1;
	}

	kv_cmd(&c, "u-one", "hello", 5, NULL);
	check_res("put", run1(&ring, fd, CESIUM_IOC_PUT, &c, sizeof(c)), 0);
	kv_cmd(&c, "u-one", buf, sizeof(buf), &len);
	ret = run1(&ring, fd, CESIUM_IOC_GET, &c, sizeof(c));
	result("get", ret == 0 && len == 5 && !memcmp(buf, "hello", 5),
	       "res %ld len %ld", ret, (long)len);
	kv_cmd(&c, "u-one", buf, 2, &len);
	ret = run1(&ring, fd, CESIUM_IOC_GET, &c, sizeof(c));
	result("get-eoverflow", ret == -EOVERFLOW && len == 5,
	       "res %ld len %ld", ret, (long)len);
	kv_cmd(&c, "u-one", NULL, 0, NULL);
	check_res("exists", run1(&ring, fd, CESIUM_IOC_EXISTS, &c, sizeof(c)), 1);
	check_res("delete", run1(&ring, fd, CESIUM_IOC_DELETE, &c, sizeof(c)), 0);
	check_res("get-enoent", run1(&ring, fd, CESIUM_IOC_EXISTS, &c, sizeof(c)), 0);
	kv_cmd(&c, "", NULL, 0, NULL);
	check_res("empty-key-einval",
		  run1(&ring, fd, CESIUM_IOC_DELETE, &c, sizeof(c)), -EINVAL);
	kv_cmd(&c, "k", NULL, 0, NULL);
	c.reserved[1] = 1;
	check_res("reserved-einval",
		  run1(&ring, fd, CESIUM_IOC_EXISTS, &c, sizeof(c)), -EINVAL);
	kv_cmd(&c, "k", NULL, 0, NULL);
	c.flags = 1U << 30;
	check_res("flags-einval",
		  run1(&ring, fd, CESIUM_IOC_PUT, &c, sizeof(c)), -EINVAL);
	kv_cmd(&c, "k", NULL, 0, NULL);
	c.size = 81;
	check_res("size-einval",
		  run1(&ring, fd, CESIUM_IOC_EXISTS, &c, sizeof(c)), -EINVAL);
	kv_cmd(&c, "k", NULL, 0, NULL);
	c.key_ptr = 8;
	check_res("bad-pointer-efault",
		  run1(&ring, fd, CESIUM_IOC_EXISTS, &c, sizeof(c)), -EFAULT);
	kv_cmd(&c, "k", NULL, 0, NULL);
	check_res("unknown-op-enotty",
		  run1(&ring, fd, _IOW(CESIUM_IOC_MAGIC, 0x3f,
				       struct cesium_kv_cmd), &c, sizeof(c)),
		  -ENOTTY);

	/* Many in flight: puts, then gets, each with its own buffers. */
	for (i = 0; i < INFLIGHT; i++) {
		snprintf(keys[i], sizeof(keys[i]), "u-%03d", i);
		snprintf(vals[i], sizeof(vals[i]), "value-%d-%d", i, i * 7);
		kv_cmd(&c, keys[i], vals[i], strlen(vals[i]), NULL);
		prep(&ring, fd, CESIUM_IOC_PUT, &c, sizeof(c), i);
	}
	ret = io_uring_submit(&ring);
	for (bad = seen = 0; seen < INFLIGHT; seen++) {
		if (io_uring_wait_cqe(&ring, &cqe) < 0)
			break;
		bad += cqe->res != 0;
		io_uring_cqe_seen(&ring, cqe);
	}
	result("inflight-puts", ret == INFLIGHT && seen == INFLIGHT && !bad,
	       "submitted %ld, failed %ld", ret, bad);
	for (i = 0; i < INFLIGHT; i++) {
		kv_cmd(&c, keys[i], out[i], sizeof(out[i]), &lens[i]);
		prep(&ring, fd, CESIUM_IOC_GET, &c, sizeof(c), i);
	}
	ret = io_uring_submit(&ring);
	for (bad = seen = 0; seen < INFLIGHT; seen++) {
		if (io_uring_wait_cqe(&ring, &cqe) < 0)
			break;
		i = cqe->user_data;
		bad += cqe->res != 0 || lens[i] != strlen(vals[i]) ||
		       memcmp(out[i], vals[i], lens[i]);
		io_uring_cqe_seen(&ring, cqe);
	}
	result("inflight-gets", ret == INFLIGHT && seen == INFLIGHT && !bad,
	       "submitted %ld, wrong %ld", ret, bad);

	/* A ring of 64-byte SQEs cannot carry the command. */
	if (io_uring_queue_init(4, &small, 0) == 0) {
		kv_cmd(&c, "k", NULL, 0, NULL);
		check_res("no-sqe128-einval",
			  run1(&small, fd, CESIUM_IOC_EXISTS, &c, 16), -EINVAL);
		io_uring_queue_exit(&small);
	}
	io_uring_queue_exit(&ring);

	/* A read-only file cannot put, through io_uring either. */
	close(fd);
	fd = open(argv[1], O_RDONLY);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128;
	if (fd >= 0 && io_uring_queue_init_params(4, &ring, &p) == 0) {
		kv_cmd(&c, "k", "v", 1, NULL);
		check_res("readonly-ebadf",
			  run1(&ring, fd, CESIUM_IOC_PUT, &c, sizeof(c)), -EBADF);
		io_uring_queue_exit(&ring);
	}
	close(fd);
	return failures ? 1 : 0;
}
