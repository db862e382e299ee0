// SPDX-License-Identifier: GPL-2.0
/*
 * The hot-item cache. Values that live in the log are read from the device
 * on every get; this keeps the most recently useful of them in memory,
 * keyed by the device address of their log record. An entry also holds
 * the namespace, key and value length its record was verified against,
 * and a lookup is a hit only when all of them match what the caller's
 * index entry says, so a stale entry can waste memory but never answer
 * for another key.
 *
 * Addresses and staleness: a written record never changes, so an entry
 * is right for as long as its address holds that record. A new put of a
 * key goes to a new address (the old entry just ages out). An address
 * holds another record only once the log cleaner has freed its space and
 * the log reuses it: the cleaner calls cesium_cache_drop_range() after the
 * index stops pointing into the space and before the space is reused. A
 * reader may have looked up the old address just before that, and insert
 * what it read just after; so readers take cesium_cache_gen() before
 * their index lookup, and an insert whose generation has changed since is
 * refused.
 *
 * Policy: CLOCK. Entries sit on a ring in insertion order; a hit only sets
 * the entry's referenced bit (no lock, no list move). To make room the
 * hand, at the ring's head, evicts the first entry whose bit is clear,
 * clearing the bits it passes and moving those entries to the tail (a
 * second chance). The budget counts the entry, key and value bytes; a
 * value that would take more than 1/CESIUM_CACHE_ITEM_SHARE of it is not
 * cached. A shrinker gives entries back under memory pressure with the
 * same hand.
 *
 * Admission: by default a value is cached at the second miss of its
 * address, not the first (the doorkeeper of TinyLFU). A bitmap remembers
 * one hash bit of each address that missed and was declined; a miss whose
 * bit is set is cached. The bitmap is cleared once a quarter of its bits
 * are set, so it remembers the last (bits / 4) declined misses, at most a
 * quarter of them wrongly admitted by another address's bit. Values read
 * once (uniform random gets over more data than the budget, scans) then
 * cost neither the entry's allocation and copy, a sixth of the CPU of a
 * uring get of a 4 KiB value in profile.md, nor the eviction of a value
 * read more often. The budget's steady state is the same: a value read
 * again while remembered gets in. The admit setting 1 caches every value
 * at its first miss.
 *
 * Locking: lookups take no lock. They walk a hash chain under
 * rcu_read_lock() and copy the value out there; removed entries are freed
 * after a grace period (kvfree_rcu()). The doorkeeper's bits are atomic
 * bit operations without a lock; its clearing races with them harmlessly
 * (a bit set meanwhile may survive or be lost: one admission early or one
 * miss late). Inserts, removals, eviction, the shrinker and the counters
 * of the cache's contents take c->lock, a spinlock: no allocation and no
 * I/O happen under it, so the shrinker can run from the allocation of a
 * fill without deadlock. The lock hold is short except in
 * cesium_cache_drop_range(), which walks every entry (rare: once per
 * cleaned stretch of the log).
 */
#include <linux/bitmap.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cache.h"

/* Hash chains per this many bytes of the budget at creation. */
#define CESIUM_CACHE_BYTES_PER_CHAIN	2048
#define CESIUM_CACHE_HASH_BITS_MIN	6
#define CESIUM_CACHE_HASH_BITS_MAX	16
/* Doorkeeper bits per this many bytes of the budget at creation. */
#define CESIUM_CACHE_BYTES_PER_DOOR_BIT	64
#define CESIUM_CACHE_DOOR_ORDER_MIN	10
#define CESIUM_CACHE_DOOR_ORDER_MAX	24

/**
 * struct cesium_cache_entry - one cached value.
 * @rcu:	frees the entry after lookups that may see it are done.
 * @node:	in the hash chain of @addr.
 * @lru:	on the clock ring.
 * @addr:	device address of the value's log record.
 * @ns:		its namespace.
 * @len:	the value's length.
 * @key_len:	the key's length.
 * @referenced:	hit since the hand last passed; set locklessly by lookups.
 * @data:	the key, then the value.
 *
 * All but @node, @lru and @referenced are set before the entry is published
 * and never change.
 */
