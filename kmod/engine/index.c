// SPDX-License-Identifier: GPL-2.0
/*
 * The in-memory index: a hybrid sorted vector.
 *
 * Layout. Keys live in segments of idx->seg_bytes (a power of two, 4 KiB by
 * default), each a self-contained slotted page: a 16-byte header, an array
 * of little-endian u16 slots growing up from it, and the entries packed
 * against the end of the segment. Entries sit in key order from the end
 * down: entry 0 ends at seg_bytes and entry i ends where entry i - 1 starts,
 * so slot[i] + size(i) == slot[i - 1] and the free space is the one gap
 * between the slots and slot[count - 1]. Packing in order costs a memmove
 * of the entries behind an insertion point (at most one segment), and buys
 * an exact layout check, appends that move nothing, splits and merges that
 * copy byte ranges, and one byte image per content (for checksums later).
 * A segment holds no pointers and only little-endian sizes, so it can be
 * checksummed, written and read back as it is (ckpt.c: the log record that
 * carries it has the checksum); header.disk remembers where.
 *
 * An entry is
 *	u8 key_len, key[key_len], u8 tag, ext[], payload[]
 * where tag >> 6 is the kind (enum cesium_vkind) and tag & 63 is n:
 *	INLINE: n <= 61: the value length is n, no ext;
 *		n == 62: ext is one byte, the length is 62 + ext;
 *		n == 63: ext is a __le16 length;
 *		payload: the value bytes.
 *	LOG:	n (0..4) is the number of bytes of ext, the __le length;
 *		payload: the 48-bit address, __le, 6 bytes.
 * The key comes first so that searches read key_len and key only. With a
 * 16-byte key an entry takes 26 bytes and its slot 2 more for an 8-byte
 * inline value, and the same for a log reference to a value under 64 KiB.
 *
 * Fence vector. idx->fence[] holds, in key order, one (prefix, segment)
 * pair per segment, where prefix is the first 8 bytes of the segment's
 * smallest key, big-endian and zero-padded. Comparing prefixes decides all
 * but ties without touching the segment, so a lookup reads one contiguous
 * array (16 bytes per segment, about 0.1 byte per key) and then the one
 * segment it needs. Segment i takes the keys from its smallest key up to
 * the smallest key of segment i + 1; keys below everything go to segment 0.
 *
 * Splits and merges are local. An insert into a full segment, in order:
 *  1. appending past the last key of the last segment (or before the first
 *     key of the first) starts a new segment holding just that entry, so
 *     loads in key order fill segments completely;
 *  2. a neighbour with 1/32 of a segment free shares the entries of both
 *     out again, balanced by bytes (a B*-tree redistribution);
 *  3. with neighbours on both sides, the three share their room if they
 *     have some, else become four (a 3-to-4 split, 3/4 full each);
 *  4. with one neighbour, the two become three (a 2-to-3 split);
 *  5. alone, the segment splits in two by bytes.
 * Steps 2 to 5 build new segments and then swap them in, so the old ones
 * stay intact until the fence vector points at the new ones. Random inserts
 * leave segments about 88% full (69% with plain halving splits), which is
 * what keeps the cost per key within 16 bytes (measured by
 * tests/user/engine/index_test). A remove that leaves a segment under 1/4
 * full merges it into a neighbour in place when the two fit in 3/4 of a
 * segment; an empty segment goes away. An entry (slot included) is at most
 * half of a segment's room, which is what makes step 5 always possible.
 * Nothing ever rebuilds the whole structure; the fence vector grows and
 * shrinks by doubling and halving.
 *
 * Errors. Every allocation is made before anything changes, so a failed
 * insert leaves the index as it was and frees what it allocated. Removes
 * never fail: merging in place needs no memory, and shrinking the fence
 * vector is skipped when its allocation fails.
 *
 * Lock-free reads. Gets and scans read the index under rcu_read_lock()
 * while writers change it (cesium_index_lookup_rcu(),
 * cesium_index_walk_rcu()); writers stay serialized by the store, which
 * makes a sequence count odd around every change, and a reader keeps what
 * it read only if the count did not move (store.c). In between a reader
 * may see a segment half-changed: segments and fence vectors are freed
 * only after a grace period, fence slots past the last segment hold NULL,
 * new segments are published with release/acquire, and every read of a
 * segment is bounds-checked, so a torn read gives a wrong answer that the
 * sequence check discards, never a read out of bounds or a loop.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/byteorder.h>
#include <asm/unaligned.h>

#include "index.h"

#define CESIUM_SEG_MAGIC	0x31475343	/* "CSG1" as __le32 */

/**
 * struct cesium_seg - segment header, followed by the slot array
 * @magic: CESIUM_SEG_MAGIC
 * @count: number of entries, never 0 in a live segment
 * @used: bytes of entries packed against the end of the segment
 * @disk: in memory, the device address of the segment's last copy, with
 *	CESIUM_SEG_STALE when the segment changed since (dirty: the next
 *	checkpoint writes it), or 0 when it has no copy that still holds
 *	its keys, and only its keys (see seg_forget()); 0 in every image
 *	written
 * @slot: offset of each entry from the start of the segment, in key order
 */
struct cesium_seg {
	__le32 magic;
	__le16 count;
	__le16 used;
	__le64 disk;
	__le16 slot[];
};

/* In header.disk: the copy there is older than the segment. */
#define CESIUM_SEG_STALE	BIT_ULL(63)

#define CESIUM_SEG_HDR_BYTES	sizeof(struct cesium_seg)
#define CESIUM_SLOT_BYTES	sizeof(__le16)

/**
 * struct cesium_index_fence - one segment in the fence vector
 * @prefix: first 8 bytes of the segment's smallest key, big-endian, zero-padded
 * @seg: the segment
 */
struct cesium_index_fence {
	u64 prefix;
	struct cesium_seg *seg;
};

#define CESIUM_FENCE_MIN	8

/**
 * struct cesium_fence_pub - the fence vector as lockless readers see it
 * @fence: the vector
 * @cap: its capacity, which bounds every reader's index into it
 * @rcu: frees the vector and this after a grace period, once replaced
 */
struct cesium_fence_pub {
	struct cesium_index_fence *fence;
	u32 cap;
	struct rcu_head rcu;
};

#define CESIUM_TAG_SHIFT	6
#define CESIUM_TAG_N_MASK	0x3f
#define CESIUM_INL_N_EXT1	62
#define CESIUM_INL_N_EXT2	63
#define CESIUM_INL_EXT1_MAX	(CESIUM_INL_N_EXT1 + 255)
#define CESIUM_INL_LEN_MAX	U16_MAX
#define CESIUM_ADDR_BYTES	6

/* Segment fields */

static inline u32 seg_count(const struct cesium_seg *s)
{
	return le16_to_cpu(s->count);
}

static inline u32 seg_used(const struct cesium_seg *s)
{
	return le16_to_cpu(s->used);
}

static inline void seg_set_count_used(struct cesium_seg *s, u32 count,
				      u32 used)
{
	s->count = cpu_to_le16(count);
	s->used = cpu_to_le16(used);
}

static inline u32 seg_slot(const struct cesium_seg *s, u32 i)
{
	return le16_to_cpu(s->slot[i]);
}

static inline void seg_set_slot(struct cesium_seg *s, u32 i, u32 off)
{
	s->slot[i] = cpu_to_le16(off);
}

static inline const u8 *seg_entry(const struct cesium_seg *s, u32 i)
{
	return (const u8 *)s + seg_slot(s, i);
}

/* Bytes of slots and entries, the header left out. */
static inline u32 seg_fill(const struct cesium_seg *s)
{
	return seg_count(s) * CESIUM_SLOT_BYTES + seg_used(s);
}

/* Room for slots and entries in any segment of this index. */
static inline u32 cesium_seg_room(const struct cesium_index *idx)
{
	return idx->seg_bytes - CESIUM_SEG_HDR_BYTES;
}

static inline u32 seg_free(const struct cesium_index *idx,
			   const struct cesium_seg *s)
{
	return cesium_seg_room(idx) - seg_fill(s);
}

/* Where entry i ends: the start of entry i - 1, or the segment's end. */
static inline u32 seg_entry_end(const struct cesium_index *idx,
				const struct cesium_seg *s, u32 i)
{
	return i ? seg_slot(s, i - 1) : idx->seg_bytes;
}

static inline u32 seg_entry_bytes(const struct cesium_index *idx,
				  const struct cesium_seg *s, u32 i)
{
	return seg_entry_end(idx, s, i) - seg_slot(s, i);
}

/*
 * The segment changed: the next checkpoint writes it. Until then its last
 * copy still holds the segment's keys as they were (a checkpoint that lets
 * writers in may name it, and replay the log since: ckpt.c).
 */
static inline void seg_dirty(struct cesium_seg *s)
{
	if (s->disk)
		s->disk |= cpu_to_le64(CESIUM_SEG_STALE);
}

/*
 * The segment changed so that its last copy no longer stands for it with
 * the log replayed over it: it got keys another segment's copy may hold
 * (a merge), its first key moved (a key may have left for the segment
 * before it), or the copy is to be freed. The next checkpoint must write
 * it.
 */
static inline void seg_forget(struct cesium_seg *s)
{
	s->disk = 0;
}

/* The address of the segment's last copy, stale or not; 0 if none. */
static inline u64 seg_copy(const struct cesium_seg *s)
{
	return le64_to_cpu(s->disk) & ~CESIUM_SEG_STALE;
}

static void seg_init(struct cesium_seg *s)
{
	s->magic = cpu_to_le32(CESIUM_SEG_MAGIC);
	s->disk = 0;
	seg_set_count_used(s, 0, 0);
}

/* Keys and entries */

