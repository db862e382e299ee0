// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs of an attached device, /sys/class/cesium/cesiumN/: what it is
 * attached to, its state and settings, and stats/ with its counters.
 * The attributes go away (and readers drain) in device_del(), before the
 * store is closed, so a handler always sees a live store.
 */
#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include <uapi/cesium.h>
#include "../engine/store.h"
#include "../io/backend.h"
#include "iface.h"

static struct cesium_dev *to_cd(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static const char * const cesium_state_names[] = {
	[CESIUM_STORE_ONLINE] = "online",
	[CESIUM_STORE_READ_ONLY] = "read-only",
	[CESIUM_STORE_FAILED] = "failed",
};

static const char * const cesium_durability_names[] = {
	[CESIUM_DURABILITY_SYNC] = "sync",
	[CESIUM_DURABILITY_PERIODIC] = "periodic",
	[CESIUM_DURABILITY_NONE] = "none",
};

static ssize_t device_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", to_cd(dev)->be->name);
}
static DEVICE_ATTR_RO(device);

/* One read-only attribute per field of struct cesium_store_info. */
#define CESIUM_INFO_ATTR(name, field)					\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct cesium_store_info info;					\
									\
	cesium_store_info(to_cd(dev)->store, &info);			\
	return sysfs_emit(buf, "%llu\n", (unsigned long long)info.field); \
}									\
static DEVICE_ATTR_RO(name)

CESIUM_INFO_ATTR(capacity_bytes, capacity_bytes);
CESIUM_INFO_ATTR(used_bytes, used_bytes);
CESIUM_INFO_ATTR(format_version, format_version);
CESIUM_INFO_ATTR(nr_keys, nr_keys);
CESIUM_INFO_ATTR(data_bytes, data_bytes);
CESIUM_INFO_ATTR(index_bytes, index_bytes);
CESIUM_INFO_ATTR(inline_max, inline_max);
CESIUM_INFO_ATTR(commit_ms, commit_ms);
CESIUM_INFO_ATTR(block_bytes, block_bytes);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct cesium_store_info info;

	cesium_store_info(to_cd(dev)->store, &info);
	return sysfs_emit(buf, "%s\n", cesium_state_names[info.state]);
}
static DEVICE_ATTR_RO(state);

static ssize_t durability_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct cesium_store_info info;

	cesium_store_info(to_cd(dev)->store, &info);
	return sysfs_emit(buf, "%s\n", cesium_durability_names[info.durability]);
}

static ssize_t durability_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t len)
{
	int dur;

	/* Not sysfs_match_string(): the table starts with a hole. */
	for (dur = CESIUM_DURABILITY_SYNC; dur <= CESIUM_DURABILITY_NONE; dur++)
		if (sysfs_streq(buf, cesium_durability_names[dur]))
			return cesium_store_set_durability(to_cd(dev)->store,
							   dur) ?: len;
	return -EINVAL;
}
static DEVICE_ATTR_RW(durability);

static ssize_t gc_ratio_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct cesium_store_info info;

	cesium_store_info(to_cd(dev)->store, &info);
	return sysfs_emit(buf, "%u\n", info.gc_ratio);
}

static ssize_t gc_ratio_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t len)
{
	u32 pct;
	int ret;

	ret = kstrtou32(buf, 10, &pct);
	if (ret)
		return ret;
	return cesium_store_set_gc_ratio(to_cd(dev)->store, pct) ?: len;
}
static DEVICE_ATTR_RW(gc_ratio);

/* Writing 1 cleans and checkpoints, now (cesium_store_maintain()). */
static ssize_t checkpoint_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t len)
{
	bool on;
	int ret;

	ret = kstrtobool(buf, &on);
	if (ret)
		return ret;
	if (!on)
		return -EINVAL;
	return cesium_store_maintain(to_cd(dev)->store) ?: len;
}
static DEVICE_ATTR_WO(checkpoint);