struct cesium_cache_entry {
	struct rcu_head rcu;
	struct hlist_node node;
	struct list_head lru;
	u64 addr;
	u64 ns;
	u32 len;
	u32 key_len;
	bool referenced;
	u8 data[];
};

/* Bytes an entry counts against the budget: itself, its key and value. */
static size_t cesium_cache_charge(u32 key_len, u32 len)
{
	struct cesium_cache_entry *e;

	return struct_size(e, data, (size_t)key_len + len);
}

/*
 * The top @bits bits of a full mix of @addr (murmur3's finalizer). Not
 * hash_64(): record addresses are arithmetic progressions (records of
 * one size written side by side), and a multiplicative hash maps some
 * strides to few buckets: 4608-byte steps needed 745 addresses to fill 256
 * of 1024 bits where a random hash needs about 300.
 */
static unsigned long cesium_cache_hash(u64 addr, unsigned int bits)
{
	addr ^= addr >> 33;
	addr *= 0xff51afd7ed558ccdULL;
	addr ^= addr >> 33;
	addr *= 0xc4ceb9fe1a85ec53ULL;
	addr ^= addr >> 33;
	return addr >> (64 - bits);
}

static struct hlist_head *cesium_cache_chain(struct cesium_cache *c, u64 addr)
{
	return &c->table[cesium_cache_hash(addr, c->hash_bits)];
}

/* Unlink @e and free it after a grace period. Caller holds c->lock. */
static void __cesium_cache_remove(struct cesium_cache *c,
				  struct cesium_cache_entry *e)
{
	lockdep_assert_held(&c->lock);
	hlist_del_rcu(&e->node);
	list_del(&e->lru);
	c->bytes -= cesium_cache_charge(e->key_len, e->len);
	c->entries--;
	kvfree_rcu(e, rcu);
}

/*
 * Move the clock hand one step: evict the entry under it, or give it a
 * second chance when it was referenced (unless @force). Returns true when
 * an entry was evicted. Caller holds c->lock; the ring is not empty.
 */
static bool __cesium_cache_step(struct cesium_cache *c, bool force)
{
	struct cesium_cache_entry *e;

	lockdep_assert_held(&c->lock);
	e = list_first_entry(&c->clock, struct cesium_cache_entry, lru);
	if (READ_ONCE(e->referenced) && !force) {
		WRITE_ONCE(e->referenced, false);
		list_move_tail(&e->lru, &c->clock);
		return false;
	}
	__cesium_cache_remove(c, e);
	atomic64_inc(&c->evictions);
	return true;
}

/*
 * Evict until the cache holds at most @limit bytes. A full turn of the
 * hand clears every bit, so after as many second chances as there were
 * entries it evicts regardless (lookups may set bits again meanwhile).
 * Caller holds c->lock.
 */
static void __cesium_cache_trim(struct cesium_cache *c, u64 limit)
{
	u64 chances = c->entries;

	lockdep_assert_held(&c->lock);
	while (c->bytes > limit && !list_empty(&c->clock)) {
		if (__cesium_cache_step(c, !chances))
			continue;
		chances--;
	}
}

/* The entry at @addr, if any. Caller holds c->lock. */
static struct cesium_cache_entry *__cesium_cache_find(struct cesium_cache *c,
						       u64 addr)
{
	struct cesium_cache_entry *e;

	lockdep_assert_held(&c->lock);
	hlist_for_each_entry(e, cesium_cache_chain(c, addr), node)
		if (e->addr == addr)
			return e;
	return NULL;
}

static bool cesium_cache_same(const struct cesium_cache_entry *e, u64 ns,
			      const u8 *key, u32 key_len, u32 len)
{
	return e->ns == ns && e->key_len == key_len && e->len == len &&
	       !memcmp(e->data, key, key_len);
}

/*
 * Whether a value read from the device at @addr may be cached now: always
 * under admit 1; under admit 2 when the doorkeeper remembers a miss of
 * its hash bit, else the bit is set and the value declined. No lock.
 */
