/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference the index is tested against: a sorted array of keys with
 * copies of their values, and the checks that compare the two.
 */
#ifndef CESIUM_TESTS_INDEX_MODEL_H
#define CESIUM_TESTS_INDEX_MODEL_H

#include <linux/types.h>
#include "kmod/engine/index.h"

struct model_ent {
	u8 key[CESIUM_KEY_MAX];
	u32 key_len;
	u8 kind;
	u32 len;
	u64 addr;
	u8 *val;		/* inline value bytes, malloc()ed */
};

struct model {
	struct model_ent **ent;	/* sorted; pointers, so inserts move little */
	size_t nr, cap;
};

int model_key_cmp(const u8 *a, u32 alen, const u8 *b, u32 blen);
/* Index of the first entry >= key; *found when equal. */
size_t model_lower(const struct model *m, const u8 *key, u32 key_len,
		   bool *found);
/* Insert or replace; returns 1 when replaced, 0 when inserted. */
int model_insert(struct model *m, const u8 *key, u32 key_len,
		 const struct cesium_vref *v);
int model_remove(struct model *m, const u8 *key, u32 key_len);
void model_clear(struct model *m);

/*
 * Comparisons; each returns NULL when they agree, else a static message.
 * model_same_value() compares one value; model_compare_all() walks the
 * whole index forward and backward against the model.
 */
const char *model_same_value(const struct model_ent *e,
			     const struct cesium_vref *v);
const char *model_compare_all(const struct model *m,
			      const struct cesium_index *idx);
/* Compare entry i of the model with the index at pos. */
const char *model_compare_at(const struct model *m, size_t i,
			     const struct cesium_index *idx,
			     const struct cesium_index_pos *pos);

#endif
