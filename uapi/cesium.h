/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * CesiumDB user ABI: ioctl and io_uring uring_cmd commands.
 *
 * Rules (see DESIGN.md "ABI"):
 *  - fixed-width types only, user pointers as __u64, no implicit padding;
 *  - every command struct starts with __u32 size (sizeof the struct as the
 *    caller knows it) and __u32 flags, so a struct can grow: the kernel
 *    accepts a shorter struct (missing fields read as zero) and a longer one
 *    whose extra bytes are zero (copy_struct_from_user());
 *  - reserved fields must be zero (-EINVAL otherwise);
 *  - commands are told apart by the ioctl type and number only: the size
 *    that _IOW/_IOWR encode is that of version 1 and is not checked; the
 *    struct's own size field is;
 *  - every output goes through a user pointer, so the same struct works by
 *    value in a read-only io_uring SQE (IORING_SETUP_SQE128, at most 80
 *    bytes) and through ioctl; the kernel never writes into the command
 *    struct itself; the command's result is the ioctl return value or
 *    cqe->res;
 *  - errors are negative errno values: -ENOTTY unknown command, -EINVAL bad
 *    flag or reserved field, -EFAULT bad pointer, -E2BIG key or value over
 *    the limit, -ENOENT missing key, -EEXIST no-overwrite on an existing key
 *    (FORMAT: the device carries a known signature), -EOVERFLOW output buffer
 *    too small (the length needed is written back), -ENOSPC device full,
 *    -EUCLEAN checksum mismatch, -EIO device error, -EROFS read-only,
 *    -EBUSY a state that forbids the command, -EAGAIN would block;
 *    -EBADF put or delete through a file not opened for writing, -EPERM a
 *    control command without CAP_SYS_ADMIN, -ENODEV no such device;
 *    ATTACH: -ENOENT no such path, -ENOTBLK not a block device,
 *    -EMEDIUMTYPE not a CesiumDB device, -EPROTONOSUPPORT another format
 *    version, -ENAMETOOLONG a path of CESIUM_PATH_MAX bytes or more.
 *
 * This header compiles alone in user space with -std=c90 -pedantic.
 */
#ifndef _UAPI_LINUX_CESIUM_H
#define _UAPI_LINUX_CESIUM_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define CESIUM_ABI_VERSION		1

/* Limits of this implementation; callers read the device's own from INFO. */
#define CESIUM_MAX_KEY_LEN		255
#define CESIUM_MAX_VALUE_LEN		(1U << 20)

/* Path of the control device and prefix of the data devices. */
#define CESIUM_CONTROL_PATH		"/dev/cesium-control"
#define CESIUM_DEVICE_PREFIX		"/dev/cesium"

/* ---- data commands: /dev/cesiumN -------------------------------------- */

/* Durability of one operation, in bits 8-9 of a data command's flags. */
#define CESIUM_DUR_SHIFT		8
#define CESIUM_DUR_MASK			(3U << CESIUM_DUR_SHIFT)
#define CESIUM_DUR_DEFAULT		(0U << CESIUM_DUR_SHIFT) /* device's */
#define CESIUM_DUR_SYNC			(1U << CESIUM_DUR_SHIFT) /* on media */
#define CESIUM_DUR_PERIODIC		(2U << CESIUM_DUR_SHIFT) /* group commit */
#define CESIUM_DUR_NONE			(3U << CESIUM_DUR_SHIFT) /* when it may */

/* PUT: fail with -EEXIST if the key exists. */
#define CESIUM_PUT_NO_OVERWRITE		(1U << 0)
/* PUT: fail with -ENOENT if the key does not exist. Not with NO_OVERWRITE
 * (-EINVAL).
 */
#define CESIUM_PUT_UPDATE_ONLY		(1U << 1)

#define CESIUM_PUT_FLAGS_ALL	(CESIUM_PUT_NO_OVERWRITE | \
				 CESIUM_PUT_UPDATE_ONLY | CESIUM_DUR_MASK)
#define CESIUM_DELETE_FLAGS_ALL	(CESIUM_DUR_MASK)
#define CESIUM_GET_FLAGS_ALL	0U
#define CESIUM_EXISTS_FLAGS_ALL	0U