static int cesium_key_cmp(const u8 *a, u32 alen, const u8 *b, u32 blen)
{
	int r = memcmp(a, b, min(alen, blen));

	if (r)
		return r;
	return alen < blen ? -1 : alen > blen;
}

static u64 cesium_key_prefix(const u8 *key, u32 key_len)
{
	u8 buf[8] = { 0 };

	memcpy(buf, key, min_t(u32, key_len, sizeof(buf)));
	return get_unaligned_be64(buf);
}

/* Compare the key of entry i of @s with (@key, @key_len). */
static inline int seg_key_cmp(const struct cesium_seg *s, u32 i,
			      const u8 *key, u32 key_len)
{
	const u8 *e = seg_entry(s, i);

	return cesium_key_cmp(e + 1, e[0], key, key_len);
}

static u32 cesium_log_len_bytes(u32 len)
{
	if (!len)
		return 0;
	return (fls(len) + 7) / 8;
}

/* Bytes of ext plus payload for a value. */
static u32 cesium_value_bytes(const struct cesium_vref *v)
{
	if (v->kind == CESIUM_V_LOG)
		return cesium_log_len_bytes(v->len) + CESIUM_ADDR_BYTES;
	if (v->len < CESIUM_INL_N_EXT1)
		return v->len;
	if (v->len <= CESIUM_INL_EXT1_MAX)
		return 1 + v->len;
	return 2 + v->len;
}

static u32 cesium_entry_bytes(u32 key_len, const struct cesium_vref *v)
{
	return 1 + key_len + 1 + cesium_value_bytes(v);
}

static void cesium_entry_encode(u8 *e, const u8 *key, u32 key_len,
				const struct cesium_vref *v)
{
	u8 *p = e + 1 + key_len;
	u32 n, i;

	e[0] = key_len;
	memcpy(e + 1, key, key_len);
	if (v->kind == CESIUM_V_LOG) {
		n = cesium_log_len_bytes(v->len);
		*p++ = CESIUM_V_LOG << CESIUM_TAG_SHIFT | n;
		for (i = 0; i < n; i++)
			*p++ = v->len >> (8 * i);
		put_unaligned_le32(lower_32_bits(v->addr), p);
		put_unaligned_le16(upper_32_bits(v->addr), p + 4);
		return;
	}
	if (v->len < CESIUM_INL_N_EXT1) {
		*p++ = CESIUM_V_INLINE << CESIUM_TAG_SHIFT | v->len;
	} else if (v->len <= CESIUM_INL_EXT1_MAX) {
		*p++ = CESIUM_V_INLINE << CESIUM_TAG_SHIFT | CESIUM_INL_N_EXT1;
		*p++ = v->len - CESIUM_INL_N_EXT1;
	} else {
		*p++ = CESIUM_V_INLINE << CESIUM_TAG_SHIFT | CESIUM_INL_N_EXT2;
		put_unaligned_le16(v->len, p);
		p += 2;
	}
	if (v->len)
		memcpy(p, v->data, v->len);
}

static void cesium_entry_decode(const u8 *e, const u8 **key, u32 *key_len,
				struct cesium_vref *v)
{
	const u8 *p = e + 1 + e[0];
	u32 tag = *p++;
	u32 n = tag & CESIUM_TAG_N_MASK;
	u32 i;

	if (key) {
		*key = e + 1;
		*key_len = e[0];
	}
	if (!v)
		return;
	v->kind = tag >> CESIUM_TAG_SHIFT;
	if (v->kind == CESIUM_V_LOG) {
		v->len = 0;
		for (i = 0; i < n; i++)
			v->len |= (u32)*p++ << (8 * i);
		v->addr = get_unaligned_le32(p) |
			  (u64)get_unaligned_le16(p + 4) << 32;
		v->data = NULL;
		return;
	}
	if (n == CESIUM_INL_N_EXT1) {
		n += *p++;
	} else if (n == CESIUM_INL_N_EXT2) {
		n = get_unaligned_le16(p);
		p += 2;
	}
	v->len = n;
	v->addr = 0;
	v->data = p;
}

/*
 * Searches. cesium_fence_upper() counts the segments whose smallest key is
 * <= key: the key belongs to the segment before that count (or to segment
 * 0 when the count is 0).
 */
static u32 cesium_fence_upper(const struct cesium_index *idx, const u8 *key,
			      u32 key_len)
{
	u64 prefix = cesium_key_prefix(key, key_len);
	u32 lo = 0, hi = idx->nr_segs;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		const struct cesium_index_fence *f = &idx->fence[mid];
		bool below;

		if (prefix != f->prefix)
			below = prefix < f->prefix;
		else
			below = seg_key_cmp(f->seg, 0, key, key_len) > 0;
		if (below)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The first entry >= key; *found tells whether it equals key. */
static u32 seg_lower(const struct cesium_seg *s, const u8 *key, u32 key_len,
		     bool *found)
{
	u32 lo = 0, hi = seg_count(s);

	*found = false;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int c = seg_key_cmp(s, mid, key, key_len);

		if (c < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
			if (!c)
				*found = true;
		}
	}
	return lo;
}

static u32 cesium_find_seg(const struct cesium_index *idx, const u8 *key,
			   u32 key_len)
{
	u32 n = cesium_fence_upper(idx, key, key_len);

	return n ? n - 1 : 0;
}

/* In-place segment changes; the caller has checked the room. */

static void seg_insert_at(const struct cesium_index *idx, struct cesium_seg *s,
			  u32 pos, const u8 *key, u32 key_len,
			  const struct cesium_vref *v, u32 bytes)
{
	u32 count = seg_count(s), used = seg_used(s);
	u32 start = idx->seg_bytes - used;
	u32 end = seg_entry_end(idx, s, pos);
	u8 *base = (u8 *)s;
	u32 i;

	memmove(base + start - bytes, base + start, end - start);
	memmove(&s->slot[pos + 1], &s->slot[pos],
		(count - pos) * CESIUM_SLOT_BYTES);
	for (i = pos + 1; i <= count; i++)
		seg_set_slot(s, i, seg_slot(s, i) - bytes);
	seg_set_slot(s, pos, end - bytes);
	cesium_entry_encode(base + end - bytes, key, key_len, v);
	seg_set_count_used(s, count + 1, used + bytes);
}

/* Rewrite entry pos with a value whose entry takes @bytes. */
static void seg_replace_at(const struct cesium_index *idx, struct cesium_seg *s,
			   u32 pos, const u8 *key, u32 key_len,
			   const struct cesium_vref *v, u32 bytes)
{
	u32 count = seg_count(s), used = seg_used(s);
	u32 start = idx->seg_bytes - used;
	u32 end = seg_entry_end(idx, s, pos);
	u32 old = end - seg_slot(s, pos);
	u8 *base = (u8 *)s;
	u32 i;

	if (bytes != old) {
		/* the entries after pos move by old - bytes, up or down */
		memmove(base + start + old - bytes, base + start,
			seg_slot(s, pos) - start);
		for (i = pos + 1; i < count; i++)
			seg_set_slot(s, i, seg_slot(s, i) + old - bytes);
		seg_set_slot(s, pos, end - bytes);
		seg_set_count_used(s, count, used + bytes - old);
	}
	cesium_entry_encode(base + end - bytes, key, key_len, v);
}

static void seg_remove_at(const struct cesium_index *idx, struct cesium_seg *s,
			  u32 pos)
{
	u32 count = seg_count(s), used = seg_used(s);
	u32 start = idx->seg_bytes - used;
	u32 bytes = seg_entry_bytes(idx, s, pos);
	u8 *base = (u8 *)s;
	u32 i;

	memmove(base + start + bytes, base + start, seg_slot(s, pos) - start);
	memmove(&s->slot[pos], &s->slot[pos + 1],
		(count - pos - 1) * CESIUM_SLOT_BYTES);
	for (i = pos; i < count - 1; i++)
		seg_set_slot(s, i, seg_slot(s, i) + bytes);
	seg_set_count_used(s, count - 1, used - bytes);
}

/* Append all of @src behind the entries of @dst, whose keys are smaller. */
static void seg_append_seg(const struct cesium_index *idx,
			   struct cesium_seg *dst, const struct cesium_seg *src)
{
	u32 dcount = seg_count(dst), dused = seg_used(dst);
	u32 scount = seg_count(src), sused = seg_used(src);
	u32 i;

	memcpy((u8 *)dst + idx->seg_bytes - dused - sused,
	       (const u8 *)src + idx->seg_bytes - sused, sused);
	for (i = 0; i < scount; i++)
		seg_set_slot(dst, dcount + i, seg_slot(src, i) - dused);
	seg_set_count_used(dst, dcount + scount, dused + sused);
}

/* Append raw entry bytes to a segment being built. */
static u8 *seg_append(const struct cesium_index *idx, struct cesium_seg *s,
		      u32 bytes)
{
	u32 count = seg_count(s), used = seg_used(s) + bytes;
	u32 off = idx->seg_bytes - used;

	seg_set_slot(s, count, off);
	seg_set_count_used(s, count + 1, used);
	return (u8 *)s + off;
}

/* The fence vector */

static void cesium_fence_refresh(struct cesium_index *idx, u32 i)
{
	const u8 *e = seg_entry(idx->fence[i].seg, 0);

	WRITE_ONCE(idx->fence[i].prefix, cesium_key_prefix(e + 1, e[0]));
}

static void cesium_fence_pub_free(struct rcu_head *rcu)
{
	struct cesium_fence_pub *pub = container_of(rcu, struct cesium_fence_pub,
						    rcu);

	kvfree(pub->fence);
	kfree(pub);
}

/*
 * Publish @fence (capacity @cap, may be NULL) to lockless readers; the
 * vector it replaces is freed after a grace period. @pub is preallocated,
 * or NULL with @fence.
 */
