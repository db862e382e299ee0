/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The store: the engine's interface to the layer above. It knows keys,
 * values, namespaces and durability, and nothing of user space: callers
 * pass kernel buffers.
 */
#ifndef _CESIUM_ENGINE_STORE_H
#define _CESIUM_ENGINE_STORE_H

#include <linux/types.h>

#include "cache.h"
#include "format.h"

struct cesium_backend;
struct cesium_store;

enum cesium_durability {
	CESIUM_DURABILITY_DEFAULT = 0,	/* the store's setting */
	CESIUM_DURABILITY_SYNC = 1,	/* acknowledged once on stable media */
	CESIUM_DURABILITY_PERIODIC = 2,	/* group commit every commit_ms */
	CESIUM_DURABILITY_NONE = 3,	/* written when convenient */
};

enum cesium_store_state {
	CESIUM_STORE_ONLINE = 0,
	CESIUM_STORE_READ_ONLY = 1,
	CESIUM_STORE_FAILED = 2,
};

/* cesium_store_put() and batch item flags. */
#define CESIUM_ST_NO_OVERWRITE	(1U << 0)
#define CESIUM_ST_UPDATE_ONLY	(1U << 1)
/*
 * PUT, DELETE, EXISTS (and CESIUM_ST_SCAN_NOWAIT for scans): never sleep
 * on a lock, the device or memory reclaim: -EAGAIN instead, with nothing
 * changed (a uring_cmd's first issue).
 */
#define CESIUM_ST_NOWAIT	(1U << 2)

/* cesium_store_scan() flags. */
#define CESIUM_ST_SCAN_REVERSE		(1U << 0)
#define CESIUM_ST_SCAN_KEYS_ONLY	(1U << 1)
#define CESIUM_ST_SCAN_START_EXCL	(1U << 2)
#define CESIUM_ST_SCAN_NOWAIT		(1U << 3)

/* Most operations in one batch. */
#define CESIUM_STORE_BATCH_MAX	1024

/**
 * struct cesium_batch_item - one operation of cesium_store_batch().
 * @op:		CESIUM_REC_PUT or CESIUM_REC_DELETE.
 * @flags:	PUT: CESIUM_ST_NO_OVERWRITE or CESIUM_ST_UPDATE_ONLY.
 * @ns:		namespace.
 * @key:	key, kernel memory.
 * @key_len:	its length.
 * @value:	PUT: the value, kernel memory.
 * @value_len:	its length.
 * @result:	set by the store: 0, this item's error, or -ECANCELED.
 * @csum:	private to the store: the record's checksum.
 */
struct cesium_batch_item {
	u8 op;
	unsigned int flags;
	u64 ns;
	const u8 *key;
	u32 key_len;
	const void *value;
	u32 value_len;
	int result;
	u64 csum;
};

/*
 * A record of cesium_store_scan()'s output: this header, the key, the value
 * (none with CESIUM_ST_SCAN_KEYS_ONLY), zero padding to 8 bytes.
 */
struct cesium_scan_out_rec {
	u32 key_len;
	u32 value_len;
};

/**
 * struct cesium_scan_args - a range scan.
 * @ns:		namespace.
 * @start:	lower bound (inclusive, or exclusive with _START_EXCL).
 * @start_len:	0 for none.
 * @end:	upper bound, exclusive.
 * @end_len:	0 for none.
 * @flags:	CESIUM_ST_SCAN_*.
 * @limit:	most records; 0 for no limit.
 * @buf:	output, kernel memory.
 * @buf_len:	its size.
 * @nr:		out: records written.
 * @bytes:	out: bytes of @buf used, or needed for the first record on
 *		-EOVERFLOW.
 * @more:	out: the range has more records than were returned.
 */
struct cesium_scan_args {
	u64 ns;
	const u8 *start;
	u32 start_len;
	const u8 *end;
	u32 end_len;
	unsigned int flags;
	u32 limit;
	void *buf;
	u32 buf_len;
	u32 nr;
	u32 bytes;
	bool more;
};

#define CESIUM_STORE_KEY_MAX	CESIUM_DISK_KEY_MAX
#define CESIUM_STORE_VALUE_MAX	CESIUM_DISK_VALUE_MAX

/* What a store reports; a snapshot. */
struct cesium_store_info {
	enum cesium_store_state state;
	enum cesium_durability durability;
	u32 format_version;
	u32 block_bytes;
	u8 uuid[16];
	u64 capacity_bytes;
	u64 used_bytes;
	u64 nr_keys;
	u64 data_bytes;		/* of the live keys and values */
	u64 index_bytes;
	u32 inline_max;
	u32 commit_ms;
	u32 gc_ratio;
};

