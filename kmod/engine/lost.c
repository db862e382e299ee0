// SPDX-License-Identifier: GPL-2.0
/*
 * Key ranges lost with damaged checkpoint segments.
 *
 * Attach loads every checkpointed segment that verifies (recover.c). A
 * segment that does not is never read: what it held is known only by its
 * neighbours, so its range is every key after the last key of the loaded
 * segment before it and before the first key of the loaded segment after
 * it, in its namespace (the MAP record says which), open at either end
 * when there is no such neighbour. One range per damaged segment; damaged
 * neighbours share their range.
 *
 * Inside a lost range the store knows the keys that have a value in the
 * index (loaded from sound segments, replayed from the log after the
 * checkpoint, or written since) and nothing else:
 *  - a get or exists of any other key there answers -EUCLEAN, since the key
 *    may have existed; so does a delete of it, and a put with no-overwrite
 *    or update-only (the precondition cannot be checked); a plain put works;
 *  - a scan returns the records before the first lost range it reaches and
 *    says that there are more; a call that reaches one before any record
 *    answers -EUCLEAN (scan.c);
 *  - the log cleaner and checkpoints stop (gc.c, ckpt.c): the checkpoint in
 *    force keeps naming the damaged segments, so every attach finds the
 *    same ranges again, and nothing the log still holds of their keys is
 *    freed.
 * They last until the user acknowledges them (sysfs lost_ranges,
 * cesium_store_lost_ack()): from then on the index as loaded is the
 * store's content, the next checkpoint writes it, and the cleaner resumes.
 *
 * Locking: the ranges are one immutable array, published (RCU) before the
 * store is handed out and replaced only by NULL, under maint_lock, when
 * acknowledged; readers take rcu_read_lock() and never sleep in it.
 */
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../io/backend.h"
#include "store_int.h"

struct cesium_lost {
	u32 nr;
	u32 cap;
	struct rcu_head rcu;
	struct cesium_lost_range r[];
};