static void cesium_fence_publish(struct cesium_index *idx,
				 struct cesium_index_fence *fence, u32 cap,
				 struct cesium_fence_pub *pub)
{
	struct cesium_fence_pub *old = rcu_dereference_protected(idx->pub, 1);

	if (pub) {
		pub->fence = fence;
		pub->cap = cap;
	}
	rcu_assign_pointer(idx->pub, pub);
	idx->fence = fence;
	idx->fence_cap = cap;
	if (old)
		call_rcu(&old->rcu, cesium_fence_pub_free);
}

/* A segment no longer in the index: lockless readers may still be in it. */
static void cesium_seg_free(struct cesium_seg *s)
{
	kvfree_rcu_mightsleep(s);
}

static int cesium_fence_resize(struct cesium_index *idx, u32 cap, gfp_t gfp)
{
	struct cesium_index_fence *fence;
	struct cesium_fence_pub *pub;

	if (WARN_ON_ONCE(cap < idx->nr_segs))
		return -EINVAL;
	fence = kvmalloc_array(cap, sizeof(*fence), gfp);
	pub = kmalloc(sizeof(*pub), gfp);
	if (!fence || !pub) {
		kvfree(fence);
		kfree(pub);
		return -ENOMEM;
	}
	if (idx->nr_segs)
		memcpy(fence, idx->fence, idx->nr_segs * sizeof(*fence));
	/* Slots past nr_segs hold NULL: see cesium_fence_splice(). */
	memset(fence + idx->nr_segs, 0, (cap - idx->nr_segs) * sizeof(*fence));
	cesium_fence_publish(idx, fence, cap, pub);
	return 0;
}

/* Make room for @nr segments; on failure nothing changes. */
static int cesium_fence_reserve(struct cesium_index *idx, u32 nr, gfp_t gfp)
{
	u32 cap = max_t(u32, idx->fence_cap, CESIUM_FENCE_MIN);

	if (nr <= idx->fence_cap)
		return 0;
	while (cap < nr) {
		if (cap > U32_MAX / 2 / sizeof(struct cesium_index_fence))
			return -ENOMEM;
		cap *= 2;
	}
	return cesium_fence_resize(idx, cap, gfp);
}

/*
 * After removes: an empty index holds no memory; a vector used to less than
 * a quarter halves, if memory for that is at hand without waiting.
 */
static void cesium_fence_shrink(struct cesium_index *idx)
{
	if (!idx->nr_segs) {
		cesium_fence_publish(idx, NULL, 0, NULL);
		return;
	}
	if (idx->fence_cap > CESIUM_FENCE_MIN &&
	    idx->nr_segs <= idx->fence_cap / 4)
		cesium_fence_resize(idx, idx->fence_cap / 2,
				    GFP_NOWAIT | __GFP_NOWARN);
}

/* Replace fences [first, first + nr_old) by segments @segs[0..nr_new). */
static void cesium_fence_splice(struct cesium_index *idx, u32 first,
				u32 nr_old, struct cesium_seg **segs,
				u32 nr_new)
{
	struct cesium_index_fence *f = idx->fence;
	u32 i, tail = idx->nr_segs - first - nr_old;

	/*
	 * Entry by entry, each field written whole: a lockless reader may
	 * see a stale or repeated entry, never a torn pointer (memmove()
	 * promises no access size). A lockless reader bounds its walk by
	 * nr_segs and the capacity of the vector it holds, and may read
	 * nr_segs of another moment than the slots: so every slot at or past
	 * nr_segs holds NULL, which it takes for a writer at work, never a
	 * pointer to a segment freed long ago. New segments are published
	 * with release semantics, after their bytes.
	 */
	if (nr_new > nr_old) {
		for (i = tail; i--; ) {
			WRITE_ONCE(f[first + nr_new + i].prefix,
				   f[first + nr_old + i].prefix);
			WRITE_ONCE(f[first + nr_new + i].seg,
				   f[first + nr_old + i].seg);
		}
	} else if (nr_new < nr_old) {
		for (i = 0; i < tail; i++) {
			WRITE_ONCE(f[first + nr_new + i].prefix,
				   f[first + nr_old + i].prefix);
			WRITE_ONCE(f[first + nr_new + i].seg,
				   f[first + nr_old + i].seg);
		}
	}
	for (i = 0; i < nr_new; i++) {
		/* The segment's bytes before it: pairs with seg_get_rcu(). */
		smp_store_release(&f[first + i].seg, segs[i]);
		cesium_fence_refresh(idx, first + i);
	}
	WRITE_ONCE(idx->nr_segs, idx->nr_segs + nr_new - nr_old);
	for (i = nr_new; i < nr_old; i++) {
		WRITE_ONCE(f[idx->nr_segs + i - nr_new].prefix, 0);
		WRITE_ONCE(f[idx->nr_segs + i - nr_new].seg, NULL);
	}
}

/*
 * Rebuilds. A sequence is the entries of up to three adjacent segments with
 * one new entry inserted into it, or replacing one of its entries; a rebuild
 * deals it out to 1..4 new segments and swaps them in for the old ones.
 */
#define CESIUM_REBUILD_SRC	3
#define CESIUM_REBUILD_DST	4

struct cesium_seq {
	const struct cesium_index *idx;
	struct cesium_seg *src[CESIUM_REBUILD_SRC];
	u32 nr_src;
	u32 nr;			/* entries in the sequence */
	u32 at;			/* where the new entry is */
	bool replace;		/* it replaces source entry at */
	const u8 *key;
	u32 key_len;
	const struct cesium_vref *v;
	u32 bytes;		/* new entry size, slot left out */
};

/*
 * The sequence of segments @first.. (@nr_src of them) with the new entry at
 * slot @pos of segment @i.
 */
static void cesium_seq_init(struct cesium_seq *q, const struct cesium_index *idx,
			    u32 first, u32 nr_src, u32 i, u32 pos)
{
	u32 k;

	q->idx = idx;
	q->nr_src = nr_src;
	q->nr = q->replace ? 0 : 1;
	q->at = pos;
	for (k = 0; k < nr_src; k++) {
		q->src[k] = idx->fence[first + k].seg;
		q->nr += seg_count(q->src[k]);
		if (first + k < i)
			q->at += seg_count(q->src[k]);
	}
}

/* Source segment and slot of item k; false for the new entry. */
static bool cesium_seq_src(const struct cesium_seq *q, u32 k,
			   const struct cesium_seg **s, u32 *slot)
{
	u32 i;

	if (k == q->at)
		return false;
	if (k > q->at && !q->replace)
		k--;
	for (i = 0; i + 1 < q->nr_src && k >= seg_count(q->src[i]); i++)
		k -= seg_count(q->src[i]);
	*s = q->src[i];
	*slot = k;
	return true;
}

/* Bytes item k takes in a segment, slot included. */
static u32 cesium_seq_bytes(const struct cesium_seq *q, u32 k)
{
	const struct cesium_seg *s;
	u32 slot;

	if (!cesium_seq_src(q, k, &s, &slot))
		return q->bytes + CESIUM_SLOT_BYTES;
	return seg_entry_bytes(q->idx, s, slot) + CESIUM_SLOT_BYTES;
}

static u32 cesium_seq_total(const struct cesium_seq *q, u32 lo, u32 hi)
{
	u32 t = 0;

	for (; lo < hi; lo++)
		t += cesium_seq_bytes(q, lo);
	return t;
}

/*
 * The cut in (lo, hi) that balances the bytes of [lo, cut) and [cut, hi)
 * best with both fitting a segment; 0 when there is none.
 */
static u32 cesium_seq_cut2(const struct cesium_seq *q, u32 lo, u32 hi)
{
	u32 room = cesium_seg_room(q->idx);
	u32 total = cesium_seq_total(q, lo, hi);
	u32 left = 0, best = 0, best_gap = U32_MAX;
	u32 k;

	for (k = lo + 1; k < hi; k++) {
		u32 gap;

		left += cesium_seq_bytes(q, k - 1);
		if (left > room)
			break;
		if (total - left > room)
			continue;
		gap = abs((int)(2 * left) - (int)total);
		if (gap < best_gap) {
			best = k;
			best_gap = gap;
		}
	}
	return best;
}

/*
 * Cuts for @nr_dst new segments of about equal bytes; false when they
 * cannot be made. All but the last cut go greedily to the entry boundary
 * nearest their share; the last one balances the rest.
 */
static bool cesium_seq_plan(const struct cesium_seq *q, u32 nr_dst, u32 *cut)
{
	u32 room = cesium_seg_room(q->idx);
	u32 total, done, lo, k, j, bytes, part;

	if (q->nr < nr_dst)
		return false;
	if (nr_dst == 1)
		return cesium_seq_total(q, 0, q->nr) <= room;
	total = cesium_seq_total(q, 0, q->nr);
	done = 0;
	lo = 0;
	for (j = 1; j + 1 < nr_dst; j++) {
		u32 share = total / nr_dst * j + total % nr_dst * j / nr_dst;

		part = 0;
		for (k = lo; k < q->nr; k++) {
			bytes = cesium_seq_bytes(q, k);
			/* stop before an entry that passes the share by more */
			if (k > lo && (part + bytes > room ||
				       2 * (done + part) + bytes >= 2 * share))
				break;
			part += bytes;
		}
		if (part > room || k + nr_dst - j > q->nr)
			return false;
		cut[j - 1] = k;
		done += part;
		lo = k;
	}
	cut[nr_dst - 2] = cesium_seq_cut2(q, lo, q->nr);
	return cut[nr_dst - 2];
}

static void cesium_seq_build(const struct cesium_seq *q, u32 lo, u32 hi,
			     struct cesium_seg *dst)
{
	const struct cesium_index *idx = q->idx;
	const struct cesium_seg *s;
	u32 slot, bytes;