static bool cesium_cache_admit(struct cesium_cache *c, u64 addr)
{
	unsigned long bit = cesium_cache_hash(addr, c->door_order);
	unsigned int limit = (1U << c->door_order) / 4;
	unsigned int i;

	if (READ_ONCE(c->admit) <= 1)
		return true;
	if (test_bit(bit, c->door) || test_and_set_bit(bit, c->door))
		return true;
	atomic64_inc(&c->declined);
	if (atomic_inc_return(&c->door_set) == limit) {
		/* One caller reaches the limit; it clears word by word. */
		for (i = 0; i < BITS_TO_LONGS(1U << c->door_order); i++)
			WRITE_ONCE(c->door[i], 0);
		atomic_set(&c->door_set, 0);
	}
	return false;
}

static unsigned long cesium_cache_count(struct shrinker *s,
					struct shrink_control *sc)
{
	struct cesium_cache *c = container_of(s, struct cesium_cache, shrinker);
	unsigned long n = READ_ONCE(c->entries);

	return n ?: SHRINK_EMPTY;
}

/*
 * Under pressure: up to sc->nr_to_scan steps of the clock hand. Only the
 * spinlock is taken and nothing allocated, so any reclaim context may
 * call it (the GFP mask does not matter).
 */
static unsigned long cesium_cache_scan(struct shrinker *s,
				       struct shrink_control *sc)
{
	struct cesium_cache *c = container_of(s, struct cesium_cache, shrinker);
	unsigned long freed = 0, scanned = 0;

	spin_lock(&c->lock);
	while (scanned < sc->nr_to_scan && !list_empty(&c->clock)) {
		scanned++;
		freed += __cesium_cache_step(c, false);
	}
	spin_unlock(&c->lock);
	sc->nr_scanned = scanned;
	return scanned ? freed : SHRINK_STOP;
}

/**
 * cesium_cache_create() - a new, empty cache.
 * @name:	names its shrinker, "cesium-@name".
 * @max_bytes:	the budget (0: off); it also sizes the hash table.
 *
 * Context: process context, may sleep.
 * Return: the cache, or an ERR_PTR(): -ENOMEM.
 */
struct cesium_cache *cesium_cache_create(const char *name, u64 max_bytes)
{
	struct cesium_cache *c;
	unsigned int bits, i;
	int ret = -ENOMEM;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	bits = order_base_2(max_t(u64, max_bytes / CESIUM_CACHE_BYTES_PER_CHAIN,
				  1));
	c->hash_bits = clamp_t(unsigned int, bits, CESIUM_CACHE_HASH_BITS_MIN,
			       CESIUM_CACHE_HASH_BITS_MAX);
	c->table = kvmalloc_array(1U << c->hash_bits, sizeof(*c->table),
				  GFP_KERNEL);
	if (!c->table)
		goto out_free;
	for (i = 0; i < 1U << c->hash_bits; i++)
		INIT_HLIST_HEAD(&c->table[i]);
	bits = order_base_2(max_t(u64, max_bytes /
				  CESIUM_CACHE_BYTES_PER_DOOR_BIT, 1));
	c->door_order = clamp_t(unsigned int, bits,
				CESIUM_CACHE_DOOR_ORDER_MIN,
				CESIUM_CACHE_DOOR_ORDER_MAX);
	c->door = bitmap_zalloc(1U << c->door_order, GFP_KERNEL);
	if (!c->door)
		goto out_table;
	atomic_set(&c->door_set, 0);
	c->admit = CESIUM_CACHE_ADMIT_DEFAULT;
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->clock);
	c->max_bytes = max_bytes;
	atomic64_set(&c->hits, 0);
	atomic64_set(&c->misses, 0);
	atomic64_set(&c->evictions, 0);
	atomic64_set(&c->declined, 0);

	c->shrinker.count_objects = cesium_cache_count;
	c->shrinker.scan_objects = cesium_cache_scan;
	c->shrinker.seeks = DEFAULT_SEEKS;
	ret = register_shrinker(&c->shrinker, "cesium-%s", name);
	if (ret)
		goto out_door;
	return c;

out_door:
	bitmap_free(c->door);
out_table:
	kvfree(c->table);