/**
 * struct cesium_kv_cmd - GET, PUT, DELETE and EXISTS.
 * @size:	sizeof(struct cesium_kv_cmd) as the caller knows it.
 * @flags:	CESIUM_PUT_* / CESIUM_DUR_*; see the *_FLAGS_ALL masks.
 * @ns:		namespace id; 0 is the default namespace.
 * @key_ptr:	user address of the key.
 * @key_len:	1 to max_key_len bytes.
 * @value_len:	PUT: length of the value; GET: size of the buffer at
 *		@value_ptr; DELETE, EXISTS: must be zero.
 * @value_ptr:	PUT: the value; GET: where the value is copied.
 * @value_len_ptr: GET: optional (0 or the address of a __u64) where the
 *		value's length is written, also on -EOVERFLOW; others: zero.
 * @reserved:	must be zero.
 *
 * GET, PUT, DELETE return 0; EXISTS returns 1 if the key exists, else 0.
 */
struct cesium_kv_cmd {
	__u32 size;
	__u32 flags;
	__u64 ns;
	__u64 key_ptr;
	__u32 key_len;
	__u32 value_len;
	__u64 value_ptr;
	__u64 value_len_ptr;
	__u64 reserved[2];
};

/* SCAN flags. */
#define CESIUM_SCAN_REVERSE		(1U << 0) /* walk the range downward */
#define CESIUM_SCAN_KEYS_ONLY		(1U << 1) /* records carry no values */
#define CESIUM_SCAN_START_EXCLUSIVE	(1U << 2) /* the start key itself is out */
#define CESIUM_SCAN_FLAGS_ALL	(CESIUM_SCAN_REVERSE | CESIUM_SCAN_KEYS_ONLY | \
				 CESIUM_SCAN_START_EXCLUSIVE)

/* Bytes of the output buffer one SCAN call fills at most. */
#define CESIUM_SCAN_BUF_MAX		(4U << 20)

/**
 * struct cesium_scan_cmd - SCAN: records of a key range, in key order.
 * @flags:	CESIUM_SCAN_*.
 * @ns:		namespace.
 * @start_ptr:	the range's lower bound, inclusive (exclusive with
 *		CESIUM_SCAN_START_EXCLUSIVE); ignored when @start_len is 0.
 * @end_ptr:	the range's upper bound, exclusive; ignored when @end_len is 0.
 * @start_len:	0 (from the first key) or 1..max_key_len.
 * @end_len:	0 (to the last key) or 1..max_key_len.
 * @buf_ptr:	where the records go, one after another: struct
 *		cesium_scan_rec, the key, the value, zero padding to 8 bytes.
 * @buf_len:	its size; at most CESIUM_SCAN_BUF_MAX bytes are used.
 * @limit:	at most this many records; 0 for as many as fit.
 * @result_ptr:	user address of a struct cesium_scan_result (required).
 *
 * Forward, the records are the first keys of the range; with
 * CESIUM_SCAN_REVERSE, the last ones, largest first. One call sees one
 * state of the range. To go on, call again from the last key returned:
 * forward as the start with CESIUM_SCAN_START_EXCLUSIVE, reverse as the end.
 * Returns the number of records; -EOVERFLOW when not even the first record
 * fits (result.bytes is then the size it needs).
 */
struct cesium_scan_cmd {
	__u32 size;
	__u32 flags;
	__u64 ns;
	__u64 start_ptr;
	__u64 end_ptr;
	__u32 start_len;
	__u32 end_len;
	__u64 buf_ptr;
	__u32 buf_len;
	__u32 limit;
	__u64 result_ptr;
	__u64 reserved;
};

/* struct cesium_scan_result.flags: the range has more records. */
#define CESIUM_SCAN_MORE		(1U << 0)

struct cesium_scan_result {
	__u32 nr_records;
	__u32 flags;
	__u64 bytes;		/* of the buffer used (or needed) */
};

struct cesium_scan_rec {
	__u32 key_len;
	__u32 value_len;	/* 0 with CESIUM_SCAN_KEYS_ONLY */
};

