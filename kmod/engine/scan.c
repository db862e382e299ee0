// SPDX-License-Identifier: GPL-2.0
/*
 * Range scans. The records of the range are collected in one index_lock
 * read section, so one call sees one state of its range: keys and inline
 * values are copied there and then; values in the log are noted and read
 * after the lock is dropped (a written record never changes).
 *
 * A scan never passes a range lost with a damaged checkpoint segment
 * (lost.c) silently: it returns the records before the first one it
 * reaches, with "more" set, and the call that goes on from there (or one
 * that reaches a lost range before any record) answers -EUCLEAN. Keys the
 * index holds inside a lost range are not returned by scans; gets find
 * them. A caller can go on past the range from its upper bound (sysfs
 * lost_ranges), or acknowledge the loss.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../io/backend.h"
#include "store_int.h"

/* A scan whose values keep changing length under it gives up: -EAGAIN. */
#define CESIUM_SCAN_RETRIES	4

/* A value to read from the log once the index lock is dropped. */
struct cesium_scan_fetch {
	struct cesium_vref v;
	u32 key_off;
	u32 key_len;
	u32 val_off;
};

struct cesium_scan_state {
	struct cesium_scan_args *a;
	struct cesium_scan_fetch *fetch;
	u32 nr_fetch;
	u32 fetch_cap;
	u64 cache_gen;		/* taken with the collection */
};