out_free:
	kfree(c);
	return ERR_PTR(ret);
}

/**
 * cesium_cache_destroy() - free a cache and every entry.
 * @c:		the cache; no other call on it may be running or start.
 *
 * Context: process context, may sleep.
 */
void cesium_cache_destroy(struct cesium_cache *c)
{
	struct cesium_cache_entry *e, *next;

	unregister_shrinker(&c->shrinker);
	spin_lock(&c->lock);
	list_for_each_entry_safe(e, next, &c->clock, lru)
		__cesium_cache_remove(c, e);
	/* The counts must have followed every entry. */
	WARN_ON_ONCE(c->bytes || c->entries);
	spin_unlock(&c->lock);
	bitmap_free(c->door);
	kvfree(c->table);
	kfree(c);
}

/**
 * cesium_cache_gen() - the generation an insert must be made under.
 * @c:		the cache.
 *
 * Take it before the index lookup that gave the address to read, or
 * inside that lookup's index_lock section, and pass it to
 * cesium_cache_insert() with what was read there. The cleaner changes the
 * index before it drops the space, and that orders the two: under
 * index_lock by the lock; for a lockless lookup by the smp_wmb() that
 * ends the writer's index_seq section (before the drop's store of the
 * generation) and the smp_rmb() after the reader's index_seq read (after
 * this load). A reader that still found the old address therefore reads
 * the old generation. No lock.
 *
 * Return: the current generation.
 */
u64 cesium_cache_gen(struct cesium_cache *c)
{
	return READ_ONCE(c->gen);
}

/**
 * cesium_cache_get() - copy a cached value.
 * @c:		the cache.
 * @addr:	device address of the value's log record.
 * @ns:		the namespace the caller looked the key up in.
 * @key:	the key.
 * @key_len:	its length.
 * @buf:	receives the value, @len bytes.
 * @len:	the value's length, from the caller's index entry.
 *
 * A hit needs an entry at @addr with this namespace, key and length.
 *
 * Context: any context; takes no lock.
 * Return: true on a hit (@buf filled), false on a miss or while off.
 */
bool cesium_cache_get(struct cesium_cache *c, u64 addr, u64 ns,
		      const u8 *key, u32 key_len, void *buf, u32 len)
{
	struct cesium_cache_entry *e;
	bool hit = false;

	if (!READ_ONCE(c->max_bytes))
		return false;
	rcu_read_lock();
	hlist_for_each_entry_rcu(e, cesium_cache_chain(c, addr), node) {
		if (e->addr != addr)
			continue;
		if (cesium_cache_same(e, ns, key, key_len, len)) {
			memcpy(buf, e->data + key_len, len);
			if (!READ_ONCE(e->referenced))
				WRITE_ONCE(e->referenced, true);
			hit = true;
		}
		break;
	}
	rcu_read_unlock();
	atomic64_inc(hit ? &c->hits : &c->misses);
	return hit;
}

/**
 * cesium_cache_insert() - cache a value read and verified from the device.
 * @c:		the cache.
 * @gen:	cesium_cache_gen() from before the index lookup that
 *		gave @addr.
 * @addr:	device address of the value's log record.
 * @ns:		namespace.
 * @key:	key.
 * @key_len:	its length.
 * @value:	the value.
 * @len:	its length.
 *
 * Evicts other entries to stay within the budget. Best effort: nothing is
 * cached while the cache is off, for a value over its share of the
 * budget, at the first miss of @addr under admit 2 (the doorkeeper: see
 * the top of this file), when the memory is not there (the allocation
 * neither does I/O nor warns: a get may run under memory pressure), or
 * when a drop of device space has happened since @gen. An entry at the
 * same address is replaced.
 *
 * Context: process context, may sleep (allocates).
 * Return: true when the value was cached.
 */
