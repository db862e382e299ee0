// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * ifacetest: the commands. For each, its valid form (the base every case
 * changes one field of), its result, its reserved and pad fields, and the
 * checks of what it writes back.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ifacetest.h"

/* ---- the valid commands ---------------------------------------------- */

static void kv_base(uint8_t *c, const char *key)
{
	struct cesium_kv_cmd *k = (void *)c;

	k->size = sizeof(*k);
	k->key_ptr = ptr(key);
	k->key_len = strlen(key);
}

static void b_get(uint8_t *c)
{
	struct cesium_kv_cmd *k = (void *)c;

	kv_base(c, K0);
	k->value_ptr = ptr(getbuf);
	k->value_len = sizeof(getbuf);
	k->value_len_ptr = ptr(&lenout);
}

static void b_put(uint8_t *c)
{
	struct cesium_kv_cmd *k = (void *)c;

	kv_base(c, KP);
	k->value_ptr = ptr("pp");
	k->value_len = 2;
}

static void b_delete(uint8_t *c)
{
	kv_base(c, KABSENT);
}

static void b_exists(uint8_t *c)
{
	kv_base(c, K0);
}

static void b_info(uint8_t *c)
{
	struct cesium_info_cmd *i = (void *)c;

	i->size = sizeof(*i);
	i->info_ptr = ptr(&infobuf);
	i->info_len = sizeof(infobuf);
}

static void b_scan(uint8_t *c)
{
	struct cesium_scan_cmd *s = (void *)c;

	s->size = sizeof(*s);
	s->start_ptr = ptr("iface/");
	s->start_len = 6;
	s->end_ptr = ptr("iface0");	/* '/' + 1 */
	s->end_len = 6;
	s->buf_ptr = ptr(scanbuf);
	s->buf_len = sizeof(scanbuf);
	s->limit = 2;
	s->result_ptr = ptr(&scanres);
}

/*
 * PUT KB, PUT KB again, DELETE KB, PUT KB2: applied, they leave KB absent
 * and KB2 present; refused, both absent; half done, KB or KB2 present.
 */
static void b_batch(uint8_t *c)
{
	struct cesium_batch_cmd *b = (void *)c;

	memset(ops, 0, sizeof(ops));
	ops[0].op = CESIUM_OP_PUT;
	ops[0].key_ptr = ptr(KB);
	ops[0].key_len = strlen(KB);
	ops[0].value_ptr = ptr("b0");
	ops[0].value_len = 2;
	ops[1] = ops[0];
	ops[1].value_ptr = ptr("b1");
	ops[2].op = CESIUM_OP_DELETE;
	ops[2].key_ptr = ptr(KB);
	ops[2].key_len = strlen(KB);
	ops[3] = ops[0];
	ops[3].key_ptr = ptr(KB2);
	ops[3].key_len = strlen(KB2);
	b->size = sizeof(*b);
	b->ops_ptr = ptr(ops);
	b->nr_ops = NR_OPS;
	b->op_size = sizeof(ops[0]);
}

static void b_sync(uint8_t *c)
{
	((struct cesium_sync_cmd *)c)->size = sizeof(struct cesium_sync_cmd);
}

static void b_stats(uint8_t *c)
{
	struct cesium_stats_cmd *s = (void *)c;

	s->size = sizeof(*s);
	s->stats_ptr = ptr(&statsbuf);
	s->stats_len = sizeof(statsbuf);
}

static void b_ns(uint8_t *c)
{
	struct cesium_ns_cmd *n = (void *)c;

	n->size = sizeof(*n);
	n->ids_ptr = ptr(idsbuf);
	n->nr_ids = 16;
	n->count_ptr = ptr(&countout);
}

static void b_check(uint8_t *c)
{
	struct cesium_check_cmd *k = (void *)c;

	k->size = sizeof(*k);
	k->result_ptr = ptr(&checkres);
}

/* FORMAT without FORCE of the scratch store: -EEXIST, CESIUM_SIG_CESIUM. */
static void b_format(uint8_t *c)
{
	struct cesium_ctl_cmd *k = (void *)c;

	k->size = sizeof(*k);
	k->path_ptr = ptr(scratch);
	k->path_len = strlen(scratch);
	k->result_ptr = ptr(&sigout);
}

/* ATTACH of /dev/null: -ENOTBLK, after every check of the command. */
static void b_attach(uint8_t *c)
{
	struct cesium_ctl_cmd *k = (void *)c;

	k->size = sizeof(*k);
	k->path_ptr = ptr("/dev/null");
	k->path_len = 9;
}

