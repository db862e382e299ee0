// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libcesium-user's SCAN, BATCH and SYNC functions, the record walker and
 * the iterator, against fakedev.c compiled in (its reading of the ABI:
 * see there). The iterator runs against a model, a sorted array, with
 * random keys (bytes 0x00 and 0xff included, up to 255 bytes), random
 * bounds and random moves, with buffers from 1 byte (every record
 * overflows it first) to 64 KiB. CESIUM_TEST_SEED=N repeats a run; the
 * seed is printed on failure.
 */
#define FAKEDEV_IN_PROCESS
#include "fakedev.c"

#include <stdlib.h>
#include <time.h>
#include "private.h"
#include "test.h"

static unsigned long long rng_state;

static unsigned int rnd(unsigned int n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (unsigned int)((rng_state >> 33) % n) : 0;
}

/* ---- the record walker ------------------------------------------------ */

static size_t put_rec(unsigned char *b, size_t off, const char *k,
		      uint32_t kl, const char *v, uint32_t vl)
{
	struct cesium_scan_rec r = { kl, vl };
	size_t need = (8 + kl + vl + 7) & ~(size_t)7;

	memset(b + off, 0, need);
	memcpy(b + off, &r, 8);
	memcpy(b + off + 8, k, kl);
	memcpy(b + off + 8 + kl, v, vl);
	return off + need;
}

static void test_walker(void)
{
	unsigned char raw[256 + 1], *b = raw + 1;	/* not 8-aligned */
	const void *k, *v;
	size_t off = 0, kl, vl, n;

	n = put_rec(b, 0, "alpha", 5, "one", 3);	/* 16 bytes */
	n = put_rec(b, n, "b", 1, "", 0);		/* 16 */
	n = put_rec(b, n, "12345678", 8, "12345678", 8);	/* 24 */
	CHECK_INT(n, 56);
	CHECK_INT(cesium_scan_next_rec(b, n, &off, &k, &kl, &v, &vl), 1);
	CHECK(kl == 5 && !memcmp(k, "alpha", 5) && vl == 3 &&
	      !memcmp(v, "one", 3));
	CHECK_INT(off, 16);
	CHECK_INT(cesium_scan_next_rec(b, n, &off, &k, &kl, &v, &vl), 1);
	CHECK(kl == 1 && !memcmp(k, "b", 1) && vl == 0);
	CHECK_INT(cesium_scan_next_rec(b, n, &off, &k, &kl, &v, &vl), 1);
	CHECK(kl == 8 && vl == 8 && !memcmp(v, "12345678", 8));
	CHECK_INT(off, 56);
	CHECK_INT(cesium_scan_next_rec(b, n, &off, &k, &kl, &v, &vl), 0);
	CHECK_INT(off, 56);
	/* An empty buffer, even NULL, has no records. */
	off = 0;
	CHECK_INT(cesium_scan_next_rec(NULL, 0, &off, &k, &kl, &v, &vl), 0);
	/* Cut short: in the header, in the key, in the padding. */
	off = 0;
	CHECK_INT(cesium_scan_next_rec(b, 4, &off, &k, &kl, &v, &vl),
		  -EBADMSG);
	CHECK_INT(off, 0);
	CHECK_INT(cesium_scan_next_rec(b, 10, &off, &k, &kl, &v, &vl),
		  -EBADMSG);
	CHECK_INT(cesium_scan_next_rec(b, 15, &off, &k, &kl, &v, &vl),
		  -EBADMSG);
	off = 32;
	CHECK_INT(cesium_scan_next_rec(b, 50, &off, &k, &kl, &v, &vl),
		  -EBADMSG);
	/* Lengths that would wrap around. */
	off = 0;
	put_rec(b, 0, "x", 1, "", 0);
	memset(b + 4, 0xff, 4);
	CHECK_INT(cesium_scan_next_rec(b, 56, &off, &k, &kl, &v, &vl),
		  -EBADMSG);
	off = 60;
	CHECK_INT(cesium_scan_next_rec(b, 56, &off, &k, &kl, &v, &vl),
		  -EBADMSG);
	CHECK_INT(cesium_scan_next_rec(b, 56, NULL, &k, &kl, &v, &vl),
		  -EFAULT);
}

