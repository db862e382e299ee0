// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * asynctest: libcesium-user's asynchronous API (cesium_ring_*) against the
 * real module, in the VM guest.
 *
 *   asynctest /dev/cesiumN
 *
 * 1,000 puts, then 1,000 gets, then 1,000 exists and 1,000 deletes on a
 * ring of depth 64, refilled as completions come so that at least 32
 * commands are in flight at once; every result and every value checked,
 * and each value cross-checked through the synchronous API. Then 1,000
 * puts with CESIUM_DUR_SYNC the same way: each completes only once
 * durable, and with many in flight they share the device's flushes (at
 * most one flush per 4 puts; one each when they wait one by one). Then the
 * errors a completion carries (-ENOENT, -EOVERFLOW with the length,
 * -EEXIST, -EBADF through a read-only handle) and -EBUSY from a full ring.
 * Leaves the device as it found it (its keys deleted).
 *
 * Prints "CESIUM-RESULT PASS|FAIL async/<name>" lines; exits 1 on a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cesium.h>

#define N		1000
#define DEPTH		64
#define MIN_INFLIGHT	32
#define VAL_MAX		200

static int failures;

static void result(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void result(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("CESIUM-RESULT PASS async/%s\n", name);
		return;
	}
	failures++;
	printf("CESIUM-RESULT FAIL async/%s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Every command's own memory: it must stay put until its completion. */
static struct slot {
	char key[32];
	size_t key_len;
	char value[VAL_MAX];
	size_t value_len;
	char buf[VAL_MAX];
	uint64_t got_len;
	int done;
	int result;
} slots[N];

enum op { OP_PUT, OP_GET, OP_EXISTS, OP_DELETE, OP_SYNC_PUT };
static const char *const op_names[] = { "puts", "gets", "exists", "deletes",
					"sync-puts" };

static int queue(struct cesium_ring *r, enum op op, struct slot *s)
{
	switch (op) {
	case OP_PUT:
		return cesium_ring_put(r, 0, s->key, s->key_len, s->value,
				       s->value_len, 0, s);
	case OP_GET:
		return cesium_ring_get(r, 0, s->key, s->key_len, s->buf,
				       sizeof(s->buf), &s->got_len, 0, s);
	case OP_EXISTS:
		return cesium_ring_exists(r, 0, s->key, s->key_len, 0, s);
	case OP_DELETE:
		return cesium_ring_delete(r, 0, s->key, s->key_len, 0, s);
	case OP_SYNC_PUT:
		return cesium_ring_put(r, 0, s->key, s->key_len, s->value,
				       s->value_len, CESIUM_DUR_SYNC, s);
	}
	return -EINVAL;
}

/*
 * Run @op on every slot through @r, at most DEPTH outstanding, topping the
 * ring up after each reap. Return the most commands seen in flight at
 * once (submitted, not reaped), or -1 after printing a failure.
 */
static int run_all(struct cesium_ring *r, enum op op)
{
	struct cesium_completion done[DEPTH];
	unsigned int next = 0, reaped = 0, inflight = 0, max_inflight = 0;
	int ret, i;

	for (i = 0; i < N; i++)
		slots[i].done = 0;
	while (reaped < N) {
		while (next < N && inflight < DEPTH) {
			ret = queue(r, op, &slots[next]);
			if (ret) {
				result(op_names[op], 0, "queueing %u: %s",
				       next, strerror(-ret));
				return -1;
			}
			next++;
			inflight++;
		}
		ret = cesium_ring_submit(r);
		if (ret < 0) {
			result(op_names[op], 0, "submit: %s", strerror(-ret));
			return -1;
		}
		if (inflight > max_inflight)
			max_inflight = inflight;
		/* Wait for a few, so that the ring stays well filled. */
		ret = cesium_ring_reap(r, done, DEPTH, inflight < 8 ?
				       inflight : 8);
		if (ret < 0) {
			result(op_names[op], 0, "reap: %s", strerror(-ret));
			return -1;
		}
		for (i = 0; i < ret; i++) {
			struct slot *s = done[i].user_data;

			if (s < slots || s >= slots + N || s->done) {
				result(op_names[op], 0,
				       "completion with a bad user_data %p",
				       (void *)s);
				return -1;
			}
			s->done = 1;
			s->result = done[i].result;
		}
		reaped += (unsigned int)ret;
		inflight -= (unsigned int)ret;
	}
	return (int)max_inflight;
}

static void check_results(enum op op, int max_inflight)
{
	int i, bad = 0, first = -1;
	char name[64];

	if (max_inflight < 0)
		return;
	for (i = 0; i < N; i++) {
		struct slot *s = &slots[i];
		int ok;

		switch (op) {
		case OP_GET:
			ok = s->result == 0 && s->got_len == s->value_len &&
			     !memcmp(s->buf, s->value, s->value_len);
			break;
		case OP_EXISTS:
			ok = s->result == 1;
			break;
		default:
			ok = s->result == 0;
		}
		if (!ok && first < 0)
			first = i;
		bad += !ok;
	}
	snprintf(name, sizeof(name), "%s-%d", op_names[op], N);
	result(name, !bad, "%d of %d wrong, the first key %s: result %d",
	       bad, N, first >= 0 ? slots[first].key : "-",
	       first >= 0 ? slots[first].result : 0);
	snprintf(name, sizeof(name), "%s-inflight", op_names[op]);
	result(name, max_inflight >= MIN_INFLIGHT,
	       "at most %d in flight, want %d", max_inflight, MIN_INFLIGHT);
}

/* One command through the ring, waited for. */
static int one(struct cesium_ring *r, int queued, void *tag)
{
	struct cesium_completion c;
	int ret;

	if (queued)
		return queued;
	ret = cesium_ring_reap(r, &c, 1, 1);
	if (ret != 1)
		return ret < 0 ? ret : -1000;
	if (c.user_data != tag)
		return -1001;
	return c.result;
}

static void test_errors(struct cesium *c, const char *path)
{
	static char small[4], big[VAL_MAX];
	struct cesium_completion done[DEPTH];
	struct cesium_ring *r, *ro_ring;
	struct cesium *ro;
	uint64_t len = 0;
	int ret, i, tag;

	if (cesium_ring_open(c, 4, &r)) {
		result("errors-setup", 0, "cesium_ring_open failed");
		return;
	}
	ret = one(r, cesium_ring_get(r, 0, "async-none", 10, big, sizeof(big),
				     &len, 0, &tag), &tag);
	result("get-enoent", ret == -ENOENT, "result %d", ret);
	ret = one(r, cesium_ring_exists(r, 0, "async-none", 10, 0, &tag),
		  &tag);
	result("exists-0", ret == 0, "result %d", ret);
	ret = one(r, cesium_ring_delete(r, 0, "async-none", 10, 0, &tag),
		  &tag);
	result("delete-enoent", ret == -ENOENT, "result %d", ret);
	ret = one(r, cesium_ring_put(r, 0, "async-e", 7, "hello", 5,
				     CESIUM_DUR_SYNC, &tag), &tag);
	result("put-sync", ret == 0, "result %d", ret);
	ret = one(r, cesium_ring_put(r, 0, "async-e", 7, "x", 1,
				     CESIUM_PUT_NO_OVERWRITE, &tag), &tag);
	result("put-eexist", ret == -EEXIST, "result %d", ret);
	ret = one(r, cesium_ring_get(r, 0, "async-e", 7, small, 2, &len, 0,
				     &tag), &tag);
	result("get-eoverflow", ret == -EOVERFLOW && len == 5,
	       "result %d, length %" PRIu64, ret, len);
	ret = one(r, cesium_ring_put(r, 0, "async-e", 7, "x", 1, 1U << 30,
				     &tag), &tag);
	result("put-bad-flag-einval", ret == -EINVAL, "result %d", ret);
	ret = one(r, cesium_ring_delete(r, 0, "async-e", 7, 0, &tag), &tag);
	result("delete", ret == 0, "result %d", ret);

	/* A full ring refuses more, and takes them again once reaped. */
	for (i = 0; i < 4; i++)
		cesium_ring_exists(r, 0, "async-e", 7, 0, NULL);
	ret = cesium_ring_exists(r, 0, "async-e", 7, 0, NULL);
	result("full-ebusy", ret == -EBUSY, "returned %d", ret);
	ret = cesium_ring_reap(r, done, 4, 4);
	result("full-reaped", ret == 4, "reaped %d", ret);
	ret = cesium_ring_reap(r, done, 4, 1);
	result("reap-nothing-einval", ret == -EINVAL, "returned %d", ret);
	cesium_ring_close(r);

	/* A read-only handle's ring: the kernel refuses the put. */
	if (cesium_open(path, O_RDONLY, &ro) ||
	    cesium_ring_open(ro, 2, &ro_ring)) {
		result("readonly-ebadf", 0, "opening read-only failed");
		return;
	}
	ret = one(ro_ring, cesium_ring_put(ro_ring, 0, "async-ro", 8, "v", 1,
					   0, &tag), &tag);
	result("readonly-ebadf", ret == -EBADF, "result %d", ret);
	cesium_ring_close(ro_ring);
	cesium_close(ro);
}

/* Sync puts in flight together: group commit without a thread each. */
static void test_sync_puts(struct cesium *c, struct cesium_ring *r)
{
	struct cesium_stats before, after;
	uint64_t flushes;
	int i, ret;

	if (cesium_stats(c, &before)) {
		result("sync-puts-stats", 0, "cesium_stats failed");
		return;
	}
	check_results(OP_SYNC_PUT, run_all(r, OP_SYNC_PUT));
	if (cesium_stats(c, &after)) {
		result("sync-puts-stats", 0, "cesium_stats failed");
		return;
	}
	flushes = after.flushes - before.flushes;
	result("sync-puts-group-commit", flushes > 0 && flushes <= N / 4,
	       "%" PRIu64 " device flushes for %d sync puts", flushes, N);
	printf("CESIUM-NOTE %" PRIu64 " device flushes for %d sync puts "
	       "(uring, %d deep)\n", flushes, N, DEPTH);
	for (i = 0; i < N; i++) {
		ret = cesium_delete(c, 0, slots[i].key, slots[i].key_len, 0);
		if (ret) {
			result("sync-puts-cleanup", 0, "delete: %s",
			       strerror(-ret));
			return;
		}
	}
}

int main(int argc, char **argv)
{
	struct cesium_ring *r;
	struct cesium *c;
	char buf[VAL_MAX];
	size_t len;
	int i, ret, bad;

	if (argc != 2) {
		fprintf(stderr, "usage: asynctest /dev/cesiumN\n");
		return 2;
	}
	ret = cesium_open(argv[1], O_RDWR, &c);
	if (ret) {
		printf("CESIUM-RESULT FAIL async/open: %s\n", strerror(-ret));
		return 1;
	}
	ret = cesium_ring_open(c, DEPTH, &r);
	if (ret) {
		printf("CESIUM-RESULT FAIL async/ring-open: %s\n",
		       strerror(-ret));
		return 1;
	}
	for (i = 0; i < N; i++) {
		struct slot *s = &slots[i];

		s->key_len = (size_t)snprintf(s->key, sizeof(s->key),
					      "async-%04d", i);
		/* Lengths 0 to VAL_MAX - 1, bytes that vary with the key. */
		s->value_len = (size_t)(i * 37) % VAL_MAX;
		for (size_t j = 0; j < s->value_len; j++)
			s->value[j] = (char)(i * 131 + j * 7);
	}

	check_results(OP_PUT, run_all(r, OP_PUT));
	/* What the ring stored, read back through the synchronous API. */
	for (i = 0, bad = 0; i < N; i++) {
		ret = cesium_get(c, 0, slots[i].key, slots[i].key_len, buf,
				 sizeof(buf), &len, 0);
		bad += ret || len != slots[i].value_len ||
		       memcmp(buf, slots[i].value, len);
	}
	result("puts-read-back", !bad, "%d of %d values differ", bad, N);
	check_results(OP_GET, run_all(r, OP_GET));
	/* STATS tells how they ran: every GET at once or from task work,
	 * every put at once or reissued from io-wq (when its first issue
	 * would have had to block).
	 */
	{
		struct cesium_stats st;

		ret = cesium_stats(c, &st);
		result("stats-uring", !ret && st.uring_inline +
		       st.uring_async >= N && st.uring_inline +
		       st.uring_async + st.uring_punted >= 2 * N,
		       "uring_inline %llu, uring_async %llu, uring_punted %llu",
		       (unsigned long long)st.uring_inline,
		       (unsigned long long)st.uring_async,
		       (unsigned long long)st.uring_punted);
	}
	check_results(OP_EXISTS, run_all(r, OP_EXISTS));
	check_results(OP_DELETE, run_all(r, OP_DELETE));
	for (i = 0, bad = 0; i < N; i++)
		bad += cesium_exists(c, 0, slots[i].key, slots[i].key_len,
				     0) != 0;
	result("deletes-gone", !bad, "%d of %d keys still there", bad, N);
	test_sync_puts(c, r);
	cesium_ring_close(r);

	test_errors(c, argv[1]);
	cesium_close(c);
	return failures ? 1 : 0;
}
