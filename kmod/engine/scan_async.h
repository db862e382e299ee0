/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scan whose device reads do not wait: for io_uring, where a command
 * that must wait for the device is queued and completes when its bios do.
 * See scan.c.
 */
#ifndef _CESIUM_ENGINE_SCAN_ASYNC_H
#define _CESIUM_ENGINE_SCAN_ASYNC_H

#include "store.h"

struct cesium_scan_async;
struct cesium_scan_state;

/*
 * The last device read of a scan has ended: call cesium_scan_async_finish()
 * from process context. Called from any context (interrupt included),
 * maybe before cesium_scan_async_start() returns.
 */
typedef void (*cesium_scan_done_t)(struct cesium_scan_async *sa);

/**
 * struct cesium_scan_async - one scan, in the caller's memory.
 * @st:		set by the caller: the store.
 * @a:		set by the caller: the range and the output buffer, as for
 *		cesium_store_scan(); both live until cesium_scan_async_end().
 * @done:	set by the caller: called when the queued reads have ended.
 * @s:		private: the scan's state, between start and end.
 */
struct cesium_scan_async {
	struct cesium_store *st;
	struct cesium_scan_args *a;
	cesium_scan_done_t done;
	struct cesium_scan_state *s;
};

int cesium_scan_async_start(struct cesium_scan_async *sa);
int cesium_scan_async_finish(struct cesium_scan_async *sa);
void cesium_scan_async_end(struct cesium_scan_async *sa, int ret);
void cesium_scan_async_cancel(struct cesium_scan_async *sa);

#endif /* _CESIUM_ENGINE_SCAN_ASYNC_H */