/* ---- SCAN, BATCH, SYNC against the fake -------------------------------- */

static struct cesium *open_fake(int acc)
{
	struct cesium *c = malloc(sizeof(*c));

	if (!c)
		abort();
	c->fd = fakedev_fd(acc);
	return c;
}

/* The keys of a SCAN buffer, "k1,k2,...". */
static const char *keys_of(const void *buf, size_t bytes, int with_values)
{
	static char s[4096];
	const void *k, *v;
	size_t off = 0, kl, vl, n = 0;
	int ret;

	s[0] = '\0';
	while ((ret = cesium_scan_next_rec(buf, bytes, &off, &k, &kl, &v,
					   &vl)) > 0) {
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%s%.*s", n ? "," : "",
				      (int)kl, (const char *)k);
		if (with_values)
			n += (size_t)snprintf(s + n, sizeof(s) - n, "=%.*s",
					      (int)vl, (const char *)v);
	}
	if (ret < 0)
		snprintf(s, sizeof(s), "walker error %d", ret);
	return s;
}

static void test_scan_batch(void)
{
	struct cesium *c = open_fake(O_RDWR), *ro = open_fake(O_RDONLY);
	struct cesium_batch_op ops[4];
	struct cesium_scan_result res;
	unsigned char buf[512];
	static const char *const keys[] = { "a", "b", "c", "d", "e" };
	size_t i;

	for (i = 0; i < 5; i++)
		CHECK_INT(cesium_put(c, 1, keys[i], 1, keys[i], 1, 0), 0);
	CHECK_INT(cesium_put(c, 2, "zz", 2, "other", 5, 0), 0);

	CHECK_INT(cesium_scan(c, 1, NULL, 0, NULL, 0, 0, 0, buf, sizeof(buf),
			      &res), 5);
	CHECK_INT(res.nr_records, 5);
	CHECK_INT(res.flags, 0);
	CHECK_INT(res.bytes, 5 * 16);
	CHECK(!strcmp(keys_of(buf, res.bytes, 1), "a=a,b=b,c=c,d=d,e=e"));
	CHECK_INT(cesium_scan(c, 1, "b", 1, "e", 1, 0, 0, buf, sizeof(buf),
			      &res), 3);
	CHECK(!strcmp(keys_of(buf, res.bytes, 0), "b,c,d"));
	CHECK_INT(cesium_scan(c, 1, "b", 1, "e", 1,
			      CESIUM_SCAN_START_EXCLUSIVE, 0, buf,
			      sizeof(buf), &res), 2);
	CHECK(!strcmp(keys_of(buf, res.bytes, 0), "c,d"));
	CHECK_INT(cesium_scan(c, 1, "b", 1, "e", 1, CESIUM_SCAN_REVERSE, 2,
			      buf, sizeof(buf), &res), 2);
	CHECK(!strcmp(keys_of(buf, res.bytes, 0), "d,c"));
	CHECK_INT(res.flags, CESIUM_SCAN_MORE);
	CHECK_INT(cesium_scan(c, 1, NULL, 0, NULL, 0, CESIUM_SCAN_KEYS_ONLY,
			      0, buf, sizeof(buf), &res), 5);
	CHECK(!strcmp(keys_of(buf, res.bytes, 1), "a=,b=,c=,d=,e="));
	CHECK_INT(res.bytes, 5 * 16);
	/* Too small for the first record, then for the third. */
	CHECK_INT(cesium_scan(c, 1, NULL, 0, NULL, 0, 0, 0, buf, 8, &res),
		  -EOVERFLOW);
	CHECK_INT(res.bytes, 16);
	CHECK_INT(cesium_scan(c, 1, NULL, 0, NULL, 0, 0, 0, buf, 40, &res),
		  2);
	CHECK_INT(res.flags, CESIUM_SCAN_MORE);
	/* What the library refuses itself. */
	CHECK_INT(cesium_scan(c, 1, buf, 256, NULL, 0, 0, 0, buf, 8, &res),
		  -E2BIG);
	CHECK_INT(cesium_scan(c, 1, NULL, 1, NULL, 0, 0, 0, buf, 8, &res),
		  -EFAULT);
	CHECK_INT(cesium_scan(c, 1, NULL, 0, NULL, 0, 0, 0, buf, 8, NULL),
		  -EFAULT);
	CHECK_INT(cesium_scan(c, 1, NULL, 0, NULL, 0, 1U << 9, 0, buf, 8,
			      &res), -EINVAL);

	/* A batch that fails changes nothing and says which op failed. */
	cesium_batch_op_put(&ops[0], 1, "f", 1, "F", 1, 0);
	cesium_batch_op_delete(&ops[1], 1, "a", 1);
	cesium_batch_op_put(&ops[2], 1, "b", 1, "B", 1,
			    CESIUM_PUT_NO_OVERWRITE);
	cesium_batch_op_put(&ops[3], 1, "g", 1, NULL, 0, 0);
	CHECK_INT(cesium_batch(c, ops, 4, CESIUM_DUR_SYNC), -EEXIST);
	CHECK_INT(ops[0].result, -ECANCELED);
	CHECK_INT(ops[1].result, -ECANCELED);
	CHECK_INT(ops[2].result, -EEXIST);
	CHECK_INT(ops[3].result, -ECANCELED);
	CHECK_INT(cesium_scan(c, 1, NULL, 0, NULL, 0, 0, 0, buf, sizeof(buf),
			      &res), 5);
	CHECK(!strcmp(keys_of(buf, res.bytes, 1), "a=a,b=b,c=c,d=d,e=e"));
	/* The same array again, fixed: the old results do not matter. */
	cesium_batch_op_put(&ops[2], 1, "b", 1, "B", 1,
			    CESIUM_PUT_UPDATE_ONLY);
	CHECK_INT(cesium_batch(c, ops, 4, 0), 0);
	for (i = 0; i < 4; i++)
		CHECK_INT(ops[i].result, 0);
	CHECK_INT(cesium_scan(c, 1, NULL, 0, NULL, 0, 0, 0, buf, sizeof(buf),
			      &res), 6);
	CHECK(!strcmp(keys_of(buf, res.bytes, 1), "b=B,c=c,d=d,e=e,f=F,g="));
	CHECK_INT(cesium_batch(c, ops, 0, 0), -EINVAL);
	CHECK_INT(cesium_batch(c, NULL, 1, 0), -EFAULT);
	CHECK_INT(cesium_batch(ro, ops, 4, 0), -EBADF);
	CHECK_INT(cesium_sync(c), 0);
	CHECK_INT(cesium_sync(ro), 0);
	CHECK_INT(cesium_sync(NULL), -EFAULT);
	fakedev_reset();
	cesium_close(c);
	cesium_close(ro);
}

