// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * struct cesium_iter: a bidirectional iterator over buffered SCAN calls.
 *
 * The buffer holds the records of one SCAN call, and recs[] indexes them
 * in ascending key order whichever way they were read. Moving inside the
 * buffer is free; moving past either end of it refills it from the
 * current key: forward with that key as an exclusive start, backward with
 * it as the (exclusive) end. The current key is copied out first, since
 * the refill overwrites the buffer. Whether the range holds keys beyond
 * the buffer is known on the side the SCAN walked towards (its MORE flag);
 * on the other side it is assumed, and the kernel asked.
 */
#include <stdlib.h>
#include <string.h>
#include "private.h"

CESIUM_HIDDEN size_t cesium__iter_buf_bytes = 64 << 10;

struct iter_rec {
	const unsigned char *key, *value;
	uint32_t key_len, value_len;
};

struct cesium_iter {
	struct cesium *c;
	uint64_t ns;
	unsigned int flags;		/* CESIUM_SCAN_KEYS_ONLY or 0 */
	size_t lo_len, hi_len;
	unsigned char lo[CESIUM_MAX_KEY_LEN], hi[CESIUM_MAX_KEY_LEN];

	void *buf;
	size_t buf_len;
	struct iter_rec *recs;		/* ascending */
	size_t nr, cap, pos;
	int valid;
	int more_below, more_above;	/* keys of the range beyond recs[] */
};

