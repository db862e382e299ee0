// SPDX-License-Identifier: GPL-2.0
/*
 * The hot-item cache (kmod/engine/cache.c) under concurrency, over the
 * shim under ASan and UBSan: reader threads look values up and insert
 * them on a miss, as gets do, while another thread drops device ranges,
 * changes the budget (to 0 and back) and runs the shrinker. Every hit must
 * return the exact value of its address (a torn or freed entry would not),
 * the budget must hold once the storm is over, and nothing may leak.
 *
 *	cache_stress [SECONDS]		default 2
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kmod/engine/cache.h"
#include "tests/user/shim/shim.h"

#define NR_READERS	3
#define NR_ADDRS	512
#define VALUE_MAX	3000
#define BUDGET		(256 * 1024)

static struct cesium_cache *cache;
static int stop;
static unsigned long bad;

/* The value of the record at address number @i: its length and bytes. */
static u32 value_len(u32 i)
{
	return 129 + (i * 37) % (VALUE_MAX - 129);
}

static void value_fill(u32 i, u8 *buf)
{
	u32 n, len = value_len(i);

	for (n = 0; n < len; n++)
		buf[n] = (u8)(i * 31 + n);
}

struct reader {
	pthread_t t;
	unsigned int seed;
	unsigned long hits, misses, inserted;
};

static void *reader(void *arg)
{
	struct reader *r = arg;
	u8 *want = malloc(VALUE_MAX), *got = malloc(VALUE_MAX);
	char key[16];

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		u32 i = rand_r(&r->seed) % NR_ADDRS, len = value_len(i);
		u64 gen;

		snprintf(key, sizeof(key), "key%u", i);
		gen = cesium_cache_gen(cache);
		if (cesium_cache_get(cache, i * 4096ULL, i % 3, (u8 *)key,
				     strlen(key), got, len)) {
			value_fill(i, want);
			if (memcmp(want, got, len))
				__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
			r->hits++;
			continue;
		}
		r->misses++;
		value_fill(i, want);
		r->inserted += cesium_cache_insert(cache, gen, i * 4096ULL,
						   i % 3, (u8 *)key,
						   strlen(key), want, len);
	}
	free(want);
	free(got);
	return NULL;
}

int main(int argc, char **argv)
{
	struct reader readers[NR_READERS] = { 0 };
	struct cesium_cache_stats s;
	unsigned long hits = 0, inserted = 0, rounds = 0, shrunk = 0;
	unsigned int seed = 1;
	time_t end;
	int i;

	end = time(NULL) + (argc > 1 ? atoi(argv[1]) : 2);
	cache = cesium_cache_create("stress", BUDGET);
	if (IS_ERR(cache)) {
		printf("FAIL: user/cache_stress: create: %ld\n", PTR_ERR(cache));
		return 1;
	}
	for (i = 0; i < NR_READERS; i++) {
		readers[i].seed = i + 1;
		pthread_create(&readers[i].t, NULL, reader, &readers[i]);
	}
	while (time(NULL) < end) {
		u64 a = (rand_r(&seed) % NR_ADDRS) * 4096ULL;

		rounds++;
		switch (rand_r(&seed) % 8) {
		case 0:
			cesium_cache_set_max_bytes(cache, 0);
			break;
		case 1:
			cesium_cache_set_max_bytes(cache, BUDGET / 4);
			break;
		case 2:
			shrunk += shim_drop_caches();
			break;
		case 3:
		case 4:
			cesium_cache_drop_range(cache, a, a + 64 * 4096);
			break;
		default:
			cesium_cache_set_max_bytes(cache, BUDGET);
			break;
		}
		cesium_cache_stats(cache, &s);
		if (s.bytes > s.max_bytes)
			bad++;
		/* Let the readers fill the cache between storms. */
		if (rounds % 16 == 0)
			usleep(200);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < NR_READERS; i++) {
		pthread_join(readers[i].t, NULL);
		hits += readers[i].hits;
		inserted += readers[i].inserted;
	}
	cesium_cache_stats(cache, &s);
	printf("# %lu hits, %lu misses, %lu inserts, %llu evictions, %lu shrunk, %lu rounds\n",
	       hits, (unsigned long)s.misses, inserted,
	       (unsigned long long)s.evictions, shrunk, rounds);
	if (s.bytes > s.max_bytes || s.hits != hits)
		bad++;
	cesium_cache_destroy(cache);
	if (shim_done())
		bad++;
	if (bad || !hits || !inserted) {
		printf("FAIL: user/cache_stress: %lu bad, %lu hits, %lu inserts\n",
		       bad, hits, inserted);
		return 1;
	}
	printf("PASS: user/cache_stress\n");
	return 0;
}