/* The hot-item cache's budget in bytes; 0 turns it off and frees it. */
static ssize_t cache_bytes_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct cesium_cache_stats cs;

	cesium_store_cache_stats(to_cd(dev)->store, &cs);
	return sysfs_emit(buf, "%llu\n", (unsigned long long)cs.max_bytes);
}

static ssize_t cache_bytes_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t len)
{
	u64 bytes;
	int ret;

	ret = kstrtou64(buf, 0, &bytes);
	if (ret)
		return ret;
	cesium_store_set_cache_bytes(to_cd(dev)->store, bytes);
	return len;
}
static DEVICE_ATTR_RW(cache_bytes);

/*
 * When the hot-item cache takes a value read from the device: 1 at its
 * first miss, 2 (the default) at a second miss its doorkeeper remembers.
 */
static ssize_t cache_admit_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct cesium_cache_stats cs;

	cesium_store_cache_stats(to_cd(dev)->store, &cs);
	return sysfs_emit(buf, "%u\n", cs.admit);
}

static ssize_t cache_admit_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t len)
{
	unsigned int admit;
	int ret;

	ret = kstrtouint(buf, 0, &admit);
	if (ret)
		return ret;
	return cesium_store_set_cache_admit(to_cd(dev)->store, admit) ?: len;
}
static DEVICE_ATTR_RW(cache_admit);

/*
 * Key ranges lost with damaged checkpoint segments, one a line:
 * "ns N seg ADDR after KEY before KEY", KEY escaped as cesiumctl does, "-"
 * for an open end. Writing "ack" acknowledges them all (the index as
 * loaded becomes the store's content; checkpoints and the cleaner resume).
 */
static ssize_t lost_ranges_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct cesium_store *st = to_cd(dev)->store;
	struct cesium_lost_range *r;
	ssize_t n = 0, line;
	char *lo, *hi;
	u32 i;

	r = kmalloc(sizeof(*r) + 2 * CESIUM_KEY_TEXT_MAX, GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	lo = (char *)(r + 1);
	hi = lo + CESIUM_KEY_TEXT_MAX;
	for (i = 0; !cesium_store_lost_range(st, i, r); i++) {
		line = snprintf(NULL, 0, "ns %llu seg %llu after %s before %s\n",
				r->ns, r->seg_addr,
				r->lo_len ? cesium_key_escape(lo, r->lo,
							      r->lo_len) : "-",
				r->hi_len ? cesium_key_escape(hi, r->hi,
							      r->hi_len) : "-");
		/* What does not fit in the page is left out, and said so. */
		if (n + line + 4 > PAGE_SIZE) {
			n += sysfs_emit_at(buf, n, "...\n");
			break;
		}
		n += sysfs_emit_at(buf, n, "ns %llu seg %llu after %s before %s\n",
				   r->ns, r->seg_addr, r->lo_len ? lo : "-",
				   r->hi_len ? hi : "-");
	}
	kfree(r);
	return n;
}

static ssize_t lost_ranges_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t len)
{
	if (!sysfs_streq(buf, "ack"))
		return -EINVAL;
	cesium_store_lost_ack(to_cd(dev)->store);
	return len;
}
static DEVICE_ATTR_RW(lost_ranges);

static struct attribute *cesium_dev_attrs[] = {
	&dev_attr_device.attr,
	&dev_attr_state.attr,
	&dev_attr_durability.attr,
	&dev_attr_capacity_bytes.attr,
	&dev_attr_used_bytes.attr,
	&dev_attr_format_version.attr,
	&dev_attr_nr_keys.attr,
	&dev_attr_data_bytes.attr,
	&dev_attr_index_bytes.attr,
	&dev_attr_inline_max.attr,
	&dev_attr_commit_ms.attr,
	&dev_attr_block_bytes.attr,
	&dev_attr_gc_ratio.attr,
	&dev_attr_checkpoint.attr,
	&dev_attr_lost_ranges.attr,

	&dev_attr_cache_bytes.attr,
	&dev_attr_cache_admit.attr,
	NULL,
};

static const struct attribute_group cesium_dev_group = {
	.attrs = cesium_dev_attrs,
};