	seg_init(dst);
	for (; lo < hi; lo++) {
		if (!cesium_seq_src(q, lo, &s, &slot)) {
			cesium_entry_encode(seg_append(idx, dst, q->bytes),
					    q->key, q->key_len, q->v);
			continue;
		}
		bytes = seg_entry_bytes(idx, s, slot);
		memcpy(seg_append(idx, dst, bytes), seg_entry(s, slot), bytes);
	}
}

/*
 * Deal the sequence out to @nr_dst new segments that take the place of its
 * sources, which start at fence @first. 1 = the plan does not fit.
 */
static int cesium_rebuild(struct cesium_index *idx, const struct cesium_seq *q,
			  u32 first, u32 nr_dst, gfp_t gfp)
{
	struct cesium_seg *dst[CESIUM_REBUILD_DST];
	u32 cut[CESIUM_REBUILD_DST + 1];
	u32 i;
	int ret;

	if (!cesium_seq_plan(q, nr_dst, &cut[1]))
		return 1;
	cut[0] = 0;
	cut[nr_dst] = q->nr;
	for (i = 0; i < nr_dst; i++) {
		dst[i] = kmalloc(idx->seg_bytes, gfp);
		if (!dst[i]) {
			ret = -ENOMEM;
			goto out_free;
		}
	}
	ret = cesium_fence_reserve(idx, idx->nr_segs + nr_dst - q->nr_src, gfp);
	if (ret)
		goto out_free;

	for (i = 0; i < nr_dst; i++)
		cesium_seq_build(q, cut[i], cut[i + 1], dst[i]);
	cesium_fence_splice(idx, first, q->nr_src, dst, nr_dst);
	for (i = 0; i < q->nr_src; i++)
		cesium_seg_free(q->src[i]);
	return 0;

out_free:
	while (i--)
		kfree(dst[i]);
	return ret;
}

/* Rebuild segments first.. (@nr_src) into @nr_dst; 1 = does not fit. */
static int cesium_reshape(struct cesium_index *idx, struct cesium_seq *q,
			  u32 first, u32 nr_src, u32 i, u32 pos, u32 nr_dst,
			  gfp_t gfp)
{
	cesium_seq_init(q, idx, first, nr_src, i, pos);
	return cesium_rebuild(idx, q, first, nr_dst, gfp);
}

/*
 * Segment @i has no room for the edit at slot @pos: see the policy at the
 * top. A neighbour takes part when it has 1/32 of a segment free: lower
 * thresholds fill segments more but rebuild more often for less.
 */
static int cesium_overflow(struct cesium_index *idx, u32 i, u32 pos,
			   struct cesium_seq *q, gfp_t gfp)
{
	struct cesium_seg *s = idx->fence[i].seg;
	struct cesium_seg *l = i ? idx->fence[i - 1].seg : NULL;
	struct cesium_seg *r = i + 1 < idx->nr_segs ? idx->fence[i + 1].seg : NULL;
	u32 spare = cesium_seg_room(idx) / 32;
	u32 lfree = l ? seg_free(idx, l) : 0;
	u32 rfree = r ? seg_free(idx, r) : 0;
	int ret;

	if (!q->replace && ((!r && pos == seg_count(s)) || (!l && !pos))) {
		/* a new segment with the one entry, after or before */
		cesium_seq_init(q, idx, i, 0, i, 0);
		return cesium_rebuild(idx, q, pos ? i + 1 : 0, 1, gfp);
	}
	if (lfree >= spare) {
		ret = cesium_reshape(idx, q, i - 1, 2, i, pos, 2, gfp);
		if (ret <= 0)
			return ret;
	}
	if (rfree >= spare) {
		ret = cesium_reshape(idx, q, i, 2, i, pos, 2, gfp);
		if (ret <= 0)
			return ret;
	}
	if (l && r) {
		/* three share their room, or become four */
		if (lfree + rfree >= spare) {
			ret = cesium_reshape(idx, q, i - 1, 3, i, pos, 3, gfp);
			if (ret <= 0)
				return ret;
		}
		ret = cesium_reshape(idx, q, i - 1, 3, i, pos, 4, gfp);
		if (ret <= 0)
			return ret;
	}
	if (l || r) {
		ret = cesium_reshape(idx, q, l ? i - 1 : i, 2, i, pos, 3, gfp);
		if (ret <= 0)
			return ret;
	}
	ret = cesium_reshape(idx, q, i, 1, i, pos, 2, gfp);
	/* entries take at most half a segment, so this split always fits */
	if (WARN_ON_ONCE(ret > 0))
		return -E2BIG;
	return ret;
}

/* The public interface */

/**
 * cesium_index_init() - set up an empty index
 * @idx: the index, embedded by the caller
 * @seg_bytes: segment size, a power of two from 4096 to 65536; 0 picks
 *	CESIUM_INDEX_SEG_BYTES_DEFAULT
 *
 * Allocates nothing: an empty index holds no memory.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for a bad @seg_bytes.
 */
int cesium_index_init(struct cesium_index *idx, u32 seg_bytes)
{
	BUILD_BUG_ON(CESIUM_SEG_HDR_BYTES != 16);
	BUILD_BUG_ON(CESIUM_INDEX_SEG_BYTES_MAX - CESIUM_SEG_HDR_BYTES > U16_MAX);

	if (!seg_bytes)
		seg_bytes = CESIUM_INDEX_SEG_BYTES_DEFAULT;
	if (!is_power_of_2(seg_bytes) ||
	    seg_bytes < CESIUM_INDEX_SEG_BYTES_DEFAULT ||
	    seg_bytes > CESIUM_INDEX_SEG_BYTES_MAX)
		return -EINVAL;
	memset(idx, 0, sizeof(*idx));
	idx->seg_bytes = seg_bytes;
	idx->max_entry_bytes = (seg_bytes - CESIUM_SEG_HDR_BYTES) / 2;
	return 0;
}

/**
 * cesium_index_destroy() - free everything the index holds
 * @idx: the index
 *
 * The index is empty afterwards and may be used again.
 *
 * Context: Process context; no other user of @idx, lockless readers
 * included.
 */
void cesium_index_destroy(struct cesium_index *idx)
{
	u32 i;

	for (i = 0; i < idx->nr_segs; i++)
		kfree(idx->fence[i].seg);
	kfree(rcu_dereference_protected(idx->pub, 1));
	RCU_INIT_POINTER(idx->pub, NULL);
	kvfree(idx->fence);
	idx->fence = NULL;
	idx->nr_segs = 0;
	idx->fence_cap = 0;
	idx->count = 0;
}

/**
 * cesium_index_max_inline() - largest inline value that fits with a key
 * @idx: the index
 * @key_len: key length, 1..CESIUM_KEY_MAX
 *
 * Context: Any context.
 * Return: the largest value length cesium_index_insert() takes inline with
 * a key of @key_len bytes; 0 for a bad @key_len.
 */
u32 cesium_index_max_inline(const struct cesium_index *idx, u32 key_len)
{
	u32 avail;

	if (!key_len || key_len > CESIUM_KEY_MAX)
		return 0;
	/* key_len, key, tag and the slot; ext and value share the rest */
	avail = idx->max_entry_bytes - CESIUM_SLOT_BYTES - 2 - key_len;
	if (avail >= CESIUM_INL_EXT1_MAX + 1 + 2)
		return min_t(u32, avail - 2, CESIUM_INL_LEN_MAX);
	if (avail >= CESIUM_INL_N_EXT1 + 1)
		return min_t(u32, avail - 1, CESIUM_INL_EXT1_MAX);
	return min_t(u32, avail, CESIUM_INL_N_EXT1 - 1);
}

static int cesium_check_key(const u8 *key, u32 key_len)
{
	if (!key || !key_len || key_len > CESIUM_KEY_MAX)
		return -EINVAL;
	return 0;
}

/**
 * cesium_index_insert() - insert a key or replace its value
 * @idx: the index
 * @key: the key
 * @key_len: its length, 1..CESIUM_KEY_MAX
 * @v: the value: inline (its @v->len bytes at @v->data are copied; they
 *	must not lie in @idx itself, as a lookup's result does) or a log
 *	reference (@v->addr below 2^48, @v->len)
 * @old: when not NULL and the key was there, gets its previous value; an
 *	inline one has @old->data set to NULL, since its bytes are gone
 * @gfp: allocation flags for new segments and a larger fence vector
 *
 * Invalidates every position and inline data pointer handed out before.
 *
 * Context: Process context, or any context that @gfp suits; the caller
 * excludes every other user of @idx.
 * Return: 0 when inserted, 1 when replaced, -ENOMEM (the index is
 * unchanged), -E2BIG when the entry cannot fit a segment (see
 * cesium_index_max_inline()), -EINVAL for a bad key length or kind.
 */
