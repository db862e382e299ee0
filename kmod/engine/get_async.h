/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A get whose device read does not wait: for io_uring, where a command
 * that must wait for the device is queued and completes when its bios do.
 * See get_async.c.
 */
#ifndef _CESIUM_ENGINE_GET_ASYNC_H
#define _CESIUM_ENGINE_GET_ASYNC_H

#include <linux/types.h>

#include "../io/backend.h"
#include "index.h"
#include "store.h"

/* cesium_get_async_start() flags: never sleep; -EAGAIN instead. */
#define CESIUM_GET_NOWAIT	(1U << 0)

struct cesium_get_async;

/*
 * The device read of a get has ended: call cesium_get_async_finish() from
 * process context. Called from any context (interrupt included), maybe
 * before cesium_get_async_start() returns.
 */
typedef void (*cesium_get_done_t)(struct cesium_get_async *g);

/**
 * struct cesium_get_async - one get, in the caller's memory.
 * @st:		set by the caller: the store.
 * @ns:		set by the caller: namespace.
 * @key_len:	set by the caller: the key's length.
 * @buf_len:	set by the caller: the most value bytes the caller takes.
 * @done:	set by the caller: called when a queued read ends.
 * @key:	set by the caller: the key.
 * @value:	out: the value, kernel memory of @value_len bytes, when the
 *		get returned 0; freed by cesium_get_async_end().
 * @value_len:	out: the value's length (also with -EOVERFLOW).
 * @v:		private: the index entry being read.
 * @io:		private: the device read.
 * @io_buf:	private: its buffer, the record's blocks.
 * @io_start:	private: the device offset of @io_buf.
 * @io_err:	private: the read's result.
 * @value_pooled: private: @value is a buffer of the store's pool.
 * @value_in_io: private: @value points into @io_buf (the record read).
 * @io_pooled:	private: @io_buf is a buffer of the store's pool.
 * @cache_gen:	private: the value cache's generation at the lookup.
 * @counted:	private: the get passed its checks and counts (as
 *		cesium_store_get() counts it).
 */
struct cesium_get_async {
	struct cesium_store *st;
	u64 ns;
	u32 key_len;
	u32 buf_len;
	cesium_get_done_t done;
	u8 key[CESIUM_STORE_KEY_MAX];

	void *value;
	u32 value_len;

	struct cesium_vref v;
	struct cesium_io_req io;
	u8 *io_buf;
	u64 io_start;
	int io_err;
	u64 cache_gen;
	bool counted;
	bool value_pooled;
	bool value_in_io;
	bool io_pooled;
};

int cesium_get_async_start(struct cesium_get_async *g, unsigned int flags);
int cesium_get_async_finish(struct cesium_get_async *g);
void cesium_get_async_end(struct cesium_get_async *g, int ret);
void cesium_get_async_cancel(struct cesium_get_async *g);

#endif /* _CESIUM_ENGINE_GET_ASYNC_H */
