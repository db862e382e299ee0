// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized model-based test of the index (kmod/engine/index.c, built
 * unchanged over the kernel shim), plus its memory and fill figures.
 *
 *	index_test [-s SEED] [-n OPS] [-m KEYS] [-q]
 *
 * SEED defaults to a fresh one (also taken from $CESIUM_TEST_SEED); it is
 * printed first and with any failure. Every operation runs under
 * allocation-failure injection (the first, second, ... allocation fails
 * until the operation goes through), and after every operation
 * cesium_index_check() and the counters must agree with the model. Then
 * KEYS (default 250000) 16-byte keys go in at random and in order, for the
 * memory per key and the fill factor; -q leaves that out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/limits.h>
#include <linux/types.h>
#include <asm/unaligned.h>

#include "kmod/engine/index.h"
#include "tests/user/shim/shim.h"
#include "index_model.h"

static unsigned long long seed;
static unsigned long long rng_state;
static unsigned long op_nr;
static const char *phase = "setup";
static bool quiet;
/* check everything after every operation, or only every so many */
static unsigned long verify_every = 1;

static struct {
	unsigned long inserts, replaces, removes, lookups, walks, invalid;
	unsigned long injected, splits_seen, merges_seen, emptied;
} stats;

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL: user/index: seed %llu, %s, op %lu: ", seed,
		phase, op_nr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(reproduce: index_test -s %llu)\n", seed);
	exit(1);
}