int cesium_index_insert(struct cesium_index *idx, const u8 *key, u32 key_len,
			const struct cesium_vref *v, struct cesium_vref *old,
			gfp_t gfp)
{
	struct cesium_seq q = { .key = key, .key_len = key_len, .v = v };
	struct cesium_vref prev;
	struct cesium_seg *s;
	bool found;
	u32 i, pos, bytes;
	int ret;

	if (cesium_check_key(key, key_len) || !v)
		return -EINVAL;
	if (v->kind == CESIUM_V_LOG) {
		if (v->addr >> CESIUM_INDEX_ADDR_BITS)
			return -EINVAL;
	} else if (v->kind == CESIUM_V_INLINE) {
		if (v->len > cesium_index_max_inline(idx, key_len))
			return -E2BIG;
		if (v->len && !v->data)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	bytes = cesium_entry_bytes(key_len, v);
	if (bytes + CESIUM_SLOT_BYTES > idx->max_entry_bytes)
		return -E2BIG;
	q.bytes = bytes;

	if (!idx->nr_segs) {
		cesium_seq_init(&q, idx, 0, 0, 0, 0);
		ret = cesium_rebuild(idx, &q, 0, 1, gfp);
		if (WARN_ON_ONCE(ret > 0))
			return -E2BIG;
		if (!ret)
			idx->count++;
		return ret;
	}

	i = cesium_find_seg(idx, key, key_len);
	s = idx->fence[i].seg;
	pos = seg_lower(s, key, key_len, &found);
	if (found) {
		u32 was = seg_entry_bytes(idx, s, pos);

		cesium_entry_decode(seg_entry(s, pos), NULL, NULL, &prev);
		prev.data = NULL;
		if (bytes <= was || bytes - was <= seg_free(idx, s)) {
			seg_replace_at(idx, s, pos, key, key_len, v, bytes);
			seg_dirty(idx->fence[i].seg);
		} else {
			q.replace = true;
			ret = cesium_overflow(idx, i, pos, &q, gfp);
			if (ret)
				return ret;
		}
		if (old)
			*old = prev;
		return 1;
	}

	if (bytes + CESIUM_SLOT_BYTES <= seg_free(idx, s)) {
		seg_insert_at(idx, s, pos, key, key_len, v, bytes);
		seg_dirty(idx->fence[i].seg);
		if (!pos) {
			seg_forget(idx->fence[i].seg);
			cesium_fence_refresh(idx, i);
		}
	} else {
		ret = cesium_overflow(idx, i, pos, &q, gfp);
		if (ret)
			return ret;
	}
	idx->count++;
	return 0;
}

/*
 * Where @key is: the fence entry after its segment's (*@n, never 0) and
 * its slot there (*@pos). False when the key is absent or of bad length.
 */
static bool cesium_index_find(const struct cesium_index *idx, const u8 *key,
			      u32 key_len, u32 *n, u32 *pos)
{
	bool found;

	if (cesium_check_key(key, key_len))
		return false;
	*n = cesium_fence_upper(idx, key, key_len);
	if (!*n)
		return false;
	*pos = seg_lower(idx->fence[*n - 1].seg, key, key_len, &found);
	return found;
}

/**
 * cesium_index_lookup() - find a key
 * @idx: the index
 * @key: the key
 * @key_len: its length
 * @out: gets the value; for an inline one @out->data points into the
 *	segment and stays valid only while the caller keeps writers out
 *
 * Context: Any context; the caller keeps writers out.
 * Return: 0, or -ENOENT (also for a key of bad length).
 */
int cesium_index_lookup(const struct cesium_index *idx, const u8 *key,
			u32 key_len, struct cesium_vref *out)
{
	const struct cesium_seg *s;
	u32 n, pos;

	if (!cesium_index_find(idx, key, key_len, &n, &pos))
		return -ENOENT;
	s = idx->fence[n - 1].seg;
	cesium_entry_decode(seg_entry(s, pos), NULL, NULL, out);
	return 0;
}

/* Merge segment i into a neighbour after it lost entries, if small enough. */
static void cesium_merge(struct cesium_index *idx, u32 i)
{
	struct cesium_seg *s = idx->fence[i].seg;
	u32 room = cesium_seg_room(idx);
	u32 fill = seg_fill(s);
	struct cesium_seg *n;

	if (4 * fill >= room)
		return;
	if (i) {
		n = idx->fence[i - 1].seg;
		if (4 * (seg_fill(n) + fill) <= 3 * room) {
			seg_append_seg(idx, n, s);
			seg_forget(idx->fence[i - 1].seg);
			cesium_fence_splice(idx, i, 1, NULL, 0);
			cesium_seg_free(s);
			return;
		}
	}
	if (i + 1 < idx->nr_segs) {
		n = idx->fence[i + 1].seg;
		if (4 * (seg_fill(n) + fill) <= 3 * room) {
			seg_append_seg(idx, s, n);
			seg_forget(idx->fence[i].seg);
			cesium_fence_splice(idx, i + 1, 1, NULL, 0);
			cesium_seg_free(n);
		}
	}
}

/**
 * cesium_index_remove() - remove a key
 * @idx: the index
 * @key: the key
 * @key_len: its length
 * @old: when not NULL, gets the removed value; an inline one has
 *	@old->data set to NULL, since its bytes are gone
 *
 * Never allocates memory it needs: removes cannot fail for lack of it.
 * Invalidates every position and inline data pointer handed out before.
 *
 * Context: Process context; the caller excludes every other user of @idx.
 * Return: 0, or -ENOENT (also for a key of bad length).
 */
int cesium_index_remove(struct cesium_index *idx, const u8 *key, u32 key_len,
			struct cesium_vref *old)
{
	struct cesium_seg *s;
	u32 n, pos;

	if (!cesium_index_find(idx, key, key_len, &n, &pos))
		return -ENOENT;
	s = idx->fence[n - 1].seg;
	if (old) {
		cesium_entry_decode(seg_entry(s, pos), NULL, NULL, old);
		old->data = NULL;
	}
	seg_remove_at(idx, s, pos);
	seg_dirty(idx->fence[n - 1].seg);
	idx->count--;
	if (!seg_count(s)) {
		cesium_fence_splice(idx, n - 1, 1, NULL, 0);
		cesium_seg_free(s);
		cesium_fence_shrink(idx);
		return 0;
	}
	if (!pos) {
		seg_forget(idx->fence[n - 1].seg);
		cesium_fence_refresh(idx, n - 1);
	}
	cesium_merge(idx, n - 1);
	cesium_fence_shrink(idx);
	return 0;
}

/**
 * cesium_index_count() - number of keys
 * @idx: the index
 *
 * Context: Any context.
 * Return: the number of keys in @idx.
 */
u64 cesium_index_count(const struct cesium_index *idx)
{
	return idx->count;
}

/**
 * cesium_index_mem_bytes() - memory the index holds
 * @idx: the index
 *
 * Counts the segments, the fence vector and its publication for lockless
 * readers, as allocated: all are allocated in sizes that kmalloc and
 * vmalloc do not round (powers of two from 32 bytes). struct cesium_index itself belongs to its container.
 *
 * Context: Any context.
 * Return: bytes of memory held.
 */
u64 cesium_index_mem_bytes(const struct cesium_index *idx)
{
	return (u64)idx->nr_segs * idx->seg_bytes +
	       (u64)idx->fence_cap * sizeof(struct cesium_index_fence) +
	       (idx->fence_cap ? sizeof(struct cesium_fence_pub) : 0);
}

/**
 * cesium_index_image_bytes() - bytes of the images of every segment
 * @idx: the index
 *
 * What cesium_index_seg_image() gives for all segments: the size of a
 * checkpoint of the whole index, records aside.
 *
 * Context: Any context; the caller keeps writers out.
 */
u64 cesium_index_image_bytes(const struct cesium_index *idx)
{
	u64 bytes = (u64)idx->nr_segs * CESIUM_SEG_HDR_BYTES;
	u32 i;

	for (i = 0; i < idx->nr_segs; i++)
		bytes += seg_fill(idx->fence[i].seg);
	return bytes;
}

/**
 * cesium_index_nr_segments() - number of segments
 * @idx: the index
 *
 * Context: Any context.
 * Return: the number of segments, 0 for an empty index.
 */
u32 cesium_index_nr_segments(const struct cesium_index *idx)
{
	return idx->nr_segs;
}

/**
 * cesium_index_seek() - position at the first entry >= a key
 * @idx: the index
 * @key: the key; any length compares, and the empty key (@key_len 0,
 *	@key may be NULL) is below every key
 * @key_len: its length
 * @pos: gets the position
 *
 * Context: Any context; the caller keeps writers out.
 * Return: 0, or -ENOENT when every key is smaller.
 */
int cesium_index_seek(const struct cesium_index *idx, const u8 *key,
		      u32 key_len, struct cesium_index_pos *pos)
{
	bool found;
	u32 i;

	if (!key_len)
		return cesium_index_first(idx, pos);
	if (!idx->nr_segs)
		return -ENOENT;
	i = cesium_find_seg(idx, key, key_len);
	pos->seg = i;
	pos->slot = seg_lower(idx->fence[i].seg, key, key_len, &found);
	if (pos->slot < seg_count(idx->fence[i].seg))
		return 0;
	if (i + 1 == idx->nr_segs)
		return -ENOENT;
	pos->seg = i + 1;
	pos->slot = 0;
	return 0;
}

/**
 * cesium_index_seek_last() - position at the last entry
 * @idx: the index
 * @pos: gets the position
 *
 * Context: Any context; the caller keeps writers out.
 * Return: 0, or -ENOENT for an empty index.
 */
int cesium_index_seek_last(const struct cesium_index *idx,
			   struct cesium_index_pos *pos)
{
	if (!idx->nr_segs)
		return -ENOENT;
	pos->seg = idx->nr_segs - 1;
	pos->slot = seg_count(idx->fence[pos->seg].seg) - 1;
	return 0;
}

/**
 * cesium_index_first() - position at the first entry
 * @idx: the index
 * @pos: gets the position
 *
 * Context: Any context; the caller keeps writers out.
 * Return: 0, or -ENOENT for an empty index.
 */
int cesium_index_first(const struct cesium_index *idx,
		       struct cesium_index_pos *pos)
{
	if (!idx->nr_segs)
		return -ENOENT;
	pos->seg = 0;
	pos->slot = 0;
	return 0;
}

static bool cesium_pos_valid(const struct cesium_index *idx,
			     const struct cesium_index_pos *pos)
{
	return !WARN_ON_ONCE(pos->seg >= idx->nr_segs ||
			     pos->slot >= seg_count(idx->fence[pos->seg].seg));
}

/**
 * cesium_index_next() - step to the next entry
 * @idx: the index
 * @pos: a valid position, moved forward
 *
 * Context: Any context; the caller keeps writers out.
 * Return: 0, or -ENOENT at the end (@pos is left as it was).
 */
int cesium_index_next(const struct cesium_index *idx,
		      struct cesium_index_pos *pos)
{
	if (!cesium_pos_valid(idx, pos))
		return -ENOENT;
	if (pos->slot + 1 < seg_count(idx->fence[pos->seg].seg)) {
		pos->slot++;
		return 0;
	}
	if (pos->seg + 1 >= idx->nr_segs)
		return -ENOENT;
	pos->seg++;
	pos->slot = 0;
	return 0;
}

/**
 * cesium_index_prev() - step to the previous entry
 * @idx: the index
 * @pos: a valid position, moved backward
 *
 * Context: Any context; the caller keeps writers out.
 * Return: 0, or -ENOENT at the start (@pos is left as it was).
 */
int cesium_index_prev(const struct cesium_index *idx,
		      struct cesium_index_pos *pos)
{
	if (!cesium_pos_valid(idx, pos))
		return -ENOENT;
	if (pos->slot) {
		pos->slot--;
		return 0;
	}
	if (!pos->seg)
		return -ENOENT;
	pos->seg--;
	pos->slot = seg_count(idx->fence[pos->seg].seg) - 1;
	return 0;
}

/**
 * cesium_index_entry() - the entry at a position
 * @idx: the index
 * @pos: a valid position
 * @key: gets a pointer to the key, into the segment (with @key_len, may
 *	be NULL when only the value is wanted)
 * @key_len: gets its length
 * @v: gets the value, as cesium_index_lookup() gives it (may be NULL)
 *
 * The pointers stay valid only while the caller keeps writers out. An
 * invalid @pos (a bug in the caller) warns and gives an empty key.
 *
 * Context: Any context; the caller keeps writers out.
 */
void cesium_index_entry(const struct cesium_index *idx,
			const struct cesium_index_pos *pos,
			const u8 **key, u32 *key_len, struct cesium_vref *v)
{
	if (!cesium_pos_valid(idx, pos)) {
		if (key) {
			*key = NULL;
			*key_len = 0;
		}
		if (v)
			memset(v, 0, sizeof(*v));
		return;
	}
	cesium_entry_decode(seg_entry(idx->fence[pos->seg].seg, pos->slot),
			    key, key_len, v);
}

/* Lockless lookups */

/* Entry @i of @s, of @count: NULL when what is read does not add up. */
static const u8 *seg_entry_rcu(const struct cesium_seg *s, u32 seg_bytes,
			       u32 count, u32 i, u32 *key_len)
{
	u32 off = le16_to_cpu(READ_ONCE(s->slot[i]));
	const u8 *e;

	if (off < CESIUM_SEG_HDR_BYTES + count * CESIUM_SLOT_BYTES ||
	    off + 2 > seg_bytes)
		return NULL;
	e = (const u8 *)s + off;
	*key_len = READ_ONCE(e[0]);
	if (!*key_len || off + 1 + *key_len + 1 > seg_bytes)
		return NULL;
	return e;
}

/* The entries of @s, or 0 when its header does not add up. */
static u32 seg_count_rcu(const struct cesium_seg *s, u32 seg_bytes)
{
	u32 count = le16_to_cpu(READ_ONCE(s->count));

	return count <= (seg_bytes - CESIUM_SEG_HDR_BYTES) / CESIUM_SLOT_BYTES ?
	       count : 0;
}

/*
 * cesium_entry_decode() within [@e, @end), for an entry whose key length
 * @key_len was read already: -EAGAIN when it does not fit. Each byte is
 * read once and checked as read, since a writer may change it meanwhile
 * (reading the tag twice once let a changed one through the check).
 */
static int cesium_entry_decode_rcu(const u8 *e, u32 key_len, const u8 *end,
				   struct cesium_vref *v)
{
	const u8 *p = e + 1 + key_len;
	u32 tag = READ_ONCE(*p);
	u32 n = tag & CESIUM_TAG_N_MASK, i;

	p++;
	v->kind = tag >> CESIUM_TAG_SHIFT;
	if (v->kind == CESIUM_V_LOG) {
		if (n > 4 || p + n + CESIUM_ADDR_BYTES > end)
			return -EAGAIN;
		v->len = 0;
		for (i = 0; i < n; i++)
			v->len |= (u32)READ_ONCE(p[i]) << (8 * i);
		p += n;
		v->addr = get_unaligned_le32(p) |
			  (u64)get_unaligned_le16(p + 4) << 32;
		v->data = NULL;
		return 0;
	}
	if (v->kind != CESIUM_V_INLINE)
		return -EAGAIN;
	if (n == CESIUM_INL_N_EXT1) {
		if (p + 1 > end)
			return -EAGAIN;
		n += READ_ONCE(*p);
		p++;
	} else if (n == CESIUM_INL_N_EXT2) {
		if (p + 2 > end)
			return -EAGAIN;
		n = get_unaligned_le16(p);
		p += 2;
	}
	if (p + n > end)
		return -EAGAIN;
	v->len = n;
	v->addr = 0;
	v->data = p;
	return 0;
}

/*
 * cesium_fence_upper() under RCU, over @nr slots of @pub: -EAGAIN when a
 * slot read does not add up.
 */
static int cesium_fence_upper_rcu(const struct cesium_fence_pub *pub, u32 nr,
				  u32 seg_bytes, const u8 *key, u32 key_len,
				  u32 *upper)
{
	u64 prefix = cesium_key_prefix(key, key_len);
	const struct cesium_seg *s;
	u32 lo = 0, hi = nr, count, klen;
	const u8 *e;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		u64 fp = READ_ONCE(pub->fence[mid].prefix);
		bool below;

		if (prefix != fp) {
			below = prefix < fp;
		} else {
			/* Pairs with cesium_fence_splice()'s release. */
			s = smp_load_acquire(&pub->fence[mid].seg);
			count = s ? seg_count_rcu(s, seg_bytes) : 0;
			e = count ? seg_entry_rcu(s, seg_bytes, count, 0, &klen) :
				    NULL;
			if (!e)
				return -EAGAIN;
			below = cesium_key_cmp(e + 1, klen, key, key_len) > 0;
		}
		if (below)
			hi = mid;
		else
			lo = mid + 1;
	}
	*upper = lo;
	return 0;
}

