// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * tour: libcesium-user's main calls in one program. It stores three keys in
 * namespace 7 with one atomic batch, reads one back, walks them with an
 * iterator both ways, reads them all again through an io_uring ring
 * (asynchronous gets, many in flight), and removes them with a second
 * batch. Built the way users build it, with nothing but <cesium.h> and
 * pkg-config:
 *
 *   cc tour.c $(pkg-config --cflags --libs libcesium-user) -o tour
 *   ./tour [cesiumN]
 *
 * Without an argument it uses the default device ($CESIUM_DEVICE, else the
 * only attached one). On a device whose namespace 7 is empty it prints:
 *
 *   batch: 3 puts
 *   get apple: red
 *   iterator: apple=red banana=yellow cherry=dark-red
 *   iterator, reverse: cherry banana apple
 *   ring: apple=red banana=yellow cherry=dark-red
 *   batch: 3 deletes
 *   namespace 7 is empty again
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cesium.h>

#define NS	7
#define N	3

static const char *const keys[N] = { "apple", "banana", "cherry" };
static const char *const values[N] = { "red", "yellow", "dark-red" };

static int failed(const char *what, int ret)
{
	fprintf(stderr, "tour: %s: %s\n", what, strerror(-ret));
	return 1;
}

/* Apply one batch: N puts or N deletes. */
static int batch(struct cesium *db, int put)
{
	struct cesium_batch_op ops[N];
	int i, ret;

	for (i = 0; i < N; i++) {
		if (put)
			cesium_batch_op_put(&ops[i], NS, keys[i], strlen(keys[i]),
					    values[i], strlen(values[i]), 0);
		else
			cesium_batch_op_delete(&ops[i], NS, keys[i],
					       strlen(keys[i]));
	}
	ret = cesium_batch(db, ops, N, CESIUM_DUR_SYNC);
	if (ret)
		return failed("batch", ret);
	printf("batch: %d %s\n", N, put ? "puts" : "deletes");
	return 0;
}

static int walk(struct cesium *db)
{
	struct cesium_iter *it;
	const char *k, *v;
	size_t klen, vlen;
	int ret;

	ret = cesium_iter_open(db, NS, NULL, 0, NULL, 0, 0, &it);
	if (ret)
		return failed("iterator", ret);
	printf("iterator:");
	for (ret = cesium_iter_seek(it, NULL, 0); ret == 1; ret = cesium_iter_next(it)) {
		k = cesium_iter_key(it, &klen);
		v = cesium_iter_value(it, &vlen);
		printf(" %.*s=%.*s", (int)klen, k, (int)vlen, v);
	}
	printf("\niterator, reverse:");
	if (!ret)
		ret = cesium_iter_seek_for_prev(it, NULL, 0);
	for (; ret == 1; ret = cesium_iter_prev(it)) {
		k = cesium_iter_key(it, &klen);
		printf(" %.*s", (int)klen, k);
	}
	printf("\n");
	cesium_iter_close(it);
	return ret ? failed("iterator", ret) : 0;
}

/* N gets in flight on one ring; the answers come in any order. */
static int ring_gets(struct cesium *db)
{
	struct cesium_completion done[N];
	static char bufs[N][32];
	uint64_t lens[N];
	struct cesium_ring *r;
	int i, n, ret;

	ret = cesium_ring_open(db, N, &r);
	if (ret)
		return failed("ring", ret);
	for (i = 0; i < N && !ret; i++)
		ret = cesium_ring_get(r, NS, keys[i], strlen(keys[i]), bufs[i],
				      sizeof(bufs[i]), &lens[i], 0,
				      (void *)(uintptr_t)i);
	n = ret ? ret : cesium_ring_reap(r, done, N, N);
	cesium_ring_close(r);
	if (n != N)
		return failed("ring", n < 0 ? n : -EIO);
	for (i = 0; i < N; i++)
		if (done[i].result)
			return failed("ring get", done[i].result);
	printf("ring:");
	for (i = 0; i < N; i++)
		printf(" %s=%.*s", keys[i], (int)lens[i], bufs[i]);
	printf("\n");
	return 0;
}

/* 0 if namespace NS holds no key, -EEXIST if it does, or an error. */
static int empty(struct cesium *db)
{
	struct cesium_iter *it;
	int ret;

	ret = cesium_iter_open(db, NS, NULL, 0, NULL, 0, CESIUM_SCAN_KEYS_ONLY, &it);
	if (ret)
		return ret;
	ret = cesium_iter_seek(it, NULL, 0);
	cesium_iter_close(it);
	return ret == 1 ? -EEXIST : ret;
}

int main(int argc, char **argv)
{
	struct cesium *db;
	char buf[32];
	size_t len;
	int ret;

	ret = cesium_open(argc > 1 ? argv[1] : NULL, O_RDWR, &db);
	if (ret)
		return failed("open", ret);
	if (batch(db, 1))
		goto fail;
	ret = cesium_get(db, NS, "apple", 5, buf, sizeof(buf), &len, 0);
	if (ret) {
		failed("get apple", ret);
		goto fail;
	}
	printf("get apple: %.*s\n", (int)len, buf);
	if (walk(db) || ring_gets(db) || batch(db, 0))
		goto fail;
	ret = empty(db);
	if (ret) {
		failed("namespace 7 after the deletes", ret);
		goto fail;
	}
	printf("namespace %d is empty again\n", NS);
	cesium_close(db);
	return 0;
fail:
	cesium_close(db);
	return 1;
}
