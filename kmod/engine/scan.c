// SPDX-License-Identifier: GPL-2.0
/*
 * Range scans, in two phases.
 *
 * Collection takes no lock. Under rcu_read_lock() it walks the range with
 * cesium_index_walk_rcu() in whatever state the index is in (segments,
 * fence vectors and namespace vectors are freed only after a grace period,
 * and every read of a segment is bounds-checked), copies keys and inline
 * values into the output, which is kernel memory (nothing faults), and
 * notes the values that live in the log. It keeps the result only if
 * index_seq did not move meanwhile (no writer ran: one call sees one state
 * of its range); else everything that walk wrote is dropped and the walk
 * is made again. After CESIUM_LOOKUP_TRIES walks that writers spoiled, the
 * scan walks under index_lock (read), so it never starves. Nothing in the
 * walk sleeps or allocates: when the array of values to fetch is full, the
 * walk stops, the array grows outside the read section, and the walk is
 * made again.
 *
 * Fetching takes no lock either (a written record never changes; the
 * cleaner moves keys, which the checks below notice). Values in the
 * hot-item cache are copied from it, values in the pending batch from
 * there; the others are read from the device all at once: sorted by
 * address, the block spans that touch or overlap are merged into one read
 * (up to CESIUM_SCAN_READ_MAX bytes), and every read is started with
 * cesium_be_read_async(). When the last one has ended, each record is
 * checked as cesium_read_record() checks it: a record that is not this
 * key's put is looked up again (moved by the cleaner: read again where it
 * is now, waiting; still pointed at: damage, -EUCLEAN). A value that went
 * away or changed length sends the scan round again, waiting, up to
 * CESIUM_SCAN_RETRIES collections.
 *
 * cesium_store_scan() waits for the reads. For io_uring, which must not
 * (scan_async.h), the same scan is cut where it would:
 * cesium_scan_async_start() collects, fetches and starts the reads and
 * returns -EIOCBQUEUED; the end_io of the last read (any context) calls
 * the caller's done(), and the caller, back in process context, calls
 * cesium_scan_async_finish(), which checks the records (and retries,
 * waiting, as above), then cesium_scan_async_end(), which counts the scan.
 * The state between the halves (struct cesium_scan_state) is allocated by
 * start and holds the fetches and the read buffers until the end.
 *
 * A scan never passes a range lost with a damaged checkpoint segment
 * (lost.c) silently: it returns the records before the first one it
 * reaches, with "more" set, and the call that goes on from there (or one
 * that reaches a lost range before any record) answers -EUCLEAN. Keys the
 * index holds inside a lost range are not returned by scans; gets find
 * them. A caller can go on past the range from its upper bound (sysfs
 * lost_ranges), or acknowledge the loss.
 */
#include <linux/completion.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/processor.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "../io/backend.h"
#include "scan_async.h"
#include "store_int.h"

/* A scan whose values keep changing length under it gives up: -EAGAIN. */
#define CESIUM_SCAN_RETRIES	4
/* Block spans are merged into reads of at most this many bytes. */
#define CESIUM_SCAN_READ_MAX	(128 * 1024)
/* Most fetches a scan makes room for before it finds them. */
#define CESIUM_SCAN_FETCH_GUESS	1024
/* Read buffers up to this size come from kmalloc, larger from vmalloc. */
#define CESIUM_SCAN_KMALLOC_MAX	(32 * 1024)

/* A value to read from the log once the index is left. */
struct cesium_scan_fetch {
	struct cesium_vref v;
	u32 key_off;
	u32 key_len;
	u32 val_off;
	u32 read;		/* its device read, or U32_MAX */
	u64 start;		/* the record's block span */
	u64 end;
};

/* One device read: the spans of one or more fetches. */
struct cesium_scan_read {
	struct cesium_io_req io;
	struct cesium_scan_state *s;
	u8 *buf;
	u64 start;
	u32 len;
	int err;
};

