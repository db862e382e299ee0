// SPDX-License-Identifier: GPL-2.0
/*
 * Per-device statistics the interface keeps itself: log2 latency
 * histograms of the data commands, measured around each command's
 * execution, in per-CPU counters (no shared cache line on the hot path);
 * and the STATS command, one snapshot of every counter.
 */
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/uaccess.h>

#include <uapi/cesium.h>
#include "../engine/store.h"
#include "../io/backend.h"
#include "iface.h"

struct cesium_lat_hist {
	u64 n[CESIUM_LAT_OPS][CESIUM_LAT_BUCKETS];
};

/**
 * cesium_stats_init() - allocate a device's histograms.
 * @cd:		the device.
 *
 * Return: 0 or -ENOMEM.
 */
int cesium_stats_init(struct cesium_dev *cd)
{
	cd->lat = alloc_percpu(struct cesium_lat_hist);
	return cd->lat ? 0 : -ENOMEM;
}

/**
 * cesium_stats_free() - free a device's histograms.
 * @cd:		the device.
 */
void cesium_stats_free(struct cesium_dev *cd)
{
	free_percpu(cd->lat);
	cd->lat = NULL;
}

/**
 * cesium_lat_op() - the histogram of a data command, if it has one.
 * @nr:		_IOC_NR() of the command.
 *
 * Return: CESIUM_LAT_*, or -1.
 */
int cesium_lat_op(unsigned int nr)
{
	switch (nr) {
	case _IOC_NR(CESIUM_IOC_GET):
		return CESIUM_LAT_GET;
	case _IOC_NR(CESIUM_IOC_PUT):
		return CESIUM_LAT_PUT;
	case _IOC_NR(CESIUM_IOC_DELETE):
		return CESIUM_LAT_DELETE;
	case _IOC_NR(CESIUM_IOC_EXISTS):
		return CESIUM_LAT_EXISTS;
	case _IOC_NR(CESIUM_IOC_SCAN):
		return CESIUM_LAT_SCAN;
	case _IOC_NR(CESIUM_IOC_BATCH):
		return CESIUM_LAT_BATCH;
	default:
		return -1;
	}
}

/**
 * cesium_lat_record() - count one command's latency.
 * @cd:		the device.
 * @op:		CESIUM_LAT_*.
 * @ns:		how long it took.
 */
void cesium_lat_record(struct cesium_dev *cd, int op, u64 ns)
{
	unsigned int b = ns ? min_t(unsigned int, ilog2(ns),
				    CESIUM_LAT_BUCKETS - 1) : 0;

	this_cpu_inc(cd->lat->n[op][b]);
}

static void cesium_lat_sum(struct cesium_dev *cd, int op, u64 *out)
{
	int cpu, b;

	memset(out, 0, CESIUM_LAT_BUCKETS * sizeof(*out));
	for_each_possible_cpu(cpu) {
		struct cesium_lat_hist *h = per_cpu_ptr(cd->lat, cpu);

		for (b = 0; b < CESIUM_LAT_BUCKETS; b++)
			out[b] += READ_ONCE(h->n[op][b]);
	}
}

/**
 * cesium_lat_show() - a histogram as one sysfs line of counts.
 * @cd:		the device.
 * @op:		CESIUM_LAT_*.
 * @buf:	the sysfs page.
 *
 * Return: bytes written.
 */
ssize_t cesium_lat_show(struct cesium_dev *cd, int op, char *buf)
{
	u64 n[CESIUM_LAT_BUCKETS];
	ssize_t len = 0;
	int b;

	cesium_lat_sum(cd, op, n);
	for (b = 0; b < CESIUM_LAT_BUCKETS; b++)
		len += sysfs_emit_at(buf, len, "%llu%c", n[b],
				     b == CESIUM_LAT_BUCKETS - 1 ? '\n' : ' ');
	return len;
}

/**
 * cesium_cmd_stats() - STATS.
 * @cd:		the device.
 * @c:		the decoded command.
 *
 * Context: process context, may sleep.
 * Return: 0 or a negative errno.
 */
long cesium_cmd_stats(struct cesium_dev *cd, const struct cesium_stats_cmd *c)
{
	struct cesium_io_stats *io = &cd->be->stats;
	struct cesium_cache_stats cs;
	struct cesium_store_stats ss;
	struct cesium_store_info si;
	struct cesium_stats *s;
	long ret = 0;
	int op;

	if (c->flags || c->pad || !cesium_zero(c->reserved, sizeof(c->reserved)) ||
	    c->stats_len < 8)
		return -EINVAL;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	cesium_store_stats(cd->store, &ss);
	cesium_store_info(cd->store, &si);
	cesium_store_cache_stats(cd->store, &cs);
	s->size = sizeof(*s);
	s->puts = ss.puts;
	s->gets = ss.gets;
	s->deletes = ss.deletes;
	s->exists = ss.exists;
	s->scans = ss.scans;
	s->batches = ss.batches;
	s->syncs = ss.syncs;
	s->bytes_in = ss.bytes_in;
	s->bytes_out = ss.bytes_out;
	s->device_reads = atomic64_read(&io->reads);
	s->device_read_bytes = atomic64_read(&io->read_bytes);
	s->device_writes = atomic64_read(&io->writes);
	s->device_write_bytes = atomic64_read(&io->write_bytes);
	s->flushes = atomic64_read(&io->flushes);
	s->io_errors = atomic64_read(&io->errors);
	s->log_commits = ss.log_commits;
	s->checksum_errors = ss.checksum_errors;
	s->recovery_bytes = ss.recovery_bytes;
	s->recovery_us = ss.recovery_us;
	s->checkpoints = ss.checkpoints;
	s->checkpoint_bytes = ss.checkpoint_bytes;
	s->gc_moved_bytes = ss.gc_moved_bytes;
	s->gc_freed_bytes = ss.gc_freed_bytes;
	s->discard_bytes = ss.discard_bytes;
	s->damaged_batches = ss.damaged_batches;
	s->live_bytes = ss.live_bytes;
	s->damaged_segments = ss.damaged_segments;
	s->gc_stalls = ss.gc_stalls;
	s->nr_keys = si.nr_keys;
	s->used_bytes = si.used_bytes;
	s->capacity_bytes = si.capacity_bytes;
	s->index_bytes = si.index_bytes;
	for (op = 0; op < CESIUM_LAT_OPS; op++)
		cesium_lat_sum(cd, op, s->latency[op]);
	s->cache_hits = cs.hits;
	s->cache_misses = cs.misses;
	s->cache_bytes = cs.bytes;
	s->uring_inline = atomic64_read(&cd->uring_inline);
	s->uring_async = atomic64_read(&cd->uring_async);
	s->uring_punted = atomic64_read(&cd->uring_punted);
	if (copy_to_user(u64_to_user_ptr(c->stats_ptr), s,
			 min_t(size_t, c->stats_len, sizeof(*s))))
		ret = -EFAULT;
	kfree(s);
	return ret;
}
