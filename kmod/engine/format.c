// SPDX-License-Identifier: GPL-2.0
/*
 * Encoders and parsers of the on-device format (see format.h). Pure
 * functions over buffers: no I/O, no allocation, no locks, so they run
 * unchanged in user space under the fuzzers.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/xxhash.h>
#include <asm/unaligned.h>

#include "format.h"

#define HDR_BYTES	sizeof(struct cesium_disk_hdr)
#define REC_HDR_BYTES	sizeof(struct cesium_disk_rec)

static void cesium_format_build_checks(void)
{
	BUILD_BUG_ON(sizeof(struct cesium_disk_hdr) != 24);
	BUILD_BUG_ON(sizeof(struct cesium_disk_super) != 152);
	BUILD_BUG_ON(sizeof(struct cesium_disk_log) != 72);
	BUILD_BUG_ON(sizeof(struct cesium_disk_rec) != 24);
}

/**
 * cesium_disk_csum() - checksum of a unit.
 * @unit:	the unit, starting with struct cesium_disk_hdr.
 * @len:	bytes covered (at least the header).
 *
 * Return: xxh64 of bytes [16, @len) seeded with bytes [0, 8): the magic,
 * type and version are covered, the checksum field itself is not.
 */
u64 cesium_disk_csum(const void *unit, u32 len)
{
	const u8 *p = unit;

	return xxh64(p + 16, len - 16, get_unaligned_le64(p));
}

/**
 * cesium_disk_seal() - fill in a unit's header and checksum.
 * @unit:	the unit; its payload after the header is already in place.
 * @type:	CESIUM_BLK_*.
 * @len:	bytes covered, at least the header's size.
 */
void cesium_disk_seal(void *unit, u16 type, u32 len)
{
	struct cesium_disk_hdr *h = unit;

	cesium_format_build_checks();
	h->magic = cpu_to_le32(CESIUM_DISK_MAGIC);
	h->type = cpu_to_le16(type);
	h->version = cpu_to_le16(CESIUM_FORMAT_VERSION);
	h->len = cpu_to_le32(len);
	h->reserved = 0;
	h->csum = cpu_to_le64(cesium_disk_csum(unit, len));
}

/**
 * cesium_disk_check_hdr() - check a unit's header, not its checksum.
 * @unit:	bytes read from the device.
 * @avail:	how many.
 * @type:	the CESIUM_BLK_* expected.
 * @len:	receives the length the header claims (not checked against
 *		@avail).
 *
 * Return: 0; -EMEDIUMTYPE if there is no CesiumDB magic; -EPROTONOSUPPORT
 * for a format version this module does not read; -EUCLEAN for a wrong
 * type or a length shorter than the header.
 */
int cesium_disk_check_hdr(const void *unit, size_t avail, u16 type, u32 *len)
{
	const struct cesium_disk_hdr *h = unit;

	if (avail < HDR_BYTES || le32_to_cpu(h->magic) != CESIUM_DISK_MAGIC)
		return -EMEDIUMTYPE;
	if (le16_to_cpu(h->version) < CESIUM_FORMAT_VERSION_MIN ||
	    le16_to_cpu(h->version) > CESIUM_FORMAT_VERSION)
		return -EPROTONOSUPPORT;
	if (le16_to_cpu(h->type) != type)
		return -EUCLEAN;
	*len = le32_to_cpu(h->len);
	if (*len < HDR_BYTES)
		return -EUCLEAN;
	return 0;
}

/**
 * cesium_disk_verify() - check a whole unit: header, length and checksum.
 * @unit:	bytes read from the device.
 * @avail:	how many.
 * @type:	the CESIUM_BLK_* expected.
 *
 * Return: 0, or the errors of cesium_disk_check_hdr(); -EUCLEAN as well
 * when the unit is longer than @avail or its checksum does not match.
 */
int cesium_disk_verify(const void *unit, size_t avail, u16 type)
{
	const struct cesium_disk_hdr *h = unit;
	u32 len;
	int ret;

	ret = cesium_disk_check_hdr(unit, avail, type, &len);
	if (ret)
		return ret;
	if (len > avail || cesium_disk_csum(unit, len) != le64_to_cpu(h->csum))
		return -EUCLEAN;
	return 0;
}