static int cesium_key_cmp(const u8 *a, u32 alen, const u8 *b, u32 blen)
{
	int c = memcmp(a, b, min(alen, blen));

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Place the walk on its first record; -ENOENT when the range is empty. */
static int cesium_scan_first(const struct cesium_index *idx,
			     const struct cesium_scan_args *a,
			     struct cesium_index_pos *pos)
{
	struct cesium_vref v;
	const u8 *key;
	u32 klen;
	int ret;

	if (a->flags & CESIUM_ST_SCAN_REVERSE) {
		if (!a->end_len)
			return cesium_index_seek_last(idx, pos);
		ret = cesium_index_seek(idx, a->end, a->end_len, pos);
		if (ret == -ENOENT)
			return cesium_index_seek_last(idx, pos);
		return ret ? ret : cesium_index_prev(idx, pos);
	}
	if (!a->start_len)
		return cesium_index_first(idx, pos);
	ret = cesium_index_seek(idx, a->start, a->start_len, pos);
	if (ret || !(a->flags & CESIUM_ST_SCAN_START_EXCL))
		return ret;
	cesium_index_entry(idx, pos, &key, &klen, &v);
	if (!cesium_key_cmp(key, klen, a->start, a->start_len))
		return cesium_index_next(idx, pos);
	return 0;
}

static bool cesium_scan_in_range(const struct cesium_scan_args *a,
				 const u8 *key, u32 klen)
{
	int c;

	if (a->end_len && cesium_key_cmp(key, klen, a->end, a->end_len) >= 0)
		return false;
	if (!a->start_len)
		return true;
	c = cesium_key_cmp(key, klen, a->start, a->start_len);
	return c > 0 || (!c && !(a->flags & CESIUM_ST_SCAN_START_EXCL));
}

static int cesium_scan_note_fetch(struct cesium_scan_state *s,
				  const struct cesium_vref *v, u32 key_off,
				  u32 key_len, u32 val_off)
{
	struct cesium_scan_fetch *f;

	if (s->nr_fetch == s->fetch_cap) {
		u32 cap = max_t(u32, 16, s->fetch_cap * 2);

		f = kvmalloc_array(cap, sizeof(*f), GFP_KERNEL);
		if (!f)
			return -ENOMEM;
		if (s->nr_fetch)
			memcpy(f, s->fetch, s->nr_fetch * sizeof(*f));
		kvfree(s->fetch);
		s->fetch = f;
		s->fetch_cap = cap;
	}
	f = &s->fetch[s->nr_fetch++];
	f->v = *v;
	f->key_off = key_off;
	f->key_len = key_len;
	f->val_off = val_off;
	return 0;
}

/*
 * Append one record to the output. Returns 1 when it does not fit (the
 * walk stops there), 0 when appended, or a negative errno.
 */
static int cesium_scan_emit(struct cesium_scan_state *s, const u8 *key,
			    u32 klen, const struct cesium_vref *v)
{
	struct cesium_scan_args *a = s->a;
	bool keys_only = a->flags & CESIUM_ST_SCAN_KEYS_ONLY;
	u32 vlen = keys_only ? 0 : v->len;
	u32 need = round_up(sizeof(struct cesium_scan_out_rec) + klen + vlen, 8);
	struct cesium_scan_out_rec *r;
	u8 *p;
	int ret;

	if (a->bytes + need > a->buf_len) {
		if (!a->nr)
			a->bytes = need;
		return 1;
	}
	p = (u8 *)a->buf + a->bytes;
	r = (struct cesium_scan_out_rec *)p;
	r->key_len = klen;
	r->value_len = vlen;
	p += sizeof(*r);
	memcpy(p, key, klen);
	if (vlen && v->kind == CESIUM_V_INLINE) {
		memcpy(p + klen, v->data, vlen);
	} else if (vlen) {
		ret = cesium_scan_note_fetch(s, v, p - (u8 *)a->buf, klen,
					     p + klen - (u8 *)a->buf);
		if (ret)
			return ret;
	}
	memset(p + klen + vlen, 0, need - sizeof(*r) - klen - vlen);
	a->bytes += need;
	a->nr++;
	return 0;
}

/*
 * May keys of a lost range (lost.c) lie between @from, where the walk was,
 * and @to, where it goes (each 0 bytes long for the range's open end)?
 */
static bool cesium_scan_meets_lost(struct cesium_store *st,
				   const struct cesium_scan_args *a,
				   const u8 *from, u32 from_len,
				   const u8 *to, u32 to_len)
{
	if (a->flags & CESIUM_ST_SCAN_REVERSE)
		return cesium_lost_meets(st, a->ns, to, to_len, from, from_len);
	return cesium_lost_meets(st, a->ns, from, from_len, to, to_len);
}

/*
 * The walk reached a lost range: the records before it are the answer,
 * and the range has more; a call that reached it first cannot answer.
 */
static int cesium_scan_lost(struct cesium_scan_args *a)
{
	if (!a->nr)
		return -EUCLEAN;
	a->more = true;
	return 0;
}

static int cesium_scan_collect(struct cesium_store *st,
			       struct cesium_scan_state *s)
{
	struct cesium_scan_args *a = s->a;
	bool reverse = a->flags & CESIUM_ST_SCAN_REVERSE;
	const u8 *prev = reverse ? a->end : a->start;
	u32 prev_len = reverse ? a->end_len : a->start_len;
	const u8 *stop = reverse ? a->start : a->end;
	u32 stop_len = reverse ? a->start_len : a->end_len;
	struct cesium_index_pos pos;
	struct cesium_vref v;
	struct cesium_ns *ns;
	const u8 *key;
	u32 klen;
	int ret;

	ns = cesium_ns_find(st, a->ns);
	if (!ns)
		goto end;
	for (ret = cesium_scan_first(&ns->idx, a, &pos); !ret;
	     ret = reverse ? cesium_index_prev(&ns->idx, &pos) :
			     cesium_index_next(&ns->idx, &pos)) {
		cesium_index_entry(&ns->idx, &pos, &key, &klen, &v);
		if (!cesium_scan_in_range(a, key, klen))
			goto end;
		if (a->limit && a->nr == a->limit) {
			a->more = true;
			return 0;
		}
		if (cesium_scan_meets_lost(st, a, prev, prev_len, key, klen))
			return cesium_scan_lost(a);
		ret = cesium_scan_emit(s, key, klen, &v);
		if (ret < 0)
			return ret;
		if (ret) {
			a->more = true;
			return a->nr ? 0 : -EOVERFLOW;
		}
		prev = key;
		prev_len = klen;
	}
	if (ret != -ENOENT)
		return ret;
end:
	/* No record is left in the range: is the rest of it lost? */
	if (cesium_scan_meets_lost(st, a, prev, prev_len, stop, stop_len))
		return cesium_scan_lost(a);
	return 0;
}

/**
 * cesium_store_scan() - the records of a key range, in key order.
 * @st:		the store.
 * @a:		the range and the output buffer; receives nr, bytes, more.
 *
 * Context: process context, may sleep.
 * Return: 0; -EOVERFLOW when the first record does not fit (a->bytes is
 * its size); -EINVAL/-E2BIG for bad bounds; -EUCLEAN or -EIO when a value
 * cannot be read from the log; -EUCLEAN when the walk reaches a lost range
 * before any record; -ENOMEM.
 */
int cesium_store_scan(struct cesium_store *st, struct cesium_scan_args *a)
{
	struct cesium_scan_state s = { .a = a };
	u32 i, tries = 0;
	int ret;

	if ((a->start_len && cesium_check_key(a->start_len)) ||
	    (a->end_len && cesium_check_key(a->end_len)))
		return -E2BIG;
	if (cesium_check_readable(st))
		return -EIO;
	a->nr = 0;
	a->bytes = 0;
	a->more = false;
	atomic64_inc(&st->scans);

again:
	down_read(&st->index_lock);
	s.cache_gen = cesium_cache_gen(st->cache);
	ret = cesium_scan_collect(st, &s);
	up_read(&st->index_lock);

	for (i = 0; !ret && i < s.nr_fetch; i++) {
		struct cesium_scan_fetch *f = &s.fetch[i];
		u32 len = f->v.len;

		ret = cesium_read_record(st, a->ns, (u8 *)a->buf + f->key_off,
					 f->key_len, &f->v,
					 (u8 *)a->buf + f->val_off, len,
					 s.cache_gen);
		if ((ret && ret != -EOVERFLOW) || f->v.len == len)
			continue;
		/* Overwritten since collected, with another length: redo. */
		ret = -EAGAIN;
		if (++tries < CESIUM_SCAN_RETRIES) {
			kvfree(s.fetch);
			memset(&s, 0, sizeof(s));
			s.a = a;
			a->nr = 0;
			a->bytes = 0;
			a->more = false;
			goto again;
		}
	}
	kvfree(s.fetch);
	if (!ret)
		atomic64_add(a->bytes, &st->bytes_out);
	return ret;
}
