// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of scans: scanners on two workqueues check every record they
 * get while the test's thread changes the store, and the device reads a
 * scan of log values makes.
 *
 * In the concurrent test the keys come in pairs, "pNNNNa" and "pNNNNb",
 * always put (with one generation) and deleted together in one batch. A
 * scan must give records in order and inside its range, each value the
 * one its key and generation make, and the two keys of a pair next to
 * each other with one generation: a scan that mixed two states of the
 * index would split a pair or mix its generations.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "../io/backend.h"
#include "store.h"
#include "store_kunit.h"

#define SC_PAIRS	1000
#define SC_WRITES	30000
#define SC_READERS	2
#define SC_KEY_LEN	6
#define SC_BUF_MAX	(64 * 1024)

struct sc_reader {
	struct work_struct work;
	struct cesium_store *st;
	u32 seed;
	const bool *stop;
	u64 scans, records, again, bad;
	char why[96];
};

/* The value of one key of pair @i at generation @gen. */
static u32 sc_len(u32 gen)
{
	static const u32 lens[] = { 12, 100, 40, 120, 700, 2500 };

	return lens[gen % ARRAY_SIZE(lens)];
}

static void sc_fill(u8 *v, u32 i, u32 gen, u8 side)
{
	u32 k, len = sc_len(gen);

	memcpy(v, &i, 4);
	memcpy(v + 4, &gen, 4);
	v[8] = side;
	for (k = 9; k < len; k++)
		v[k] = (u8)(i * 7 + gen * 13 + k + side);
}

static void sc_key(char *key, u32 i, u8 side)
{
	snprintf(key, 8, "p%04u%c", i, side);
}

