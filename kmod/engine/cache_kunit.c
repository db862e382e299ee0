// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the hot-item cache: hits and misses, what must match for
 * a hit, the budget and CLOCK eviction, dropped device ranges and the
 * generation that guards them, turning it off, the shrinker, admission at
 * the second miss; and the store's get path over it (a third get reads
 * nothing from the device,
 * and space the cleaner frees and the log reuses never serves an old
 * value).
 */
#include <kunit/test.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../io/backend.h"
#include "cache.h"
#include "store_int.h"

#define KIB 1024

/* The cache of the running case (freed by the suite's .exit). */
static struct cesium_cache *cache_setup(struct kunit *test, u64 max_bytes)
{
	struct cesium_cache *c = cesium_cache_create("kunit", max_bytes);

	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	test->priv = c;
	/* Every value at its first miss; cache_admit tests the default. */
	KUNIT_ASSERT_EQ(test, cesium_cache_set_admit(c, 1), 0);
	return c;
}

static void cache_teardown(struct kunit *test)
{
	if (test->priv)
		cesium_cache_destroy(test->priv);
	test->priv = NULL;
}

/* A value of @len bytes that depends on @seed. */
static u8 *cache_value(struct kunit *test, u32 len, u8 seed)
{
	u8 *v = kunit_kmalloc(test, len, GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, v);
	for (i = 0; i < len; i++)
		v[i] = seed + i * 7;
	return v;
}

static bool cache_put(struct cesium_cache *c, u64 addr, const char *key,
		      const u8 *v, u32 len)
{
	return cesium_cache_insert(c, cesium_cache_gen(c), addr, 0, key,
				   strlen(key), v, len);
}

static bool cache_has(struct cesium_cache *c, u64 addr, const char *key,
		      u8 *buf, u32 len)
{
	return cesium_cache_get(c, addr, 0, key, strlen(key), buf, len);
}