/*
 * A scan between its start and its end. The fields of the reads (from rd
 * on) are set by cesium_scan_read_start() before the first read goes out
 * and read after the last one ended (pending orders them), so they need no
 * lock: one scan runs in one thread at a time, its reads' end_io only
 * writes rd[i].err and drops pending.
 */
struct cesium_scan_state {
	struct cesium_store *st;
	struct cesium_scan_args *a;
	struct cesium_scan_fetch *fetch;
	u32 nr_fetch;
	u32 fetch_cap;
	bool rcu;		/* in the lockless walk: no allocation */
	bool nowait;		/* CESIUM_ST_SCAN_NOWAIT: never sleep */
	int err;		/* why the walk stopped, when it did */
	bool at_end;		/* the walk left the range */
	const u8 *prev;		/* where the walk was: the last key emitted */
	u32 prev_len;		/* (in the output), or the range's bound */
	const u8 *last_key;	/* the key cesium_scan_emit() copied last */
	u64 cache_gen;		/* taken before the collection */
	u64 writes;		/* st->user_writes, the same */
	bool counted;		/* passed its checks: counted at the end */
	u32 tries;		/* collections made */

	struct cesium_scan_read *rd;	/* the device reads, or NULL */
	u32 nr_rd;
	u32 nr_dev;		/* fetches read from the device: fetch[0..) */
	int start_err;		/* a read that could not be started */
	atomic_t pending;	/* reads in flight, plus one while starting */
	/*
	 * When pending reaches 0: complete reads_done for a caller that
	 * waits (cesium_store_scan(), a retry), else call sa->done.
	 */
	bool waiting;
	struct completion reads_done;
	struct cesium_scan_async *sa;
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

/* Room for @cap fetches, those noted kept. */
static int cesium_scan_fetch_grow(struct cesium_scan_state *s, u32 cap)
{
	struct cesium_scan_fetch *f;

	f = kvmalloc_array(cap, sizeof(*f), s->nowait ?
			   GFP_NOWAIT | __GFP_NOWARN : GFP_KERNEL);
	if (!f)
		return s->nowait ? -EAGAIN : -ENOMEM;
	if (s->nr_fetch)
		memcpy(f, s->fetch, s->nr_fetch * sizeof(*f));
	kvfree(s->fetch);
	s->fetch = f;
	s->fetch_cap = cap;
	return 0;
}

/*
 * Note a value to fetch. Full, the lockless walk stops (-ENOBUFS: grow the
 * array, walk again); the walk under index_lock grows it at once.
 */
static int cesium_scan_note_fetch(struct cesium_scan_state *s,
				  const struct cesium_vref *v, u32 key_off,
				  u32 key_len, u32 val_off)
{
	struct cesium_scan_fetch *f;
	int ret;

	if (s->nr_fetch == s->fetch_cap) {
		if (s->rcu)
			return -ENOBUFS;
		ret = cesium_scan_fetch_grow(s, max_t(u32, 16,
						      s->fetch_cap * 2));
		if (ret)
			return ret;
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
	u64 need;
	struct cesium_scan_out_rec *r;
	u8 *p;
	int ret;

	/* A length no put makes: a torn read of the lockless walk. */
	if (v->len > CESIUM_STORE_VALUE_MAX)
		return -EAGAIN;
	need = round_up(sizeof(struct cesium_scan_out_rec) + klen + vlen, 8);
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
	s->last_key = p;
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

/*
 * The walk ended with no record left in the range (not by the limit or a
 * full buffer): is the rest of the range lost?
 */
static int cesium_scan_end(struct cesium_store *st,
			   struct cesium_scan_state *s)
{
	struct cesium_scan_args *a = s->a;
	bool reverse = a->flags & CESIUM_ST_SCAN_REVERSE;

	if (cesium_scan_meets_lost(st, a, s->prev, s->prev_len,
				   reverse ? a->start : a->end,
				   reverse ? a->start_len : a->end_len))
		return cesium_scan_lost(a);
	return 0;
}

/*
 * One entry of the walk (either kind): 0 goes on; 1 ends the walk, with
 * s->err the collection's result; or a negative errno.
 */
static int cesium_scan_visit(void *arg, const u8 *key, u32 klen,
			     const struct cesium_vref *v)
{
	struct cesium_scan_state *s = arg;
	struct cesium_scan_args *a = s->a;
	int ret;

	if (!cesium_scan_in_range(a, key, klen)) {
		/*
		 * Going up, the walk starts at the first key >= start: only
		 * an exclusive start itself is below the range, and is
		 * skipped. Any other key out of range ends it.
		 */
		if (!(a->flags & CESIUM_ST_SCAN_REVERSE) && a->start_len &&
		    !cesium_key_cmp(key, klen, a->start, a->start_len))
			return 0;
		s->at_end = true;
		return 1;
	}
	if (a->limit && a->nr == a->limit) {
		a->more = true;
		return 1;
	}
	if (cesium_scan_meets_lost(s->st, a, s->prev, s->prev_len, key,
				   klen)) {
		s->err = cesium_scan_lost(a);
		return 1;
	}
	ret = cesium_scan_emit(s, key, klen, v);
	if (!ret) {
		/* The key as copied to the output (the walk's may go). */
		s->prev = s->last_key;
		s->prev_len = klen;
	}
	if (ret <= 0)
		return ret;
	a->more = true;
	s->err = a->nr ? 0 : -EOVERFLOW;
	return 1;
}

/* Forget what a walk collected. */
static void cesium_scan_reset(struct cesium_scan_state *s)
{
	struct cesium_scan_args *a = s->a;
	bool reverse = a->flags & CESIUM_ST_SCAN_REVERSE;

	a->nr = 0;
	a->bytes = 0;
	a->more = false;
	s->nr_fetch = 0;
	s->err = 0;
	s->at_end = false;
	s->prev = reverse ? a->end : a->start;
	s->prev_len = reverse ? a->end_len : a->start_len;
}

/* The walk under index_lock. */
static int cesium_scan_collect_locked(struct cesium_store *st,
				      struct cesium_scan_state *s)
{
	struct cesium_scan_args *a = s->a;
	bool reverse = a->flags & CESIUM_ST_SCAN_REVERSE;
	struct cesium_index_pos pos;
	struct cesium_vref v;
	struct cesium_ns *ns;
	const u8 *key;
	u32 klen;
	int ret;

	s->rcu = false;
	cesium_scan_reset(s);
	ns = cesium_ns_find(st, a->ns);
	if (!ns)
		return 0;
	for (ret = cesium_scan_first(&ns->idx, a, &pos); !ret;
	     ret = reverse ? cesium_index_prev(&ns->idx, &pos) :
			     cesium_index_next(&ns->idx, &pos)) {
		cesium_index_entry(&ns->idx, &pos, &key, &klen, &v);
		ret = cesium_scan_visit(s, key, klen, &v);
		if (ret < 0)
			return ret;
		if (ret)
			return s->at_end ? cesium_scan_end(st, s) : s->err;
	}
	if (ret != -ENOENT)
		return ret;
	return cesium_scan_end(st, s);
}

/* One lockless walk: 0 or an errno, -EAGAIN when a writer spoiled it. */
static int cesium_scan_walk_rcu(struct cesium_store *st,
				struct cesium_scan_state *s)
{
	struct cesium_scan_args *a = s->a;
	bool reverse = a->flags & CESIUM_ST_SCAN_REVERSE;
	struct cesium_ns *ns;
	int ret = 0;

	s->rcu = true;
	rcu_read_lock();
	ns = cesium_ns_find_rcu(st, a->ns);
	if (ns)
		ret = cesium_index_walk_rcu(&ns->idx,
					    reverse ? a->end : a->start,
					    reverse ? a->end_len : a->start_len,
					    reverse, cesium_scan_visit, s);
	rcu_read_unlock();
	s->rcu = false;
	if (ret < 0)
		return ret;
	if (ret && !s->at_end)
		return s->err;
	return cesium_scan_end(st, s);
}

static int cesium_scan_collect(struct cesium_store *st,
			       struct cesium_scan_state *s)
{
	unsigned int seq;
	int tries = 0, ret;

	while (tries < CESIUM_LOOKUP_TRIES) {
		/* Before the walk, as for a get (see cesium_cache_gen()). */
		s->cache_gen = cesium_cache_gen(st->cache);
		s->writes = atomic64_read(&st->user_writes);
		seq = raw_read_seqcount(&st->index_seq);
		if (seq & 1) {
			tries++;
			cpu_relax();
			continue;
		}
		cesium_scan_reset(s);
		ret = cesium_scan_walk_rcu(st, s);
		if (ret == -ENOBUFS) {
			/* Not a try: the walk was cut short, not spoiled. */
			ret = cesium_scan_fetch_grow(s, max_t(u32, 16,
							      s->fetch_cap * 4));
			if (ret)
				return ret;
			continue;
		}
		if (!read_seqcount_retry(&st->index_seq, seq))
			return ret;
		tries++;
	}
	if (!s->nowait)
		down_read(&st->index_lock);
	else if (!down_read_trylock(&st->index_lock))
		return -EAGAIN;
	s->cache_gen = cesium_cache_gen(st->cache);
	s->writes = atomic64_read(&st->user_writes);
	ret = cesium_scan_collect_locked(st, s);
	up_read(&st->index_lock);
	return ret;
}

/* Value fetching */

static int cesium_scan_fetch_cmp(const void *x, const void *y)
{
	const struct cesium_scan_fetch *a = x, *b = y;

	return a->start < b->start ? -1 : a->start > b->start;
}

static void *cesium_scan_io_alloc(u32 bytes)
{
	/* A power of two: kmalloc aligns it to its size, so to the block. */
	if (bytes <= CESIUM_SCAN_KMALLOC_MAX)
		return kmalloc(roundup_pow_of_two(bytes), GFP_KERNEL);
	return cesium_io_alloc(bytes, GFP_KERNEL);
}

/* The reads have all ended: whoever waits for them goes on. */
static void cesium_scan_reads_ended(struct cesium_scan_state *s)
{
	if (s->waiting)
		complete(&s->reads_done);
	else
		s->sa->done(s->sa);
}

static void cesium_scan_read_end(struct cesium_io_req *req, int err)
{
	struct cesium_scan_read *rd = container_of(req, struct cesium_scan_read,
						   io);
	struct cesium_scan_state *s = rd->s;

	rd->err = err;
	if (atomic_dec_and_test(&s->pending))
		cesium_scan_reads_ended(s);
}

/*
 * Merge the spans of fetches @f[0..@nr) (sorted by address) into reads at
 * @rd: spans that touch or overlap share one, up to CESIUM_SCAN_READ_MAX
 * bytes (a longer span has one of its own). Returns the number of reads.
 */
static u32 cesium_scan_plan(struct cesium_store *st,
			    struct cesium_scan_fetch *f, u32 nr,
			    struct cesium_scan_read *rd)
{
	u32 max = CESIUM_SCAN_READ_MAX, i, n = 0;
	u64 end = 0;

	if (st->be->max_io_bytes)
		max = min(max, st->be->max_io_bytes);
	for (i = 0; i < nr; i++) {
		if (n && f[i].start <= end &&
		    max(end, f[i].end) - rd[n - 1].start <= max) {
			end = max(end, f[i].end);
		} else {
			if (n)
				rd[n - 1].len = end - rd[n - 1].start;
			rd[n].start = f[i].start;
			end = f[i].end;
			n++;
		}
		f[i].read = n - 1;
	}
	if (n)
		rd[n - 1].len = end - rd[n - 1].start;
	return n;
}

/*
 * Read the values of fetches s->fetch[0..@nr) from the device: sort them
 * by address, merge their spans into reads and start every one. A read the
 * backend does not take asynchronously is made synchronously. Returns 0
 * when there is nothing to read, else -EIOCBQUEUED: the reads are in
 * flight (cesium_scan_reads_ended() runs when the last ends, maybe
 * already did; @s may be finished and freed then), and
 * cesium_scan_read_check() gives the result. -ENOMEM when nothing was
 * started.
 */
static int cesium_scan_read_start(struct cesium_store *st,
				  struct cesium_scan_state *s, u32 nr)
{
	struct cesium_scan_read *rd;
	u32 i;

	s->nr_dev = nr;
	if (!nr)
		return 0;
	rd = kvcalloc(nr, sizeof(*rd), GFP_KERNEL);
	if (!rd)
		return -ENOMEM;
	s->rd = rd;
	sort(s->fetch, nr, sizeof(*s->fetch), cesium_scan_fetch_cmp, NULL);
	s->nr_rd = cesium_scan_plan(st, s->fetch, nr, rd);
	s->start_err = 0;
	if (s->waiting)
		reinit_completion(&s->reads_done);
	atomic_set(&s->pending, 1);
	for (i = 0; i < s->nr_rd; i++) {
		rd[i].s = s;
		rd[i].io.end = cesium_scan_read_end;
		rd[i].buf = cesium_scan_io_alloc(rd[i].len);
		if (!rd[i].buf) {
			/* Those started end; the check answers -ENOMEM. */
			s->start_err = -ENOMEM;
			break;
		}
		atomic_inc(&s->pending);
		if (!cesium_be_read_async(st->be, &rd[i].io, rd[i].start,
					  rd[i].buf, rd[i].len, 0))
			continue;
		atomic_dec(&s->pending);
		rd[i].err = cesium_be_read(st->be, rd[i].start, rd[i].buf,
					   rd[i].len);
	}
	if (atomic_dec_and_test(&s->pending))
		cesium_scan_reads_ended(s);
	return -EIOCBQUEUED;
}

/* Free the buffers of the device reads, which have all ended. */
static void cesium_scan_read_free(struct cesium_scan_state *s)
{
	u32 i;

	if (!s->rd)
		return;
	for (i = 0; i < s->nr_rd; i++)
		kvfree(s->rd[i].buf);
	kvfree(s->rd);
	s->rd = NULL;
	s->nr_rd = 0;
}

/*
 * Check a record that did not match: the key may have moved (read it
 * again where it is now, @gen taken before that lookup) or the record is
 * damaged. As cesium_read_record() after its first read. But where the
 * key is now may hold a newer value of the same length: unless no put or
 * delete changed the index since the collection (s->writes), the scan is
 * made again (-EAGAIN), or it could return one key of a BATCH as it was
 * and another as the batch left it.
 */
static int cesium_scan_recheck(struct cesium_store *st,
			       const struct cesium_scan_state *s, u64 ns,
			       const u8 *key, struct cesium_scan_fetch *f,
			       void *buf, u32 len)
{
	u64 gen = cesium_cache_gen(st->cache);
	int ret;

	ret = cesium_rec_moved(st, ns, key, f->key_len, &f->v, buf, len);
	/* Pairs with smp_mb__after_atomic() in cesium_apply(). */
	smp_rmb();
	if (ret >= 0 && atomic64_read(&st->user_writes) != s->writes)
		return -EAGAIN;
	if (ret == 1)
		ret = cesium_read_record(st, ns, key, f->key_len, &f->v, buf,
					 len, gen);
	return ret;
}

/*
 * After the read of a value: one that went away or changed length since
 * it was collected sends the scan round again (-EAGAIN). The room for it
 * is its collected length, so -EOVERFLOW means it grew (and leaves f->v
 * as it was).
 */
static int cesium_scan_fetched(const struct cesium_scan_fetch *f, u32 len,
			       int ret)
{
	if (ret == -ENOENT || ret == -EOVERFLOW || (!ret && f->v.len != len))
		return -EAGAIN;
	return ret;
}

/*
 * After the reads of cesium_scan_read_start() have all ended: check each
 * record read and take its value (may sleep: a key that moved is read
 * again, waiting). -EAGAIN when a value went away or changed length.
 */
static int cesium_scan_read_check(struct cesium_store *st,
				  struct cesium_scan_state *s)
{
	struct cesium_scan_args *a = s->a;
	struct cesium_scan_fetch *f = s->fetch;
	int ret = s->start_err;
	u32 i;

	for (i = 0; !ret && i < s->nr_dev; i++) {
		struct cesium_scan_read *r = &s->rd[f[i].read];
		const u8 *key = (u8 *)a->buf + f[i].key_off;
		u8 *val = (u8 *)a->buf + f[i].val_off;
		u32 len = f[i].v.len;

		if (r->err) {
			ret = cesium_io_failed(st, r->err);
			break;
		}
		ret = cesium_rec_match(a->ns, key, f[i].key_len, &f[i].v,
				       r->buf + (f[i].v.addr - r->start), val);
		if (!ret)
			cesium_cache_insert(st->cache, s->cache_gen,
					    f[i].v.addr, a->ns, key,
					    f[i].key_len, val, len);
		else
			ret = cesium_scan_recheck(st, s, a->ns, key, &f[i],
						  val, len);
		ret = cesium_scan_fetched(&f[i], len, ret);
	}
	cesium_scan_read_free(s);
	return ret;
}

/*
 * A value from the pending batch: 1 when it was written meanwhile (read
 * it from the device), else 0 or an errno, as cesium_read_record().
 */
static int cesium_scan_read_pending(struct cesium_store *st,
				    const struct cesium_scan_state *s, u64 ns,
				    const u8 *key, struct cesium_scan_fetch *f,
				    void *buf, u32 len)
{
	u32 rsize = cesium_rec_size(f->key_len, len);
	u8 *r = kvmalloc(rsize, GFP_KERNEL);
	int ret;

	if (!r)
		return -ENOMEM;
	ret = 1;
	if (cesium_log_read_pending(&st->log, f->v.addr, r, rsize)) {
		ret = cesium_rec_match(ns, key, f->key_len, &f->v, r, buf);
		if (ret)
			ret = cesium_scan_recheck(st, s, ns, key, f, buf, len);
	}
	kvfree(r);
	return ret;
}

/*
 * Fill in the values the collection noted, those from the device once
 * their reads end: -EIOCBQUEUED as cesium_scan_read_start(). -EAGAIN when
 * one went away or changed length under the scan (collect again).
 */
static int cesium_scan_fetch_values(struct cesium_store *st,
				    struct cesium_scan_state *s)
{
	struct cesium_scan_args *a = s->a;
	u32 i, nr_dev = 0;
	int ret;

	/*
	 * From the cache, or the pending batch; those left move to the
	 * front of the array, for the device.
	 */
	for (i = 0; i < s->nr_fetch; i++) {
		struct cesium_scan_fetch *f = &s->fetch[i];
		const u8 *key = (u8 *)a->buf + f->key_off;
		u8 *val = (u8 *)a->buf + f->val_off;
		u32 len = f->v.len;

		if (cesium_cache_get(st->cache, f->v.addr, a->ns, key,
				     f->key_len, val, len))
			continue;
		ret = 1;
		if (!cesium_log_written(&st->log, f->v.addr,
					cesium_rec_size(f->key_len, len))) {
			/* The pending batch's lock is a mutex. */
			if (s->nowait)
				return -EAGAIN;
			ret = cesium_scan_read_pending(st, s, a->ns, key, f, val,
						       len);
		}
		if (ret == 1) {
			cesium_rec_span(st, f->key_len, &f->v, &f->start,
					&f->end);
			if (nr_dev != i)
				s->fetch[nr_dev] = *f;
			nr_dev++;
			continue;
		}
		ret = cesium_scan_fetched(f, len, ret);
		if (ret)
			return ret;
	}
	if (nr_dev && s->nowait)
		return -EAGAIN;
	return cesium_scan_read_start(st, s, nr_dev);
}

/* The scan proper */

/*
 * Check the bounds and the store, and make room for the values to fetch.
 * The scan counts (cesium_scan_count()) once this passed.
 */
static int cesium_scan_begin(struct cesium_store *st,
			     struct cesium_scan_state *s)
{
	struct cesium_scan_args *a = s->a;
	int ret;

	if ((a->start_len && cesium_check_key(a->start_len)) ||
	    (a->end_len && cesium_check_key(a->end_len)))
		return -E2BIG;
	if (cesium_check_readable(st))
		return -EIO;

	/*
	 * Room for as many log values as the buffer takes, at a guess
	 * (values in the log are over inline_max as a rule), up to a bound:
	 * beyond it, the array grows as the walk finds them.
	 */
	if (!(a->flags & CESIUM_ST_SCAN_KEYS_ONLY)) {
		u32 cap = a->buf_len / round_up(sizeof(struct cesium_scan_out_rec) +
						 2 + st->inline_max, 8) + 1;

		if (a->limit)
			cap = min(cap, a->limit);
		ret = cesium_scan_fetch_grow(s, clamp_t(u32, cap, 16,
						CESIUM_SCAN_FETCH_GUESS));
		if (ret)
			return ret;
	}
	s->counted = true;
	return 0;
}

/*
 * One collection and its fetches: 0 or an errno, or -EIOCBQUEUED when
 * device reads are in flight (as cesium_scan_read_start()).
 */
static int cesium_scan_once(struct cesium_store *st,
			    struct cesium_scan_state *s)
{
	int ret;

	s->tries++;
	ret = cesium_scan_collect(st, s);
	return ret ? ret : cesium_scan_fetch_values(st, s);
}

/*
 * A collection that ended @ret: while it is -EAGAIN (values changed length
 * under it), collect and fetch again, waiting for the device, up to
 * CESIUM_SCAN_RETRIES collections in all. Process context, may sleep
 * (unless s->nowait: then -EAGAIN is the answer).
 */
static int cesium_scan_retry(struct cesium_store *st,
			     struct cesium_scan_state *s, int ret)
{
	while (ret == -EAGAIN && !s->nowait &&
	       s->tries < CESIUM_SCAN_RETRIES) {
		s->waiting = true;
		ret = cesium_scan_once(st, s);
		if (ret == -EIOCBQUEUED) {
			wait_for_completion(&s->reads_done);
			ret = cesium_scan_read_check(st, s);
		}
	}
	return ret;
}

/* Count a scan that ended @ret, as cesium_store_scan() documents. */
static void cesium_scan_count(struct cesium_store *st,
			      struct cesium_scan_state *s, int ret)
{
	if (!s->counted || (ret == -EAGAIN && s->nowait))
		return;
	atomic64_inc(&st->scans);
	if (!ret)
		atomic64_add(s->a->bytes, &st->bytes_out);
}

/**
 * cesium_store_scan() - the records of a key range, in key order.
 * @st:		the store.
 * @a:		the range and the output buffer; receives nr, bytes, more.
 *
 * One call sees one state of its range (see the top of this file for how,
 * and for how values in the log are read). The same scan as
 * cesium_scan_async_start() and _finish(), waiting for the device reads.
 *
 * With CESIUM_ST_SCAN_NOWAIT in @a->flags the scan never sleeps: it answers
 * -EAGAIN (not counted) when it would wait for index_lock, memory, the
 * pending batch or the device, that is whenever a value it returns is in
 * the log and not in the hot-item cache. The output is then unspecified.
 *
 * Context: process context, may sleep; with CESIUM_ST_SCAN_NOWAIT any
 * context that may take rcu_read_lock().
 * Return: 0; -EOVERFLOW when the first record does not fit (a->bytes is
 * its size); -EINVAL/-E2BIG for bad bounds; -EUCLEAN or -EIO when a value
 * cannot be read from the log; -EUCLEAN when the walk reaches a lost range
 * before any record; -EAGAIN when values kept changing length under the
 * scan, or as above; -ENOMEM.
 */
int cesium_store_scan(struct cesium_store *st, struct cesium_scan_args *a)
{
	struct cesium_scan_state s = {
		.st = st,
		.a = a,
		.nowait = a->flags & CESIUM_ST_SCAN_NOWAIT,
		.waiting = true,
	};
	int ret;

	init_completion(&s.reads_done);
	ret = cesium_scan_begin(st, &s);
	if (!ret) {
		ret = cesium_scan_once(st, &s);
		if (ret == -EIOCBQUEUED) {
			/* Never with nowait: it reads nothing. */
			wait_for_completion(&s.reads_done);
			ret = cesium_scan_read_check(st, &s);
		}
		ret = cesium_scan_retry(st, &s, ret);
	}
	cesium_scan_count(st, &s, ret);
	kvfree(s.fetch);
	return ret;
}

/**
 * cesium_scan_async_start() - collect a range, start reading its values.
 * @sa:		the scan, its caller's fields set.
 *
 * The first half of cesium_store_scan(): collects the range, fetches
 * values from the cache and the pending batch, and starts the device
 * reads of the others without waiting for them. CESIUM_ST_SCAN_NOWAIT in
 * @sa->a->flags is honoured as there.
 *
 * Context: process context; sleeps unless CESIUM_ST_SCAN_NOWAIT.
 * Return: 0 when the scan is done (no value to read from the device);
 * -EIOCBQUEUED when device reads are in flight (@sa->done will be called,
 * maybe already was; then cesium_scan_async_finish()); else the scan's
 * error as cesium_store_scan() gives it. Unless -EIOCBQUEUED, end with
 * cesium_scan_async_end() or _cancel().
 */
int cesium_scan_async_start(struct cesium_scan_async *sa)
{
	struct cesium_scan_args *a = sa->a;
	bool nowait = a->flags & CESIUM_ST_SCAN_NOWAIT;
	struct cesium_scan_state *s;
	int ret;

	s = kzalloc(sizeof(*s), nowait ? GFP_NOWAIT | __GFP_NOWARN :
					 GFP_KERNEL);
	sa->s = s;
	if (!s)
		return nowait ? -EAGAIN : -ENOMEM;
	s->st = sa->st;
	s->a = a;
	s->nowait = nowait;
	s->sa = sa;
	init_completion(&s->reads_done);
	ret = cesium_scan_begin(sa->st, s);
	if (ret)
		return ret;
	ret = cesium_scan_once(sa->st, s);
	if (ret == -EIOCBQUEUED)
		return ret;	/* @sa may be finished already. */
	return cesium_scan_retry(sa->st, s, ret);
}

/**
 * cesium_scan_async_finish() - after @sa->done: check the records read.
 * @sa:		the scan.
 *
 * Checks each record as cesium_store_scan() does; a key that moved is read
 * again, and a scan whose values changed length under it is made again,
 * waiting (rare: finish runs where it may sleep).
 *
 * Context: process context, may sleep.
 * Return: as cesium_scan_async_start() without -EIOCBQUEUED.
 */
int cesium_scan_async_finish(struct cesium_scan_async *sa)
{
	struct cesium_scan_state *s = sa->s;

	return cesium_scan_retry(sa->st, s, cesium_scan_read_check(sa->st, s));
}

/**
 * cesium_scan_async_end() - count a scan that is over and free its state.
 * @sa:		the scan.
 * @ret:	what start or finish returned.
 *
 * Counted as cesium_store_scan() counts. The output (@sa->a) is the
 * caller's.
 */
void cesium_scan_async_end(struct cesium_scan_async *sa, int ret)
{
	if (sa->s)
		cesium_scan_count(sa->st, sa->s, ret);
	cesium_scan_async_cancel(sa);
}

/**
 * cesium_scan_async_cancel() - free a scan's state, count nothing.
 * @sa:		the scan: not started, or its reads all ended.
 */
void cesium_scan_async_cancel(struct cesium_scan_async *sa)
{
	struct cesium_scan_state *s = sa->s;

	if (!s)
		return;
	cesium_scan_read_free(s);
	kvfree(s->fetch);
	kfree(s);
	sa->s = NULL;
}