/* Operations of a BATCH. */
#define CESIUM_OP_PUT			1
#define CESIUM_OP_DELETE		2
#define CESIUM_BATCH_MAX_OPS		1024

/**
 * struct cesium_batch_op - one operation of a BATCH, in user memory.
 * @op:		CESIUM_OP_PUT or CESIUM_OP_DELETE.
 * @flags:	PUT: CESIUM_PUT_NO_OVERWRITE or CESIUM_PUT_UPDATE_ONLY.
 * @ns:		namespace.
 * @key_ptr, @key_len, @value_ptr, @value_len: as in struct cesium_kv_cmd
 *		(a DELETE carries no value).
 * @result:	written by the kernel: 0, the operation's own error, or
 *		-ECANCELED when it was not applied because another failed.
 * @reserved:	must be zero.
 */
struct cesium_batch_op {
	__u32 op;
	__u32 flags;
	__u64 ns;
	__u64 key_ptr;
	__u64 value_ptr;
	__u32 key_len;
	__u32 value_len;
	__s32 result;
	__u32 reserved;
};

/**
 * struct cesium_batch_cmd - BATCH: puts and deletes applied atomically.
 * @flags:	CESIUM_DUR_* for the whole batch.
 * @ops_ptr:	user address of the operations.
 * @nr_ops:	1..CESIUM_BATCH_MAX_OPS.
 * @op_size:	sizeof(struct cesium_batch_op) as the caller knows it: the
 *		array's stride.
 *
 * Either every operation is applied or none is, for readers and across
 * power cuts; each operation sees the ones before it. The keys, values
 * and record headers together must fit in one log batch (about 1 MiB),
 * else -E2BIG. Returns 0, or the error of the first operation that fails.
 */
struct cesium_batch_cmd {
	__u32 size;
	__u32 flags;
	__u64 ops_ptr;
	__u32 nr_ops;
	__u32 op_size;
	__u64 reserved[2];
};

/** struct cesium_sync_cmd - SYNC: make every completed write durable. */
struct cesium_sync_cmd {
	__u32 size;
	__u32 flags;
	__u64 reserved[3];
};

/*
 * Latency histograms of STATS: bucket i counts the operations that took
 * [2^i, 2^(i+1)) ns (bucket 0 also 0 ns; the last bucket all longer ones).
 */
#define CESIUM_LAT_BUCKETS		32
#define CESIUM_LAT_GET			0
#define CESIUM_LAT_PUT			1
#define CESIUM_LAT_DELETE		2
#define CESIUM_LAT_EXISTS		3
#define CESIUM_LAT_SCAN			4
#define CESIUM_LAT_BATCH		5
#define CESIUM_LAT_OPS			6

/**
 * struct cesium_stats - what STATS writes at cesium_stats_cmd.stats_ptr:
 * the counters of /sys/class/cesium/cesiumN/stats/ in one snapshot. The
 * kernel writes min(stats_len, sizeof) bytes and sets @size to its size.
 * Fields are only ever added at the end: one past @size was not written.
 * @cache_hits, @cache_misses: gets of values in the log that the hot-item
 * cache answered, or had to leave to the device (none while it is off);
 * @cache_bytes: the memory it holds now.
 */