static int key_cmp(const void *a, size_t alen, const void *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = n ? memcmp(a, b, n) : 0;

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

int cesium_iter_open(struct cesium *c, uint64_t ns, const void *lo,
		     size_t lo_len, const void *hi, size_t hi_len,
		     unsigned int flags, struct cesium_iter **out)
{
	struct cesium_iter *it;

	if (!c || !out)
		return -EFAULT;
	if (flags & ~CESIUM_SCAN_KEYS_ONLY)
		return -EINVAL;
	if (lo_len > CESIUM_MAX_KEY_LEN || hi_len > CESIUM_MAX_KEY_LEN)
		return -E2BIG;
	if ((!lo && lo_len) || (!hi && hi_len))
		return -EFAULT;
	it = calloc(1, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->c = c;
	it->ns = ns;
	it->flags = flags;
	it->lo_len = lo_len;
	it->hi_len = hi_len;
	if (lo_len)
		memcpy(it->lo, lo, lo_len);
	if (hi_len)
		memcpy(it->hi, hi, hi_len);
	it->buf_len = cesium__iter_buf_bytes ? cesium__iter_buf_bytes : 1;
	it->buf = malloc(it->buf_len);
	if (!it->buf) {
		free(it);
		return -ENOMEM;
	}
	*out = it;
	return 0;
}

void cesium_iter_close(struct cesium_iter *it)
{
	if (!it)
		return;
	free(it->buf);
	free(it->recs);
	free(it);
}

/*
 * One SCAN into the buffer, growing it while the first record does not
 * fit; then index the records in ascending order. @reverse: from @end
 * (exclusive) down to lo; else from @start (exclusive if @excl) up to hi.
 * Return: the number of records, or a negative errno (then not valid).
 */
static int fill(struct cesium_iter *it, int reverse, const void *bound,
		size_t bound_len, int excl)
{
	struct cesium_scan_result res;
	unsigned int flags = it->flags;
	const void *start = it->lo, *end = it->hi, *k, *v;
	size_t start_len = it->lo_len, end_len = it->hi_len;
	size_t off = 0, kl, vl, i, n;
	void *bigger;
	int ret;

	it->valid = 0;
	it->nr = 0;
	if (reverse) {
		flags |= CESIUM_SCAN_REVERSE;
		end = bound;
		end_len = bound_len;
	} else {
		start = bound;
		start_len = bound_len;
		if (excl)
			flags |= CESIUM_SCAN_START_EXCLUSIVE;
	}
	for (;;) {
		ret = cesium_scan(it->c, it->ns, start, start_len, end,
				  end_len, flags, 0, it->buf, it->buf_len,
				  &res);
		if (ret != -EOVERFLOW)
			break;
		/* A size that would have fit is a kernel bug: no spinning. */
		if (res.bytes <= it->buf_len || res.bytes > SIZE_MAX)
			return -EIO;
		bigger = realloc(it->buf, (size_t)res.bytes);
		if (!bigger)
			return -ENOMEM;
		it->buf = bigger;
		it->buf_len = (size_t)res.bytes;
	}
	if (ret < 0)
		return ret;
	n = (size_t)ret;
	if (n != res.nr_records || res.bytes > it->buf_len)
		return -EBADMSG;
	if (n > it->cap) {
		struct iter_rec *r = realloc(it->recs, n * sizeof(*r));

		if (!r)
			return -ENOMEM;
		it->recs = r;
		it->cap = n;
	}
	for (i = 0; i < n; i++) {
		struct iter_rec *r = &it->recs[reverse ? n - 1 - i : i];

		ret = cesium_scan_next_rec(it->buf, (size_t)res.bytes, &off,
					   &k, &kl, &v, &vl);
		if (ret <= 0)
			return ret ? ret : -EBADMSG;
		r->key = k;
		r->key_len = (uint32_t)kl;
		r->value = v;
		r->value_len = (uint32_t)vl;
	}
	if (off != res.bytes)
		return -EBADMSG;
	it->nr = n;
	if (reverse) {
		it->more_below = !!(res.flags & CESIUM_SCAN_MORE);
		it->more_above = 1;
		it->pos = n ? n - 1 : 0;
	} else {
		it->more_above = !!(res.flags & CESIUM_SCAN_MORE);
		it->more_below = 1;
		it->pos = 0;
	}
	it->valid = n > 0;
	return it->valid;
}

/* The result of a moving function that failed: not valid. */
static int fail(struct cesium_iter *it, int err)
{
	it->valid = 0;
	it->nr = 0;
	return err;
}

int cesium_iter_seek(struct cesium_iter *it, const void *key, size_t len)
{
	int ret;

	if (!it || (!key && len))
		return -EFAULT;
	if (len > CESIUM_MAX_KEY_LEN)
		return fail(it, -E2BIG);
	/* Below lo: from lo. */
	if (!len || key_cmp(key, len, it->lo, it->lo_len) < 0) {
		key = it->lo;
		len = it->lo_len;
	}
	if (it->hi_len && key_cmp(key, len, it->hi, it->hi_len) >= 0)
		return fail(it, 0);
	ret = fill(it, 0, key, len, 0);
	return ret < 0 ? fail(it, ret) : ret;
}

/*
 * The smallest key larger than @key (@len bytes) as an exclusive end,
 * written to @out; 0 for none (255 bytes of 0xff: no key is larger).
 */
static size_t successor(const unsigned char *key, size_t len,
			unsigned char *out)
{
	memcpy(out, key, len);
	if (len < CESIUM_MAX_KEY_LEN) {
		out[len] = 0;
		return len + 1;
	}
	/* No longer key exists: bump the last byte that can be bumped. */
	while (len && out[len - 1] == 0xff)
		len--;
	if (len)
		out[len - 1]++;
	return len;
}

int cesium_iter_seek_for_prev(struct cesium_iter *it, const void *key,
			      size_t len)
{
	unsigned char end[CESIUM_MAX_KEY_LEN];
	size_t end_len;
	int ret;

	if (!it || (!key && len))
		return -EFAULT;
	if (len > CESIUM_MAX_KEY_LEN)
		return fail(it, -E2BIG);
	if (len && key_cmp(key, len, it->lo, it->lo_len) < 0)
		return fail(it, 0);
	if (!len) {
		memcpy(end, it->hi, it->hi_len);
		end_len = it->hi_len;
	} else {
		end_len = successor(key, len, end);
		/* Also below hi: the smaller of the two ends. */
		if (it->hi_len && (!end_len || key_cmp(it->hi, it->hi_len,
						       end, end_len) < 0)) {
			memcpy(end, it->hi, it->hi_len);
			end_len = it->hi_len;
		}
	}
	ret = fill(it, 1, end, end_len, 0);
	return ret < 0 ? fail(it, ret) : ret;
}

int cesium_iter_next(struct cesium_iter *it)
{
	unsigned char cur[CESIUM_MAX_KEY_LEN];
	size_t len;
	int ret;

	if (!it)
		return -EFAULT;
	if (!it->valid)
		return -EINVAL;
	if (it->pos + 1 < it->nr) {
		it->pos++;
		return 1;
	}
	if (!it->more_above)
		return fail(it, 0);
	len = it->recs[it->pos].key_len;
	memcpy(cur, it->recs[it->pos].key, len);
	ret = fill(it, 0, cur, len, 1);
	return ret < 0 ? fail(it, ret) : ret;
}

int cesium_iter_prev(struct cesium_iter *it)
{
	unsigned char cur[CESIUM_MAX_KEY_LEN];
	size_t len;
	int ret;

	if (!it)
		return -EFAULT;
	if (!it->valid)
		return -EINVAL;
	if (it->pos > 0) {
		it->pos--;
		return 1;
	}
	if (!it->more_below)
		return fail(it, 0);
	len = it->recs[it->pos].key_len;
	memcpy(cur, it->recs[it->pos].key, len);
	ret = fill(it, 1, cur, len, 0);
	return ret < 0 ? fail(it, ret) : ret;
}

int cesium_iter_valid(const struct cesium_iter *it)
{
	return it && it->valid;
}

const void *cesium_iter_key(const struct cesium_iter *it, size_t *len)
{
	if (!cesium_iter_valid(it))
		return NULL;
	if (len)
		*len = it->recs[it->pos].key_len;
	return it->recs[it->pos].key;
}

const void *cesium_iter_value(const struct cesium_iter *it, size_t *len)
{
	if (!cesium_iter_valid(it))
		return NULL;
	if (len)
		*len = it->recs[it->pos].value_len;
	return it->recs[it->pos].value;
}
