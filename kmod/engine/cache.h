/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hot-item cache: values that gets have read from the device, kept in
 * memory under the device address of their log record. See cache.c for
 * the policy and the locking.
 */
#ifndef _CESIUM_ENGINE_CACHE_H
#define _CESIUM_ENGINE_CACHE_H

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/shrinker.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* The budget of a store's cache when it is attached. */
#define CESIUM_CACHE_BYTES_DEFAULT	(8ULL << 20)
/* No value is cached that would take more than this share of the budget. */
#define CESIUM_CACHE_ITEM_SHARE		8
/*
 * Misses of an address before its value is cached, by default: 2, the
 * second miss while the doorkeeper still remembers the first (cache.c).
 */
#define CESIUM_CACHE_ADMIT_DEFAULT	2

/**
 * struct cesium_cache - a cache of values by device address.
 * @lock:	protects every field below it: the table's chains (for
 *		writers; readers walk them under RCU), the clock ring, the
 *		byte and entry counts, @gen and @max_bytes (which lock-free
 *		readers also peek at with READ_ONCE()).
 * @table:	hash chains of entries by address, 1 << @hash_bits of them.
 * @hash_bits:	fixed at creation, from the budget then.
 * @clock:	every entry, oldest first; the clock hand is the head.
 * @bytes:	memory charged to the entries (entry, key and value).
 * @entries:	entries cached.
 * @max_bytes:	the budget; 0 turns the cache off.
 * @gen:	bumped by every cesium_cache_drop_range(): an insert that
 *		began before a drop is refused.
 * @door:	the doorkeeper, a bitmap of 1 << @door_order bits: one hash
 *		bit per address that missed and was not cached. Its bits are
 *		set and tested atomically, without @lock.
 * @door_order:	fixed at creation, from the budget then.
 * @door_set:	bits set since the doorkeeper was last cleared.
 * @admit:	misses before a value is cached: 1 (every value read) or
 *		2 (a second miss the doorkeeper remembers); READ_ONCE().
 * @hits:	lookups that found their value.
 * @misses:	lookups that did not (none are counted while off).
 * @evictions:	entries removed to make room, by the shrinker, or by a
 *		smaller budget.
 * @declined:	values read from the device and not cached, at their
 *		first miss, by the doorkeeper.
 * @shrinker:	gives memory back under pressure.
 */
struct cesium_cache {
	spinlock_t lock;
	struct hlist_head *table;
	unsigned int hash_bits;
	struct list_head clock;
	u64 bytes;
	u64 entries;
	u64 max_bytes;
	u64 gen;

	unsigned long *door;
	unsigned int door_order;
	atomic_t door_set;
	unsigned int admit;

	atomic64_t hits;
	atomic64_t misses;
	atomic64_t evictions;
	atomic64_t declined;
	struct shrinker shrinker;
};

/* A snapshot of a cache's counters. */
struct cesium_cache_stats {
	u64 hits;
	u64 misses;
	u64 evictions;
	u64 declined;
	u64 bytes;
	u64 entries;
	u64 max_bytes;
	unsigned int admit;
};

struct cesium_cache *cesium_cache_create(const char *name, u64 max_bytes);
void cesium_cache_destroy(struct cesium_cache *c);
u64 cesium_cache_gen(struct cesium_cache *c);
bool cesium_cache_get(struct cesium_cache *c, u64 addr, u64 ns,
		      const u8 *key, u32 key_len, void *buf, u32 len);
bool cesium_cache_insert(struct cesium_cache *c, u64 gen, u64 addr, u64 ns,
			 const u8 *key, u32 key_len, const void *value,
			 u32 len);
void cesium_cache_drop_range(struct cesium_cache *c, u64 start, u64 end);
void cesium_cache_set_max_bytes(struct cesium_cache *c, u64 max_bytes);
int cesium_cache_set_admit(struct cesium_cache *c, unsigned int admit);
void cesium_cache_stats(struct cesium_cache *c, struct cesium_cache_stats *s);

#endif /* _CESIUM_ENGINE_CACHE_H */
