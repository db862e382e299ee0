// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the input is a stream of operations on the index and
 * the model, with allocation failures injected where the input says. Any
 * disagreement, failed cesium_index_check(), WARN, leak or sanitizer
 * report is a crash.
 *
 * Input: byte 0 picks the segment size, then operations, each an opcode
 * byte followed by its operands (missing bytes read as zero):
 *	insert:	key, value		remove: key
 *	lookup:	key			walk: key, steps
 *	fail:	n (the n-th allocation of the next operation fails)
 * key: a byte k; k < 0x40 takes the (k)th model key (by rank), else the
 *	length is (k & 0x3f) + 1, or 200 + next byte for k >= 0xf0, and that
 *	many bytes follow (a long key repeats the first of them).
 * value: a byte t; t & 1: log reference, its length from 4 bytes and its
 *	address from 6; else inline, its length from 2 bytes modulo
 *	max_inline + 1, the bytes a pattern seeded by the next byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/limits.h>
#include <linux/types.h>

#include "kmod/engine/index.h"
#include "tests/user/shim/shim.h"
#include "index_model.h"

struct input {
	const u8 *p;
	size_t left;
};

static u32 in_byte(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static u64 in_le(struct input *in, unsigned int bytes)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++)
		v |= (u64)in_byte(in) << (8 * i);
	return v;
}

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "index_fuzz: %s:%d: %s\n", __FILE__,	\
			__LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static u32 in_key(struct input *in, const struct model *m, u8 *key)
{
	u32 k = in_byte(in), len, i;

	if (k < 0x40 && m->nr) {
		const struct model_ent *e = m->ent[k % m->nr];

		memcpy(key, e->key, e->key_len);
		return e->key_len;
	}
	if (k >= 0xf0) {
		len = 200 + in_byte(in) % 56;
		memset(key, in_byte(in), len);
		return len;
	}
	len = (k & 0x3f) + 1;
	for (i = 0; i < len; i++)
		key[i] = in_byte(in);
	return len;
}

static u8 value_buf[CESIUM_INDEX_SEG_BYTES_MAX];

static void in_value(struct input *in, const struct cesium_index *idx,
		     u32 key_len, struct cesium_vref *v)
{
	u32 t = in_byte(in), i, x;

	memset(v, 0, sizeof(*v));
	if (t & 1) {
		v->kind = CESIUM_V_LOG;
		v->len = in_le(in, 4);
		v->addr = in_le(in, 6);
		return;
	}
	v->kind = CESIUM_V_INLINE;
	v->len = in_le(in, 2) % (cesium_index_max_inline(idx, key_len) + 1);
	x = in_byte(in);
	for (i = 0; i < v->len; i++)
		value_buf[i] = x + i * 7;
	v->data = value_buf;
}

static void verify(const struct cesium_index *idx, const struct model *m)
{
	struct shim_mem sm;

	shim_mem(&sm);
	CHECK(!cesium_index_check(idx));
	CHECK(cesium_index_count(idx) == m->nr);
	CHECK((u64)sm.bytes == cesium_index_mem_bytes(idx));
	CHECK(!shim_warnings());
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	shim_warn_abort(true);
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u32 seg_sizes[] = { 4096, 4096, 8192, 65536 };
	struct input in = { data, size };
	struct cesium_index idx;
	struct cesium_index_pos pos;
	struct model m = { 0 };
	struct cesium_vref v, old;
	struct shim_mem before, after;
	u8 key[CESIUM_KEY_MAX];
	u32 key_len, fail_n = 0, steps;
	size_t i;
	bool found;
	int ret, op;

	CHECK(!cesium_index_init(&idx, seg_sizes[in_byte(&in) % 4]));
	while (in.left) {
		op = in_byte(&in) % 10;
		if (op == 9) {
			fail_n = in_byte(&in) % 4 + 1;
			continue;
		}
		shim_mem(&before);
		shim_fail_nth(fail_n);
		switch (op) {
		case 0: case 1: case 2: case 3:
			key_len = in_key(&in, &m, key);
			in_value(&in, &idx, key_len, &v);
			ret = cesium_index_insert(&idx, key, key_len, &v, &old,
						  GFP_KERNEL);
			if (ret == -ENOMEM) {
				CHECK(fail_n && !shim_fail_pending());
				shim_mem(&after);
				CHECK(after.objects == before.objects &&
				      after.bytes == before.bytes);
				break;
			}
			model_lower(&m, key, key_len, &found);
			CHECK(ret == model_insert(&m, key, key_len, &v));
			break;
		case 4: case 5:
			key_len = in_key(&in, &m, key);
			ret = cesium_index_remove(&idx, key, key_len, &old);
			CHECK(ret == (model_remove(&m, key, key_len) ? -ENOENT : 0));
			break;
		case 6:
			key_len = in_key(&in, &m, key);
			ret = cesium_index_lookup(&idx, key, key_len, &v);
			i = model_lower(&m, key, key_len, &found);
			CHECK(ret == (found ? 0 : -ENOENT));
			if (found)
				CHECK(!model_same_value(m.ent[i], &v));
			break;
		default:
			key_len = in_key(&in, &m, key);
			steps = in_byte(&in);
			ret = cesium_index_seek(&idx, key, key_len, &pos);
			i = model_lower(&m, key, key_len, &found);
			CHECK(ret == (i < m.nr ? 0 : -ENOENT));
			for (; !ret && steps; steps--) {
				CHECK(!model_compare_at(&m, i, &idx, &pos));
				if (steps & 1) {
					ret = cesium_index_prev(&idx, &pos);
					CHECK(ret == (i ? 0 : -ENOENT));
					i--;
				} else {
					ret = cesium_index_next(&idx, &pos);
					CHECK(ret == (i + 1 < m.nr ? 0 : -ENOENT));
					i++;
				}
			}
			break;
		}
		shim_fail_nth(0);
		fail_n = 0;
		verify(&idx, &m);
	}
	CHECK(!model_compare_all(&m, &idx));
	cesium_index_destroy(&idx);
	model_clear(&m);
	shim_mem(&after);
	CHECK(!after.objects && !after.bytes);
	return 0;
}
