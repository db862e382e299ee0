/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim over libxxhash (link with -lxxhash): XXH64() and XXH32()
 * give the same digests as the kernel's xxh64() and xxh32().
 */
#ifndef _SHIM_LINUX_XXHASH_H
#define _SHIM_LINUX_XXHASH_H

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>
#include <linux/types.h>

static inline u32 xxh32(const void *input, size_t length, u32 seed)
{
	return XXH32(input, length, seed);
}

static inline u64 xxh64(const void *input, size_t length, u64 seed)
{
	return XXH64(input, length, seed);
}

static inline unsigned long xxhash(const void *input, size_t length,
				   u64 seed)
{
	return xxh64(input, length, seed);
}

struct xxh64_state {
	XXH64_state_t state;
};

static inline void xxh64_reset(struct xxh64_state *state, u64 seed)
{
	XXH64_reset(&state->state, seed);
}

static inline int xxh64_update(struct xxh64_state *state, const void *input,
			       size_t length)
{
	return XXH64_update(&state->state, input, length) == XXH_OK ? 0 : -22;
}

static inline u64 xxh64_digest(const struct xxh64_state *state)
{
	return XXH64_digest(&state->state);
}

#endif