/* ---- the iterator against a model -------------------------------------- */

#define NKEYS	300

struct mkey {
	unsigned char k[CESIUM_MAX_KEY_LEN];
	size_t kl;
	char v[48];
	size_t vl;
};
static struct mkey model[NKEYS];
static int nmodel;

static int mcmp(const void *a, const void *b)
{
	const struct mkey *x = a, *y = b;

	return key_cmp(x->k, (uint32_t)x->kl, y->k, (uint32_t)y->kl);
}

/* A random key: short ones over a small alphabet collide and nest. */
static size_t rand_key(unsigned char *k)
{
	static const unsigned char alpha[] = { 0x00, 0x01, 'a', 'b', 0x7f,
					       0xfe, 0xff };
	size_t len, i;

	switch (rnd(10)) {
	case 0:
		len = CESIUM_MAX_KEY_LEN - rnd(2);
		break;
	default:
		len = 1 + rnd(5);
	}
	for (i = 0; i < len; i++)
		k[i] = alpha[rnd(sizeof(alpha))];
	/* Long keys that end in 0xff bytes, or are nothing else. */
	if (len >= CESIUM_MAX_KEY_LEN - 1 && rnd(2)) {
		i = rnd(2) ? 0 : rnd((unsigned int)len);
		memset(k + i, 0xff, len - i);
	}
	return len;
}