static u64 rnd(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [lo, hi] */
static u64 rnd_in(u64 lo, u64 hi)
{
	return lo + rnd() % (hi - lo + 1);
}

static void rnd_bytes(u8 *p, size_t n)
{
	while (n--)
		*p++ = rnd();
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Keys: boundary keys, dense short keys (many replaces), shared prefixes
 * (some longer than the 8 bytes the fence vector compares first), chains
 * of keys that are prefixes of each other, random and long keys.
 */
static u32 gen_key(u8 *key)
{
	static const u8 prefixes[][12] = {
		"user:", "\0\0\0\0\0\0\0\0\0\0", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
		"abcdefghij", "\x01\x02\x03\x04\x05\x06\x07\x08\x09", "k",
	};
	static const u8 plen[] = { 5, 10, 10, 10, 9, 1 };
	u32 len, p, r = rnd() % 100;

	if (r < 8) {
		switch (rnd() % 8) {
		case 0: len = 1; key[0] = 0; break;
		case 1: len = 1; key[0] = 0xff; break;
		case 2: len = CESIUM_KEY_MAX; memset(key, 0, len); break;
		case 3: len = CESIUM_KEY_MAX; memset(key, 0xff, len); break;
		case 4: len = 2; key[0] = 0; key[1] = 0; break;
		case 5: len = 2; key[0] = 0xff; key[1] = 0; break;
		case 6: len = rnd_in(1, CESIUM_KEY_MAX); memset(key, 0, len); break;
		default: len = rnd_in(1, CESIUM_KEY_MAX); memset(key, 0xff, len); break;
		}
		return len;
	}
	if (r < 25) {
		len = rnd_in(1, 3);
		rnd_bytes(key, len);
		if (len > 1)
			key[0] &= 0x3;
		return len;
	}
	if (r < 55) {
		p = rnd() % sizeof(plen);
		len = plen[p] + rnd_in(0, 24);
		memcpy(key, prefixes[p], plen[p]);
		rnd_bytes(key + plen[p], len - plen[p]);
		if (rnd() & 1)	/* few distinct suffix bytes: near neighbours */
			for (r = plen[p]; r < len; r++)
				key[r] &= 0x3;
		return len;
	}
	if (r < 65) {
		len = 2 + rnd_in(0, 12);
		memset(key, 0, len);
		key[0] = 'a';
		key[1] = 'b';
		return len;
	}
	if (r < 92) {
		len = rnd_in(1, 40);
		rnd_bytes(key, len);
		return len;
	}
	len = rnd_in(200, CESIUM_KEY_MAX);
	rnd_bytes(key, len);
	memset(key, rnd() % 2 ? 0x42 : 0x00, 8);
	return len;
}

static u32 pick_key(const struct model *m, u8 *key, unsigned int pct_existing)
{
	const struct model_ent *e;

	if (!m->nr || rnd() % 100 >= pct_existing)
		return gen_key(key);
	e = m->ent[rnd() % m->nr];
	memcpy(key, e->key, e->key_len);
	return e->key_len;
}

static u8 value_buf[CESIUM_INDEX_SEG_BYTES_MAX];

static void gen_value(const struct cesium_index *idx, u32 key_len,
		      struct cesium_vref *v)
{
	u32 max = cesium_index_max_inline(idx, key_len);
	u32 r = rnd() % 100;

	memset(v, 0, sizeof(*v));
	if (rnd() % 2) {
		v->kind = CESIUM_V_LOG;
		switch (rnd() % 6) {
		case 0: v->len = 0; break;
		case 1: v->len = rnd_in(1, 255); break;
		case 2: v->len = rnd_in(256, 65535); break;
		case 3: v->len = rnd_in(65536, (1 << 24) - 1); break;
		case 4: v->len = rnd(); break;
		default: v->len = U32_MAX; break;
		}
		r = rnd() % 10;
		v->addr = r == 0 ? 0 : r == 1 ? (1ULL << 48) - 1 :
			  rnd() & ((1ULL << 48) - 1);
		return;
	}
	v->kind = CESIUM_V_INLINE;
	if (r < 20)
		v->len = rnd_in(0, 8);
	else if (r < 60)
		v->len = rnd_in(9, 61);
	else if (r < 85)
		v->len = rnd_in(62, 317);
	else if (r < 97)
		v->len = rnd_in(318, max < 1000 ? max : 1000);
	else
		v->len = rnd_in(max - 16, max);
	rnd_bytes(value_buf, v->len);
	v->data = v->len ? value_buf : NULL;
}

struct snap {
	u64 count, mem;
	u32 segs;
	long objects, bytes;
};

static void take_snap(const struct cesium_index *idx, struct snap *s)
{
	struct shim_mem m;

	shim_mem(&m);
	memset(s, 0, sizeof(*s));
	s->count = cesium_index_count(idx);
	s->mem = cesium_index_mem_bytes(idx);
	s->segs = cesium_index_nr_segments(idx);
	s->objects = m.objects;
	s->bytes = m.bytes;
}

static void verify(const struct cesium_index *idx, const struct model *m,
		   bool full)
{
	struct shim_mem sm;
	const char *err;

	if (op_nr % verify_every && m->nr)
		return;
	if (cesium_index_check(idx))
		fail("cesium_index_check() failed");
	if (cesium_index_count(idx) != m->nr)
		fail("count %llu, model %zu",
		     (unsigned long long)cesium_index_count(idx), m->nr);
	shim_mem(&sm);
	if ((u64)sm.bytes != cesium_index_mem_bytes(idx))
		fail("mem_bytes %llu, allocated %ld",
		     (unsigned long long)cesium_index_mem_bytes(idx), sm.bytes);
	if (!m->nr && (cesium_index_nr_segments(idx) ||
		       cesium_index_mem_bytes(idx)))
		fail("an empty index holds %u segments, %llu bytes",
		     cesium_index_nr_segments(idx),
		     (unsigned long long)cesium_index_mem_bytes(idx));
	if (shim_warnings())
		fail("WARN fired");
	if (full) {
		err = model_compare_all(m, idx);
		if (err)
			fail("index and model differ: %s", err);
	}
}

static void verify_unchanged(const struct cesium_index *idx,
			     const struct model *m, const struct snap *before)
{
	struct snap after;

	take_snap(idx, &after);
	if (memcmp(before, &after, sizeof(after)))
		fail("a failed operation changed the index (count %llu->%llu, segs %u->%u, mem %llu->%llu, objects %ld->%ld)",
		     (unsigned long long)before->count,
		     (unsigned long long)after.count, before->segs, after.segs,
		     (unsigned long long)before->mem,
		     (unsigned long long)after.mem, before->objects,
		     after.objects);
	verify(idx, m, m->nr < 200 || stats.injected % 64 == 0);
}

static void check_lookup(const struct cesium_index *idx, const struct model *m,
			 const u8 *key, u32 key_len)
{
	struct cesium_vref v;
	bool found;
	size_t i = model_lower(m, key, key_len, &found);
	int ret = cesium_index_lookup(idx, key, key_len, &v);
	const char *err;

	if (ret != (found ? 0 : -ENOENT))
		fail("lookup returned %d, model %s", ret,
		     found ? "has it" : "has not");
	if (found) {
		err = model_same_value(m->ent[i], &v);
		if (err)
			fail("lookup: %s", err);
	}
}

static gfp_t pick_gfp(void)
{
	switch (rnd() % 8) {
	case 0: return GFP_NOIO;
	case 1: return GFP_NOWAIT;
	default: return GFP_KERNEL;
	}
}

static void op_insert(struct cesium_index *idx, struct model *m)
{
	u8 key[CESIUM_KEY_MAX];
	u32 key_len = pick_key(m, key, 40);
	struct cesium_vref v, old;
	struct model_ent prev = { 0 };
	struct snap before;
	bool found, fired;
	size_t i;
	unsigned long n;
	u32 segs;
	int ret, want;
	const char *err;

	gen_value(idx, key_len, &v);
	i = model_lower(m, key, key_len, &found);
	if (found) {
		prev = *m->ent[i];
		if (prev.val) {
			prev.val = malloc(prev.len);
			memcpy(prev.val, m->ent[i]->val, prev.len);
		}
	}
	take_snap(idx, &before);
	segs = before.segs;
	for (n = 1;; n++) {
		memset(&old, 0x5a, sizeof(old));
		shim_fail_nth(n);
		ret = cesium_index_insert(idx, key, key_len, &v, &old,
					  pick_gfp());
		fired = !shim_fail_pending();
		shim_fail_nth(0);
		if (ret != -ENOMEM)
			break;
		if (!fired)
			fail("insert: -ENOMEM with no allocation failed");
		stats.injected++;
		verify_unchanged(idx, m, &before);
		check_lookup(idx, m, key, key_len);
	}
	if (fired)
		fail("insert returned %d though allocation %lu failed", ret, n);
	want = model_insert(m, key, key_len, &v);
	if (ret != want)
		fail("insert returned %d, want %d", ret, want);
	if (found) {
		stats.replaces++;
		if (old.kind != prev.kind || old.len != prev.len ||
		    (old.kind == CESIUM_V_LOG && old.addr != prev.addr) ||
		    (old.kind == CESIUM_V_INLINE && old.data))
			fail("replace: wrong old value");
		free(prev.val);
	} else {
		stats.inserts++;
	}
	if (cesium_index_nr_segments(idx) > segs)
		stats.splits_seen++;
	i = model_lower(m, key, key_len, &found);
	err = model_same_value(m->ent[i], &v);
	if (err)
		fail("insert: model broken: %s", err);
	check_lookup(idx, m, key, key_len);
}

static void op_remove(struct cesium_index *idx, struct model *m)
{
	u8 key[CESIUM_KEY_MAX];
	u32 key_len = pick_key(m, key, 80);
	struct cesium_vref old;
	struct snap before;
	bool found;
	size_t i = model_lower(m, key, key_len, &found);
	struct model_ent prev = found ? *m->ent[i] : (struct model_ent){ 0 };
	int ret;

	take_snap(idx, &before);
	/* removes must not fail: fail the first allocation they may make */
	shim_fail_nth(1);
	ret = cesium_index_remove(idx, key, key_len, &old);
	if (!shim_fail_pending())
		stats.injected++;
	shim_fail_nth(0);
	if (ret != (found ? 0 : -ENOENT))
		fail("remove returned %d, model %s", ret,
		     found ? "has it" : "has not");
	if (!found) {
		verify_unchanged(idx, m, &before);
		return;
	}
	if (old.kind != prev.kind || old.len != prev.len ||
	    (old.kind == CESIUM_V_LOG && old.addr != prev.addr) ||
	    (old.kind == CESIUM_V_INLINE && old.data))
		fail("remove: wrong old value");
	model_remove(m, key, key_len);
	stats.removes++;
	if (cesium_index_nr_segments(idx) < before.segs)
		stats.merges_seen++;
	check_lookup(idx, m, key, key_len);
}

static void op_lookup(struct cesium_index *idx, struct model *m)
{
	u8 key[CESIUM_KEY_MAX];
	u32 key_len = pick_key(m, key, 50);

	check_lookup(idx, m, key, key_len);
	stats.lookups++;
}

static void op_walk(struct cesium_index *idx, struct model *m)
{
	u8 key[CESIUM_KEY_MAX];
	u32 key_len = rnd() % 16 ? pick_key(m, key, 50) : 0;
	struct cesium_index_pos pos, start;
	size_t i, j, steps = rnd_in(1, 64);
	bool found;
	int ret;
	const char *err;

	stats.walks++;
	switch (rnd() % 4) {
	case 0:
		ret = cesium_index_first(idx, &pos);
		i = 0;
		break;
	case 1:
		ret = cesium_index_seek_last(idx, &pos);
		i = m->nr - 1;
		break;
	default:
		ret = cesium_index_seek(idx, key, key_len, &pos);
		i = key_len ? model_lower(m, key, key_len, &found) : 0;
		break;
	}
	if (!m->nr || i >= m->nr) {
		if (ret != -ENOENT)
			fail("walk: positioned (%d) where the model has nothing",
			     ret);
		return;
	}
	if (ret)
		fail("walk: could not position (%d)", ret);
	start = pos;
	/* forward */
	for (j = i;;) {
		err = model_compare_at(m, j, idx, &pos);
		if (err)
			fail("forward walk at %zu: %s", j, err);
		ret = cesium_index_next(idx, &pos);
		if (++j == m->nr) {
			if (ret != -ENOENT)
				fail("next past the end gave %d", ret);
			break;
		}
		if (ret)
			fail("next ended early at %zu of %zu", j, m->nr);
		if (j - i >= steps)
			break;
	}
	/* backward from the same start */
	pos = start;
	for (j = i;;) {
		err = model_compare_at(m, j, idx, &pos);
		if (err)
			fail("backward walk at %zu: %s", j, err);
		ret = cesium_index_prev(idx, &pos);
		if (!j) {
			if (ret != -ENOENT)
				fail("prev before the start gave %d", ret);
			break;
		}
		j--;
		if (ret)
			fail("prev ended early at %zu", j);
		if (i - j >= steps)
			break;
	}
}

static void op_invalid(struct cesium_index *idx, struct model *m)
{
	u8 key[CESIUM_KEY_MAX + 1] = { 1 };
	struct cesium_vref v = { .kind = CESIUM_V_LOG, .len = 1 }, out;
	struct snap before;
	u32 key_len = pick_key(m, key, 50);
	int ret;

	stats.invalid++;
	take_snap(idx, &before);
	if (cesium_index_insert(idx, key, 0, &v, NULL, GFP_KERNEL) != -EINVAL ||
	    cesium_index_insert(idx, key, CESIUM_KEY_MAX + 1, &v, NULL,
				GFP_KERNEL) != -EINVAL ||
	    cesium_index_insert(idx, NULL, 1, &v, NULL, GFP_KERNEL) != -EINVAL ||
	    cesium_index_insert(idx, key, key_len, NULL, NULL,
				GFP_KERNEL) != -EINVAL)
		fail("bad key or value pointer not refused with -EINVAL");
	v.addr = 1ULL << 48;
	if (cesium_index_insert(idx, key, key_len, &v, NULL, GFP_KERNEL) !=
	    -EINVAL)
		fail("log address >= 2^48 not refused");
	v.addr = 0;
	v.kind = rnd() % 2 ? 0 : 3;
	if (cesium_index_insert(idx, key, key_len, &v, NULL, GFP_KERNEL) !=
	    -EINVAL)
		fail("bad kind not refused");
	v.kind = CESIUM_V_INLINE;
	v.len = cesium_index_max_inline(idx, key_len) + 1 + rnd() % 100;
	v.data = value_buf;
	ret = cesium_index_insert(idx, key, key_len, &v, NULL, GFP_KERNEL);
	if (ret != -E2BIG)
		fail("inline value over max_inline gave %d, not -E2BIG", ret);
	v.len = 5;
	v.data = NULL;
	if (cesium_index_insert(idx, key, key_len, &v, NULL, GFP_KERNEL) !=
	    -EINVAL)
		fail("inline value without data not refused");
	if (cesium_index_lookup(idx, key, 0, &out) != -ENOENT ||
	    cesium_index_lookup(idx, key, CESIUM_KEY_MAX + 1, &out) != -ENOENT ||
	    cesium_index_remove(idx, key, 0, NULL) != -ENOENT ||
	    cesium_index_remove(idx, key, CESIUM_KEY_MAX + 1, NULL) != -ENOENT)
		fail("bad key length not refused by lookup or remove");
	if (cesium_index_max_inline(idx, 0) ||
	    cesium_index_max_inline(idx, CESIUM_KEY_MAX + 1))
		fail("max_inline of a bad key length is not 0");
	verify_unchanged(idx, m, &before);
}

/*
 * One run: the population swings between targets (none, few, many), so
 * segments split, redistribute and merge, and the index empties fully.
 */
static void run_random(u32 seg_bytes, unsigned long ops)
{
	static const unsigned int targets[] = { 0, 40, 400, 1200, 100, 200 };
	struct cesium_index idx;
	struct model m = { 0 };
	unsigned int target = 400;
	unsigned long i;
	char name[64];
	int ret;

	snprintf(name, sizeof(name), "random, %u-byte segments", seg_bytes);
	phase = name;
	ret = cesium_index_init(&idx, seg_bytes);
	if (ret)
		fail("init: %d", ret);
	verify(&idx, &m, true);
	for (i = 0; i < ops; i++) {
		u32 r = rnd() % 100;
		u32 p_ins = m.nr < target ? 60 : 25;
		size_t before = m.nr;

		op_nr++;
		if (i % 4000 == 0)
			target = targets[rnd() % 6];
		if (!target)
			p_ins = 10;
		if (r < p_ins)
			op_insert(&idx, &m);
		else if (r < 60)
			op_remove(&idx, &m);
		else if (r < 80)
			op_lookup(&idx, &m);
		else if (r < 99)
			op_walk(&idx, &m);
		else
			op_invalid(&idx, &m);
		verify(&idx, &m, m.nr < 64 || i % 512 == 0);
		if (!m.nr && before)
			stats.emptied++;
	}
	verify(&idx, &m, true);
	/* remove everything, in random order */
	while (m.nr) {
		struct model_ent *e = m.ent[rnd() % m.nr];
		u8 key[CESIUM_KEY_MAX];
		u32 key_len = e->key_len;

		memcpy(key, e->key, key_len);
		op_nr++;
		if (cesium_index_remove(&idx, key, key_len, NULL))
			fail("remove everything: key not found");
		model_remove(&m, key, key_len);
		verify(&idx, &m, m.nr < 64);
	}
	stats.emptied++;
	verify(&idx, &m, true);
	cesium_index_destroy(&idx);
	model_clear(&m);
}

/*
 * Many segments (the fence vector over a page, so vmalloc memory), still
 * with failures injected into every operation but checked less often.
 */
static void run_bulk(u32 seg_bytes, u32 nr)
{
	struct cesium_index idx;
	struct model m = { 0 };
	char name[64];

	snprintf(name, sizeof(name), "bulk, %u-byte segments", seg_bytes);
	phase = name;
	if (cesium_index_init(&idx, seg_bytes))
		fail("init");
	verify_every = 997;
	while (m.nr < nr) {
		op_nr++;
		op_insert(&idx, &m);
		verify(&idx, &m, false);
	}
	verify_every = 1;
	verify(&idx, &m, true);
	verify_every = 997;
	while (m.nr) {
		op_nr++;
		op_remove(&idx, &m);
		verify(&idx, &m, false);
	}
	verify_every = 1;
	verify(&idx, &m, true);
	stats.emptied++;
	cesium_index_destroy(&idx);
	model_clear(&m);
}

static u32 entry_footprint(u32 key_len, const struct cesium_vref *v)
{
	u32 n = 2 + 1 + key_len + 1;	/* slot, key_len, key, tag */

	if (v->kind == CESIUM_V_LOG)
		return n + (v->len ? (32 - __builtin_clz(v->len) + 7) / 8 : 0) + 6;
	return n + v->len + (v->len < 62 ? 0 : v->len < 318 ? 1 : 2);
}

enum fill_order { ORDER_RANDOM, ORDER_UP, ORDER_DOWN };

/*
 * Memory per key beyond the key and inline value, and the fill factor
 * (bytes of entries and slots over the room of the segments), for
 * @nr 16-byte keys inserted in @order, with inline values of @inline_len
 * bytes (0: log references).
 */
static void measure(const char *what, u32 nr, u32 inline_len,
		    enum fill_order order)
{
	struct cesium_index idx;
	struct cesium_vref v = { 0 };
	u64 payload = 0, used = 0;
	u8 key[16], val[128];
	double t0 = now_s(), t;
	double over, fill;
	u32 i;

	phase = what;
	if (cesium_index_init(&idx, 0))
		fail("init");
	for (i = 0; i < nr; i++) {
		u64 k;

		switch (order) {
		case ORDER_UP: k = i; break;
		case ORDER_DOWN: k = nr - i; break;
		default: k = rnd(); break;
		}
		rnd_bytes(key, sizeof(key));
		put_unaligned_be64(k, key);
		if (inline_len) {
			rnd_bytes(val, inline_len);
			v.kind = CESIUM_V_INLINE;
			v.len = inline_len;
			v.data = val;
		} else {
			v.kind = CESIUM_V_LOG;
			v.len = rnd_in(256, 65535);	/* a 2-byte length */
			v.addr = rnd() & ((1ULL << 48) - 1);
		}
		if (cesium_index_insert(&idx, key, sizeof(key), &v, NULL,
					GFP_KERNEL) != 0)
			fail("insert %u", i);
		payload += sizeof(key) + inline_len;
		used += entry_footprint(sizeof(key), &v);
	}
	t = now_s() - t0;
	if (cesium_index_check(&idx))
		fail("check");
	over = (double)(cesium_index_mem_bytes(&idx) - payload) / nr;
	fill = (double)used / ((double)cesium_index_nr_segments(&idx) *
			       (idx.seg_bytes - 16));
	printf("index: %-34s %8u keys: %5.2f B/key over key%s, fill %4.1f%%, %u segments, %.0f ns/insert\n",
	       what, nr, over, inline_len ? "+value" : "", 100 * fill,
	       cesium_index_nr_segments(&idx), t * 1e9 / nr);
	cesium_index_destroy(&idx);
}

static void test_init(void)
{
	static const u32 bad[] = { 1, 1000, 2048, 4095, 4097, 6144, 131072,
				   U32_MAX };
	struct cesium_index idx;
	unsigned int i;

	phase = "init";
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cesium_index_init(&idx, bad[i]) != -EINVAL)
			fail("init(%u) not refused", bad[i]);
	for (i = 12; i <= 16; i++) {
		if (cesium_index_init(&idx, 1U << i))
			fail("init(%u) refused", 1U << i);
		if (cesium_index_mem_bytes(&idx) || cesium_index_count(&idx))
			fail("a new index is not empty");
		cesium_index_destroy(&idx);
	}
}

int main(int argc, char **argv)
{
	unsigned long ops = 200000;
	u32 keys = 250000;
	const char *env = getenv("CESIUM_TEST_SEED");
	double t0 = now_s();
	int c;

	seed = env ? strtoull(env, NULL, 0) :
	       (unsigned long long)time(NULL) * 1000003ULL ^ getpid();
	while ((c = getopt(argc, argv, "s:n:m:q")) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': ops = strtoul(optarg, NULL, 0); break;
		case 'm': keys = strtoul(optarg, NULL, 0); break;
		case 'q': quiet = true; break;
		default:
			fprintf(stderr, "usage: %s [-s seed] [-n ops] [-m keys] [-q]\n",
				argv[0]);
			return 2;
		}
	}
	rng_state = seed;
	printf("index: seed %llu\n", seed);

	test_init();
	run_random(4096, ops);
	run_random(8192, ops / 8);
	run_random(65536, ops / 16);
	run_bulk(4096, 30000);
	printf("index: %lu ops: %lu inserts, %lu replaces, %lu removes, %lu lookups, %lu walks, %lu invalid; %lu failed allocations; %lu growths, %lu shrinks, emptied %lu times (%.1f s)\n",
	       op_nr, stats.inserts, stats.replaces, stats.removes,
	       stats.lookups, stats.walks, stats.invalid, stats.injected,
	       stats.splits_seen, stats.merges_seen, stats.emptied,
	       now_s() - t0);

	if (!quiet) {
		measure("random, log refs", keys, 0, ORDER_RANDOM);
		measure("random, 8-byte inline", keys, 8, ORDER_RANDOM);
		measure("random, 100-byte inline", keys, 100, ORDER_RANDOM);
		measure("ascending, log refs", keys, 0, ORDER_UP);
		measure("descending, 8-byte inline", keys, 8, ORDER_DOWN);
	}

	if (shim_done())
		fail("leaks or WARNs at the end");
	printf("PASS: user/index (%.1f s)\n", now_s() - t0);
	return 0;
}