/* The charge of one entry with @key_len + @len bytes, measured. */
static u64 cache_charge(struct kunit *test, u32 key_len, u32 len)
{
	struct cesium_cache *c = cesium_cache_create("probe", 1 << 20);
	struct cesium_cache_stats s;
	u8 *v = cache_value(test, key_len + len, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	KUNIT_ASSERT_EQ(test, cesium_cache_set_admit(c, 1), 0);
	KUNIT_EXPECT_TRUE(test, cesium_cache_insert(c, cesium_cache_gen(c), 0,
						    0, v, key_len, v, len));
	cesium_cache_stats(c, &s);
	cesium_cache_destroy(c);
	return s.bytes;
}

static void cache_hit_miss(struct kunit *test)
{
	struct cesium_cache *c = cache_setup(test, 64 * KIB);
	u8 *v = cache_value(test, 1000, 1), *buf = cache_value(test, 1000, 9);
	struct cesium_cache_stats s;

	KUNIT_EXPECT_FALSE(test, cache_has(c, 4096, "key", buf, 1000));
	KUNIT_EXPECT_TRUE(test, cache_put(c, 4096, "key", v, 1000));
	KUNIT_EXPECT_TRUE(test, cache_has(c, 4096, "key", buf, 1000));
	KUNIT_EXPECT_EQ(test, memcmp(buf, v, 1000), 0);
	KUNIT_EXPECT_TRUE(test, cache_has(c, 4096, "key", buf, 1000));
	/* A second insert of the same record keeps the first entry. */
	KUNIT_EXPECT_FALSE(test, cache_put(c, 4096, "key", v, 1000));

	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_EQ(test, s.hits, 2ull);
	KUNIT_EXPECT_EQ(test, s.misses, 1ull);
	KUNIT_EXPECT_EQ(test, s.entries, 1ull);
	KUNIT_EXPECT_GE(test, s.bytes, 1003ull);
	KUNIT_EXPECT_LT(test, s.bytes, 1003ull + 128);
	KUNIT_EXPECT_EQ(test, s.max_bytes, 64ull * KIB);
	KUNIT_EXPECT_EQ(test, s.evictions, 0ull);
}

/* Only the same address, namespace, key and length make a hit. */
static void cache_mismatch(struct kunit *test)
{
	struct cesium_cache *c = cache_setup(test, 64 * KIB);
	u8 *v = cache_value(test, 500, 1), *buf = cache_value(test, 600, 9);
	struct cesium_cache_stats s;

	KUNIT_ASSERT_TRUE(test, cesium_cache_insert(c, cesium_cache_gen(c),
						    8192, 5, "key", 3, v,
						    500));
	KUNIT_EXPECT_TRUE(test, cesium_cache_get(c, 8192, 5, "key", 3, buf,
						 500));
	KUNIT_EXPECT_FALSE(test, cesium_cache_get(c, 8192, 0, "key", 3, buf,
						  500));
	KUNIT_EXPECT_FALSE(test, cesium_cache_get(c, 8192, 5, "kez", 3, buf,
						  500));
	KUNIT_EXPECT_FALSE(test, cesium_cache_get(c, 8192, 5, "keys", 4, buf,
						  500));
	KUNIT_EXPECT_FALSE(test, cesium_cache_get(c, 8192, 5, "ke", 2, buf,
						  500));
	KUNIT_EXPECT_FALSE(test, cesium_cache_get(c, 8192, 5, "key", 3, buf,
						  499));
	KUNIT_EXPECT_FALSE(test, cesium_cache_get(c, 8192, 5, "key", 3, buf,
						  600));
	KUNIT_EXPECT_FALSE(test, cesium_cache_get(c, 8704, 5, "key", 3, buf,
						  500));

	/* Another record at the same address replaces the entry. */
	KUNIT_EXPECT_TRUE(test, cesium_cache_insert(c, cesium_cache_gen(c),
						    8192, 5, "other", 5, v,
						    400));
	KUNIT_EXPECT_FALSE(test, cesium_cache_get(c, 8192, 5, "key", 3, buf,
						  500));
	KUNIT_EXPECT_TRUE(test, cesium_cache_get(c, 8192, 5, "other", 5, buf,
						 400));
	KUNIT_EXPECT_EQ(test, memcmp(buf, v, 400), 0);
	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_EQ(test, s.entries, 1ull);
	KUNIT_EXPECT_EQ(test, s.hits, 2ull);
	KUNIT_EXPECT_EQ(test, s.misses, 8ull);
}

/* The budget holds; the hand spares a referenced entry once. */
static void cache_eviction(struct kunit *test)
{
	u64 charge = cache_charge(test, 2, 1000);
	struct cesium_cache *c = cache_setup(test, 8 * charge);
	u8 *v = cache_value(test, 1000, 3), *buf = cache_value(test, 1000, 0);
	struct cesium_cache_stats s;
	char key[3] = "k0";
	int i;

	for (i = 0; i < 8; i++) {
		key[1] = '0' + i;
		KUNIT_EXPECT_TRUE(test, cache_put(c, i * 4096, key, v, 1000));
	}
	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_EQ(test, s.bytes, 8 * charge);
	KUNIT_EXPECT_EQ(test, s.evictions, 0ull);

	/* k0 is referenced: the ninth entry evicts k1 instead. */
	KUNIT_EXPECT_TRUE(test, cache_has(c, 0, "k0", buf, 1000));
	KUNIT_EXPECT_TRUE(test, cache_put(c, 8 * 4096, "k8", v, 1000));
	KUNIT_EXPECT_TRUE(test, cache_has(c, 0, "k0", buf, 1000));
	KUNIT_EXPECT_FALSE(test, cache_has(c, 4096, "k1", buf, 1000));
	KUNIT_EXPECT_TRUE(test, cache_has(c, 8 * 4096, "k8", buf, 1000));
	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_EQ(test, s.evictions, 1ull);
	KUNIT_EXPECT_EQ(test, s.entries, 8ull);

	/* Many more: never over budget, the newest always there. */
	for (i = 9; i < 200; i++) {
		char k[8];

		snprintf(k, sizeof(k), "k%d", i);
		KUNIT_EXPECT_TRUE(test, cache_put(c, i * 4096, k, v, i % 900));
		KUNIT_EXPECT_TRUE(test, cache_has(c, i * 4096, k, buf,
						  i % 900));
		cesium_cache_stats(c, &s);
		KUNIT_EXPECT_LE(test, s.bytes, 8 * charge);
	}
	/* A value over its share of the budget is not cached. */
	KUNIT_EXPECT_FALSE(test, cesium_cache_insert(c, cesium_cache_gen(c),
						     1 << 30, 0, v, 1, v,
						     charge + 1));
}

/* Space the cleaner frees is forgotten, and so is what was read from it. */
static void cache_drop_range(struct kunit *test)
{
	struct cesium_cache *c = cache_setup(test, 64 * KIB);
	u8 *v = cache_value(test, 300, 5), *buf = cache_value(test, 300, 0);
	struct cesium_cache_stats s;
	u64 gen;

	KUNIT_ASSERT_TRUE(test, cache_put(c, 4096, "a", v, 300));
	KUNIT_ASSERT_TRUE(test, cache_put(c, 8192, "b", v, 300));
	KUNIT_ASSERT_TRUE(test, cache_put(c, 12288, "c", v, 300));
	KUNIT_ASSERT_TRUE(test, cache_put(c, 12289, "d", v, 300));
	gen = cesium_cache_gen(c);
	cesium_cache_drop_range(c, 8192, 12289);
	KUNIT_EXPECT_TRUE(test, cache_has(c, 4096, "a", buf, 300));
	KUNIT_EXPECT_FALSE(test, cache_has(c, 8192, "b", buf, 300));
	KUNIT_EXPECT_FALSE(test, cache_has(c, 12288, "c", buf, 300));
	KUNIT_EXPECT_TRUE(test, cache_has(c, 12289, "d", buf, 300));
	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_EQ(test, s.entries, 2ull);

	/* A read that began before the drop is not cached. */
	KUNIT_EXPECT_NE(test, cesium_cache_gen(c), gen);
	KUNIT_EXPECT_FALSE(test, cesium_cache_insert(c, gen, 8192, 0, "b", 1,
						     v, 300));
	KUNIT_EXPECT_FALSE(test, cache_has(c, 8192, "b", buf, 300));
	KUNIT_EXPECT_TRUE(test, cache_put(c, 8192, "b", v, 300));
	KUNIT_EXPECT_TRUE(test, cache_has(c, 8192, "b", buf, 300));

	cesium_cache_drop_range(c, 0, U64_MAX);
	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_EQ(test, s.entries, 0ull);
	KUNIT_EXPECT_EQ(test, s.bytes, 0ull);
}

/* A budget of 0 frees everything and turns lookups and inserts off. */
static void cache_off(struct kunit *test)
{
	struct cesium_cache *c = cache_setup(test, 64 * KIB);
	u8 *v = cache_value(test, 2000, 5), *buf = cache_value(test, 2000, 0);
	struct cesium_cache_stats s;
	int i;

	for (i = 0; i < 20; i++)
		KUNIT_EXPECT_TRUE(test, cache_put(c, i * 4096, "k", v, 2000));
	cesium_cache_set_max_bytes(c, 8 * KIB);
	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_LE(test, s.bytes, 8ull * KIB);
	KUNIT_EXPECT_GT(test, s.entries, 0ull);

	cesium_cache_set_max_bytes(c, 0);
	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_EQ(test, s.bytes, 0ull);
	KUNIT_EXPECT_EQ(test, s.entries, 0ull);
	KUNIT_EXPECT_EQ(test, s.max_bytes, 0ull);
	KUNIT_EXPECT_FALSE(test, cache_put(c, 0, "k", v, 2000));
	KUNIT_EXPECT_FALSE(test, cache_has(c, 0, "k", buf, 2000));
	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_EQ(test, s.misses, 0ull);	/* not counted while off */

	cesium_cache_set_max_bytes(c, 64 * KIB);
	KUNIT_EXPECT_TRUE(test, cache_put(c, 0, "k", v, 2000));
	KUNIT_EXPECT_TRUE(test, cache_has(c, 0, "k", buf, 2000));
}

/* The shrinker: counts entries, frees unreferenced ones first. */
static void cache_shrinker(struct kunit *test)
{
	struct cesium_cache *c = cache_setup(test, 1 << 20);
	u8 *v = cache_value(test, 1000, 5), *buf = cache_value(test, 1000, 0);
	struct shrinker *sh = &c->shrinker;
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	struct cesium_cache_stats s;
	int i;

	KUNIT_EXPECT_EQ(test, sh->count_objects(sh, &sc), SHRINK_EMPTY);
	sc.nr_to_scan = 10;
	KUNIT_EXPECT_EQ(test, sh->scan_objects(sh, &sc), SHRINK_STOP);
	for (i = 0; i < 50; i++)
		KUNIT_ASSERT_TRUE(test, cache_put(c, i * 4096, "k", v, 1000));
	for (i = 0; i < 10; i++)
		KUNIT_ASSERT_TRUE(test, cache_has(c, i * 4096, "k", buf, 1000));
	KUNIT_EXPECT_EQ(test, sh->count_objects(sh, &sc), 50ul);

	/* One turn of the hand frees the 40 others, spares the 10. */
	sc.nr_to_scan = 50;
	KUNIT_EXPECT_EQ(test, sh->scan_objects(sh, &sc), 40ul);
	KUNIT_EXPECT_EQ(test, sc.nr_scanned, 50ul);
	KUNIT_EXPECT_EQ(test, sh->count_objects(sh, &sc), 10ul);
	KUNIT_EXPECT_TRUE(test, cache_has(c, 0, "k", buf, 1000));
	KUNIT_EXPECT_FALSE(test, cache_has(c, 10 * 4096, "k", buf, 1000));

	sc.nr_to_scan = 100;
	KUNIT_EXPECT_EQ(test, sh->scan_objects(sh, &sc), 10ul);
	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_EQ(test, s.entries, 0ull);
	KUNIT_EXPECT_EQ(test, s.bytes, 0ull);
	KUNIT_EXPECT_EQ(test, s.evictions, 50ull);
}

/*
 * The doorkeeper: under the default admission a value is cached at the
 * second miss of its address, not the first; it remembers only so many
 * misses; admit 1 caches at once; other settings are refused.
 */
static void cache_admit(struct kunit *test)
{
	struct cesium_cache *c = cache_setup(test, 64 * KIB);
	u8 *v = cache_value(test, 100, 1), *buf = cache_value(test, 100, 0);
	unsigned int window = (1U << c->door_order) / 4, i;
	struct cesium_cache_stats s;

	KUNIT_EXPECT_EQ(test, cesium_cache_set_admit(c, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, cesium_cache_set_admit(c, 3), -EINVAL);
	KUNIT_ASSERT_EQ(test, cesium_cache_set_admit(c, 2), 0);
	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_EQ(test, s.admit, 2u);

	KUNIT_EXPECT_FALSE(test, cache_put(c, 4096, "key", v, 100));
	KUNIT_EXPECT_FALSE(test, cache_has(c, 4096, "key", buf, 100));
	KUNIT_EXPECT_TRUE(test, cache_put(c, 4096, "key", v, 100));
	KUNIT_EXPECT_TRUE(test, cache_has(c, 4096, "key", buf, 100));
	KUNIT_EXPECT_EQ(test, memcmp(buf, v, 100), 0);
	cesium_cache_stats(c, &s);
	KUNIT_EXPECT_EQ(test, s.declined, 1ull);
	KUNIT_EXPECT_EQ(test, s.entries, 1ull);

	/*
	 * First misses of other addresses until the doorkeeper has declined
	 * a window's worth (some of their bits collide and are admitted):
	 * then it is cleared and has forgotten 8192.
	 */
	KUNIT_EXPECT_FALSE(test, cache_put(c, 8192, "key", v, 100));
	for (i = 1; i < 4 * window && s.declined < window; i++) {
		cache_put(c, 8192 + (u64)i * 4096, "key", v, 100);
		cesium_cache_stats(c, &s);
	}
	KUNIT_EXPECT_EQ(test, s.declined, (u64)window);
	/* Collisions admitted at most a quarter. */
	KUNIT_EXPECT_LE(test, i, window + window / 4 + 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->door_set), 0);
	KUNIT_EXPECT_FALSE(test, cache_put(c, 8192, "key", v, 100));

	/* Admit 1: at the first miss. */
	KUNIT_ASSERT_EQ(test, cesium_cache_set_admit(c, 1), 0);
	KUNIT_EXPECT_TRUE(test, cache_put(c, 1 << 30, "key", v, 100));
	KUNIT_EXPECT_TRUE(test, cache_has(c, 1 << 30, "key", buf, 100));
}

/*
 * The store: the first get of a log value reads the device and is not
 * cached, the second is read and cached, the third reads nothing.
 */
static void cache_store_get(struct kunit *test)
{
	struct cesium_backend *be = cesium_mem_backend_create(4 << 20, 512);
	u8 *v1 = cache_value(test, 4096, 1), *v2 = cache_value(test, 4096, 2);
	u8 *buf = cache_value(test, 4096, 0);
	enum cesium_signature sig;
	struct cesium_cache_stats s;
	struct cesium_store *st;
	u64 reads;
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, be);
	KUNIT_ASSERT_EQ(test, cesium_store_format(be, false, &sig), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_open(be, 5, &st), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_put(st, 0, "k", 1, v1, 4096, 0,
					       CESIUM_DURABILITY_SYNC), 0);

	reads = atomic64_read(&be->stats.reads);
	KUNIT_EXPECT_EQ(test, cesium_store_get(st, 0, "k", 1, buf, 4096, &len),
			0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&be->stats.reads), reads + 1);
	KUNIT_EXPECT_EQ(test, cesium_store_get(st, 0, "k", 1, buf, 4096, &len),
			0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&be->stats.reads), reads + 2);
	memset(buf, 0, 4096);
	KUNIT_EXPECT_EQ(test, cesium_store_get(st, 0, "k", 1, buf, 4096, &len),
			0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&be->stats.reads), reads + 2);
	KUNIT_EXPECT_EQ(test, memcmp(buf, v1, 4096), 0);
	cesium_store_cache_stats(st, &s);
	KUNIT_EXPECT_EQ(test, s.hits, 1ull);
	KUNIT_EXPECT_EQ(test, s.misses, 2ull);
	KUNIT_EXPECT_EQ(test, s.declined, 1ull);
	KUNIT_EXPECT_EQ(test, s.entries, 1ull);

	/* A new value goes to a new address: never the cached one. */
	KUNIT_EXPECT_EQ(test, cesium_store_put(st, 0, "k", 1, v2, 4096, 0,
					       CESIUM_DURABILITY_SYNC), 0);
	KUNIT_EXPECT_EQ(test, cesium_store_get(st, 0, "k", 1, buf, 4096, &len),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, v2, 4096), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&be->stats.reads), reads + 3);

	/* Off: every get reads the device. */
	cesium_store_set_cache_bytes(st, 0);
	KUNIT_EXPECT_EQ(test, cesium_store_get(st, 0, "k", 1, buf, 4096, &len),
			0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&be->stats.reads), reads + 4);
	cesium_store_cache_stats(st, &s);
	KUNIT_EXPECT_EQ(test, s.bytes, 0ull);

	/*
	 * On again: cached by the next get (the doorkeeper remembers the
	 * miss before); a drop of its range forgets it.
	 */
	cesium_store_set_cache_bytes(st, CESIUM_CACHE_BYTES_DEFAULT);
	KUNIT_EXPECT_EQ(test, cesium_store_get(st, 0, "k", 1, buf, 4096, &len),
			0);
	KUNIT_EXPECT_EQ(test, cesium_store_get(st, 0, "k", 1, buf, 4096, &len),
			0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&be->stats.reads), reads + 5);
	cesium_store_cache_drop(st, 0, U64_MAX);
	KUNIT_EXPECT_EQ(test, cesium_store_get(st, 0, "k", 1, buf, 4096, &len),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, v2, 4096), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&be->stats.reads), reads + 6);
	KUNIT_EXPECT_EQ(test, cesium_store_close(st), 0);
	cesium_be_release(be);
}