/* DETACH of a device that is not attached: -ENODEV. */
static void b_detach(uint8_t *c)
{
	struct cesium_ctl_cmd *k = (void *)c;

	k->size = sizeof(*k);
	k->index = FREE_INDEX;
}

static void b_list(uint8_t *c)
{
	struct cesium_list_cmd *l = (void *)c;

	l->size = sizeof(*l);
	l->entries_ptr = ptr(entries);
	l->nr_entries = 4;
	l->entry_size = sizeof(entries[0]);
	l->count_ptr = ptr(&countout);
}

/* ---- checks of outputs: NULL if fine, else why not --------------------- */

static char why[256];

const char *says(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return why;
}

/* Every output starts each case holding a known pattern. */
void reset_outputs(void)
{
	lenout = LEN_SENTINEL;
	countout = LEN_SENTINEL;
	sigout = LEN_SENTINEL;
	memset(getbuf, 0xa5, sizeof(getbuf));
	memset(&infobuf, 0xa5, sizeof(infobuf));
	memset(&statsbuf, 0xa5, sizeof(statsbuf));
	memset(scanbuf, 0xa5, sizeof(scanbuf));
	memset(&scanres, 0xa5, sizeof(scanres));
	memset(idsbuf, 0xa5, sizeof(idsbuf));
	memset(&checkres, 0xa5, sizeof(checkres));
	memset(entries, 0xa5, sizeof(entries));
}

static int all_a5(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++ != 0xa5)
			return 0;
	return 1;
}

static const char *len_is(uint64_t want)
{
	if (lenout == want)
		return NULL;
	if (lenout == LEN_SENTINEL)
		return says("the length was not written back (want %" PRIu64 ")", want);
	return says("length written back %" PRIu64 ", want %" PRIu64, lenout, want);
}

const char *post_get(void)
{
	if (len_is(V0_LEN))
		return why;
	return memcmp(getbuf, v0, V0_LEN) ? "the value differs" : NULL;
}

const char *post_len100(void) { return len_is(V0_LEN); }
const char *post_len3(void) { return len_is(3); }
const char *post_len0(void) { return len_is(0); }
const char *post_len_untouched(void) { return len_is(LEN_SENTINEL); }

const char *post_info(void)
{
	if (infobuf.size != sizeof(infobuf) || infobuf.abi_version != CESIUM_ABI_VERSION)
		return says("info size %u abi %u", infobuf.size, infobuf.abi_version);
	return NULL;
}

/* info_len 8: the first 8 bytes written (size: the kernel's), no more. */
const char *post_info8(void)
{
	if (infobuf.size != sizeof(infobuf))
		return says("info.size %u, want %zu", infobuf.size, sizeof(infobuf));
	if (!all_a5((uint8_t *)&infobuf + 8, sizeof(infobuf) - 8))
		return "INFO wrote past info_len";
	return NULL;
}

const char *post_stats8(void)
{
	if (statsbuf.size != sizeof(statsbuf))
		return says("stats.size %u, want %zu", statsbuf.size, sizeof(statsbuf));
	if (!all_a5((uint8_t *)&statsbuf + 8, sizeof(statsbuf) - 8))
		return "STATS wrote past stats_len";
	return NULL;
}

const char *post_stats(void)
{
	return statsbuf.size == sizeof(statsbuf) ? NULL :
	       says("stats.size %u", statsbuf.size);
}

static const char *scan_is(uint32_t nr, uint64_t bytes, int more)
{
	if (scanres.nr_records != nr || scanres.bytes != bytes ||
	    !!(scanres.flags & CESIUM_SCAN_MORE) != more)
		return says("result: %u records, %" PRIu64 " bytes, flags %#x; want %u, %"
			    PRIu64 ", more %d", scanres.nr_records,
			    (uint64_t)scanres.bytes, scanres.flags, nr, bytes, more);
	return NULL;
}

const char *post_scan(void)
{
	const struct cesium_scan_rec *r = (const void *)scanbuf;

	if (scan_is(2, REC0_BYTES + 24, 1))	/* K1: 8 + 8 + 3, to 8 */
		return why;
	if (r->key_len != strlen(K0) || r->value_len != V0_LEN ||
	    memcmp(r + 1, K0, r->key_len))
		return "the first record is not K0's";
	return NULL;
}

const char *post_scan_need_rec0(void) { return scan_is(0, REC0_BYTES, 1); }
const char *post_scan_need_key0(void) { return scan_is(0, 16, 1); }
const char *post_scan_one(void) { return scan_is(1, REC0_BYTES, 1); }

