/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The on-device format, version 3.
 *
 * Layout, in units of block_bytes (max(4096, logical block size)):
 *   block 0, block 1	the two superblocks, written in turn; the valid one
 *			with the higher sequence number wins
 *   block 2 ...	the data region: the log, a circle of batches
 *
 * The log is written at its tail and cleaned at its head (gc.c); both go
 * round the data region. A batch never straddles the region's end: when the
 * next one would not fit, a batch with CESIUM_LOG_F_WRAP and no records
 * says that the log goes on at the region's start (when less than a block
 * is left, the wrap is implied).
 *
 * A checkpoint (ckpt.c) is written into the log like any batch: one SEG
 * record per index segment changed since the last checkpoint (the
 * segment's image without its free gap, copy-on-write: never over an
 * older copy; version 2 wrote whole segments), one MAP record
 * per namespace listing the addresses of all its segments' records in key
 * order, and a ROOT record listing the MAP records. The superblock points
 * at the ROOT record and at the batch where replay starts.
 *
 * Every unit on the device starts with struct cesium_disk_hdr: a magic, a
 * type, the format version and an xxh64 checksum over the unit. All fields
 * are little-endian. A log batch is a header followed by packed records and
 * padded with zeroes to whole blocks; batches are chained by sequence
 * number, the store's uuid and the previous batch's checksum, so a stale
 * batch left on the device by an earlier run or an earlier format is never
 * mistaken for the next one.
 *
 * The parsers below take untrusted bytes: they check every length against
 * the buffer and never read past it. They are fuzzed in user space.
 */
#ifndef _CESIUM_ENGINE_FORMAT_H
#define _CESIUM_ENGINE_FORMAT_H

#include <linux/types.h>

#define CESIUM_DISK_MAGIC		0x4d534543	/* "CESM" */
#define CESIUM_FORMAT_VERSION		3
/*
 * The oldest version read: 2 differs only in its SEG records, which hold
 * whole segments (cesium_index_load_seg() takes both). Attaching such a
 * device writes version 3 from then on, which version 2 refuses.
 */
#define CESIUM_FORMAT_VERSION_MIN	2
#define CESIUM_MIN_BLOCK_BYTES		4096
#define CESIUM_DISK_KEY_MAX		255
#define CESIUM_DISK_VALUE_MAX		(1U << 20)

enum cesium_blk_type {
	CESIUM_BLK_SUPER = 1,
	CESIUM_BLK_LOG = 2,
};

struct cesium_disk_hdr {
	__le32 magic;
	__le16 type;
	__le16 version;
	__le64 csum;	/* xxh64 of [16, len) seeded with bytes [0, 8) */
	__le32 len;	/* bytes covered, from the start of the header */
	__le32 reserved;
};

struct cesium_disk_super {
	struct cesium_disk_hdr hdr;
	__le64 seq;
	__u8 uuid[16];
	__le64 device_bytes;
	__le32 block_bytes;
	__le32 flags;
	__le64 data_start;
	__le64 data_end;
	__le64 log_head;	/* replay starts at this batch */
	__le64 log_head_seq;	/* its sequence number */
	__le64 log_head_prev;	/* the chain value it carries */
	__le64 gc_head;		/* first byte in use: the log's oldest batch */
	__le64 gc_head_seq;	/* its sequence number */
	__le64 ckpt_begin;	/* first batch of the checkpoint in force */
	__le64 ckpt_root;	/* its ROOT record; 0: no checkpoint yet */
	__le32 ckpt_root_len;	/* the ROOT record's value length */
	__le32 reserved0;
	__le64 ckpt_seq;	/* checkpoints written since format */
};

struct cesium_disk_log {
	struct cesium_disk_hdr hdr;
	__le64 seq;
	__le64 prev_csum;
	__u8 uuid[16];
	__le32 nr_records;
	__le32 flags;		/* CESIUM_LOG_F_* */
	__le64 durable_seq;	/* batches up to it were stable before */
};

/* The log goes on at the data region's start; the batch has no records. */
#define CESIUM_LOG_F_WRAP	(1U << 0)

/*
 * A record: this header, the key, the value, zero padding to 8 bytes.
 * csum is xxh64 of key and value seeded with bytes [0, 8) of the record
 * xor ns, so a get can check one record without reading its batch.
 */
struct cesium_disk_rec {
	__u8 op;
	__u8 key_len;
	__le16 flags;
	__le32 value_len;
	__le64 ns;
	__le64 csum;
};

enum cesium_rec_op {
	CESIUM_REC_PUT = 1,
	CESIUM_REC_DELETE = 2,
	CESIUM_REC_SEG = 3,	/* an index segment's image; no key */
	CESIUM_REC_MAP = 4,	/* __le64 addresses of a namespace's SEGs */
	CESIUM_REC_ROOT = 5,	/* struct cesium_disk_root; no key */
};