static u32 sc_next(u32 *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

static int sc_key_cmp(const u8 *a, u32 alen, const u8 *b, u32 blen)
{
	int c = memcmp(a, b, min(alen, blen));

	return c ? c : alen < blen ? -1 : alen > blen;
}

/* What a reader knows of one record it got. */
struct sc_rec {
	const u8 *key;
	u32 pair;
	u32 gen;
	u8 side;
};

static __printf(3, 4) bool sc_bad(char *why, size_t why_len,
				  const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(why, why_len, fmt, args);
	va_end(args);
	return false;
}

/* The pair number of a key "pNNNNa" or "pNNNNb", or U32_MAX. */
static u32 sc_key_pair(const u8 *key, u32 klen)
{
	u32 i, k;

	if (klen != SC_KEY_LEN || key[0] != 'p' ||
	    (key[5] != 'a' && key[5] != 'b'))
		return U32_MAX;
	for (i = 0, k = 1; k < 5; k++) {
		if (key[k] < '0' || key[k] > '9')
			return U32_MAX;
		i = i * 10 + key[k] - '0';
	}
	return i < SC_PAIRS ? i : U32_MAX;
}

/*
 * Check one record (key @key, value @val of @vlen bytes, or none with
 * @keys_only) and fill @r. False, with the reason in @why, when bad.
 */
static bool sc_check_rec(const u8 *key, u32 klen, const u8 *val, u32 vlen,
			 bool keys_only, u8 *want, struct sc_rec *r,
			 char *why, size_t why_len)
{
	u32 i = sc_key_pair(key, klen);

	if (i == U32_MAX)
		return sc_bad(why, why_len, "a key of %u bytes not put", klen);
	r->key = key;
	r->pair = i;
	r->side = key[5];
	r->gen = 0;
	if (keys_only) {
		if (vlen)
			return sc_bad(why, why_len, "%.6s: a value", key);
		return true;
	}
	if (vlen < 9)
		return sc_bad(why, why_len, "%.6s: %u bytes", key, vlen);
	memcpy(&r->gen, val + 4, 4);
	sc_fill(want, i, r->gen, r->side);
	if (vlen != sc_len(r->gen) || memcmp(val, want, vlen))
		return sc_bad(why, why_len, "%.6s: %u bytes, not generation %u",
			      key, vlen, r->gen);
	return true;
}

/*
 * Check a scan's output against its arguments: order, range, limit, each
 * record, and pairs whole. False, with the reason in @why, when bad.
 */
static bool sc_check_scan(const struct cesium_scan_args *a, u8 *want,
			  char *why, size_t why_len)
{
	bool reverse = a->flags & CESIUM_ST_SCAN_REVERSE;
	bool keys_only = a->flags & CESIUM_ST_SCAN_KEYS_ONLY;
	/* The side a pair starts with in this direction. */
	u8 first = reverse ? 'b' : 'a';
	struct sc_rec prev = { NULL }, cur;
	u32 n, off = 0;
	int c;

	if (a->limit && a->nr > a->limit)
		return sc_bad(why, why_len, "%u records, limit %u", a->nr,
			      a->limit);
	for (n = 0; n < a->nr; n++) {
		const struct cesium_scan_out_rec *r = (void *)((u8 *)a->buf + off);
		const u8 *key = (const u8 *)(r + 1);

		if (off + sizeof(*r) > a->bytes ||
		    off + sizeof(*r) + r->key_len + r->value_len > a->bytes)
			return sc_bad(why, why_len, "record %u past the end", n);
		if (!sc_check_rec(key, r->key_len, key + r->key_len,
				  r->value_len, keys_only, want, &cur, why,
				  why_len))
			return false;
		if (a->start_len) {
			c = sc_key_cmp(key, r->key_len, a->start, a->start_len);
			if (c < 0 || (!c && (a->flags & CESIUM_ST_SCAN_START_EXCL)))
				return sc_bad(why, why_len, "%.6s below the range",
					      key);
		}
		if (a->end_len &&
		    sc_key_cmp(key, r->key_len, a->end, a->end_len) >= 0)
			return sc_bad(why, why_len, "%.6s above the range", key);
		if (prev.key) {
			c = memcmp(prev.key, key, SC_KEY_LEN);
			if (reverse ? c <= 0 : c >= 0)
				return sc_bad(why, why_len, "%.6s after %.6s",
					      key, prev.key);
			/* A pair's second key follows its first, same gen. */
			if (prev.side == first &&
			    (cur.side == first || cur.pair != prev.pair ||
			     cur.gen != prev.gen))
				return sc_bad(why, why_len,
					      "pair split: %.6s gen %u, then %.6s gen %u",
					      prev.key, prev.gen, key, cur.gen);
			if (prev.side != first && cur.side != first)
				return sc_bad(why, why_len,
					      "pair split: %.6s, then %.6s",
					      prev.key, key);
		}
		prev = cur;
		off += round_up(sizeof(*r) + r->key_len + r->value_len, 8);
	}
	if (off != a->bytes)
		return sc_bad(why, why_len, "%u bytes of records, %u said", off,
			      a->bytes);
	return true;
}

static void sc_reader_fn(struct work_struct *work)
{
	struct sc_reader *r = container_of(work, struct sc_reader, work);
	u8 *buf = kvmalloc(SC_BUF_MAX, GFP_KERNEL);
	u8 *want = kmalloc(4096, GFP_KERNEL);
	char start[8], end[8];
	int ret;

	if (!buf || !want) {
		r->bad++;
		goto out;
	}
	while (!READ_ONCE(*r->stop)) {
		struct cesium_scan_args a = { .buf = buf };
		u32 x = sc_next(&r->seed);

		/* As a return to user space would: let the others run. */
		cond_resched();
		sc_key(start, x % SC_PAIRS, x & 1 ? 'b' : 'a');
		sc_key(end, x % SC_PAIRS + 1 + sc_next(&r->seed) % 40, 'a');
		if (x & 2) {
			a.start = start;
			a.start_len = SC_KEY_LEN;
		}
		if (x & 4) {
			a.end = end;
			a.end_len = SC_KEY_LEN;
		}
		if (x & 8)
			a.flags |= CESIUM_ST_SCAN_REVERSE;
		if (x % 8 == 3)
			a.flags |= CESIUM_ST_SCAN_KEYS_ONLY;
		if (x % 5 == 1)
			a.flags |= CESIUM_ST_SCAN_START_EXCL;
		a.limit = x % 3 ? 1 + sc_next(&r->seed) % 60 : 0;
		a.buf_len = 4096 + sc_next(&r->seed) % (SC_BUF_MAX - 4096);
		ret = cesium_store_scan(r->st, &a);
		WRITE_ONCE(r->scans, r->scans + 1);
		if (ret == -EAGAIN) {
			/* Values kept changing length: allowed, counted. */
			r->again++;
			continue;
		}
		if (ret) {
			snprintf(r->why, sizeof(r->why), "scan: %d", ret);
			r->bad++;
			continue;
		}
		if (!sc_check_scan(&a, want, r->why, sizeof(r->why))) {
			r->bad++;
			continue;
		}
		r->records += a.nr;
	}
out:
	kvfree(buf);
	kfree(want);
}

/* Put (gen != 0) or delete (gen == 0) both keys of pair @i, atomically. */
static int sc_write_pair(struct cesium_store *st, u32 i, u32 gen, u8 *va,
			 u8 *vb)
{
	struct cesium_batch_item it[2] = {
		{ .op = gen ? CESIUM_REC_PUT : CESIUM_REC_DELETE },
		{ .op = gen ? CESIUM_REC_PUT : CESIUM_REC_DELETE },
	};
	char ka[8], kb[8];

	sc_key(ka, i, 'a');
	sc_key(kb, i, 'b');
	it[0].key = ka;
	it[1].key = kb;
	it[0].key_len = it[1].key_len = SC_KEY_LEN;
	if (gen) {
		sc_fill(va, i, gen, 'a');
		sc_fill(vb, i, gen, 'b');
		it[0].value = va;
		it[1].value = vb;
		it[0].value_len = it[1].value_len = sc_len(gen);
	}
	return cesium_store_batch(st, it, 2, CESIUM_DURABILITY_NONE);
}

static void scan_concurrent(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 4096);
	struct workqueue_struct *wq[SC_READERS];
	struct sc_reader *r;
	u32 *gen, n, i, seed = 3;
	bool stop = false;
	u8 *va, *vb;

	r = kunit_kcalloc(test, SC_READERS, sizeof(*r), GFP_KERNEL);
	gen = kunit_kcalloc(test, SC_PAIRS, sizeof(*gen), GFP_KERNEL);
	va = kunit_kmalloc(test, 4096, GFP_KERNEL);
	vb = kunit_kmalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, gen);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_ASSERT_NOT_NULL(test, vb);
	for (i = 0; i < SC_PAIRS; i += 2) {
		gen[i] = 1;
		KUNIT_ASSERT_EQ(test, sc_write_pair(c->st, i, 1, va, vb), 0);
	}
	for (n = 0; n < SC_READERS; n++) {
		r[n].st = c->st;
		r[n].seed = n + 29;
		r[n].stop = &stop;
	}
	/* The readers are at work before the writes start. */
	store_start_workers(test, wq, SC_READERS, r, sizeof(*r),
			    offsetof(struct sc_reader, scans), sc_reader_fn);
	for (n = 0; n < SC_WRITES; n++) {
		if (n % 64 == 0)
			cond_resched();
		/* Now and then the cleaner moves log values under the scans. */
		if (n % 5000 == 4999)
			KUNIT_EXPECT_EQ(test, cesium_store_maintain(c->st), 0);
		i = sc_next(&seed) % SC_PAIRS;
		if (gen[i] && sc_next(&seed) % 6 == 0) {
			KUNIT_EXPECT_EQ(test, sc_write_pair(c->st, i, 0, va, vb),
					0);
			gen[i] = 0;
			continue;
		}
		/* Generations go on across deletes: lengths keep changing. */
		gen[i] = n + 2;
		KUNIT_EXPECT_EQ(test, sc_write_pair(c->st, i, gen[i], va, vb),
				0);
	}
	WRITE_ONCE(stop, true);
	for (n = 0; n < SC_READERS; n++) {
		destroy_workqueue(wq[n]);
		kunit_info(test, "reader %u: %llu scans, %llu records, %llu -EAGAIN\n",
			   n, r[n].scans, r[n].records, r[n].again);
		KUNIT_EXPECT_EQ_MSG(test, r[n].bad, 0ull, "%s", r[n].why);
		KUNIT_EXPECT_GT(test, r[n].records, 0ull);
	}
}