/**
 * cesium_super_encode() - write a superblock into a zeroed block.
 * @sb:		the contents.
 * @blk:	at least sizeof(struct cesium_disk_super) bytes, zeroed.
 */
void cesium_super_encode(const struct cesium_super *sb, void *blk)
{
	struct cesium_disk_super *d = blk;

	d->seq = cpu_to_le64(sb->seq);
	memcpy(d->uuid, sb->uuid, sizeof(d->uuid));
	d->device_bytes = cpu_to_le64(sb->device_bytes);
	d->block_bytes = cpu_to_le32(sb->block_bytes);
	d->flags = 0;
	d->data_start = cpu_to_le64(sb->data_start);
	d->data_end = cpu_to_le64(sb->data_end);
	d->log_head = cpu_to_le64(sb->log_head);
	d->log_head_seq = cpu_to_le64(sb->log_head_seq);
	d->log_head_prev = cpu_to_le64(sb->log_head_prev);
	d->gc_head = cpu_to_le64(sb->gc_head);
	d->gc_head_seq = cpu_to_le64(sb->gc_head_seq);
	d->ckpt_begin = cpu_to_le64(sb->ckpt_begin);
	d->ckpt_root = cpu_to_le64(sb->ckpt_root);
	d->ckpt_root_len = cpu_to_le32(sb->ckpt_root_len);
	d->reserved0 = 0;
	d->ckpt_seq = cpu_to_le64(sb->ckpt_seq);
	cesium_disk_seal(d, CESIUM_BLK_SUPER, sizeof(*d));
}

/* A block-aligned position inside the data region. */
static bool cesium_super_in_data(const struct cesium_super *sb, u64 off)
{
	return off >= sb->data_start && off < sb->data_end &&
	       IS_ALIGNED(off, sb->block_bytes);
}

/**
 * cesium_super_decode() - parse and check a superblock.
 * @blk:	bytes read from the device.
 * @avail:	how many.
 * @sb:		receives the contents.
 *
 * Return: 0; the errors of cesium_disk_verify(); -EUCLEAN for a superblock
 * whose checksum holds but whose geometry is impossible.
 */
int cesium_super_decode(const void *blk, size_t avail, struct cesium_super *sb)
{
	const struct cesium_disk_super *d = blk;
	int ret;

	ret = cesium_disk_verify(blk, avail, CESIUM_BLK_SUPER);
	if (ret)
		return ret;
	if (le32_to_cpu(d->hdr.len) != sizeof(*d) || d->flags || d->reserved0)
		return -EUCLEAN;

	sb->seq = le64_to_cpu(d->seq);
	memcpy(sb->uuid, d->uuid, sizeof(sb->uuid));
	sb->device_bytes = le64_to_cpu(d->device_bytes);
	sb->block_bytes = le32_to_cpu(d->block_bytes);
	sb->data_start = le64_to_cpu(d->data_start);
	sb->data_end = le64_to_cpu(d->data_end);
	sb->log_head = le64_to_cpu(d->log_head);
	sb->log_head_seq = le64_to_cpu(d->log_head_seq);
	sb->log_head_prev = le64_to_cpu(d->log_head_prev);
	sb->gc_head = le64_to_cpu(d->gc_head);
	sb->gc_head_seq = le64_to_cpu(d->gc_head_seq);
	sb->ckpt_begin = le64_to_cpu(d->ckpt_begin);
	sb->ckpt_root = le64_to_cpu(d->ckpt_root);
	sb->ckpt_root_len = le32_to_cpu(d->ckpt_root_len);
	sb->ckpt_seq = le64_to_cpu(d->ckpt_seq);

	if (sb->block_bytes < CESIUM_MIN_BLOCK_BYTES ||
	    sb->block_bytes > 65536 || !is_power_of_2(sb->block_bytes))
		return -EUCLEAN;
	if (sb->data_start != 2ULL * sb->block_bytes ||
	    sb->data_end <= sb->data_start || sb->data_end > sb->device_bytes ||
	    !IS_ALIGNED(sb->data_end, sb->block_bytes))
		return -EUCLEAN;
	if (!cesium_super_in_data(sb, sb->log_head) ||
	    !cesium_super_in_data(sb, sb->gc_head) ||
	    !cesium_super_in_data(sb, sb->ckpt_begin))
		return -EUCLEAN;
	if (sb->ckpt_root &&
	    (sb->ckpt_root < sb->data_start || !IS_ALIGNED(sb->ckpt_root, 8) ||
	     sb->ckpt_root + cesium_rec_size(0, sb->ckpt_root_len) >
	     sb->data_end || sb->ckpt_root_len > CESIUM_DISK_VALUE_MAX))
		return -EUCLEAN;
	return 0;
}