static const char *count_is(uint64_t want)
{
	if (countout == want)
		return NULL;
	if (countout == LEN_SENTINEL)
		return says("the count was not written back (want %" PRIu64 ")", want);
	return says("count %" PRIu64 ", want %" PRIu64, countout, want);
}

const char *post_ns(void)
{
	if (count_is(NR_NS))
		return why;
	if (idsbuf[0] != 0 || idsbuf[1] != 1 || idsbuf[2] != NS_MAX)
		return says("ids %" PRIx64 " %" PRIx64 " %" PRIx64 ", want 0 1 max",
			    idsbuf[0], idsbuf[1], idsbuf[2]);
	return NULL;
}

const char *post_ns_first2(void)
{
	if (count_is(NR_NS))
		return why;
	if (idsbuf[0] != 0 || idsbuf[1] != 1 || !all_a5(&idsbuf[2], 8))
		return "not exactly the first 2 ids written";
	return NULL;
}

const char *post_count_ns(void) { return count_is(NR_NS); }
const char *post_count1(void) { return count_is(1); }

const char *post_list(void)
{
	if (count_is(1))
		return why;
	if (entries[0].index != dinfo.index ||
	    strncmp(entries[0].bdev_name, dinfo.bdev_name, sizeof(dinfo.bdev_name)) ||
	    !all_a5(&entries[1], sizeof(entries[1])))
		return "the entry is not the data device's";
	return NULL;
}

/* entry_size 128: the kernel's 64 bytes, then the caller's 64 untouched. */
const char *post_list128(void)
{
	if (count_is(1))
		return why;
	if (entries[0].index != dinfo.index || !all_a5(&entries[1], sizeof(entries[1])))
		return "entry_size 128: not the kernel's entry, then 64 bytes untouched";
	return NULL;
}

const char *post_check(void)
{
	if (checkres.damaged || !checkres.batches)
		return says("check: %" PRIu64 " damaged, %" PRIu64 " batches, next %"
			    PRIu64 " of %" PRIu64, (uint64_t)checkres.damaged,
			    (uint64_t)checkres.batches, (uint64_t)checkres.next_offset,
			    (uint64_t)checkres.end_offset);
	return NULL;
}

const char *post_sig(void)
{
	if (sigout != CESIUM_SIG_CESIUM)
		return says("signature %" PRIu64 ", want CESIUM_SIG_CESIUM (%d)",
			    sigout, CESIUM_SIG_CESIUM);
	return NULL;
}

int kv_exists(uint64_t ns, const char *key)
{
	struct cesium_kv_cmd k;
	int ret;

	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.ns = ns;
	k.key_ptr = ptr(key);
	k.key_len = strlen(key);
	ret = ioctl(fd_rw, CESIUM_IOC_EXISTS, &k);
	return ret < 0 ? -errno : ret;
}

int kv_delete(uint64_t ns, const char *key)
{
	struct cesium_kv_cmd k;
	int ret;

	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.ns = ns;
	k.key_ptr = ptr(key);
	k.key_len = strlen(key);
	ret = ioctl(fd_rw, CESIUM_IOC_DELETE, &k);
	return ret < 0 ? -errno : ret;
}

/*
 * After every BATCH: applied (@res 0), KB absent and KB2 present; refused,
 * neither (nothing half done, nothing done). Then KB2 goes, for the next.
 */
static const char *after_batch(int res)
{
	int kb = kv_exists(0, KB) + kv_exists(NS_MAX, KB);
	int kb2 = kv_exists(0, KB2) + kv_exists(NS_MAX, KB2);

	kv_delete(0, KB2);
	kv_delete(NS_MAX, KB2);
	kv_delete(0, KB);
	kv_delete(NS_MAX, KB);
	if (kb || kb2 != (res == 0))
		return says("after the batch (%d), %s %s and %s %s", res, KB,
			    kb ? "present" : "absent", KB2,
			    kb2 ? "present" : "absent");
	return NULL;
}

#define FLD(T, f)	{ offsetof(struct T, f), sizeof(((struct T *)0)->f) }
#define FLDI(T, f, i)	{ offsetof(struct T, f[i]), sizeof(((struct T *)0)->f[i]) }
/* The size of a struct, and the least size accepted: up to reserved. */
#define SIZES(T)	sizeof(struct T), offsetof(struct T, reserved)
#define KV_RSV		{ FLDI(cesium_kv_cmd, reserved, 0), \
			  FLDI(cesium_kv_cmd, reserved, 1) }
