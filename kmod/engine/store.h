/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The store: the engine's interface to the layer above. It knows keys,
 * values, namespaces and durability, and nothing of user space: callers
 * pass kernel buffers.
 */
#ifndef _CESIUM_ENGINE_STORE_H
#define _CESIUM_ENGINE_STORE_H

#include <linux/types.h>

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

/* cesium_store_put() flags. */
#define CESIUM_ST_NO_OVERWRITE	(1U << 0)
#define CESIUM_ST_UPDATE_ONLY	(1U << 1)

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
	u64 index_bytes;
	u32 inline_max;
	u32 commit_ms;
};

/* Counters of a store; a snapshot. */
struct cesium_store_stats {
	u64 puts;
	u64 gets;
	u64 deletes;
	u64 exists;
	u64 bytes_in;		/* key and value bytes of puts */
	u64 bytes_out;		/* value bytes returned by gets */
	u64 log_commits;	/* batches written */
	u64 checksum_errors;
	u64 recovery_bytes;	/* read by the last recovery */
	u64 recovery_us;	/* time it took */
};

int cesium_store_format(struct cesium_backend *be, bool force,
			enum cesium_signature *found);
int cesium_store_open(struct cesium_backend *be, u32 commit_ms,
		      struct cesium_store **out);
int cesium_store_close(struct cesium_store *st);

int cesium_store_put(struct cesium_store *st, u64 ns, const u8 *key,
		     u32 key_len, const void *value, u32 value_len,
		     unsigned int flags, enum cesium_durability dur);
int cesium_store_get(struct cesium_store *st, u64 ns, const u8 *key,
		     u32 key_len, void *buf, u32 buf_len, u32 *value_len);
int cesium_store_delete(struct cesium_store *st, u64 ns, const u8 *key,
			u32 key_len, enum cesium_durability dur);
int cesium_store_exists(struct cesium_store *st, u64 ns, const u8 *key,
			u32 key_len);
int cesium_store_sync(struct cesium_store *st);

void cesium_store_info(struct cesium_store *st, struct cesium_store_info *info);
void cesium_store_stats(struct cesium_store *st,
			struct cesium_store_stats *stats);
int cesium_store_set_durability(struct cesium_store *st,
				enum cesium_durability dur);

#endif /* _CESIUM_ENGINE_STORE_H */