/* A key to seek to: often one the model holds. */
static size_t seek_key(unsigned char *k)
{
	const struct mkey *m;

	if (!nmodel || rnd(3))
		return rnd(8) ? rand_key(k) : 0;
	m = &model[rnd((unsigned int)nmodel)];
	memcpy(k, m->k, m->kl);
	return m->kl;
}

static int in_range(const struct mkey *m, const unsigned char *lo,
		    size_t lol, const unsigned char *hi, size_t hil)
{
	if (lol && key_cmp(m->k, (uint32_t)m->kl, lo, (uint32_t)lol) < 0)
		return 0;
	return !hil || key_cmp(m->k, (uint32_t)m->kl, hi, (uint32_t)hil) < 0;
}

static int it_failed;

/* The iterator is where the model says (index @want, -1: not valid). */
static void same(struct cesium_iter *it, int ret, int want, int keys_only,
		 const char *what, unsigned long long seed)
{
	const void *k, *v;
	size_t kl = 0, vl = 0;
	char msg[200];

	k = cesium_iter_key(it, &kl);
	v = cesium_iter_value(it, &vl);
	if (want < 0 ? (ret == 0 && !cesium_iter_valid(it) && !k && !v) :
	    (ret == 1 && cesium_iter_valid(it) && k && v &&
	     kl == model[want].kl && !memcmp(k, model[want].k, kl) &&
	     vl == (keys_only ? 0 : model[want].vl) &&
	     !memcmp(v, model[want].v, vl)))
		return;
	if (it_failed++ < 5) {
		snprintf(msg, sizeof(msg), "iterator %s: returned %d, valid %d, "
			 "key of %zu bytes; model says %d (seed %llu)", what,
			 ret, cesium_iter_valid(it), kl, want, seed);
		test_failed(__FILE__, __LINE__, msg);
	}
}