/*
 * seg_lower() under RCU over the @count entries of @s: the first entry
 * >= key in *@pos, whether it equals key in *@found; -EAGAIN when an entry
 * read does not add up.
 */
static int seg_lower_rcu(const struct cesium_seg *s, u32 seg_bytes, u32 count,
			 const u8 *key, u32 key_len, u32 *pos, bool *found)
{
	u32 lo = 0, hi = count, klen;
	const u8 *e;
	int c;

	*found = false;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		e = seg_entry_rcu(s, seg_bytes, count, mid, &klen);
		if (!e)
			return -EAGAIN;
		c = cesium_key_cmp(e + 1, klen, key, key_len);
		if (c < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
			if (!c)
				*found = true;
		}
	}
	*pos = lo;
	return 0;
}

/*
 * Segment @i of @pub and its entry count under RCU: NULL when the slot is
 * empty or the segment's header does not add up (a writer is at work).
 */
static const struct cesium_seg *seg_get_rcu(const struct cesium_fence_pub *pub,
					    u32 i, u32 seg_bytes, u32 *count)
{
	/* The segment's bytes after it: pairs with cesium_fence_splice(). */
	const struct cesium_seg *s = smp_load_acquire(&pub->fence[i].seg);

	*count = s ? seg_count_rcu(s, seg_bytes) : 0;
	return *count ? s : NULL;
}

/**
 * cesium_index_lookup_rcu() - find a key while writers may be at work
 * @idx: the index
 * @key: the key
 * @key_len: its length
 * @out: gets the value; an inline one is copied to @buf (@out->data NULL)
 * @buf: room for an inline value
 * @buf_len: its size
 *
 * For readers that take no lock: the caller is in an RCU read-side
 * critical section, so no segment or fence vector it reaches is freed
 * under it, and checks afterwards (a sequence count the writers bump)
 * that no writer ran meanwhile; if one did, the result means nothing and
 * the lookup is repeated. Whatever a concurrent writer leaves half done,
 * every read stays inside the segment or vector it is in.
 *
 * Context: rcu_read_lock() held.
 * Return: 0; -ENOENT; -EOVERFLOW when an inline value is longer than
 * @buf_len (@out->len is set); -EAGAIN when what was read does not add up
 * (a writer is at work: try again).
 */
int cesium_index_lookup_rcu(const struct cesium_index *idx, const u8 *key,
			    u32 key_len, struct cesium_vref *out, void *buf,
			    u32 buf_len)
{
	const struct cesium_fence_pub *pub = rcu_dereference(idx->pub);
	u32 seg_bytes = idx->seg_bytes;
	const struct cesium_seg *s;
	u32 n, pos, count, klen;
	const u8 *e;
	bool found;
	int ret;

	if (cesium_check_key(key, key_len))
		return -ENOENT;
	if (!pub)
		return -ENOENT;
	ret = cesium_fence_upper_rcu(pub, min(READ_ONCE(idx->nr_segs), pub->cap),
				     seg_bytes, key, key_len, &n);
	if (ret)
		return ret;
	if (!n)
		return -ENOENT;
	s = seg_get_rcu(pub, n - 1, seg_bytes, &count);
	if (!s)
		return -EAGAIN;
	ret = seg_lower_rcu(s, seg_bytes, count, key, key_len, &pos, &found);
	if (ret)
		return ret;
	if (!found)
		return -ENOENT;
	e = seg_entry_rcu(s, seg_bytes, count, pos, &klen);
	if (!e || cesium_entry_decode_rcu(e, klen, (const u8 *)s + seg_bytes,
					  out))
		return -EAGAIN;
	if (out->kind == CESIUM_V_INLINE) {
		if (out->len > buf_len)
			return -EOVERFLOW;
		if (out->len)
			memcpy(buf, out->data, out->len);
		out->data = NULL;
	}
	return 0;
}