struct cesium_stats {
	__u32 size;
	__u32 pad;
	__u64 puts;
	__u64 gets;
	__u64 deletes;
	__u64 exists;
	__u64 scans;
	__u64 batches;
	__u64 syncs;
	__u64 bytes_in;		/* key and value bytes of puts */
	__u64 bytes_out;	/* value bytes returned */
	__u64 device_reads;
	__u64 device_read_bytes;
	__u64 device_writes;
	__u64 device_write_bytes;
	__u64 flushes;
	__u64 io_errors;
	__u64 log_commits;
	__u64 checksum_errors;
	__u64 recovery_bytes;	/* read by the last recovery */
	__u64 recovery_us;
	__u64 nr_keys;
	__u64 used_bytes;
	__u64 capacity_bytes;
	__u64 index_bytes;
	__u64 latency[CESIUM_LAT_OPS][CESIUM_LAT_BUCKETS];
	__u64 checkpoints;	/* written since attach */
	__u64 checkpoint_bytes;	/* what they wrote */
	__u64 gc_moved_bytes;	/* live records the cleaner rewrote */
	__u64 gc_freed_bytes;	/* log space the cleaner gave back */
	__u64 discard_bytes;	/* of it, discarded on the device */
	__u64 damaged_batches;	/* damaged log batches found */
	__u64 live_bytes;	/* log bytes the live values take */
	__u64 damaged_segments;	/* checkpoint segments lost at attach */
	__u64 cache_hits;
	__u64 cache_misses;
	__u64 cache_bytes;
	__u64 uring_inline;	/* uring_cmds completed in their first issue */
	__u64 uring_async;	/* queued, completed from task work */
	__u64 uring_punted;	/* answered -EAGAIN: reissued from io-wq */
	__u64 gc_stalls;	/* writes that waited for the cleaner */
};

/**
 * struct cesium_stats_cmd - STATS.
 * @stats_ptr:	user address of a struct cesium_stats.
 * @stats_len:	bytes at @stats_ptr (at least 8).
 * @pad:	must be zero.
 */
struct cesium_stats_cmd {
	__u32 size;
	__u32 flags;
	__u64 stats_ptr;
	__u32 stats_len;
	__u32 pad;
	__u64 reserved[2];
};

/**
 * struct cesium_ns_cmd - NAMESPACES: the namespaces that hold keys.
 * @ids_ptr:	user address of a __u64 array; may be 0 when @nr_ids is 0.
 * @nr_ids:	its length.
 * @pad:	must be zero.
 * @count_ptr:	0, or the user address of a __u64 that receives how many
 *		namespaces hold keys.
 *
 * Writes the ids in increasing order and returns how many it wrote;
 * -EOVERFLOW when more namespaces hold keys than @nr_ids (the first
 * @nr_ids are written and *@count_ptr is set all the same).
 */
struct cesium_ns_cmd {
	__u32 size;
	__u32 flags;
	__u64 ids_ptr;
	__u32 nr_ids;
	__u32 pad;
	__u64 count_ptr;
	__u64 reserved[2];
};

/**
 * struct cesium_check_cmd - CHECK: verify a stretch of the log on the
 * device, one call at a time, so a tool can show progress.
 * @offset:	where to start: 0 for the log's head, else a next_offset an
 *		earlier call returned.
 * @max_bytes:	verify about this many bytes (0: 4 MiB); a call always
 *		finishes the batch it is in.
 * @result_ptr:	user address of a struct cesium_check_result (required).
 * @damaged_ptr: 0, or the user address of a __u64 array that receives the
 *		device offsets of the damaged stretches found, in order.
 * @nr_damaged:	its length.
 * @pad:	must be zero.
 *
 * Every written batch is read and checked (magic, version, checksum,
 * records); a damaged one is reported, never used. A call with @offset 0
 * first reports the checkpoint segments that attach found damaged and
 * whose key ranges are lost (sysfs lost_ranges) until acknowledged: the
 * first result.lost_segments entries of the list are their records'
 * offsets. Returns the number of damaged stretches and segments found by
 * this call.
 */
struct cesium_check_cmd {
	__u32 size;
	__u32 flags;
	__u64 offset;
	__u64 max_bytes;
	__u64 result_ptr;
	__u64 damaged_ptr;
	__u32 nr_damaged;
	__u32 pad;
	__u64 reserved;
};

struct cesium_check_result {
	__u64 next_offset;	/* where the next call goes on */
	__u64 start_offset;	/* the log's head */
	__u64 end_offset;	/* the log's tail: done when next_offset is here */
	__u64 checked_bytes;	/* by this call */
	__u64 batches;		/* sound batches seen by this call */
	__u64 damaged;		/* damaged stretches found by this call */
	__u64 lost_segments;	/* of them, checkpoint segments (see above) */
	__u64 reserved[1];
};

/* Device states, in INFO and LIST. */
#define CESIUM_STATE_ONLINE		0
#define CESIUM_STATE_READ_ONLY		1
#define CESIUM_STATE_FAILED		2