static void test_iter_round(struct cesium *c, unsigned long long seed)
{
	static const size_t bufs[] = { 1, 24, 100, 300, 64 << 10 };
	unsigned char lo[CESIUM_MAX_KEY_LEN], hi[CESIUM_MAX_KEY_LEN];
	unsigned char k[CESIUM_MAX_KEY_LEN];
	struct cesium_iter *it;
	size_t lol = 0, hil = 0, kl;
	int i, j, pos, ret, keys_only, first, last;

	rng_state = seed;
	cesium__iter_buf_bytes = bufs[rnd(5)];
	keys_only = rnd(4) == 0;
	/* A fresh store: the model's keys in ns 3, decoys in ns 2 and 4. */
	fakedev_reset();
	nmodel = 0;
	for (i = rnd(NKEYS); i > 0; i--) {
		struct mkey *m = &model[nmodel];

		m->kl = rand_key(m->k);
		m->vl = rnd(sizeof(m->v));
		for (j = 0; j < (int)m->vl; j++)
			m->v[j] = (char)rnd(256);
		if (cesium_put(c, 3, m->k, m->kl, m->v, m->vl, 0))
			abort();
		for (j = 0; j < nmodel; j++)
			if (!mcmp(&model[j], m))
				break;
		if (j < nmodel)
			model[j] = *m;	/* an overwrite */
		else
			nmodel++;
		if (!rnd(3))
			cesium_put(c, 2 + 2 * rnd(2), m->k, m->kl, "x", 1, 0);
	}
	qsort(model, (size_t)nmodel, sizeof(model[0]), mcmp);
	if (rnd(3))
		lol = rand_key(lo);
	if (rnd(3))
		hil = rand_key(hi);
	/* The model's range: indices [first, last]. */
	for (first = 0; first < nmodel && !in_range(&model[first], lo, lol,
						   hi, hil); first++)
		;
	for (last = first; last < nmodel && in_range(&model[last], lo, lol,
						     hi, hil); last++)
		;
	last--;
	if (cesium_iter_open(c, 3, lo, lol, hi, hil,
			     keys_only ? CESIUM_SCAN_KEYS_ONLY : 0, &it)) {
		test_failed(__FILE__, __LINE__, "cesium_iter_open");
		return;
	}
	same(it, 0, -1, keys_only, "after open", seed);
	pos = -1;
	for (i = 0; i < 200 && it_failed < 5; i++) {
		int op = rnd(6), cmp;

		if (pos < 0 && op >= 2)
			op = rnd(2);
		switch (op) {
		case 0:		/* seek: first key >= k in range */
			kl = seek_key(k);
			ret = cesium_iter_seek(it, kl ? k : NULL, kl);
			for (pos = first; pos <= last; pos++) {
				cmp = key_cmp(model[pos].k, (uint32_t)model[pos].kl,
					      k, (uint32_t)kl);
				if (!kl || cmp >= 0)
					break;
			}
			if (pos > last)
				pos = -1;
			same(it, ret, pos, keys_only, "seek", seed);
			break;
		case 1:		/* seek_for_prev: last key <= k in range */
			kl = seek_key(k);
			ret = cesium_iter_seek_for_prev(it, kl ? k : NULL, kl);
			for (pos = last; pos >= first; pos--) {
				cmp = key_cmp(model[pos].k, (uint32_t)model[pos].kl,
					      k, (uint32_t)kl);
				if (!kl || cmp <= 0)
					break;
			}
			if (pos < first)
				pos = -1;
			same(it, ret, pos, keys_only, "seek_for_prev", seed);
			break;
		case 2:
		case 3:
			ret = cesium_iter_next(it);
			pos = pos + 1 > last ? -1 : pos + 1;
			same(it, ret, pos, keys_only, "next", seed);
			break;
		default:
			ret = cesium_iter_prev(it);
			pos = pos - 1 < first ? -1 : pos - 1;
			same(it, ret, pos, keys_only, "prev", seed);
		}
	}
	/* A full walk each way sees the whole range, in order. */
	ret = cesium_iter_seek(it, NULL, 0);
	for (pos = first <= last ? first : -1; pos >= 0 && it_failed < 5;) {
		same(it, ret, pos, keys_only, "walk up", seed);
		ret = cesium_iter_next(it);
		pos = pos + 1 > last ? -1 : pos + 1;
	}
	same(it, ret, -1, keys_only, "walk up, end", seed);
	CHECK_INT(cesium_iter_next(it), -EINVAL);
	CHECK_INT(cesium_iter_prev(it), -EINVAL);
	ret = cesium_iter_seek_for_prev(it, NULL, 0);
	for (pos = first <= last ? last : -1; pos >= 0 && it_failed < 5;) {
		same(it, ret, pos, keys_only, "walk down", seed);
		ret = cesium_iter_prev(it);
		pos = pos - 1 < first ? -1 : pos - 1;
	}
	same(it, ret, -1, keys_only, "walk down, end", seed);
	cesium_iter_close(it);
}

static void test_iter(void)
{
	struct cesium *c = open_fake(O_RDWR);
	struct cesium_iter *it;
	unsigned long long seed;
	const char *env = getenv("CESIUM_TEST_SEED");
	int round;

	CHECK_INT(cesium_iter_open(c, 0, NULL, 0, NULL, 0,
				   CESIUM_SCAN_REVERSE, &it), -EINVAL);
	CHECK_INT(cesium_iter_open(c, 0, "k", 256, NULL, 0, 0, &it), -E2BIG);
	CHECK_INT(cesium_iter_open(c, 0, NULL, 1, NULL, 0, 0, &it), -EFAULT);
	CHECK_INT(cesium_iter_open(NULL, 0, NULL, 0, NULL, 0, 0, &it),
		  -EFAULT);
	CHECK_INT(cesium_iter_valid(NULL), 0);
	cesium_iter_close(NULL);

	seed = env ? strtoull(env, NULL, 0) : (unsigned long long)time(NULL);
	for (round = 0; round < 400 && !it_failed; round++)
		test_iter_round(c, seed + (unsigned long long)round);
	if (it_failed)
		fprintf(stderr, "iterator: repeat with CESIUM_TEST_SEED=%llu\n",
			seed + (unsigned long long)round - 1);
	fakedev_reset();
	cesium_close(c);
}

int main(void)
{
	test_walker();
	test_scan_batch();
	test_iter();
	return test_end("lib-iter");
}