/**
 * cesium_rec_size() - bytes a record takes in a batch.
 * @key_len:	key length.
 * @value_len:	value length.
 */
u32 cesium_rec_size(u32 key_len, u32 value_len)
{
	return round_up(REC_HDR_BYTES + key_len + value_len, 8);
}

/* A record's checksum is seeded with its header's first 8 bytes and @ns. */
static u64 cesium_rec_seed(const void *hdr, u64 ns)
{
	return get_unaligned_le64(hdr) ^ ns;
}

static u64 cesium_rec_csum(const u8 *rec, u64 ns, u32 payload)
{
	return xxh64(rec + REC_HDR_BYTES, payload, cesium_rec_seed(rec, ns));
}

/* Everything of a record but its checksum. Return: the record's size. */
static u32 cesium_rec_fill(void *dst, u8 op, u64 ns, const u8 *key, u8 key_len,
			   const void *value, u32 value_len)
{
	struct cesium_disk_rec *r = dst;
	u32 size = cesium_rec_size(key_len, value_len);
	u8 *p = dst;

	r->op = op;
	r->key_len = key_len;
	r->flags = 0;
	r->value_len = cpu_to_le32(value_len);
	r->ns = cpu_to_le64(ns);
	if (key_len)
		memcpy(p + REC_HDR_BYTES, key, key_len);
	if (value_len)
		memcpy(p + REC_HDR_BYTES + key_len, value, value_len);
	memset(p + REC_HDR_BYTES + key_len + value_len, 0,
	       size - REC_HDR_BYTES - key_len - value_len);
	return size;
}

/**
 * cesium_rec_encode() - write a record.
 * @dst:	cesium_rec_size(@key_len, @value_len) bytes.
 * @op:		CESIUM_REC_*.
 * @ns:		namespace.
 * @key:	the key, 1..255 bytes (none for SEG, MAP, ROOT).
 * @key_len:	its length.
 * @value:	the value (PUT) or NULL.
 * @value_len:	its length (0 for DELETE).
 *
 * Return: the record's size.
 */
u32 cesium_rec_encode(void *dst, u8 op, u64 ns, const u8 *key, u8 key_len,
		      const void *value, u32 value_len)
{
	struct cesium_disk_rec *r = dst;
	u32 size = cesium_rec_fill(dst, op, ns, key, key_len, value, value_len);

	r->csum = cpu_to_le64(cesium_rec_csum(dst, ns, key_len + value_len));
	return size;
}

/**
 * cesium_rec_csum_of() - the checksum cesium_rec_encode() would write.
 * @op:		CESIUM_REC_*.
 * @ns:		namespace.
 * @key:	the key (may be NULL when @key_len is 0).
 * @key_len:	its length.
 * @value:	the value (may be NULL when @value_len is 0).
 * @value_len:	its length.
 *
 * Computed from the key and value where they are, so that a writer can
 * hash before it takes the log's lock and only copy under it
 * (cesium_rec_encode_csum()).
 */
u64 cesium_rec_csum_of(u8 op, u64 ns, const u8 *key, u8 key_len,
		       const void *value, u32 value_len)
{
	struct cesium_disk_rec hdr = {
		.op = op,
		.key_len = key_len,
		.value_len = cpu_to_le32(value_len),
	};
	struct xxh64_state s;

	xxh64_reset(&s, cesium_rec_seed(&hdr, ns));
	/* xxh64_update() refuses a NULL input, even of no bytes. */
	if (key_len)
		xxh64_update(&s, key, key_len);
	if (value_len)
		xxh64_update(&s, value, value_len);
	return xxh64_digest(&s);
}