/* The test's keys for the read tests: "v0000".."vNNNN". */
static void sv_key(char *key, u32 i)
{
	snprintf(key, 8, "v%04u", i);
}

static void sv_fill(u8 *v, u32 len, u32 i, u32 gen)
{
	u32 k;

	for (k = 0; k < len; k++)
		v[k] = (u8)(i * 31 + gen * 5 + k);
	memcpy(v, &i, 4);
	memcpy(v + 4, &gen, 4);
}

/* Scan every "v" key and check values: @nr keys of @len, generation @gen[i]. */
static void sv_scan_check(struct kunit *test, struct cesium_store *st,
			  u32 nr, u32 len, const u32 *gen, bool reverse)
{
	struct cesium_scan_args a = { .start = "v", .start_len = 1,
				      .end = "w", .end_len = 1 };
	u32 n, i, off = 0;
	u8 *want = kunit_kmalloc(test, len, GFP_KERNEL);
	char key[8];

	a.buf_len = nr * round_up(8 + 5 + len, 8);
	a.buf = kunit_kmalloc(test, a.buf_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a.buf);
	KUNIT_ASSERT_NOT_NULL(test, want);
	if (reverse)
		a.flags = CESIUM_ST_SCAN_REVERSE;
	KUNIT_ASSERT_EQ(test, cesium_store_scan(st, &a), 0);
	KUNIT_ASSERT_EQ(test, a.nr, nr);
	KUNIT_EXPECT_FALSE(test, a.more);
	for (n = 0; n < nr; n++) {
		const struct cesium_scan_out_rec *r = (void *)((u8 *)a.buf + off);

		i = reverse ? nr - 1 - n : n;
		sv_key(key, i);
		sv_fill(want, len, i, gen[i]);
		KUNIT_ASSERT_EQ(test, r->key_len, 5u);
		KUNIT_ASSERT_EQ(test, r->value_len, len);
		KUNIT_EXPECT_EQ(test, memcmp(r + 1, key, 5), 0);
		KUNIT_EXPECT_EQ_MSG(test, memcmp((u8 *)(r + 1) + 5, want, len),
				    0, "value of %s", key);
		off += round_up(sizeof(*r) + 5 + len, 8);
	}
	kunit_kfree(test, a.buf);
	kunit_kfree(test, want);
}