#define CTL_RSV		{ FLDI(cesium_ctl_cmd, reserved, 0), \
			  FLDI(cesium_ctl_cmd, reserved, 1), \
			  FLDI(cesium_ctl_cmd, reserved, 2), \
			  FLDI(cesium_ctl_cmd, reserved, 3) }

const struct cmd_desc cmds[NR_CMDS] = {
	[C_GET] = { "get", CESIUM_IOC_GET, D_DATA, SIZES(cesium_kv_cmd),
		CESIUM_GET_FLAGS_ALL, b_get, 0, KV_RSV, .post = post_get },
	[C_PUT] = { "put", CESIUM_IOC_PUT, D_DATA, SIZES(cesium_kv_cmd),
		CESIUM_PUT_FLAGS_ALL, b_put, 0, KV_RSV, .writes = 1 },
	[C_DELETE] = { "delete", CESIUM_IOC_DELETE, D_DATA, SIZES(cesium_kv_cmd),
		CESIUM_DELETE_FLAGS_ALL, b_delete, -ENOENT, KV_RSV, .writes = 1 },
	[C_EXISTS] = { "exists", CESIUM_IOC_EXISTS, D_DATA, SIZES(cesium_kv_cmd),
		CESIUM_EXISTS_FLAGS_ALL, b_exists, 1, KV_RSV },
	[C_INFO] = { "info", CESIUM_IOC_INFO, D_DATA, SIZES(cesium_info_cmd),
		0, b_info, 0,
		{ FLD(cesium_info_cmd, pad), FLDI(cesium_info_cmd, reserved, 0),
		  FLDI(cesium_info_cmd, reserved, 1) }, .post = post_info },
	[C_SCAN] = { "scan", CESIUM_IOC_SCAN, D_DATA, SIZES(cesium_scan_cmd),
		CESIUM_SCAN_FLAGS_ALL, b_scan, 2,
		{ FLD(cesium_scan_cmd, reserved) }, .post = post_scan },
	[C_BATCH] = { "batch", CESIUM_IOC_BATCH, D_DATA, SIZES(cesium_batch_cmd),
		CESIUM_DUR_MASK, b_batch, 0,
		{ FLDI(cesium_batch_cmd, reserved, 0),
		  FLDI(cesium_batch_cmd, reserved, 1) },
		.writes = 1, .after = after_batch },
	[C_SYNC] = { "sync", CESIUM_IOC_SYNC, D_DATA, SIZES(cesium_sync_cmd),
		0, b_sync, 0,
		{ FLDI(cesium_sync_cmd, reserved, 0), FLDI(cesium_sync_cmd, reserved, 1),
		  FLDI(cesium_sync_cmd, reserved, 2) } },
	[C_STATS] = { "stats", CESIUM_IOC_STATS, D_DATA, SIZES(cesium_stats_cmd),
		0, b_stats, 0,
		{ FLD(cesium_stats_cmd, pad), FLDI(cesium_stats_cmd, reserved, 0),
		  FLDI(cesium_stats_cmd, reserved, 1) }, .post = post_stats },
	[C_NS] = { "namespaces", CESIUM_IOC_NAMESPACES, D_DATA, SIZES(cesium_ns_cmd),
		0, b_ns, NR_NS,
		{ FLD(cesium_ns_cmd, pad), FLDI(cesium_ns_cmd, reserved, 0),
		  FLDI(cesium_ns_cmd, reserved, 1) }, .post = post_ns },
	[C_CHECK] = { "check", CESIUM_IOC_CHECK, D_DATA, SIZES(cesium_check_cmd),
		0, b_check, 0,
		{ FLD(cesium_check_cmd, pad), FLD(cesium_check_cmd, reserved) },
		.post = post_check },
	[C_FORMAT] = { "format", CESIUM_IOC_FORMAT, D_CTL, SIZES(cesium_ctl_cmd),
		CESIUM_FORMAT_FLAGS_ALL, b_format, -EEXIST, CTL_RSV, .post = post_sig },
	[C_ATTACH] = { "attach", CESIUM_IOC_ATTACH, D_CTL, SIZES(cesium_ctl_cmd),
		0, b_attach, -ENOTBLK, CTL_RSV },
	[C_DETACH] = { "detach", CESIUM_IOC_DETACH, D_CTL, SIZES(cesium_ctl_cmd),
		0, b_detach, -ENODEV, CTL_RSV },
	[C_LIST] = { "list", CESIUM_IOC_LIST, D_CTL, SIZES(cesium_list_cmd),
		0, b_list, 1,
		{ FLDI(cesium_list_cmd, reserved, 0), FLDI(cesium_list_cmd, reserved, 1) },
		.post = post_list },
};