/**
 * cesium_rec_encode_csum() - write a record whose checksum is known.
 * @dst:	as for cesium_rec_encode(), and so the other arguments.
 * @op:		CESIUM_REC_*.
 * @ns:		namespace.
 * @key:	the key.
 * @key_len:	its length.
 * @value:	the value or NULL.
 * @value_len:	its length.
 * @csum:	cesium_rec_csum_of() the same arguments.
 *
 * Return: the record's size.
 */
u32 cesium_rec_encode_csum(void *dst, u8 op, u64 ns, const u8 *key,
			   u8 key_len, const void *value, u32 value_len,
			   u64 csum)
{
	struct cesium_disk_rec *r = dst;
	u32 size = cesium_rec_fill(dst, op, ns, key, key_len, value, value_len);

	r->csum = cpu_to_le64(csum);
	return size;
}

/**
 * cesium_rec_decode() - parse a record, without its checksum.
 * @buf:	bytes of a batch from a record's start.
 * @avail:	how many.
 * @rec:	receives the record; its pointers point into @buf.
 *
 * Return: the record's size, or -EUCLEAN when it is malformed or does not
 * fit in @avail.
 */
int cesium_rec_decode(const void *buf, size_t avail, struct cesium_rec *rec)
{
	const struct cesium_disk_rec *r = buf;
	u32 size, vlen;

	if (avail < REC_HDR_BYTES)
		return -EUCLEAN;
	vlen = le32_to_cpu(r->value_len);
	if (r->flags || vlen > CESIUM_DISK_VALUE_MAX)
		return -EUCLEAN;
	switch (r->op) {
	case CESIUM_REC_PUT:
		if (!r->key_len)
			return -EUCLEAN;
		break;
	case CESIUM_REC_DELETE:
		if (!r->key_len || vlen)
			return -EUCLEAN;
		break;
	case CESIUM_REC_SEG:
	case CESIUM_REC_MAP:
	case CESIUM_REC_ROOT:
		if (r->key_len)
			return -EUCLEAN;
		break;
	default:
		return -EUCLEAN;
	}
	size = cesium_rec_size(r->key_len, vlen);
	if (size > avail)
		return -EUCLEAN;
	rec->op = r->op;
	rec->key_len = r->key_len;
	rec->value_len = vlen;
	rec->ns = le64_to_cpu(r->ns);
	rec->key = (const u8 *)buf + REC_HDR_BYTES;
	rec->value = rec->key + rec->key_len;
	return size;
}

/**
 * cesium_rec_verify() - parse a record and check its checksum.
 * @buf:	bytes from a record's start.
 * @avail:	how many.
 * @rec:	receives the record.
 *
 * Return: the record's size, or -EUCLEAN.
 */
int cesium_rec_verify(const void *buf, size_t avail, struct cesium_rec *rec)
{
	const struct cesium_disk_rec *r = buf;
	int size = cesium_rec_decode(buf, avail, rec);

	if (size < 0)
		return size;
	if (cesium_rec_csum(buf, rec->ns, rec->key_len + rec->value_len) !=
	    le64_to_cpu(r->csum))
		return -EUCLEAN;
	return size;
}

/**
 * cesium_root_bytes() - value length of a ROOT record.
 * @nr_maps:	MAP records it lists.
 */
u32 cesium_root_bytes(u32 nr_maps)
{
	return sizeof(struct cesium_disk_root) +
	       nr_maps * sizeof(struct cesium_disk_map_ref);
}

/**
 * cesium_root_encode() - start a ROOT record's value.
 * @dst:	cesium_root_bytes(@nr_maps) bytes.
 * @nr_keys:	keys the checkpoint holds.
 * @nr_maps:	MAP records it will list (cesium_root_set_map()).
 * @seg_bytes:	size of its segments.
 */
