/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-memory index: a hybrid sorted vector of self-contained segments
 * under a sorted fence vector. See index.c for the layout and the policies;
 * the functions carry kernel-doc there.
 *
 * Keys are 1..CESIUM_KEY_MAX bytes, ordered as unsigned bytes (memcmp, then
 * length). A value is either inline (its bytes live in the segment) or a
 * reference into the value log (address and length).
 *
 * Locking: none inside. The caller serializes writers (insert, remove,
 * destroy) and keeps readers (lookup, seek, first, next, prev, entry, the
 * counters) out while a writer runs; cesium_index_lookup_rcu() and
 * cesium_index_walk_rcu() are the exception, for readers that take no lock
 * (RCU and a sequence count). Any insert or remove invalidates every
 * struct cesium_index_pos and every inline data pointer handed out before.
 */
#ifndef CESIUM_ENGINE_INDEX_H
#define CESIUM_ENGINE_INDEX_H

#include <linux/types.h>

#define CESIUM_KEY_MAX			255
#define CESIUM_INDEX_SEG_BYTES_DEFAULT	4096
#define CESIUM_INDEX_SEG_BYTES_MAX	65536
/* Log record addresses are device byte addresses below 2^48. */
#define CESIUM_INDEX_ADDR_BITS		48

enum cesium_vkind {
	CESIUM_V_INLINE = 1,
	CESIUM_V_LOG = 2,
};

/**
 * struct cesium_vref - what the index holds for a key
 * @kind: CESIUM_V_INLINE or CESIUM_V_LOG.
 * @len: value length in bytes.
 * @addr: CESIUM_V_LOG: device byte address of the log record (< 2^48).
 * @data: CESIUM_V_INLINE: on insert the bytes to copy; on lookup a pointer
 *	into the segment, valid only while the caller keeps writers out.
 */
struct cesium_vref {
	u8 kind;
	u32 len;
	u64 addr;
	const void *data;
};

struct cesium_index_fence;
struct cesium_fence_pub;

/**
 * struct cesium_index - the index; embed it, then cesium_index_init()
 * @fence: sorted fence vector, @nr_segs used of @fence_cap (kvmalloc)
 * @nr_segs: number of segments, none of them empty
 * @fence_cap: fence vector capacity, 0 or a power of two
 * @seg_bytes: size of every segment, a power of two
 * @max_entry_bytes: largest entry a segment takes, slot included
 * @count: number of keys
 * @pub: the fence vector and its capacity, for lockless readers
 *	(cesium_index_lookup_rcu())
 */
struct cesium_index {
	struct cesium_index_fence *fence;
	u32 nr_segs;
	u32 fence_cap;
	u32 seg_bytes;
	u32 max_entry_bytes;
	u64 count;
	struct cesium_fence_pub __rcu *pub;
};

/**
 * struct cesium_index_pos - an ordered position, for scans
 * @seg: segment number (index into the fence vector)
 * @slot: entry number within the segment
 *
 * Valid until the next insert or remove.
 */
struct cesium_index_pos {
	u32 seg;
	u32 slot;
};

int cesium_index_init(struct cesium_index *idx, u32 seg_bytes);
void cesium_index_destroy(struct cesium_index *idx);
u32 cesium_index_max_inline(const struct cesium_index *idx, u32 key_len);
int cesium_index_insert(struct cesium_index *idx, const u8 *key, u32 key_len,
			const struct cesium_vref *v, struct cesium_vref *old,
			gfp_t gfp);
int cesium_index_lookup(const struct cesium_index *idx, const u8 *key,
			u32 key_len, struct cesium_vref *out);
int cesium_index_lookup_rcu(const struct cesium_index *idx, const u8 *key,
			    u32 key_len, struct cesium_vref *out, void *buf,
			    u32 buf_len);
/*
 * What cesium_index_walk_rcu() calls for each entry: 0 goes on, anything
 * else stops the walk. @key and @v->data point into a segment.
 */
typedef int (*cesium_index_visit_t)(void *arg, const u8 *key, u32 key_len,
				    const struct cesium_vref *v);
int cesium_index_walk_rcu(const struct cesium_index *idx, const u8 *from,
			  u32 from_len, bool reverse,
			  cesium_index_visit_t visit, void *arg);
int cesium_index_remove(struct cesium_index *idx, const u8 *key, u32 key_len,
			struct cesium_vref *old);
u64 cesium_index_count(const struct cesium_index *idx);
u64 cesium_index_mem_bytes(const struct cesium_index *idx);
u64 cesium_index_image_bytes(const struct cesium_index *idx);
u32 cesium_index_nr_segments(const struct cesium_index *idx);

u64 cesium_index_seg_disk(const struct cesium_index *idx, u32 i);
u64 cesium_index_seg_copy(const struct cesium_index *idx, u32 i);
u32 cesium_index_seg_image(const struct cesium_index *idx, u32 i, void *buf);
void cesium_index_seg_written(struct cesium_index *idx, u32 i, u64 disk);
bool cesium_index_seg_release(struct cesium_index *idx, const void *img,
			      u32 len, u64 disk);
u32 cesium_index_seg_release_range(struct cesium_index *idx, u64 start,
				   u64 end);
int cesium_index_load_seg(struct cesium_index *idx, const void *img, u32 len,
			  u64 disk, gfp_t gfp);
u32 cesium_index_nr_dirty(const struct cesium_index *idx);
u32 cesium_index_nr_uncopied(const struct cesium_index *idx);

int cesium_index_seek(const struct cesium_index *idx, const u8 *key,
		      u32 key_len, struct cesium_index_pos *pos);
int cesium_index_seek_last(const struct cesium_index *idx,
			   struct cesium_index_pos *pos);
int cesium_index_first(const struct cesium_index *idx,
		       struct cesium_index_pos *pos);
int cesium_index_next(const struct cesium_index *idx,
		      struct cesium_index_pos *pos);
int cesium_index_prev(const struct cesium_index *idx,
		      struct cesium_index_pos *pos);
void cesium_index_entry(const struct cesium_index *idx,
			const struct cesium_index_pos *pos,
			const u8 **key, u32 *key_len, struct cesium_vref *v);

/*
 * cesium_index_check() verifies every invariant (order within and across
 * segments, fences, segment layout, counters) and returns 0 or -EUCLEAN
 * after printing what is wrong. It exists in test builds only: KUnit
 * (CESIUM_KUNIT) and the user-space tier (CESIUM_INDEX_DEBUG).
 */
#if defined(CESIUM_KUNIT) && !defined(CESIUM_INDEX_DEBUG)
#define CESIUM_INDEX_DEBUG
#endif

#ifdef CESIUM_INDEX_DEBUG
int cesium_index_check(const struct cesium_index *idx);
#else
static inline int cesium_index_check(const struct cesium_index *idx)
{
	return 0;
}
#endif

#endif /* CESIUM_ENGINE_INDEX_H */