static u64 sv_reads(struct store_ctx *c)
{
	return atomic64_read(&c->be->stats.reads);
}

/*
 * Log values written in key order lie side by side: a scan reads them in
 * a few large reads (one per 128 KiB), not one read each; once the cache
 * has taken them (at their second read), in none.
 */
static void scan_reads_merged(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 512);
	const u32 nr = 300, len = 700;
	u32 *gen = kunit_kcalloc(test, nr, sizeof(*gen), GFP_KERNEL);
	struct cesium_batch_item *it = kunit_kcalloc(test, nr, sizeof(*it),
						     GFP_KERNEL);
	u8 *v = kunit_kmalloc_array(test, nr, len, GFP_KERNEL);
	char *keys = kunit_kmalloc_array(test, nr, 8, GFP_KERNEL);
	u64 reads;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, gen);
	KUNIT_ASSERT_NOT_NULL(test, it);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_NOT_NULL(test, keys);
	/* One batch: its records lie side by side on the device. */
	for (i = 0; i < nr; i++) {
		sv_key(keys + 8 * i, i);
		sv_fill(v + i * len, len, i, 0);
		it[i].op = CESIUM_REC_PUT;
		it[i].key = keys + 8 * i;
		it[i].key_len = 5;
		it[i].value = v + i * len;
		it[i].value_len = len;
	}
	KUNIT_ASSERT_EQ(test, cesium_store_batch(c->st, it, nr,
						 CESIUM_DURABILITY_SYNC), 0);
	/* Everything on the device, nothing cached. */
	store_reopen(test, c);
	cesium_store_pause_maint(c->st, true);
	reads = sv_reads(c);
	sv_scan_check(test, c->st, nr, len, gen, false);
	reads = sv_reads(c) - reads;
	kunit_info(test, "%u values of %u bytes: %llu device reads\n", nr, len,
		   reads);
	/* About 215 KiB of records side by side: reads of 128 KiB at most. */
	KUNIT_EXPECT_GE(test, reads, 2ull);
	KUNIT_EXPECT_LE(test, reads, 3ull);
	/*
	 * The first scan cached none (values read once stay out), the
	 * second read them again and cached them all, the third reads none.
	 */
	reads = sv_reads(c);
	sv_scan_check(test, c->st, nr, len, gen, true);
	KUNIT_EXPECT_GE(test, sv_reads(c) - reads, 2ull);
	reads = sv_reads(c);
	sv_scan_check(test, c->st, nr, len, gen, true);
	KUNIT_EXPECT_EQ(test, sv_reads(c) - reads, 0ull);
}

/*
 * Values scattered over many batches (each put its own, overwritten in a
 * random order) and some in the pending batch: every value right, in both
 * directions, and never more reads than values.
 */
