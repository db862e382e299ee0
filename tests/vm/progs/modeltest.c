// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * modeltest: a seeded, randomized model-based test of the data commands,
 * run in the VM guest against the real module. Gets, puts (with
 * no-overwrite and update-only), deletes, exists, scans both ways with
 * bounds, limits and keys-only, batches and namespaces run against an
 * in-memory model; every few thousand operations the device is detached
 * and attached again and the whole content compared.
 *
 *   modeltest BLOCKDEV SEED NR_OPS
 *
 * BLOCKDEV is attached already (and the only attached device). Prints
 * "CESIUM-RESULT PASS|FAIL model/<name>" lines; on a failure the seed and
 * the operation number, so the run can be replayed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cesium.h>

#define NR_KEYS		600
#define NR_NS		3
#define MAX_VAL		6000
#define SCAN_BUF	(256 * 1024)

struct key {
	uint8_t len;
	uint8_t b[24];
};

struct slot {
	int present;
	uint32_t len;
	uint8_t *val;
};

static struct key keys[NR_KEYS];
static int order[NR_KEYS];		/* key indices in key order */
static struct slot model[NR_NS][NR_KEYS];
static uint64_t ns_ids[NR_NS] = { 0, 1, 0xfedcba9876543210ULL };
static uint64_t rng;
static unsigned long op_no, seed;
static struct cesium *db;
static int index_of_dev;
static const char *bdev;
static unsigned long counts[16];

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int keycmp(const uint8_t *a, unsigned int alen, const uint8_t *b,
		  unsigned int blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

static int order_cmp(const void *x, const void *y)
{
	const struct key *a = &keys[*(const int *)x], *b = &keys[*(const int *)y];

	return keycmp(a->b, a->len, b->b, b->len);
}

static void die(const char *what, const char *fmt, long a, long b)
{
	printf("CESIUM-RESULT FAIL model/%s: seed %lu op %lu: ", what, seed,
	       op_no);
	printf(fmt, a, b);
	printf("\n");
	exit(1);
}

static void make_keys(void)
{
	int i, j;

	for (i = 0; i < NR_KEYS; i++) {
again:
		keys[i].len = 1 + rnd() % 24;
		for (j = 0; j < keys[i].len; j++)
			/* Few distinct bytes: shared prefixes, 0x00 and 0xff. */
			keys[i].b[j] = "\x00\x01\x7f\x80\xfe\xff"[rnd() % 6];
		for (j = 0; j < i; j++)
			if (!keycmp(keys[i].b, keys[i].len, keys[j].b, keys[j].len))
				goto again;
		order[i] = i;
	}
	qsort(order, NR_KEYS, sizeof(order[0]), order_cmp);
}

static void fill_value(uint8_t *v, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		v[i] = rnd();
}

static uint32_t value_len(void)
{
	switch (rnd() % 8) {
	case 0:
		return 0;
	case 1:
		return 1000 + rnd() % (MAX_VAL - 1000);	/* in the log */
	default:
		return rnd() % 200;
	}
}

static void model_set(int ns, int k, const uint8_t *v, uint32_t len)
{
	struct slot *s = &model[ns][k];

	free(s->val);
	s->val = malloc(len ? len : 1);
	memcpy(s->val, v, len);
	s->len = len;
	s->present = 1;
}

static void model_del(int ns, int k)
{
	free(model[ns][k].val);
	model[ns][k].val = NULL;
	model[ns][k].present = 0;
}

static void check_get(int ns, int k)
{
	static uint8_t buf[MAX_VAL];
	struct slot *s = &model[ns][k];
	size_t len = 0;
	int ret;

	ret = cesium_get(db, ns_ids[ns], keys[k].b, keys[k].len, buf,
			 sizeof(buf), &len, 0);
	if (!s->present) {
		if (ret != -ENOENT)
			die("get", "missing key: got %ld (key %ld)", ret, k);
		return;
	}
	if (ret || len != s->len || memcmp(buf, s->val, len))
		die("get", "ret %ld len %ld differs from the model", ret, len);
}

static void do_put(int ns, int k)
{
	static uint8_t v[MAX_VAL];
	uint32_t len = value_len();
	unsigned int flags = 0;
	int want = 0, ret;

	fill_value(v, len);
	switch (rnd() % 6) {
	case 0:
		flags = CESIUM_PUT_NO_OVERWRITE;
		want = model[ns][k].present ? -EEXIST : 0;
		break;
	case 1:
		flags = CESIUM_PUT_UPDATE_ONLY;
		want = model[ns][k].present ? 0 : -ENOENT;
		break;
	case 2:
		flags = CESIUM_DUR_SYNC;
		break;
	case 3:
		flags = CESIUM_DUR_NONE;
		break;
	}
	ret = cesium_put(db, ns_ids[ns], keys[k].b, keys[k].len, v, len, flags);
	if (ret != want)
		die("put", "got %ld, want %ld", ret, want);
	if (!ret)
		model_set(ns, k, v, len);
}

static void do_delete(int ns, int k)
{
	int ret = cesium_delete(db, ns_ids[ns], keys[k].b, keys[k].len, 0);

	if (ret != (model[ns][k].present ? 0 : -ENOENT))
		die("delete", "got %ld, present %ld", ret, model[ns][k].present);
	model_del(ns, k);
}

static void do_exists(int ns, int k)
{
	int ret = cesium_exists(db, ns_ids[ns], keys[k].b, keys[k].len, 0);

	if (ret != model[ns][k].present)
		die("exists", "got %ld, present %ld", ret, model[ns][k].present);
}

/* A random bound: mostly a key of the universe, sometimes other bytes. */
static void random_bound(uint8_t *b, uint32_t *len)
{
	if (rnd() % 4 == 0) {
		*len = 0;
		return;
	}
	if (rnd() % 3) {
		const struct key *k = &keys[rnd() % NR_KEYS];

		memcpy(b, k->b, k->len);
		*len = k->len;
		return;
	}
	*len = 1 + rnd() % 3;
	fill_value(b, *len);
}

static void do_scan(int ns)
{
	static uint8_t buf[SCAN_BUF];
	uint8_t start[24], end[24];
	struct cesium_scan_result res;
	struct cesium_scan_cmd c;
	int i, ret, expect[NR_KEYS], nexp = 0, reverse, keys_only, excl;
	uint32_t limit, off, j;

	memset(&c, 0, sizeof(c));
	random_bound(start, &c.start_len);
	random_bound(end, &c.end_len);
	reverse = rnd() % 2;
	keys_only = rnd() % 4 == 0;
	excl = c.start_len && rnd() % 3 == 0;
	limit = rnd() % 3 ? 0 : 1 + rnd() % 20;
	c.size = sizeof(c);
	c.flags = (reverse ? CESIUM_SCAN_REVERSE : 0) |
		  (keys_only ? CESIUM_SCAN_KEYS_ONLY : 0) |
		  (excl ? CESIUM_SCAN_START_EXCLUSIVE : 0);
	c.ns = ns_ids[ns];
	c.start_ptr = (uintptr_t)start;
	c.end_ptr = (uintptr_t)end;
	c.buf_ptr = (uintptr_t)buf;
	c.buf_len = sizeof(buf);
	c.limit = limit;
	c.result_ptr = (uintptr_t)&res;

	for (i = 0; i < NR_KEYS; i++) {
		int k = order[reverse ? NR_KEYS - 1 - i : i];
		const struct key *key = &keys[k];
		int cs = c.start_len ? keycmp(key->b, key->len, start, c.start_len) : 1;

		if (!model[ns][k].present || cs < 0 || (excl && cs == 0))
			continue;
		if (c.end_len && keycmp(key->b, key->len, end, c.end_len) >= 0)
			continue;
		expect[nexp++] = k;
	}
	ret = ioctl(cesium_fd(db), CESIUM_IOC_SCAN, &c);
	if (ret < 0)
		die("scan", "failed: errno %ld (%ld expected records)", errno, nexp);
	if ((uint32_t)ret != res.nr_records ||
	    (uint32_t)ret != (limit && (uint32_t)nexp > limit ? limit : (uint32_t)nexp))
		die("scan", "returned %ld records, the model has %ld", ret, nexp);
	if (!!(res.flags & CESIUM_SCAN_MORE) != (ret < nexp))
		die("scan", "more flag %ld with %ld records left", res.flags,
		    nexp - ret);
	for (off = 0, i = 0; i < ret; i++) {
		struct cesium_scan_rec r;
		const struct slot *s = &model[ns][expect[i]];
		const struct key *key = &keys[expect[i]];

		memcpy(&r, buf + off, sizeof(r));
		off += sizeof(r);
		if (r.key_len != key->len || memcmp(buf + off, key->b, key->len))
			die("scan", "record %ld has the wrong key (%ld)", i,
			    r.key_len);
		off += r.key_len;
		j = keys_only ? 0 : s->len;
		if (r.value_len != j || memcmp(buf + off, s->val, j))
			die("scan", "record %ld has the wrong value (%ld)", i,
			    r.value_len);
		off = (off + r.value_len + 7) & ~7U;
	}
	if (off != res.bytes)
		die("scan", "bytes %ld, records end at %ld", res.bytes, off);
}

static void do_batch(void)
{
	static uint8_t vals[8][MAX_VAL];
	struct cesium_batch_op ops[8];
	struct cesium_batch_cmd c;
	int nsi[8], ki[8], i, j, n = 1 + rnd() % 8, fail = -1, ret;
	int present[8];

	memset(ops, 0, sizeof(ops));
	for (i = 0; i < n; i++) {
		nsi[i] = rnd() % NR_NS;
		ki[i] = rnd() % NR_KEYS;
		/* Each op sees the ones before it. */
		present[i] = model[nsi[i]][ki[i]].present;
		for (j = 0; j < i; j++)
			if (nsi[j] == nsi[i] && ki[j] == ki[i])
				present[i] = ops[j].op == CESIUM_OP_PUT;
		ops[i].ns = ns_ids[nsi[i]];
		ops[i].key_ptr = (uintptr_t)keys[ki[i]].b;
		ops[i].key_len = keys[ki[i]].len;
		if (rnd() % 4 == 0) {
			ops[i].op = CESIUM_OP_DELETE;
			if (!present[i] && fail < 0)
				fail = i;
			continue;
		}
		ops[i].op = CESIUM_OP_PUT;
		ops[i].value_len = value_len() % 1500;
		fill_value(vals[i], ops[i].value_len);
		ops[i].value_ptr = (uintptr_t)vals[i];
		if (rnd() % 5 == 0) {
			ops[i].flags = CESIUM_PUT_NO_OVERWRITE;
			if (present[i] && fail < 0)
				fail = i;
		}
	}
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.ops_ptr = (uintptr_t)ops;
	c.nr_ops = n;
	c.op_size = sizeof(ops[0]);
	ret = ioctl(cesium_fd(db), CESIUM_IOC_BATCH, &c);
	if (fail >= 0) {
		if (ret == 0 || ops[fail].result == 0 ||
		    -errno != ops[fail].result)
			die("batch", "op %ld should fail, ret %ld", fail, ret);
		for (i = 0; i < n; i++)
			if (i != fail && ops[i].result != -ECANCELED)
				die("batch", "op %ld result %ld, not canceled",
				    i, ops[i].result);
		return;
	}
	if (ret)
		die("batch", "failed: errno %ld, %ld ops", errno, n);
	for (i = 0; i < n; i++) {
		if (ops[i].result)
			die("batch", "op %ld result %ld", i, ops[i].result);
		if (ops[i].op == CESIUM_OP_PUT)
			model_set(nsi[i], ki[i], vals[i], ops[i].value_len);
		else
			model_del(nsi[i], ki[i]);
	}
}

static void verify_all(const char *what)
{
	int ns, k;

	for (ns = 0; ns < NR_NS; ns++)
		for (k = 0; k < NR_KEYS; k++)
			check_get(ns, k);
	(void)what;
}

static void reattach(void)
{
	int ret;

	cesium_close(db);
	db = NULL;
	ret = cesium_detach(index_of_dev);
	if (ret)
		die("reattach", "detach: %ld %ld", ret, 0);
	ret = cesium_attach(bdev);
	if (ret < 0)
		die("reattach", "attach: %ld %ld", ret, 0);
	index_of_dev = ret;
	ret = cesium_open(NULL, O_RDWR, &db);
	if (ret)
		die("reattach", "open: %ld %ld", ret, 0);
}

/* STATS after verify_all(): every get since the attach is in the histogram. */
static void check_stats(void)
{
	static struct cesium_stats st;
	struct cesium_stats_cmd c;
	uint64_t sum = 0;
	int b;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.stats_ptr = (uintptr_t)&st;
	c.stats_len = sizeof(st);
	if (ioctl(cesium_fd(db), CESIUM_IOC_STATS, &c))
		die("stats", "STATS failed: errno %ld %ld", errno, 0);
	for (b = 0; b < CESIUM_LAT_BUCKETS; b++)
		sum += st.latency[CESIUM_LAT_GET][b];
	if (st.size != sizeof(st) || st.gets != (uint64_t)NR_NS * NR_KEYS ||
	    sum != st.gets)
		die("stats", "gets %ld, latency_get counts %ld", st.gets, sum);
	printf("CESIUM-RESULT PASS model/stats\n");
}

/* NAMESPACES lists exactly the namespaces the model has keys in. */
static void check_namespaces(void)
{
	uint64_t ids[NR_NS + 1];
	size_t count = 0;
	int ns, k, n = 0, ret;

	for (ns = 0; ns < NR_NS; ns++)
		for (k = 0; k < NR_KEYS; k++)
			if (model[ns][k].present) {
				n++;
				break;
			}
	ret = cesium_namespaces(db, ids, NR_NS + 1, &count);
	if (ret != n || count != (size_t)n)
		die("namespaces", "listed %ld, the model has %ld", ret, n);
	/* ns_ids[] is in increasing order, like the answer. */
	for (ns = 0, k = 0; ns < NR_NS; ns++) {
		int used = 0;

		for (int j = 0; j < NR_KEYS; j++)
			used |= model[ns][j].present;
		if (used && ids[k++] != ns_ids[ns])
			die("namespaces", "id %ld is wrong (%ld)", k - 1, ns);
	}
	if (n > 1 && cesium_namespaces(db, ids, 1, &count) != -EOVERFLOW)
		die("namespaces", "no -EOVERFLOW with room for 1 of %ld (%ld)",
		    n, 0);
	printf("CESIUM-RESULT PASS model/namespaces\n");
}

int main(int argc, char **argv)
{
	unsigned long nr_ops;
	struct cesium_info info;
	int ret;

	if (argc != 4) {
		fprintf(stderr, "usage: modeltest BLOCKDEV SEED NR_OPS\n");
		return 2;
	}
	bdev = argv[1];
	seed = strtoul(argv[2], NULL, 0);
	nr_ops = strtoul(argv[3], NULL, 0);
	rng = seed * 2654435761ULL + 1;
	make_keys();
	ret = cesium_open(NULL, O_RDWR, &db);
	if (ret || cesium_info(db, &info)) {
		printf("CESIUM-RESULT FAIL model/open: %s\n", strerror(-ret));
		return 1;
	}
	index_of_dev = info.index;
	printf("modeltest: seed %lu, %lu operations\n", seed, nr_ops);

	for (op_no = 0; op_no < nr_ops; op_no++) {
		int ns = rnd() % NR_NS, k = rnd() % NR_KEYS;
		unsigned int what = rnd() % 100;

		if (what < 30)
			do_put(ns, k);
		else if (what < 60)
			check_get(ns, k);
		else if (what < 72)
			do_delete(ns, k);
		else if (what < 82)
			do_exists(ns, k);
		else if (what < 90)
			do_scan(ns);
		else
			do_batch();
		counts[what / 10]++;
		if (op_no && op_no % 25000 == 0) {
			reattach();
			verify_all("reattach");
		}
	}
	reattach();
	verify_all("final");
	printf("CESIUM-RESULT PASS model/ops-%lu-seed-%lu\n", nr_ops, seed);
	check_stats();
	check_namespaces();
	cesium_close(db);
	return 0;
}