void cesium_root_encode(void *dst, u64 nr_keys, u32 nr_maps, u32 seg_bytes)
{
	struct cesium_disk_root *r = dst;

	memset(r, 0, cesium_root_bytes(nr_maps));
	r->nr_keys = cpu_to_le64(nr_keys);
	r->nr_maps = cpu_to_le32(nr_maps);
	r->seg_bytes = cpu_to_le32(seg_bytes);
}

/**
 * cesium_root_set_map() - list MAP record @i in a ROOT record's value.
 * @dst:	the value, started by cesium_root_encode().
 * @i:		which one.
 * @addr:	the MAP record's device address.
 * @nr_segs:	addresses it holds.
 */
void cesium_root_set_map(void *dst, u32 i, u64 addr, u32 nr_segs)
{
	struct cesium_disk_root *r = dst;

	r->maps[i].addr = cpu_to_le64(addr);
	r->maps[i].nr_segs = cpu_to_le32(nr_segs);
}

/**
 * cesium_root_decode() - parse a ROOT record's value.
 * @buf:	the value (its record's checksum already verified).
 * @len:	its length.
 * @root:	receives it; root->maps points into @buf.
 *
 * Return: 0, or -EUCLEAN when the lengths do not add up, a reserved field
 * is set or the segment size is impossible.
 */
int cesium_root_decode(const void *buf, size_t len, struct cesium_root *root)
{
	const struct cesium_disk_root *r = buf;
	u32 i;

	if (len < sizeof(*r) || r->reserved[0] || r->reserved[1])
		return -EUCLEAN;
	root->nr_keys = le64_to_cpu(r->nr_keys);
	root->nr_maps = le32_to_cpu(r->nr_maps);
	root->seg_bytes = le32_to_cpu(r->seg_bytes);
	if (root->nr_maps > (len - sizeof(*r)) / sizeof(r->maps[0]) ||
	    len != cesium_root_bytes(root->nr_maps))
		return -EUCLEAN;
	if (root->seg_bytes < 4096 || root->seg_bytes > 65536 ||
	    !is_power_of_2(root->seg_bytes))
		return -EUCLEAN;
	for (i = 0; i < root->nr_maps; i++)
		if (r->maps[i].reserved || !r->maps[i].nr_segs ||
		    le32_to_cpu(r->maps[i].nr_segs) >
		    CESIUM_DISK_VALUE_MAX / sizeof(__le64))
			return -EUCLEAN;
	root->maps = r->maps;
	return 0;
}

/**
 * cesium_log_batch_seal() - write a batch header over its records.
 * @buf:	the batch: CESIUM_LOG_HDR_BYTES of header, then the records.
 * @b:		seq, prev_csum, uuid, len, nr_records, flags and durable_seq;
 *		b->csum is ignored.
 */
void cesium_log_batch_seal(void *buf, const struct cesium_log_batch *b)
{
	struct cesium_disk_log *d = buf;

	d->seq = cpu_to_le64(b->seq);
	d->prev_csum = cpu_to_le64(b->prev_csum);
	memcpy(d->uuid, b->uuid, sizeof(d->uuid));
	d->nr_records = cpu_to_le32(b->nr_records);
	d->flags = cpu_to_le32(b->flags);
	d->durable_seq = cpu_to_le64(b->durable_seq);
	cesium_disk_seal(d, CESIUM_BLK_LOG, b->len);
}

/**
 * cesium_log_batch_peek() - parse a batch header before the whole batch is
 * read: everything but the checksum.
 * @buf:	bytes from the batch's start.
 * @avail:	how many (at least the header).
 * @b:		receives the header.
 *
 * Return: 0, or the errors of cesium_disk_check_hdr().
 */
int cesium_log_batch_peek(const void *buf, size_t avail,
			  struct cesium_log_batch *b)
{
	const struct cesium_disk_log *d = buf;
	int ret;

