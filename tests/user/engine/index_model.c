// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/errno.h>

#include "index_model.h"

int model_key_cmp(const u8 *a, u32 alen, const u8 *b, u32 blen)
{
	u32 n = alen < blen ? alen : blen;
	int r = n ? memcmp(a, b, n) : 0;

	if (r)
		return r;
	return alen < blen ? -1 : alen > blen;
}

size_t model_lower(const struct model *m, const u8 *key, u32 key_len,
		   bool *found)
{
	size_t lo = 0, hi = m->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct model_ent *e = m->ent[mid];

		if (model_key_cmp(e->key, e->key_len, key, key_len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < m->nr && !model_key_cmp(m->ent[lo]->key,
					       m->ent[lo]->key_len,
					       key, key_len);
	return lo;
}

static void model_set(struct model_ent *e, const struct cesium_vref *v)
{
	free(e->val);
	e->val = NULL;
	e->kind = v->kind;
	e->len = v->len;
	e->addr = v->kind == CESIUM_V_LOG ? v->addr : 0;
	if (v->kind == CESIUM_V_INLINE && v->len) {
		e->val = malloc(v->len);
		if (!e->val)
			abort();
		memcpy(e->val, v->data, v->len);
	}
}

int model_insert(struct model *m, const u8 *key, u32 key_len,
		 const struct cesium_vref *v)
{
	bool found;
	size_t i = model_lower(m, key, key_len, &found);
	struct model_ent *e;

	if (found) {
		model_set(m->ent[i], v);
		return 1;
	}
	if (m->nr == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->ent = realloc(m->ent, m->cap * sizeof(*m->ent));
		if (!m->ent)
			abort();
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		abort();
	memcpy(e->key, key, key_len);
	e->key_len = key_len;
	model_set(e, v);
	memmove(&m->ent[i + 1], &m->ent[i], (m->nr - i) * sizeof(*m->ent));
	m->ent[i] = e;
	m->nr++;
	return 0;
}

int model_remove(struct model *m, const u8 *key, u32 key_len)
{
	bool found;
	size_t i = model_lower(m, key, key_len, &found);

	if (!found)
		return -1;
	free(m->ent[i]->val);
	free(m->ent[i]);
	memmove(&m->ent[i], &m->ent[i + 1], (m->nr - i - 1) * sizeof(*m->ent));
	m->nr--;
	return 0;
}

void model_clear(struct model *m)
{
	size_t i;

	for (i = 0; i < m->nr; i++) {
		free(m->ent[i]->val);
		free(m->ent[i]);
	}
	free(m->ent);
	memset(m, 0, sizeof(*m));
}

const char *model_same_value(const struct model_ent *e,
			     const struct cesium_vref *v)
{
	if (v->kind != e->kind)
		return "value kind differs";
	if (v->len != e->len)
		return "value length differs";
	if (v->kind == CESIUM_V_LOG)
		return v->addr == e->addr ? NULL : "log address differs";
	if (v->kind != CESIUM_V_INLINE)
		return "bad value kind";
	if (e->len && (!v->data || memcmp(v->data, e->val, e->len)))
		return "inline value bytes differ";
	return NULL;
}

const char *model_compare_at(const struct model *m, size_t i,
			     const struct cesium_index *idx,
			     const struct cesium_index_pos *pos)
{
	const struct model_ent *e = m->ent[i];
	struct cesium_vref v;
	const u8 *key;
	u32 key_len;

	cesium_index_entry(idx, pos, &key, &key_len, &v);
	if (!key || model_key_cmp(key, key_len, e->key, e->key_len))
		return "key at position differs";
	return model_same_value(e, &v);
}

const char *model_compare_all(const struct model *m,
			      const struct cesium_index *idx)
{
	struct cesium_index_pos pos;
	const char *err;
	size_t i;
	int ret;

	if (cesium_index_count(idx) != m->nr)
		return "count differs";
	ret = cesium_index_first(idx, &pos);
	for (i = 0; i < m->nr; i++) {
		if (ret)
			return "forward walk ends early";
		err = model_compare_at(m, i, idx, &pos);
		if (err)
			return err;
		ret = cesium_index_next(idx, &pos);
	}
	if (m->nr && ret != -ENOENT)
		return "forward walk goes past the end";
	if (!m->nr && ret != -ENOENT)
		return "first() on an empty index";
	ret = cesium_index_seek_last(idx, &pos);
	for (i = m->nr; i-- > 0;) {
		if (ret)
			return "backward walk ends early";
		err = model_compare_at(m, i, idx, &pos);
		if (err)
			return err;
		ret = cesium_index_prev(idx, &pos);
	}
	if (ret != -ENOENT)
		return "backward walk goes past the start";
	return NULL;
}