static int cesium_lost_cmp(const u8 *a, u32 alen, const u8 *b, u32 blen)
{
	int c = memcmp(a, b, min(alen, blen));

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/**
 * cesium_lost_note() - recovery: a checkpointed segment did not verify.
 * @st:		the store, being attached; the segments before this one in
 *		its namespace are loaded.
 * @ns:		the namespace its MAP record names.
 * @seg_addr:	the address of its SEG record.
 *
 * The range starts after the last key loaded so far in @ns; where it ends
 * is known once every segment is loaded (cesium_lost_publish()).
 *
 * Context: process context, attach only.
 * Return: 0 or -ENOMEM.
 */
int cesium_lost_note(struct cesium_store *st, u64 ns, u64 seg_addr)
{
	struct cesium_lost *l = st->lost_build, *bigger;
	struct cesium_lost_range *r;
	struct cesium_index_pos pos;
	struct cesium_vref v;
	struct cesium_ns *n;
	const u8 *key;
	u32 key_len;

	if (!l || l->nr == l->cap) {
		u32 cap = l ? 2 * l->cap : 4;

		bigger = kvzalloc(struct_size(bigger, r, cap), GFP_KERNEL);
		if (!bigger)
			return -ENOMEM;
		if (l)
			memcpy(bigger->r, l->r, l->nr * sizeof(*l->r));
		bigger->nr = l ? l->nr : 0;
		bigger->cap = cap;
		kvfree(l);
		st->lost_build = l = bigger;
	}
	r = &l->r[l->nr++];
	memset(r, 0, sizeof(*r));
	r->ns = ns;
	r->seg_addr = seg_addr;
	n = cesium_ns_find(st, ns);
	if (n && !cesium_index_seek_last(&n->idx, &pos)) {
		cesium_index_entry(&n->idx, &pos, &key, &key_len, &v);
		r->lo_len = key_len;
		memcpy(r->lo, key, key_len);
	}
	return 0;
}

/* The first key of @n after @r's lower bound: where @r ends. */
static void cesium_lost_close(struct cesium_ns *n, struct cesium_lost_range *r)
{
	struct cesium_index_pos pos;
	struct cesium_vref v;
	const u8 *key;
	u32 key_len;
	int ret;

	if (!n)
		return;
	ret = cesium_index_seek(&n->idx, r->lo, r->lo_len, &pos);
	if (!ret && r->lo_len) {
		cesium_index_entry(&n->idx, &pos, &key, &key_len, &v);
		if (!cesium_lost_cmp(key, key_len, r->lo, r->lo_len))
			ret = cesium_index_next(&n->idx, &pos);
	}
	if (ret)
		return;
	cesium_index_entry(&n->idx, &pos, &key, &key_len, &v);
	r->hi_len = key_len;
	memcpy(r->hi, key, key_len);
}

/**
 * cesium_key_escape() - a key as printable text.
 * @dst:	receives it, NUL-terminated; CESIUM_KEY_TEXT_MAX bytes.
 * @key:	the key.
 * @len:	its length.
 *
 * Printable ASCII but for backslash and space stays, every other byte
 * becomes \xNN (the escapes of cesiumctl's line format).
 *
 * Return: @dst.
 */
char *cesium_key_escape(char *dst, const u8 *key, u32 len)
{
	static const char hex[] = "0123456789abcdef";
	char *p = dst;
	u32 i;

	for (i = 0; i < len && i < CESIUM_STORE_KEY_MAX; i++) {
		if (key[i] > ' ' && key[i] < 0x7f && key[i] != '\\') {
			*p++ = key[i];
			continue;
		}
		*p++ = '\\';
		*p++ = 'x';
		*p++ = hex[key[i] >> 4];
		*p++ = hex[key[i] & 15];
	}
	*p = '\0';
	return dst;
}

/**
 * cesium_lost_publish() - recovery: the checkpoint is loaded; end every
 * range, report it and make the ranges visible, before the log is replayed.
 * @st:		the store, being attached.
 *
 * Context: process context, attach only.
 * Return: 0 or -ENOMEM.
 */
int cesium_lost_publish(struct cesium_store *st)
{
	struct cesium_lost *l = st->lost_build;
	char *lo, *hi;
	u32 i;

	if (!l)
		return 0;
	lo = kmalloc(2 * CESIUM_KEY_TEXT_MAX, GFP_KERNEL);
	if (!lo)
		return -ENOMEM;
	hi = lo + CESIUM_KEY_TEXT_MAX;
	for (i = 0; i < l->nr; i++) {
		struct cesium_lost_range *r = &l->r[i];

		cesium_lost_close(cesium_ns_find(st, r->ns), r);
		pr_err("cesium %s: checkpoint segment at byte %llu is damaged: namespace %llu loses its keys after %s%s%s and before %s%s%s\n",
		       st->be->name, r->seg_addr, r->ns,
		       r->lo_len ? "\"" : "", r->lo_len ?
		       cesium_key_escape(lo, r->lo, r->lo_len) : "the start",
		       r->lo_len ? "\"" : "",
		       r->hi_len ? "\"" : "", r->hi_len ?
		       cesium_key_escape(hi, r->hi, r->hi_len) : "the end",
		       r->hi_len ? "\"" : "");
	}
	kfree(lo);
	pr_warn("cesium %s: %u checkpoint segments lost: checkpoints and the log cleaner stop until they are acknowledged (sysfs lost_ranges)\n",
		st->be->name, l->nr);
	st->damaged_segments = l->nr;
	st->lost_build = NULL;
	rcu_assign_pointer(st->lost, l);
	return 0;
}

/**
 * cesium_lost_free() - free the ranges of a store no one uses any more.
 * @st:		the store.
 */
void cesium_lost_free(struct cesium_store *st)
{
	kvfree(st->lost_build);
	st->lost_build = NULL;
	kvfree(rcu_dereference_protected(st->lost, 1));
	RCU_INIT_POINTER(st->lost, NULL);
}

/**
 * cesium_lost_meets() - may keys between two bounds be lost?
 * @st:		the store.
 * @ns:		namespace.
 * @lo:		lower bound (inclusive or not: the answer is the same);
 *		@lo_len 0 for none.
 * @lo_len:	its length.
 * @hi:		upper bound, likewise.
 * @hi_len:	its length.
 *
 * A lost range (a, b) meets [lo, hi] when a < hi and lo < b. This errs on
 * the side of yes when the two share no key that can exist.
 *
 * Context: any context; takes rcu_read_lock().
 */
bool cesium_lost_meets(struct cesium_store *st, u64 ns, const u8 *lo,
		       u32 lo_len, const u8 *hi, u32 hi_len)
{
	const struct cesium_lost_range *r;
	const struct cesium_lost *l;
	bool found = false;
	u32 i;

	if (!rcu_access_pointer(st->lost))
		return false;
	rcu_read_lock();
	l = rcu_dereference(st->lost);
	for (i = 0; l && !found && i < l->nr; i++) {
		r = &l->r[i];
		found = r->ns == ns &&
			(!hi_len || !r->lo_len ||
			 cesium_lost_cmp(r->lo, r->lo_len, hi, hi_len) < 0) &&
			(!lo_len || !r->hi_len ||
			 cesium_lost_cmp(lo, lo_len, r->hi, r->hi_len) < 0);
	}
	rcu_read_unlock();
	return found;
}

/**
 * cesium_lost_has() - is @key in a lost range of namespace @ns?
 * @st:		the store.
 * @ns:		namespace.
 * @key:	key, 1 byte or longer.
 * @key_len:	its length.
 *
 * Context: any context; takes rcu_read_lock().
 */
bool cesium_lost_has(struct cesium_store *st, u64 ns, const u8 *key,
		     u32 key_len)
{
	return cesium_lost_meets(st, ns, key, key_len, key, key_len);
}

/**
 * cesium_store_lost() - are there lost ranges not yet acknowledged?
 * @st:		the store.
 */
bool cesium_store_lost(struct cesium_store *st)
{
	return rcu_access_pointer(st->lost);
}

/**
 * cesium_store_lost_range() - a copy of lost range @i.
 * @st:		the store.
 * @i:		which, from 0.
 * @out:	receives it.
 *
 * Context: any context.
 * Return: 0, or -ENOENT past the last one.
 */
int cesium_store_lost_range(struct cesium_store *st, u32 i,
			    struct cesium_lost_range *out)
{
	const struct cesium_lost *l;
	int ret = -ENOENT;

	rcu_read_lock();
	l = rcu_dereference(st->lost);
	if (l && i < l->nr) {
		*out = l->r[i];
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}

/**
 * cesium_store_lost_ack() - the user acknowledges the lost ranges: the
 * index as loaded becomes the store's content.
 * @st:		the store.
 *
 * Checkpoints and the cleaner resume; the next checkpoint no longer names
 * the damaged segments, and a later attach reads their keys as absent.
 *
 * Context: process context, may sleep; takes maint_lock.
 */
void cesium_store_lost_ack(struct cesium_store *st)
{
	struct cesium_lost *l;

	mutex_lock(&st->maint_lock);
	l = rcu_dereference_protected(st->lost,
				      lockdep_is_held(&st->maint_lock));
	RCU_INIT_POINTER(st->lost, NULL);
	mutex_unlock(&st->maint_lock);
	if (!l)
		return;
	pr_warn("cesium %s: %u lost checkpoint segments acknowledged: their keys are gone; checkpoints and the log cleaner resume\n",
		st->be->name, l->nr);
	kvfree_rcu(l, rcu);
	cesium_maint_kick(st);
}