/* The value of a ROOT record: what a checkpoint holds. */
struct cesium_disk_root {
	__le64 nr_keys;
	__le32 nr_maps;
	__le32 seg_bytes;
	__le64 reserved[2];
	struct cesium_disk_map_ref {
		__le64 addr;		/* the MAP record */
		__le32 nr_segs;		/* addresses it holds */
		__le32 reserved;
	} maps[];
};

/* Superblock contents in CPU order. */
struct cesium_super {
	u64 seq;
	u8 uuid[16];
	u64 device_bytes;
	u32 block_bytes;
	u64 data_start;
	u64 data_end;
	u64 log_head;
	u64 log_head_seq;
	u64 log_head_prev;
	u64 gc_head;
	u64 gc_head_seq;
	u64 ckpt_begin;
	u64 ckpt_root;
	u32 ckpt_root_len;
	u64 ckpt_seq;
};

/* A log batch header in CPU order. */
struct cesium_log_batch {
	u64 seq;
	u64 prev_csum;
	u64 csum;
	u8 uuid[16];
	u32 len;	/* header and records, without padding */
	u32 nr_records;
	u32 flags;	/* CESIUM_LOG_F_* */
	u64 durable_seq;
};

/* A decoded record; key and value point into the buffer it came from. */
struct cesium_rec {
	u8 op;
	u8 key_len;
	u32 value_len;
	u64 ns;
	const u8 *key;
	const u8 *value;
};

/* Signatures that format refuses to overwrite without force. */
enum cesium_signature {
	CESIUM_SIGNATURE_NONE = 0,
	CESIUM_SIGNATURE_CESIUM,
	CESIUM_SIGNATURE_PARTITIONS,
	CESIUM_SIGNATURE_EXT,
	CESIUM_SIGNATURE_XFS,
	CESIUM_SIGNATURE_BTRFS,
	CESIUM_SIGNATURE_SWAP,
};

/* Bytes format reads to look for signatures: the first 8 KiB... */
#define CESIUM_PROBE_HEAD_BYTES		8192
/* ...and the btrfs superblock's block. */
#define CESIUM_PROBE_BTRFS_OFF		65536
#define CESIUM_PROBE_BTRFS_BYTES	4096

u64 cesium_disk_csum(const void *unit, u32 len);
void cesium_disk_seal(void *unit, u16 type, u32 len);
int cesium_disk_check_hdr(const void *unit, size_t avail, u16 type, u32 *len);
int cesium_disk_verify(const void *unit, size_t avail, u16 type);

void cesium_super_encode(const struct cesium_super *sb, void *blk);
int cesium_super_decode(const void *blk, size_t avail,
			struct cesium_super *sb);

u32 cesium_rec_size(u32 key_len, u32 value_len);
u32 cesium_rec_encode(void *dst, u8 op, u64 ns, const u8 *key, u8 key_len,
		      const void *value, u32 value_len);
u64 cesium_rec_csum_of(u8 op, u64 ns, const u8 *key, u8 key_len,
		       const void *value, u32 value_len);
u32 cesium_rec_encode_csum(void *dst, u8 op, u64 ns, const u8 *key,
			   u8 key_len, const void *value, u32 value_len,
			   u64 csum);
int cesium_rec_decode(const void *buf, size_t avail, struct cesium_rec *rec);
int cesium_rec_verify(const void *buf, size_t avail, struct cesium_rec *rec);

#define CESIUM_LOG_HDR_BYTES	sizeof(struct cesium_disk_log)
void cesium_log_batch_seal(void *buf, const struct cesium_log_batch *b);
int cesium_log_batch_peek(const void *buf, size_t avail,
			  struct cesium_log_batch *b);
int cesium_log_batch_verify(const void *buf, size_t avail,
			    struct cesium_log_batch *b);

/* A decoded ROOT record; maps points into the buffer it came from. */
struct cesium_root {
	u64 nr_keys;
	u32 nr_maps;
	u32 seg_bytes;
	const struct cesium_disk_map_ref *maps;
};

u32 cesium_root_bytes(u32 nr_maps);
void cesium_root_encode(void *dst, u64 nr_keys, u32 nr_maps, u32 seg_bytes);
void cesium_root_set_map(void *dst, u32 i, u64 addr, u32 nr_segs);
int cesium_root_decode(const void *buf, size_t len, struct cesium_root *root);

enum cesium_signature cesium_detect_signature(const u8 *head, size_t head_len,
					      const u8 *btrfs, size_t btrfs_len);

#endif /* _CESIUM_ENGINE_FORMAT_H */