static void scan_reads_scattered(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 64 * MIB, 4096);
	const u32 nr = 120, len = 3000;
	u32 *gen = kunit_kcalloc(test, nr, sizeof(*gen), GFP_KERNEL);
	u8 *v = kunit_kmalloc(test, len, GFP_KERNEL);
	u32 i, n, seed = 11;
	u64 reads;
	char key[8];

	KUNIT_ASSERT_NOT_NULL(test, gen);
	KUNIT_ASSERT_NOT_NULL(test, v);
	cesium_store_pause_maint(c->st, true);
	cesium_store_set_cache_bytes(c->st, 0);
	for (n = 0; n < 3 * nr; n++) {
		i = n < nr ? n : sc_next(&seed) % nr;
		gen[i] = n;
		sv_key(key, i);
		sv_fill(v, len, i, n);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 5, v, len,
						       0, n < 2 * nr ?
						       CESIUM_DURABILITY_SYNC :
						       CESIUM_DURABILITY_NONE),
				0);
	}
	reads = sv_reads(c);
	sv_scan_check(test, c->st, nr, len, gen, false);
	reads = sv_reads(c) - reads;
	kunit_info(test, "%u scattered values: %llu device reads\n", nr, reads);
	KUNIT_EXPECT_GT(test, reads, 0ull);
	KUNIT_EXPECT_LT(test, reads, (u64)nr);
	sv_scan_check(test, c->st, nr, len, gen, true);
}

/* A damaged value record fails the scan with -EUCLEAN, as a get fails. */
static void scan_damaged_value(struct kunit *test)
{
	struct store_ctx *c = store_setup(test, 8 * MIB, 4096);
	struct cesium_scan_args a = { 0 };
	u8 *v = kunit_kmalloc(test, 1000, GFP_KERNEL);
	u8 *blk = kunit_kmalloc(test, 4096, GFP_KERNEL);
	u64 off, hit = 0;
	u32 i, len;
	char key[8];

	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_NOT_NULL(test, blk);
	for (i = 0; i < 8; i++) {
		sv_key(key, i);
		sv_fill(v, 1000, i, 7);
		KUNIT_ASSERT_EQ(test, cesium_store_put(c->st, 0, key, 5, v, 1000,
						       0, CESIUM_DURABILITY_SYNC),
				0);
	}
	cesium_store_pause_maint(c->st, true);
	cesium_store_set_cache_bytes(c->st, 0);
	/* Find key 5's value on the device and flip a byte of it. */
	sv_fill(v, 1000, 5, 7);
	for (off = 0; !hit && off < c->be->size_bytes; off += 4096) {
		KUNIT_ASSERT_EQ(test, cesium_be_read(c->be, off, blk, 4096), 0);
		for (i = 0; i + 21 <= 4096; i++) {
			if (!memcmp(blk + i, v, 16)) {
				blk[i + 20] ^= 0xff;
				hit = off + 1;
				break;
			}
		}
	}
	KUNIT_ASSERT_NE(test, hit, 0ull);
	KUNIT_ASSERT_EQ(test, cesium_be_write(c->be, hit - 1, blk, 4096, 0), 0);

	a.buf_len = 16 * 1024;
	a.buf = kunit_kmalloc(test, a.buf_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a.buf);
	KUNIT_EXPECT_EQ(test, cesium_store_scan(c->st, &a), -EUCLEAN);
	/* The keys around it read, the damaged one is left out of range. */
	a.end = "v0005";
	a.end_len = 5;
	KUNIT_EXPECT_EQ(test, cesium_store_scan(c->st, &a), 0);
	KUNIT_EXPECT_EQ(test, a.nr, 5u);
	KUNIT_EXPECT_EQ(test, cesium_store_get(c->st, 0, "v0005", 5, v, 1000,
					       &len), -EUCLEAN);
}

static struct kunit_case cesium_scan_cases[] = {
	KUNIT_CASE(scan_reads_merged),
	KUNIT_CASE(scan_reads_scattered),
	KUNIT_CASE(scan_damaged_value),
	KUNIT_CASE(scan_concurrent),
	{}
};

static struct kunit_suite cesium_scan_suite = {
	.name = "cesium_scan",
	.exit = store_teardown,
	.test_cases = cesium_scan_cases,
};
kunit_test_suite(cesium_scan_suite);