/* Feature bits reported by INFO. */
#define CESIUM_FEAT_NAMESPACES		((__u64)1 << 0)
#define CESIUM_FEAT_DURABILITY		((__u64)1 << 1)
#define CESIUM_FEAT_EXISTS		((__u64)1 << 2)
#define CESIUM_FEAT_SCAN		((__u64)1 << 3)
#define CESIUM_FEAT_BATCH		((__u64)1 << 4)
#define CESIUM_FEAT_SYNC		((__u64)1 << 5)
#define CESIUM_FEAT_URING_CMD		((__u64)1 << 6)
#define CESIUM_FEAT_STATS		((__u64)1 << 7)
#define CESIUM_FEAT_NAMESPACE_LIST	((__u64)1 << 8)
#define CESIUM_FEAT_CHECK		((__u64)1 << 9)
#define CESIUM_FEATURES_ALL	(CESIUM_FEAT_NAMESPACES | \
				 CESIUM_FEAT_DURABILITY | CESIUM_FEAT_EXISTS | \
				 CESIUM_FEAT_SCAN | CESIUM_FEAT_BATCH | \
				 CESIUM_FEAT_SYNC | CESIUM_FEAT_URING_CMD | \
				 CESIUM_FEAT_STATS | CESIUM_FEAT_NAMESPACE_LIST | \
				 CESIUM_FEAT_CHECK)

/**
 * struct cesium_info - what INFO writes at cesium_info_cmd.info_ptr.
 * The kernel writes min(info_len, sizeof(struct cesium_info)) bytes and
 * sets @size to the number of bytes it knows of.
 */
struct cesium_info {
	__u32 size;
	__u32 abi_version;
	__u64 features;
	__u32 format_version;
	__u32 max_key_len;
	__u32 max_value_len;
	__u32 state;		/* CESIUM_STATE_* */
	__u32 index;		/* N of /dev/cesiumN */
	__u32 logical_block_size;
	__u64 capacity_bytes;	/* space for data: the log region */
	__u64 used_bytes;	/* of which written so far */
	__u64 nr_keys;
	__u8 uuid[16];		/* written by FORMAT */
	char bdev_name[32];	/* e.g. "nvme0n1", NUL-terminated */
	__u64 reserved[8];
};

/**
 * struct cesium_info_cmd - INFO.
 * @info_ptr:	user address of a struct cesium_info.
 * @info_len:	bytes at @info_ptr (at least 8).
 * @pad:	must be zero.
 */
struct cesium_info_cmd {
	__u32 size;
	__u32 flags;
	__u64 info_ptr;
	__u32 info_len;
	__u32 pad;
	__u64 reserved[2];
};

/* ---- control commands: /dev/cesium-control, CAP_SYS_ADMIN ------------- */

/* FORMAT: overwrite a device that carries a known signature. */
#define CESIUM_FORMAT_FORCE		(1U << 0)
#define CESIUM_FORMAT_FLAGS_ALL		CESIUM_FORMAT_FORCE

/* Signatures FORMAT recognises, written through result_ptr on -EEXIST. */
#define CESIUM_SIG_NONE			0
#define CESIUM_SIG_CESIUM		1
#define CESIUM_SIG_PARTITION_TABLE	2
#define CESIUM_SIG_EXT			3	/* ext2/3/4 */
#define CESIUM_SIG_XFS			4
#define CESIUM_SIG_BTRFS		5
#define CESIUM_SIG_SWAP			6

#define CESIUM_PATH_MAX			4096

/**
 * struct cesium_ctl_cmd - FORMAT, ATTACH and DETACH.
 * @flags:	FORMAT: CESIUM_FORMAT_*; others: zero.
 * @path_ptr:	FORMAT, ATTACH: user address of the block device's path.
 * @path_len:	its length without a terminating NUL (1..CESIUM_PATH_MAX-1).
 * @index:	DETACH: N of /dev/cesiumN; others: zero.
 * @result_ptr:	FORMAT: optional address of a __u64 that receives the
 *		CESIUM_SIG_* found on the device (on success too: what
 *		--force overwrote, or CESIUM_SIG_NONE); others: zero.
 *
 * ATTACH returns N of the new /dev/cesiumN; FORMAT and DETACH return 0.
 */