	if (avail < CESIUM_LOG_HDR_BYTES)
		return -EUCLEAN;
	ret = cesium_disk_check_hdr(buf, avail, CESIUM_BLK_LOG, &b->len);
	if (ret)
		return ret;
	b->flags = le32_to_cpu(d->flags);
	if (b->len < CESIUM_LOG_HDR_BYTES || (b->flags & ~CESIUM_LOG_F_WRAP) ||
	    ((b->flags & CESIUM_LOG_F_WRAP) &&
	     (d->nr_records || b->len != CESIUM_LOG_HDR_BYTES)))
		return -EUCLEAN;
	b->seq = le64_to_cpu(d->seq);
	b->prev_csum = le64_to_cpu(d->prev_csum);
	b->csum = le64_to_cpu(d->hdr.csum);
	memcpy(b->uuid, d->uuid, sizeof(b->uuid));
	b->nr_records = le32_to_cpu(d->nr_records);
	b->durable_seq = le64_to_cpu(d->durable_seq);
	if (b->durable_seq >= b->seq)
		return -EUCLEAN;
	return 0;
}

/**
 * cesium_log_batch_verify() - parse a whole batch and check its checksum
 * and that its records are well-formed and as many as it says.
 * @buf:	the batch.
 * @avail:	bytes at @buf.
 * @b:		receives the header.
 *
 * Return: 0, or a negative errno as cesium_log_batch_peek(); -EUCLEAN for
 * a checksum mismatch or malformed records.
 */
int cesium_log_batch_verify(const void *buf, size_t avail,
			    struct cesium_log_batch *b)
{
	struct cesium_rec rec;
	u32 off, n = 0;
	int ret;

	ret = cesium_log_batch_peek(buf, avail, b);
	if (ret)
		return ret;
	if (b->len > avail || cesium_disk_csum(buf, b->len) != b->csum)
		return -EUCLEAN;
	for (off = CESIUM_LOG_HDR_BYTES; off < b->len; n++) {
		ret = cesium_rec_decode((const u8 *)buf + off, b->len - off,
					&rec);
		if (ret < 0)
			return ret;
		off += ret;
	}
	return n == b->nr_records ? 0 : -EUCLEAN;
}

static bool cesium_has(const u8 *buf, size_t len, size_t off, const char *s)
{
	size_t n = strlen(s);

	return off + n <= len && !memcmp(buf + off, s, n);
}

/**
 * cesium_detect_signature() - what a device already holds.
 * @head:	its first bytes (CESIUM_PROBE_HEAD_BYTES).
 * @head_len:	how many were read.
 * @btrfs:	CESIUM_PROBE_BTRFS_BYTES at CESIUM_PROBE_BTRFS_OFF, or NULL.
 * @btrfs_len:	how many were read.
 *
 * Return: the first signature found, or CESIUM_SIGNATURE_NONE.
 */
enum cesium_signature cesium_detect_signature(const u8 *head, size_t head_len,
					      const u8 *btrfs, size_t btrfs_len)
{
	u32 off;

	/* Any version of ours, in either superblock slot. */
	for (off = 0; off <= CESIUM_MIN_BLOCK_BYTES; off += CESIUM_MIN_BLOCK_BYTES)
		if (off + 8 <= head_len &&
		    get_unaligned_le32(head + off) == CESIUM_DISK_MAGIC &&
		    get_unaligned_le16(head + off + 4) == CESIUM_BLK_SUPER)
			return CESIUM_SIGNATURE_CESIUM;
	if (cesium_has(head, head_len, 0, "XFSB"))
		return CESIUM_SIGNATURE_XFS;
	if (head_len >= 1082 && get_unaligned_le16(head + 1080) == 0xEF53)
		return CESIUM_SIGNATURE_EXT;
	if (btrfs && cesium_has(btrfs, btrfs_len, 64, "_BHRfS_M"))
		return CESIUM_SIGNATURE_BTRFS;
	if (cesium_has(head, head_len, 4086, "SWAPSPACE2") ||
	    cesium_has(head, head_len, 4086, "SWAP-SPACE"))
		return CESIUM_SIGNATURE_SWAP;
	if (cesium_has(head, head_len, 512, "EFI PART") ||
	    cesium_has(head, head_len, 4096, "EFI PART") ||
	    (head_len >= 512 && head[510] == 0x55 && head[511] == 0xAA))
		return CESIUM_SIGNATURE_PARTITIONS;
	return CESIUM_SIGNATURE_NONE;
}