/*
 * Where a lockless walk starts: segment *@i and slot *@slot of the first
 * entry >= @from (forward) or the last < @from (reverse); @from_len 0 is
 * the first or the last entry. 1 when there is no such entry.
 */
static int cesium_walk_start_rcu(const struct cesium_fence_pub *pub, u32 nr,
				 u32 seg_bytes, const u8 *from, u32 from_len,
				 bool reverse, u32 *i, u32 *slot,
				 const struct cesium_seg **s, u32 *count)
{
	bool found;
	int ret;

	if (!from_len) {
		*i = reverse ? nr - 1 : 0;
		*s = seg_get_rcu(pub, *i, seg_bytes, count);
		if (!*s)
			return -EAGAIN;
		*slot = reverse ? *count - 1 : 0;
		return 0;
	}
	ret = cesium_fence_upper_rcu(pub, nr, seg_bytes, from, from_len, i);
	if (ret)
		return ret;
	if (!*i) {
		/* Every key is above @from. */
		if (reverse)
			return 1;
		*s = seg_get_rcu(pub, 0, seg_bytes, count);
		*slot = 0;
		return *s ? 0 : -EAGAIN;
	}
	(*i)--;
	*s = seg_get_rcu(pub, *i, seg_bytes, count);
	if (!*s)
		return -EAGAIN;
	ret = seg_lower_rcu(*s, seg_bytes, *count, from, from_len, slot,
			    &found);
	if (ret)
		return ret;
	/*
	 * In reverse, the entry before: slot 0 steps to U32_MAX, which the
	 * walk takes as before the segment, as it takes the segment's count
	 * going forward, and steps to the neighbour.
	 */
	if (reverse)
		(*slot)--;
	return 0;
}

/**
 * cesium_index_walk_rcu() - visit entries in order while writers may be at
 *	work
 * @idx: the index
 * @from: where to start: forward, at the first key >= @from; in reverse,
 *	at the last key < @from
 * @from_len: its length; 0 starts at the first (or last) entry
 * @reverse: walk down instead of up
 * @visit: called for each entry in turn with its key and value (pointers
 *	into the segment, each within it; the bytes mean something only if
 *	the caller's sequence check passes afterwards); returns 0 to go on,
 *	anything else to stop the walk, which then returns it
 * @arg: passed to @visit
 *
 * As cesium_index_lookup_rcu(): for readers that take no lock, in an RCU
 * read-side critical section, which check a sequence count afterwards and
 * walk again if a writer ran meanwhile. Whatever a concurrent writer
 * leaves half done, every read stays inside the segment or vector it is
 * in, and the walk ends: it moves one slot or one segment at each step,
 * never back, bounded by the entry count it read for each segment and the
 * segment count it read at the start.
 *
 * Context: rcu_read_lock() held; @visit must not sleep.
 * Return: 0 at the end of the index, what @visit returned when it stopped
 * the walk, or -EAGAIN when what was read does not add up (a writer is at
 * work: try again).
 */
int cesium_index_walk_rcu(const struct cesium_index *idx, const u8 *from,
			  u32 from_len, bool reverse,
			  cesium_index_visit_t visit, void *arg)
{
	const struct cesium_fence_pub *pub = rcu_dereference(idx->pub);
	u32 seg_bytes = idx->seg_bytes;
	const struct cesium_seg *s;
	u32 nr, i, slot, count, klen;
	struct cesium_vref v;
	const u8 *e;
	int ret;

	if (!pub)
		return 0;
	nr = min(READ_ONCE(idx->nr_segs), pub->cap);
	if (!nr)
		return 0;
	ret = cesium_walk_start_rcu(pub, nr, seg_bytes, from, from_len,
				    reverse, &i, &slot, &s, &count);
	if (ret)
		return ret > 0 ? 0 : ret;
	for (;;) {
		if (slot >= count) {
			/* Forward past the end, or reverse before slot 0. */
			if (reverse ? !i : i + 1 >= nr)
				return 0;
			i += reverse ? -1 : 1;
			s = seg_get_rcu(pub, i, seg_bytes, &count);
			if (!s)
				return -EAGAIN;
			slot = reverse ? count - 1 : 0;
		}
		e = seg_entry_rcu(s, seg_bytes, count, slot, &klen);
		if (!e || cesium_entry_decode_rcu(e, klen,
						  (const u8 *)s + seg_bytes, &v))
			return -EAGAIN;
		ret = visit(arg, e + 1, klen, &v);
		if (ret)
			return ret;
		/* In reverse, slot 0 steps to U32_MAX, past any count. */
		slot += reverse ? -1 : 1;
	}
}

/* Checkpoints: segment images out and back in */

static int cesium_seg_validate(const struct cesium_index *idx,
			       const struct cesium_seg *s, u32 i, bool report,
			       const u8 **prev, u32 *prev_len);

/**
 * cesium_index_seg_disk() - where the last checkpoint wrote a segment
 * @idx: the index
 * @i: segment number, below cesium_index_nr_segments()
 *
 * Context: Any context; the caller keeps writers out.
 * Return: the device address of its copy, 0 if it changed since (dirty).
 */
u64 cesium_index_seg_disk(const struct cesium_index *idx, u32 i)
{
	u64 disk = le64_to_cpu(idx->fence[i].seg->disk);

	return disk & CESIUM_SEG_STALE ? 0 : disk;
}

/**
 * cesium_index_seg_copy() - a segment's last copy, even if it changed since
 * @idx: the index
 * @i: segment number, below cesium_index_nr_segments()
 *
 * That copy with the log since replayed over it is the segment, unless the
 * segment changed in a way replay cannot follow (a merge, a new first
 * key, a split, which makes new segments): then there is no copy.
 *
 * Context: Any context; the caller keeps writers out.
 * Return: the copy's device address, 0 if there is none.
 */
u64 cesium_index_seg_copy(const struct cesium_index *idx, u32 i)
{
	return seg_copy(idx->fence[i].seg);
}

/**
 * cesium_index_seg_image() - a segment's image, for a checkpoint to write
 * @idx: the index
 * @i: segment number, below cesium_index_nr_segments()
 * @buf: idx->seg_bytes bytes
 *
 * The image is the segment without its free gap: the header and the slots,
 * then the entries (a full segment is its own image). Slots keep their
 * offsets in the segment: an entry at offset off of a segment is at
 * off - (idx->seg_bytes - length) of its image. Random inserts leave
 * segments about 88% full, so this keeps a checkpoint of small values
 * near the size of the data. cesium_index_load_seg() puts the gap back.
 *
 * Context: Any context; the caller keeps writers out.
 * Return: the image's length.
 */
u32 cesium_index_seg_image(const struct cesium_index *idx, u32 i, void *buf)
{
	const struct cesium_seg *s = idx->fence[i].seg;
	u32 head = CESIUM_SEG_HDR_BYTES + seg_count(s) * CESIUM_SLOT_BYTES;
	u32 used = seg_used(s);

	memcpy(buf, s, head);
	/* an image never says where it is */
	((struct cesium_seg *)buf)->disk = 0;
	memcpy((u8 *)buf + head, (const u8 *)s + idx->seg_bytes - used, used);
	return head + used;
}

/**
 * cesium_index_seg_written() - a checkpoint wrote segment @i at @disk
 * @idx: the index
 * @i: segment number
 * @disk: the device address of its copy, not 0
 *
 * Context: the caller excludes writers.
 */
void cesium_index_seg_written(struct cesium_index *idx, u32 i, u64 disk)
{
	idx->fence[i].seg->disk = cpu_to_le64(disk);
}

/**
 * cesium_index_seg_release() - a copy of a segment at @disk is to be freed
 * @idx: the index
 * @img: the copy's image, as read back
 * @len: its length
 * @disk: its device address
 *
 * When the segment that holds the copy's first key still has its last
 * copy at @disk (stale or not), it forgets it and is dirty, so that the
 * next checkpoint writes it elsewhere (the log cleaner calls this for every
 * segment copy it passes over).
 *
 * Context: the caller excludes writers.
 * Return: true when the copy was in use.
 */
bool cesium_index_seg_release(struct cesium_index *idx, const void *img,
			      u32 len, u64 disk)
{
	const struct cesium_seg *s = img;
	u32 i, off, gap = idx->seg_bytes - len;
	const u8 *e;

	if (len > idx->seg_bytes || !idx->nr_segs || !disk ||
	    len < CESIUM_SEG_HDR_BYTES + CESIUM_SLOT_BYTES || !seg_count(s))
		return false;
	off = seg_slot(s, 0);
	if (off < gap)
		return false;
	off -= gap;
	if (off >= len - 1 || off + 1 + ((const u8 *)img)[off] > len)
		return false;
	e = (const u8 *)img + off;
	if (cesium_check_key(e + 1, e[0]))
		return false;
	i = cesium_find_seg(idx, e + 1, e[0]);
	if (seg_copy(idx->fence[i].seg) != disk)
		return false;
	seg_forget(idx->fence[i].seg);
	return true;
}

/**
 * cesium_index_seg_release_range() - the copies in [@start, @end) are lost
 * @idx: the index
 * @start: first device byte
 * @end: end, exclusive
 *
 * Every segment whose last copy is there forgets it and is dirty, so that
 * the next checkpoint writes it elsewhere (for a damaged stretch of log the
 * cleaner skips, whose copies it cannot read).
 *
 * Context: the caller excludes writers.
 * Return: the number of segments marked.
 */