struct cesium_ctl_cmd {
	__u32 size;
	__u32 flags;
	__u64 path_ptr;
	__u32 path_len;
	__u32 index;
	__u64 result_ptr;
	__u64 reserved[4];
};

/** struct cesium_list_entry - one attached device, as LIST reports it. */
struct cesium_list_entry {
	__u32 index;
	__u32 state;		/* CESIUM_STATE_* */
	__u32 major;		/* of the block device */
	__u32 minor;
	__u64 capacity_bytes;
	__u64 used_bytes;
	char bdev_name[32];
};

/**
 * struct cesium_list_cmd - LIST.
 * @entries_ptr: user address of an array of entries; may be 0 when
 *		@nr_entries is 0 (a count query).
 * @nr_entries:	its length in entries (at most 256).
 * @entry_size:	sizeof(struct cesium_list_entry) as the caller knows it (at
 *		least 64): the stride of the array; the kernel writes
 *		min(@entry_size, its own size) bytes per entry, so the entry
 *		can grow.
 * @count_ptr:	0, or the user address of a __u64 that receives the number
 *		of attached devices.
 *
 * Returns the number of entries written; -EOVERFLOW when more devices are
 * attached than @nr_entries (the first @nr_entries are written and
 * *@count_ptr is set all the same).
 */
struct cesium_list_cmd {
	__u32 size;
	__u32 flags;
	__u64 entries_ptr;
	__u32 nr_entries;
	__u32 entry_size;
	__u64 count_ptr;
	__u64 reserved[2];
};

/* ---- command numbers (ioctl request and uring_cmd cmd_op) ------------- */
#define CESIUM_IOC_MAGIC		0xCE

#define CESIUM_IOC_GET		_IOWR(CESIUM_IOC_MAGIC, 0x40, struct cesium_kv_cmd)
#define CESIUM_IOC_PUT		_IOW(CESIUM_IOC_MAGIC, 0x41, struct cesium_kv_cmd)
#define CESIUM_IOC_DELETE	_IOW(CESIUM_IOC_MAGIC, 0x42, struct cesium_kv_cmd)
#define CESIUM_IOC_EXISTS	_IOW(CESIUM_IOC_MAGIC, 0x43, struct cesium_kv_cmd)
#define CESIUM_IOC_INFO		_IOWR(CESIUM_IOC_MAGIC, 0x44, struct cesium_info_cmd)
#define CESIUM_IOC_SCAN		_IOWR(CESIUM_IOC_MAGIC, 0x45, struct cesium_scan_cmd)
#define CESIUM_IOC_BATCH	_IOWR(CESIUM_IOC_MAGIC, 0x46, struct cesium_batch_cmd)
#define CESIUM_IOC_SYNC		_IOW(CESIUM_IOC_MAGIC, 0x47, struct cesium_sync_cmd)
#define CESIUM_IOC_STATS	_IOWR(CESIUM_IOC_MAGIC, 0x48, struct cesium_stats_cmd)
#define CESIUM_IOC_NAMESPACES	_IOWR(CESIUM_IOC_MAGIC, 0x49, struct cesium_ns_cmd)
#define CESIUM_IOC_CHECK	_IOWR(CESIUM_IOC_MAGIC, 0x4a, struct cesium_check_cmd)

#define CESIUM_IOC_FORMAT	_IOW(CESIUM_IOC_MAGIC, 0x60, struct cesium_ctl_cmd)
#define CESIUM_IOC_ATTACH	_IOW(CESIUM_IOC_MAGIC, 0x61, struct cesium_ctl_cmd)
#define CESIUM_IOC_DETACH	_IOW(CESIUM_IOC_MAGIC, 0x62, struct cesium_ctl_cmd)
#define CESIUM_IOC_LIST		_IOWR(CESIUM_IOC_MAGIC, 0x63, struct cesium_list_cmd)

#endif /* _UAPI_LINUX_CESIUM_H */