/* Counters of a store; a snapshot. */
struct cesium_store_stats {
	u64 puts;
	u64 gets;
	u64 deletes;
	u64 exists;
	u64 scans;
	u64 batches;
	u64 syncs;
	u64 bytes_in;		/* key and value bytes of puts */
	u64 bytes_out;		/* value bytes returned by gets */
	u64 log_commits;	/* batches written */
	u64 checksum_errors;
	u64 recovery_bytes;	/* read by the last recovery */
	u64 recovery_us;	/* time it took */
	u64 checkpoints;	/* written since attach */
	u64 checkpoints_fuzzy;	/* of them, replayed from their start */
	u64 checkpoint_bytes;	/* their records */
	u64 gc_moved_bytes;	/* records the cleaner appended again */
	u64 gc_freed_bytes;	/* log space given back */
	u64 discard_bytes;	/* of it, discarded on the device */
	u64 damaged_batches;	/* found by recovery and the cleaner */
	u64 live_bytes;		/* log bytes live values need */
	u64 damaged_segments;	/* checkpoint segments lost at attach */
	u64 gc_stalls;		/* writes that waited for the cleaner */
};

int cesium_store_format(struct cesium_backend *be, bool force,
			enum cesium_signature *found);
int cesium_store_open(struct cesium_backend *be, u32 commit_ms,
		      struct cesium_store **out);
int cesium_store_close(struct cesium_store *st);
void cesium_store_drop(struct cesium_store *st);

int cesium_store_put(struct cesium_store *st, u64 ns, const u8 *key,
		     u32 key_len, const void *value, u32 value_len,
		     unsigned int flags, enum cesium_durability dur);
int cesium_store_get(struct cesium_store *st, u64 ns, const u8 *key,
		     u32 key_len, void *buf, u32 buf_len, u32 *value_len);
int cesium_store_delete(struct cesium_store *st, u64 ns, const u8 *key,
			u32 key_len, unsigned int flags,
			enum cesium_durability dur);
int cesium_store_exists(struct cesium_store *st, u64 ns, const u8 *key,
			u32 key_len, unsigned int flags);
int cesium_store_sync(struct cesium_store *st);
struct cesium_log_waiter;
int cesium_store_sync_async(struct cesium_store *st,
			    struct cesium_log_waiter *w, bool count);
int cesium_store_write_failed(struct cesium_store *st, int err);
enum cesium_durability cesium_store_durability(struct cesium_store *st,
					       enum cesium_durability dur);
int cesium_store_batch(struct cesium_store *st, struct cesium_batch_item *items,
		       u32 nr, enum cesium_durability dur);
int cesium_store_scan(struct cesium_store *st, struct cesium_scan_args *a);
/**
 * struct cesium_check_args - one step of cesium_store_check().
 * @offset:	in: where to start (0: the log's head); out: where to go on.
 * @max_bytes:	verify about this many bytes.
 * @damaged:	receives the offsets of damaged stretches, up to @nr_damaged.
 * @nr_damaged:	room at @damaged.
 * @head:	out: the log's head.
 * @tail:	out: the log's tail (end of the written batches).
 * @checked:	out: bytes read.
 * @batches:	out: sound batches.
 * @found:	out: damaged stretches found.
 * @lost_segs:	out: of them, lost checkpoint segments, which come first in
 *		@damaged (only from a call that starts at the head).
 */
struct cesium_check_args {
	u64 offset;
	u64 max_bytes;
	u64 *damaged;
	u32 nr_damaged;
	u64 head;
	u64 tail;
	u64 checked;
	u64 batches;
	u64 found;
	u64 lost_segs;
};

int cesium_store_check(struct cesium_store *st, struct cesium_check_args *a);

/*
 * A key range lost with a damaged checkpoint segment (lost.c): the keys of
 * namespace @ns after @lo and before @hi (either end open when its length
 * is 0) are unknown, but for those that have a value.
 */
struct cesium_lost_range {
	u64 ns;
	u64 seg_addr;		/* the damaged SEG record */
	u8 lo_len;
	u8 hi_len;
	u8 lo[CESIUM_DISK_KEY_MAX];
	u8 hi[CESIUM_DISK_KEY_MAX];
};

/* Room for cesium_key_escape()'s text of a key. */
#define CESIUM_KEY_TEXT_MAX	(4 * CESIUM_DISK_KEY_MAX + 1)

char *cesium_key_escape(char *dst, const u8 *key, u32 len);
bool cesium_store_lost(struct cesium_store *st);
int cesium_store_lost_range(struct cesium_store *st, u32 i,
			    struct cesium_lost_range *out);
void cesium_store_lost_ack(struct cesium_store *st);
u32 cesium_store_namespaces(struct cesium_store *st, u64 *ids, u32 nr,
			    u64 *total);

void cesium_store_info(struct cesium_store *st, struct cesium_store_info *info);
void cesium_store_stats(struct cesium_store *st,
			struct cesium_store_stats *stats);
int cesium_store_maintain(struct cesium_store *st);
void cesium_store_pause_maint(struct cesium_store *st, bool paused);
int cesium_store_set_gc_ratio(struct cesium_store *st, u32 pct);
int cesium_store_set_durability(struct cesium_store *st,
				enum cesium_durability dur);
void *cesium_store_buf_alloc(struct cesium_store *st, size_t bytes, gfp_t gfp);
void cesium_store_buf_free(struct cesium_store *st, void *buf, size_t bytes);
void cesium_store_set_cache_bytes(struct cesium_store *st, u64 bytes);
int cesium_store_set_cache_admit(struct cesium_store *st, unsigned int admit);
void cesium_store_cache_stats(struct cesium_store *st,
			      struct cesium_cache_stats *s);

#endif /* _CESIUM_ENGINE_STORE_H */