u32 cesium_index_seg_release_range(struct cesium_index *idx, u64 start,
				   u64 end)
{
	u32 i, n = 0;

	for (i = 0; i < idx->nr_segs; i++) {
		u64 disk = seg_copy(idx->fence[i].seg);

		if (disk && disk >= start && disk < end) {
			seg_forget(idx->fence[i].seg);
			n++;
		}
	}
	return n;
}

/**
 * cesium_index_load_seg() - append a segment read back from a checkpoint
 * @idx: the index; segments come in key order
 * @img: the image (untrusted: checked completely), a whole segment or one
 *	without its gap (cesium_index_seg_image())
 * @len: its length
 * @disk: where it was read from (the segment starts clean)
 * @gfp: allocation flags
 *
 * Context: Process context, or any context that @gfp suits; the caller
 * excludes every other user of @idx.
 * Return: 0; -EUCLEAN when the image is malformed or its keys do not come
 * after the last key loaded; -ENOMEM.
 */
int cesium_index_load_seg(struct cesium_index *idx, const void *img, u32 len,
			  u64 disk, gfp_t gfp)
{
	const struct cesium_seg *is = img;
	const u8 *prev = NULL;
	u32 prev_len = 0, head;
	struct cesium_seg *s;
	int ret;

	/* A whole segment, or one without its gap (cesium_index_seg_image()). */
	if (len < CESIUM_SEG_HDR_BYTES || len > idx->seg_bytes)
		return -EUCLEAN;
	head = CESIUM_SEG_HDR_BYTES + seg_count(is) * CESIUM_SLOT_BYTES;
	if (head > len ||
	    (len != idx->seg_bytes && len != head + seg_used(is)))
		return -EUCLEAN;
	if (idx->nr_segs) {
		const struct cesium_seg *last = idx->fence[idx->nr_segs - 1].seg;
		const u8 *e = seg_entry(last, seg_count(last) - 1);

		prev = e + 1;
		prev_len = e[0];
	}
	s = kmalloc(idx->seg_bytes, gfp);
	if (!s)
		return -ENOMEM;
	memcpy(s, img, head);
	memset((u8 *)s + head, 0, idx->seg_bytes - len);
	memcpy((u8 *)s + head + idx->seg_bytes - len, (const u8 *)img + head,
	       len - head);
	ret = cesium_seg_validate(idx, s, idx->nr_segs, false, &prev,
				  &prev_len);
	if (!ret)
		ret = cesium_fence_reserve(idx, idx->nr_segs + 1, gfp);
	if (ret) {
		kfree(s);
		return ret;
	}
	s->disk = cpu_to_le64(disk);
	/* The segment's bytes before it: pairs with seg_get_rcu(). */
	smp_store_release(&idx->fence[idx->nr_segs].seg, s);
	cesium_fence_refresh(idx, idx->nr_segs);
	WRITE_ONCE(idx->nr_segs, idx->nr_segs + 1);
	idx->count += seg_count(s);
	return 0;
}

/**
 * cesium_index_nr_dirty() - segments changed since the last checkpoint
 * @idx: the index
 *
 * Context: Any context; the caller keeps writers out.
 */
u32 cesium_index_nr_dirty(const struct cesium_index *idx)
{
	u32 i, n = 0;

	for (i = 0; i < idx->nr_segs; i++)
		n += !cesium_index_seg_disk(idx, i);
	return n;
}

/**
 * cesium_index_nr_uncopied() - segments without a copy a checkpoint may name
 * @idx: the index
 *
 * Context: Any context; the caller keeps writers out.
 */
u32 cesium_index_nr_uncopied(const struct cesium_index *idx)
{
	u32 i, n = 0;

	for (i = 0; i < idx->nr_segs; i++)
		n += !seg_copy(idx->fence[i].seg);
	return n;
}

/* Checking segments: the debug check and images read back from a device. */

/*
 * Size of the entry at @e, which has @avail bytes up to where it must end,
 * or 0 when it is malformed or not in its canonical encoding.
 */
static u32 cesium_check_entry(const u8 *e, u32 avail)
{
	struct cesium_vref v;
	u32 klen, n, tag, bytes;

	if (avail < 2 || !e[0] || 1 + e[0] + 1 > avail)
		return 0;
	klen = e[0];
	tag = e[1 + klen];
	n = tag & CESIUM_TAG_N_MASK;
	switch (tag >> CESIUM_TAG_SHIFT) {
	case CESIUM_V_INLINE:
		bytes = 2 + klen + (n == CESIUM_INL_N_EXT1 ? 1 :
				    n == CESIUM_INL_N_EXT2 ? 2 : 0);
		break;
	case CESIUM_V_LOG:
		if (n > 4)
			return 0;
		bytes = 2 + klen + n + CESIUM_ADDR_BYTES;
		break;
	default:
		return 0;
	}
	if (bytes > avail)
		return 0;
	cesium_entry_decode(e, NULL, NULL, &v);
	if (v.kind == CESIUM_V_INLINE)
		bytes += v.len;
	/* canonical: decoding and encoding again gives the same size */
	if (bytes != avail || cesium_entry_bytes(klen, &v) != bytes)
		return 0;
	return bytes;
}

#define seg_complain(report, fmt, ...)				\
	do {							\
		if (report)					\
			pr_err("cesium index: " fmt, ##__VA_ARGS__);	\
	} while (0)

/*
 * Check segment @s (number @i, for messages when @report): header, slots,
 * entries, keys in order and above *@prev; an image read back (!@report)
 * has no disk address. Moves *@prev to its last key. 0 or -EUCLEAN.
 */
static int cesium_seg_validate(const struct cesium_index *idx,
			       const struct cesium_seg *s, u32 i, bool report,
			       const u8 **prev, u32 *prev_len)
{
	u32 count, end, k, bytes;
	const u8 *e;

	count = seg_count(s);
	if (le32_to_cpu(s->magic) != CESIUM_SEG_MAGIC || (!report && s->disk) ||
	    !count || seg_fill(s) > cesium_seg_room(idx)) {
		seg_complain(report, "segment %u: bad header (count %u used %u)\n",
			     i, count, seg_used(s));
		return -EUCLEAN;
	}
	end = idx->seg_bytes;
	for (k = 0; k < count; k++) {
		u32 off = seg_slot(s, k);

		if (off >= end ||
		    off < CESIUM_SEG_HDR_BYTES + count * CESIUM_SLOT_BYTES) {
			seg_complain(report, "segment %u slot %u: offset %u out of place\n",
				     i, k, off);
			return -EUCLEAN;
		}
		e = (const u8 *)s + off;
		bytes = cesium_check_entry(e, end - off);
		if (!bytes || bytes + CESIUM_SLOT_BYTES > idx->max_entry_bytes) {
			seg_complain(report, "segment %u slot %u: bad entry\n",
				     i, k);
			return -EUCLEAN;
		}
		if (*prev && cesium_key_cmp(*prev, *prev_len, e + 1, e[0]) >= 0) {
			seg_complain(report, "segment %u slot %u: key out of order\n",
				     i, k);
			return -EUCLEAN;
		}
		*prev = e + 1;
		*prev_len = e[0];
		end = off;
	}
	if (end != idx->seg_bytes - seg_used(s)) {
		seg_complain(report, "segment %u: entries do not fill used\n", i);
		return -EUCLEAN;
	}
	return 0;
}

#ifdef CESIUM_INDEX_DEBUG
static int cesium_check_seg(const struct cesium_index *idx, u32 i,
			    const u8 **prev, u32 *prev_len)
{
	const struct cesium_seg *s = idx->fence[i].seg;
	const u8 *e;
	int ret;

	if (!s) {
		pr_err("cesium index: segment %u missing\n", i);
		return -EUCLEAN;
	}
	ret = cesium_seg_validate(idx, s, i, true, prev, prev_len);
	if (ret)
		return ret;
	e = seg_entry(s, 0);
	if (idx->fence[i].prefix != cesium_key_prefix(e + 1, e[0])) {
		pr_err("cesium index: fence %u: stale prefix\n", i);
		return -EUCLEAN;
	}
	return 0;
}

/**
 * cesium_index_check() - verify every invariant of the index
 * @idx: the index
 *
 * Test builds only (CESIUM_INDEX_DEBUG, CESIUM_KUNIT).
 *
 * Context: Any context; the caller keeps writers out.
 * Return: 0, or -EUCLEAN after printing the first broken invariant.
 */
int cesium_index_check(const struct cesium_index *idx)
{
	const u8 *prev = NULL;
	u32 prev_len = 0, i;
	u64 count = 0;
	int ret;

	if (!is_power_of_2(idx->seg_bytes) ||
	    idx->seg_bytes < CESIUM_INDEX_SEG_BYTES_DEFAULT ||
	    idx->seg_bytes > CESIUM_INDEX_SEG_BYTES_MAX ||
	    idx->max_entry_bytes != cesium_seg_room(idx) / 2 ||
	    idx->nr_segs > idx->fence_cap || !idx->fence != !idx->fence_cap ||
	    (idx->fence_cap && (!is_power_of_2(idx->fence_cap) ||
				idx->fence_cap < CESIUM_FENCE_MIN))) {
		pr_err("cesium index: bad geometry (seg_bytes %u, %u of %u fences)\n",
		       idx->seg_bytes, idx->nr_segs, idx->fence_cap);
		return -EUCLEAN;
	}
	for (i = 0; i < idx->nr_segs; i++) {
		ret = cesium_check_seg(idx, i, &prev, &prev_len);
		if (ret)
			return ret;
		count += seg_count(idx->fence[i].seg);
	}
	if (count != idx->count) {
		pr_err("cesium index: count %llu, segments hold %llu\n",
		       idx->count, count);
		return -EUCLEAN;
	}
	return 0;
}
#endif /* CESIUM_INDEX_DEBUG */