/* stats/: the store's counters and the device I/O done through it. */
#define CESIUM_STAT_ATTR(name, expr)					\
static ssize_t stat_##name##_show(struct device *dev,			\
				  struct device_attribute *attr, char *buf) \
{									\
	struct cesium_dev *cd = to_cd(dev);				\
	struct cesium_store_stats s;					\
									\
	cesium_store_stats(cd->store, &s);				\
	return sysfs_emit(buf, "%llu\n", (unsigned long long)(expr));	\
}									\
static struct device_attribute dev_attr_stat_##name =			\
	__ATTR(name, 0444, stat_##name##_show, NULL)

CESIUM_STAT_ATTR(puts, s.puts);
CESIUM_STAT_ATTR(gets, s.gets);
CESIUM_STAT_ATTR(deletes, s.deletes);
CESIUM_STAT_ATTR(exists, s.exists);
CESIUM_STAT_ATTR(scans, s.scans);
CESIUM_STAT_ATTR(batches, s.batches);
CESIUM_STAT_ATTR(syncs, s.syncs);
CESIUM_STAT_ATTR(bytes_in, s.bytes_in);
CESIUM_STAT_ATTR(bytes_out, s.bytes_out);
CESIUM_STAT_ATTR(log_commits, s.log_commits);
CESIUM_STAT_ATTR(checksum_errors, s.checksum_errors);
CESIUM_STAT_ATTR(recovery_bytes, s.recovery_bytes);
CESIUM_STAT_ATTR(recovery_us, s.recovery_us);
CESIUM_STAT_ATTR(checkpoints, s.checkpoints);
CESIUM_STAT_ATTR(checkpoints_fuzzy, s.checkpoints_fuzzy);
CESIUM_STAT_ATTR(checkpoint_bytes, s.checkpoint_bytes);
CESIUM_STAT_ATTR(gc_moved_bytes, s.gc_moved_bytes);
CESIUM_STAT_ATTR(gc_freed_bytes, s.gc_freed_bytes);
CESIUM_STAT_ATTR(discard_bytes, s.discard_bytes);
CESIUM_STAT_ATTR(damaged_batches, s.damaged_batches);
CESIUM_STAT_ATTR(gc_stalls, s.gc_stalls);
CESIUM_STAT_ATTR(live_bytes, s.live_bytes);
CESIUM_STAT_ATTR(damaged_segments, s.damaged_segments);
CESIUM_STAT_ATTR(device_reads, atomic64_read(&cd->be->stats.reads));
CESIUM_STAT_ATTR(device_read_bytes, atomic64_read(&cd->be->stats.read_bytes));
CESIUM_STAT_ATTR(device_writes, atomic64_read(&cd->be->stats.writes));
CESIUM_STAT_ATTR(device_write_bytes, atomic64_read(&cd->be->stats.write_bytes));
CESIUM_STAT_ATTR(flushes, atomic64_read(&cd->be->stats.flushes));
CESIUM_STAT_ATTR(io_errors, atomic64_read(&cd->be->stats.errors));

/* The hot-item cache's counters. */
#define CESIUM_CACHE_STAT_ATTR(name, field)				\
static ssize_t stat_##name##_show(struct device *dev,			\
				  struct device_attribute *attr, char *buf) \
{									\
	struct cesium_cache_stats cs;					\
									\
	cesium_store_cache_stats(to_cd(dev)->store, &cs);		\
	return sysfs_emit(buf, "%llu\n", (unsigned long long)cs.field);	\
}									\
static struct device_attribute dev_attr_stat_##name =			\
	__ATTR(name, 0444, stat_##name##_show, NULL)

/* How uring_cmds ran: see struct cesium_dev. */
#define CESIUM_URING_ATTR(name)						\
static ssize_t stat_##name##_show(struct device *dev,			\
				  struct device_attribute *attr, char *buf) \
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  (long long)atomic64_read(&to_cd(dev)->name));	\
}									\
static struct device_attribute dev_attr_stat_##name =			\
	__ATTR(name, 0444, stat_##name##_show, NULL)

CESIUM_CACHE_STAT_ATTR(cache_hits, hits);
CESIUM_CACHE_STAT_ATTR(cache_misses, misses);
CESIUM_CACHE_STAT_ATTR(cache_bytes, bytes);
CESIUM_CACHE_STAT_ATTR(cache_declined, declined);
CESIUM_URING_ATTR(uring_inline);
CESIUM_URING_ATTR(uring_async);
CESIUM_URING_ATTR(uring_punted);

/* Latency histograms: one line of CESIUM_LAT_BUCKETS counts each. */
#define CESIUM_LAT_ATTR(name, op)					\
static ssize_t lat_##name##_show(struct device *dev,			\
				 struct device_attribute *attr, char *buf) \
{									\
	return cesium_lat_show(to_cd(dev), op, buf);			\
}									\
static struct device_attribute dev_attr_lat_##name =			\
	__ATTR(latency_##name, 0444, lat_##name##_show, NULL)

CESIUM_LAT_ATTR(get, CESIUM_LAT_GET);
CESIUM_LAT_ATTR(put, CESIUM_LAT_PUT);
CESIUM_LAT_ATTR(delete, CESIUM_LAT_DELETE);
CESIUM_LAT_ATTR(exists, CESIUM_LAT_EXISTS);
CESIUM_LAT_ATTR(scan, CESIUM_LAT_SCAN);
CESIUM_LAT_ATTR(batch, CESIUM_LAT_BATCH);

static struct attribute *cesium_stat_attrs[] = {
	&dev_attr_lat_get.attr,
	&dev_attr_lat_put.attr,
	&dev_attr_lat_delete.attr,
	&dev_attr_lat_exists.attr,
	&dev_attr_lat_scan.attr,
	&dev_attr_lat_batch.attr,
	&dev_attr_stat_puts.attr,
	&dev_attr_stat_gets.attr,
	&dev_attr_stat_deletes.attr,
	&dev_attr_stat_exists.attr,
	&dev_attr_stat_scans.attr,
	&dev_attr_stat_batches.attr,
	&dev_attr_stat_syncs.attr,
	&dev_attr_stat_bytes_in.attr,
	&dev_attr_stat_bytes_out.attr,
	&dev_attr_stat_log_commits.attr,
	&dev_attr_stat_checksum_errors.attr,
	&dev_attr_stat_recovery_bytes.attr,
	&dev_attr_stat_recovery_us.attr,
	&dev_attr_stat_checkpoints.attr,
	&dev_attr_stat_checkpoints_fuzzy.attr,
	&dev_attr_stat_checkpoint_bytes.attr,
	&dev_attr_stat_gc_moved_bytes.attr,
	&dev_attr_stat_gc_freed_bytes.attr,
	&dev_attr_stat_discard_bytes.attr,
	&dev_attr_stat_damaged_batches.attr,
	&dev_attr_stat_gc_stalls.attr,
	&dev_attr_stat_live_bytes.attr,
	&dev_attr_stat_damaged_segments.attr,
	&dev_attr_stat_device_reads.attr,
	&dev_attr_stat_device_read_bytes.attr,
	&dev_attr_stat_device_writes.attr,
	&dev_attr_stat_device_write_bytes.attr,
	&dev_attr_stat_flushes.attr,
	&dev_attr_stat_io_errors.attr,
	&dev_attr_stat_cache_hits.attr,
	&dev_attr_stat_cache_misses.attr,
	&dev_attr_stat_cache_bytes.attr,
	&dev_attr_stat_cache_declined.attr,
	&dev_attr_stat_uring_inline.attr,
	&dev_attr_stat_uring_async.attr,
	&dev_attr_stat_uring_punted.attr,
	NULL,
};

static const struct attribute_group cesium_stat_group = {
	.name = "stats",
	.attrs = cesium_stat_attrs,
};

const struct attribute_group *cesium_dev_groups[] = {
	&cesium_dev_group,
	&cesium_stat_group,
	NULL,
};