bool cesium_cache_insert(struct cesium_cache *c, u64 gen, u64 addr, u64 ns,
			 const u8 *key, u32 key_len, const void *value,
			 u32 len)
{
	struct cesium_cache_entry *e, *old;
	unsigned int noio;
	size_t charge;

	charge = cesium_cache_charge(key_len, len);
	if (charge > READ_ONCE(c->max_bytes) / CESIUM_CACHE_ITEM_SHARE ||
	    !cesium_cache_admit(c, addr))
		return false;
	/* The scope, not GFP_NOIO, so that kvmalloc() may use vmalloc. */
	noio = memalloc_noio_save();
	e = kvmalloc(charge, GFP_KERNEL | __GFP_NOWARN);
	memalloc_noio_restore(noio);
	if (!e)
		return false;
	e->addr = addr;
	e->ns = ns;
	e->len = len;
	e->key_len = key_len;
	e->referenced = false;
	memcpy(e->data, key, key_len);
	memcpy(e->data + key_len, value, len);

	spin_lock(&c->lock);
	if (gen != c->gen ||
	    charge > c->max_bytes / CESIUM_CACHE_ITEM_SHARE)
		goto out_refused;
	old = __cesium_cache_find(c, addr);
	if (old) {
		/* Another reader got there first. */
		if (cesium_cache_same(old, ns, key, key_len, len))
			goto out_refused;
		__cesium_cache_remove(c, old);
	}
	__cesium_cache_trim(c, c->max_bytes - charge);
	hlist_add_head_rcu(&e->node, cesium_cache_chain(c, addr));
	list_add_tail(&e->lru, &c->clock);
	c->bytes += charge;
	c->entries++;
	spin_unlock(&c->lock);
	return true;

out_refused:
	spin_unlock(&c->lock);
	kvfree(e);
	return false;
}

/**
 * cesium_cache_drop_range() - forget the values of a stretch of the device.
 * @c:		the cache.
 * @start:	first byte.
 * @end:	end, exclusive.
 *
 * For the log cleaner: call it once the index no longer points into
 * [@start, @end) and before that space is written again. Entries whose
 * record starts there are removed, and inserts begun before are refused.
 *
 * Context: process context; takes c->lock for a walk of every entry.
 */
void cesium_cache_drop_range(struct cesium_cache *c, u64 start, u64 end)
{
	struct cesium_cache_entry *e, *next;

	spin_lock(&c->lock);
	WRITE_ONCE(c->gen, c->gen + 1);
	list_for_each_entry_safe(e, next, &c->clock, lru)
		if (e->addr >= start && e->addr < end)
			__cesium_cache_remove(c, e);
	spin_unlock(&c->lock);
}

/**
 * cesium_cache_set_max_bytes() - change the budget.
 * @c:		the cache.
 * @max_bytes:	the new budget; 0 turns the cache off and empties it.
 *
 * Evicts down to the new budget at once.
 *
 * Context: process context; takes c->lock.
 */
void cesium_cache_set_max_bytes(struct cesium_cache *c, u64 max_bytes)
{
	spin_lock(&c->lock);
	WRITE_ONCE(c->max_bytes, max_bytes);
	__cesium_cache_trim(c, max_bytes);
	spin_unlock(&c->lock);
}

/**
 * cesium_cache_set_admit() - when a value read from the device is cached.
 * @c:		the cache.
 * @admit:	1: at its first miss; 2: at a second miss that the
 *		doorkeeper remembers (the default).
 *
 * Context: any; takes no lock.
 * Return: 0, or -EINVAL for another @admit.
 */
int cesium_cache_set_admit(struct cesium_cache *c, unsigned int admit)
{
	if (admit < 1 || admit > 2)
		return -EINVAL;
	WRITE_ONCE(c->admit, admit);
	return 0;
}

/**
 * cesium_cache_stats() - a snapshot of the cache's counters.
 * @c:		the cache.
 * @s:		receives them.
 */
void cesium_cache_stats(struct cesium_cache *c, struct cesium_cache_stats *s)
{
	s->hits = atomic64_read(&c->hits);
	s->misses = atomic64_read(&c->misses);
	s->evictions = atomic64_read(&c->evictions);
	s->declined = atomic64_read(&c->declined);
	s->admit = READ_ONCE(c->admit);
	spin_lock(&c->lock);
	s->bytes = c->bytes;
	s->entries = c->entries;
	s->max_bytes = c->max_bytes;
	spin_unlock(&c->lock);
}