/*
 * Overwrites that take the log round the device several times, so the
 * cleaner frees space and the log writes it again: every get must see the
 * last value put, never one cached from a record that used to be at the
 * same address.
 */
static void cache_store_cleaner(struct kunit *test)
{
	struct cesium_backend *be = cesium_mem_backend_create(8 << 20, 4096);
	u8 *v = cache_value(test, 3000, 0), *buf = cache_value(test, 3000, 0);
	struct cesium_store_stats ss;
	struct cesium_cache_stats s;
	enum cesium_signature sig;
	struct cesium_store *st;
	u32 round, k, len, bad = 0;
	char key[2] = "a";

	KUNIT_ASSERT_NOT_NULL(test, be);
	KUNIT_ASSERT_EQ(test, cesium_store_format(be, false, &sig), 0);
	KUNIT_ASSERT_EQ(test, cesium_store_open(be, 5, &st), 0);
	/* Room for every value ever read: only a drop can remove one. */
	cesium_store_set_cache_bytes(st, 64 << 20);
	for (round = 0; round < 800; round++) {
		for (k = 0; k < 4; k++) {
			key[0] = 'a' + k;
			memset(v, round * 4 + k, 3000);
			KUNIT_ASSERT_EQ(test, cesium_store_put(st, 0, key, 1, v,
					3000, 0, CESIUM_DURABILITY_SYNC), 0);
		}
		/* Three gets each: the second caches, the third hits. */
		for (k = 0; k < 12; k++) {
			key[0] = 'a' + k % 4;
			KUNIT_ASSERT_EQ(test, cesium_store_get(st, 0, key, 1,
					buf, 3000, &len), 0);
			bad += buf[0] != (u8)(round * 4 + k % 4) ||
			       memchr_inv(buf, buf[0], 3000);
		}
		if (round % 64 == 63)
			KUNIT_ASSERT_EQ(test, cesium_store_maintain(st), 0);
	}
	KUNIT_EXPECT_EQ(test, bad, 0u);
	cesium_store_stats(st, &ss);
	/* The log went round the device: its space was reused. */
	KUNIT_EXPECT_GT(test, ss.gc_freed_bytes, 8ull << 20);
	cesium_store_cache_stats(st, &s);
	/* Third gets hit, but for fills a concurrent drop refused. */
	KUNIT_EXPECT_GE(test, s.hits, 3 * 800ull);
	KUNIT_EXPECT_LT(test, s.bytes, 8ull << 20);
	KUNIT_EXPECT_EQ(test, cesium_store_close(st), 0);
	cesium_be_release(be);
}

static struct kunit_case cesium_cache_cases[] = {
	KUNIT_CASE(cache_hit_miss),
	KUNIT_CASE(cache_mismatch),
	KUNIT_CASE(cache_eviction),
	KUNIT_CASE(cache_drop_range),
	KUNIT_CASE(cache_off),
	KUNIT_CASE(cache_shrinker),
	KUNIT_CASE(cache_admit),
	KUNIT_CASE(cache_store_get),
	KUNIT_CASE(cache_store_cleaner),
	{}
};

static struct kunit_suite cesium_cache_suite = {
	.name = "cesium_cache",
	.exit = cache_teardown,
	.test_cases = cesium_cache_cases,
};
kunit_test_suite(cesium_cache_suite);
