// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * ifacetest: the cases written out, command by command: every user
 * pointer bad (NULL, unmapped, read-only for outputs, a kernel address, a
 * non-canonical one, one that runs into a hole), every length over its
 * limit, every output too small (and what is written back), the fields a
 * command does not use, namespace ids at the extremes, numbers that are no
 * command. ifacetest.c generates the rest (size, flags, reserved fields,
 * the wrong device or file, the ioctl's argument) for every command.
 */
#define _GNU_SOURCE	/* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>
#include <linux/fs.h>

#include "ifacetest.h"

#define CH(T, f, v)	{ T_CMD, offsetof(struct T, f), \
			  sizeof(((struct T *)0)->f), (v) }
#define KV(f, v)	CH(cesium_kv_cmd, f, v)
#define OP(i, f, v)	{ T_OP0 + (i), offsetof(struct cesium_batch_op, f), \
			  sizeof(((struct cesium_batch_op *)0)->f), (v) }

static char path_nul[] = "/dev/n\0ll";
static uint64_t ops56[NR_OPS][56 / 8];	/* a stride of 56 bytes */

static void prep_key255(uint8_t *c)
{
	((struct cesium_kv_cmd *)c)->key_ptr = ptr(key255);
}

static void prep_key_kmax(uint8_t *c)
{
	struct cesium_kv_cmd *k = (void *)c;

	k->key_ptr = ptr(KMAX);
	k->key_len = strlen(KMAX);
}

static void prep_key_k2(uint8_t *c)
{
	struct cesium_kv_cmd *k = (void *)c;

	k->key_ptr = ptr(K2);
	k->key_len = strlen(K2);
}

static void prep_key_absent(uint8_t *c)
{
	struct cesium_kv_cmd *k = (void *)c;

	k->key_ptr = ptr(KABSENT);
	k->key_len = strlen(KABSENT);
}

static void prep_scan_empty_range(uint8_t *c)
{
	struct cesium_scan_cmd *s = (void *)c;

	s->start_ptr = ptr("iface/zz");
	s->start_len = 8;
	s->buf_ptr = resolve(P_NONE);
}

static void prep_scan_no_bounds(uint8_t *c)
{
	struct cesium_scan_cmd *s = (void *)c;

	s->start_len = 0;
	s->start_ptr = resolve(P_NONE);
	s->end_len = 0;
	s->end_ptr = resolve(P_KERNEL);
}

/* The operations on a read-only page: the kernel cannot write results. */
static void prep_ops_ro(uint8_t *c)
{
	mprotect(page_ro, PAGE, PROT_READ | PROT_WRITE);
	memcpy(page_ro, ops, sizeof(ops));
	mprotect(page_ro, PAGE, PROT_READ);
	((struct cesium_batch_cmd *)c)->ops_ptr = ptr(page_ro);
}

static void prep_big_payload(uint8_t *c)
{
	(void)c;
	ops[0].value_ptr = ptr(big);
	ops[0].value_len = BIG_LEN;
	ops[1].value_ptr = ptr(big);
	ops[1].value_len = BIG_LEN;
}

static void prep_batch_ns_max(uint8_t *c)
{
	(void)c;
	ops[0].ns = ops[1].ns = ops[2].ns = ops[3].ns = NS_MAX;
}

static void prep_stride56(uint8_t *c)
{
	struct cesium_batch_cmd *b = (void *)c;
	int i;

	memset(ops56, 0, sizeof(ops56));
	for (i = 0; i < NR_OPS; i++)
		memcpy(ops56[i], &ops[i], sizeof(ops[i]));
	b->ops_ptr = ptr(ops56);
	b->op_size = 56;
}

static void prep_stride56_tail(uint8_t *c)
{
	prep_stride56(c);
	((uint8_t *)ops56[1])[55] = 1;
}

static const char *post_stride56_tail(void)
{
	int i;

	for (i = 0; i < NR_OPS; i++) {
		const struct cesium_batch_op *o = (const void *)ops56[i];
		int want = i == 1 ? -EINVAL : -ECANCELED;

		if (o->result != want)
			return says("op %d result %d, want %d", i, o->result, want);
	}
	return NULL;
}

static void prep_detach_open(uint8_t *c)
{
	((struct cesium_ctl_cmd *)c)->index = dinfo.index;
}

static void prep_attach_attached(uint8_t *c)
{
	struct cesium_ctl_cmd *k = (void *)c;

	k->path_ptr = ptr(attached_path);
	k->path_len = strlen(attached_path);
}

static void prep_path(uint8_t *c, const char *p, size_t len)
{
	struct cesium_ctl_cmd *k = (void *)c;

	k->path_ptr = ptr(p);
	k->path_len = len;
}

static void prep_path_nul(uint8_t *c) { prep_path(c, path_nul, 9); }
static void prep_path_missing(uint8_t *c)
{
	prep_path(c, "/dev/no-such-disk", 17);
}

/* FORMAT --force refused for its result pointer leaves the device alone. */
static uint8_t scratch_before[2][PAGE];

static int read_scratch(uint8_t out[2][PAGE])
{
	void *buf;
	int fd, ok;

	fd = open(scratch, O_RDONLY | O_DIRECT);
	if (fd < 0)
		return -1;
	if (posix_memalign(&buf, PAGE, 2 * PAGE)) {
		close(fd);
		return -1;
	}
	ok = pread(fd, buf, 2 * PAGE, 0) == 2 * PAGE;
	memcpy(out, buf, 2 * PAGE);
	free(buf);
	close(fd);
	return ok ? 0 : -1;
}

static void prep_format_force_ro(uint8_t *c)
{
	struct cesium_ctl_cmd *k = (void *)c;

	if (read_scratch(scratch_before))
		memset(scratch_before, 0, sizeof(scratch_before));
	k->flags = CESIUM_FORMAT_FORCE;
	k->result_ptr = ptr(page_ro);
}

static const char *post_scratch_unchanged(void)
{
	static uint8_t after[2][PAGE];

	if (read_scratch(after))
		return says("cannot read %s: %s", scratch, strerror(errno));
	if (memcmp(after, scratch_before, sizeof(after)))
		return "FORMAT --force returned -EFAULT but rewrote the superblocks";
	return NULL;
}

#define BAD_PTRS(C, G, F, T)						\
	{ C, G, #F "=NULL", { T(F, 0) }, -EFAULT },			\
	{ C, G, #F "=unmapped", { T(F, P_NONE) }, -EFAULT },		\
	{ C, G, #F "=kernel", { T(F, P_KERNEL) }, -EFAULT },		\
	{ C, G, #F "=non-canonical", { T(F, P_NONCANON) }, -EFAULT },	\
	{ C, G, #F "=into-a-hole", { T(F, P_STRADDLE) }, -EFAULT }
/* An output: also read-only memory; NULL may mean "none" (not here). */
#define BAD_OUT(C, G, F, T)						\
	{ C, G, #F "=unmapped", { T(F, P_NONE) }, -EFAULT },		\
	{ C, G, #F "=read-only", { T(F, P_RDONLY) }, -EFAULT },		\
	{ C, G, #F "=kernel", { T(F, P_KERNEL) }, -EFAULT },		\
	{ C, G, #F "=into-a-hole", { T(F, P_STRADDLE) }, -EFAULT }
#define KEY_LENS(C, T)							\
	{ C, "lengths", "key_len=0", { T(key_len, 0) }, -EINVAL },	\
	{ C, "lengths", "key_len=256", { T(key_len, 256) }, -E2BIG },	\
	{ C, "lengths", "key_len=2^32-1", { T(key_len, UINT32_MAX) }, -E2BIG }
#define OP1(f, v)	OP(1, f, v)
#define OP2(f, v)	OP(2, f, v)
#define SC(f, v)	CH(cesium_scan_cmd, f, v)
#define BA(f, v)	CH(cesium_batch_cmd, f, v)
#define IN(f, v)	CH(cesium_info_cmd, f, v)
#define ST(f, v)	CH(cesium_stats_cmd, f, v)
#define NS(f, v)	CH(cesium_ns_cmd, f, v)
#define CK(f, v)	CH(cesium_check_cmd, f, v)
#define CT(f, v)	CH(cesium_ctl_cmd, f, v)
#define LI(f, v)	CH(cesium_list_cmd, f, v)
#define VMAX		CESIUM_MAX_VALUE_LEN
/* An address as a table's constant. */
#define PTRC(p)		((uintptr_t)(p))

const struct tcase table[] = {
	/* GET */
	BAD_PTRS(C_GET, "pointers", key_ptr, KV),
	BAD_PTRS(C_GET, "pointers", value_ptr, KV),
	{ C_GET, "pointers", "value_ptr=read-only", { KV(value_ptr, P_RDONLY) }, -EFAULT },
	BAD_OUT(C_GET, "pointers", value_len_ptr, KV),
	{ C_GET, "accepted", "value_len_ptr=NULL (optional)", { KV(value_len_ptr, 0) },
	  0, .post = post_len_untouched },
	KEY_LENS(C_GET, KV),
	{ C_GET, "lengths", "key_len=255 (the limit)", { KV(key_len, 255) }, -ENOENT,
	  .prep = prep_key255 },
	{ C_GET, "lengths", "value_len=2^32-1 (a buffer larger than values)",
	  { KV(value_len, UINT32_MAX) }, 0, .post = post_get },
	{ C_GET, "output", "value_len=99", { KV(value_len, 99) }, -EOVERFLOW,
	  .post = post_len100 },
	{ C_GET, "output", "value_len=1", { KV(value_len, 1) }, -EOVERFLOW,
	  .post = post_len100 },
	{ C_GET, "output", "value_len=0, value_ptr=NULL",
	  { KV(value_len, 0), KV(value_ptr, 0) }, -EOVERFLOW, .post = post_len100 },
	{ C_GET, "output", "value_len=99, no value_len_ptr",
	  { KV(value_len, 99), KV(value_len_ptr, 0) }, -EOVERFLOW },
	{ C_GET, "output", "value_len=100 (exact)", { KV(value_len, 100) }, 0,
	  .post = post_get },
	{ C_GET, "output", "empty value, value_len=0, value_ptr=NULL",
	  { KV(value_len, 0), KV(value_ptr, 0) }, 0, .prep = prep_key_k2,
	  .post = post_len0 },
	{ C_GET, "output", "missing key: length untouched", { KV(ns, 0) }, -ENOENT,
	  .prep = prep_key_absent, .post = post_len_untouched },
	{ C_GET, "ns", "ns=1", { KV(ns, 1) }, 0, .post = post_len3 },
	{ C_GET, "ns", "ns=2", { KV(ns, 2) }, -ENOENT },
	{ C_GET, "ns", "ns=max, a key of ns 0", { KV(ns, NS_MAX) }, -ENOENT },
	{ C_GET, "ns", "ns=max", { KV(ns, NS_MAX) }, 0, .prep = prep_key_kmax,
	  .post = post_len3 },
	{ C_GET, "ns", "ns=max-1, a key of ns max", { KV(ns, NS_MAX - 1) }, -ENOENT,
	  .prep = prep_key_kmax },

	/* PUT */
	BAD_PTRS(C_PUT, "pointers", key_ptr, KV),
	BAD_PTRS(C_PUT, "pointers", value_ptr, KV),
	{ C_PUT, "fields", "value_len_ptr set", { KV(value_len_ptr, PTRC(&lenout)) },
	  -EINVAL },
	{ C_PUT, "flags", "NO_OVERWRITE|UPDATE_ONLY",
	  { KV(flags, CESIUM_PUT_NO_OVERWRITE | CESIUM_PUT_UPDATE_ONLY) }, -EINVAL },
	{ C_PUT, "flags", "NO_OVERWRITE, key exists",
	  { KV(flags, CESIUM_PUT_NO_OVERWRITE) }, -EEXIST },
	{ C_PUT, "flags", "UPDATE_ONLY, key absent",
	  { KV(flags, CESIUM_PUT_UPDATE_ONLY) }, -ENOENT, .prep = prep_key_absent },
	{ C_PUT, "flags", "every durability", { KV(flags, CESIUM_DUR_SYNC) }, 0 },
	{ C_PUT, "flags", "every durability", { KV(flags, CESIUM_DUR_PERIODIC) }, 0 },
	{ C_PUT, "flags", "every durability", { KV(flags, CESIUM_DUR_NONE) }, 0 },
	KEY_LENS(C_PUT, KV),
	{ C_PUT, "lengths", "value_len=1MiB+1", { KV(value_len, VMAX + 1) }, -E2BIG },
	{ C_PUT, "lengths", "value_len=2^32-1", { KV(value_len, UINT32_MAX) }, -E2BIG },
	{ C_PUT, "ns", "ns=max", { KV(ns, NS_MAX) }, 0 },

	/* DELETE */
	BAD_PTRS(C_DELETE, "pointers", key_ptr, KV),
	{ C_DELETE, "fields", "value_len=1", { KV(value_len, 1) }, -EINVAL },
	{ C_DELETE, "fields", "value_ptr set", { KV(value_ptr, PTRC(v0)) }, -EINVAL },
	{ C_DELETE, "fields", "value_len_ptr set", { KV(value_len_ptr, PTRC(&lenout)) },
	  -EINVAL },
	KEY_LENS(C_DELETE, KV),
	{ C_DELETE, "ns", "ns=max-1, a key of ns max", { KV(ns, NS_MAX - 1) }, -ENOENT,
	  .prep = prep_key_kmax },

	/* EXISTS */
	BAD_PTRS(C_EXISTS, "pointers", key_ptr, KV),
	{ C_EXISTS, "fields", "value_len=1", { KV(value_len, 1) }, -EINVAL },
	{ C_EXISTS, "fields", "value_ptr set", { KV(value_ptr, PTRC(v0)) }, -EINVAL },
	{ C_EXISTS, "fields", "value_len_ptr set", { KV(value_len_ptr, PTRC(&lenout)) },
	  -EINVAL },
	KEY_LENS(C_EXISTS, KV),
	{ C_EXISTS, "ns", "ns=1", { KV(ns, 1) }, 1 },
	{ C_EXISTS, "ns", "ns=2", { KV(ns, 2) }, 0 },
	{ C_EXISTS, "ns", "ns=max", { KV(ns, NS_MAX) }, 1, .prep = prep_key_kmax },
	{ C_EXISTS, "ns", "ns=max-1", { KV(ns, NS_MAX - 1) }, 0, .prep = prep_key_kmax },

	/* INFO */
	BAD_PTRS(C_INFO, "pointers", info_ptr, IN),
	{ C_INFO, "pointers", "info_ptr=read-only", { IN(info_ptr, P_RDONLY) }, -EFAULT },
	{ C_INFO, "lengths", "info_len=0", { IN(info_len, 0) }, -EINVAL },
	{ C_INFO, "lengths", "info_len=7", { IN(info_len, 7) }, -EINVAL },
	{ C_INFO, "output", "info_len=8: 8 bytes written", { IN(info_len, 8) }, 0,
	  .post = post_info8 },
	{ C_INFO, "output", "info_len=2^32-1", { IN(info_len, UINT32_MAX) }, 0,
	  .post = post_info },

	/* SCAN */
	{ C_SCAN, "fields", "result_ptr=NULL (required)", { SC(result_ptr, 0) }, -EINVAL },
	BAD_PTRS(C_SCAN, "pointers", start_ptr, SC),
	BAD_PTRS(C_SCAN, "pointers", end_ptr, SC),
	BAD_PTRS(C_SCAN, "pointers", buf_ptr, SC),
	{ C_SCAN, "pointers", "buf_ptr=read-only", { SC(buf_ptr, P_RDONLY) }, -EFAULT },
	BAD_OUT(C_SCAN, "pointers", result_ptr, SC),
	{ C_SCAN, "accepted", "start_len=end_len=0: their pointers unused", { SC(limit, 2) },
	  2, .prep = prep_scan_no_bounds },
	{ C_SCAN, "accepted", "empty range: buf_ptr unused", { SC(limit, 0) }, 0,
	  .prep = prep_scan_empty_range },
	{ C_SCAN, "lengths", "start_len=256", { SC(start_len, 256) }, -E2BIG },
	{ C_SCAN, "lengths", "start_len=2^32-1", { SC(start_len, UINT32_MAX) }, -E2BIG },
	{ C_SCAN, "lengths", "end_len=256", { SC(end_len, 256) }, -E2BIG },
	{ C_SCAN, "lengths", "end_len=2^32-1", { SC(end_len, UINT32_MAX) }, -E2BIG },
	{ C_SCAN, "lengths", "buf_len=2^32-1 (clamped)", { SC(buf_len, UINT32_MAX) }, 2,
	  .post = post_scan },
	{ C_SCAN, "output", "buf_len=8", { SC(buf_len, 8) }, -EOVERFLOW,
	  .post = post_scan_need_rec0 },
	{ C_SCAN, "output", "buf_len=0, buf_ptr=NULL", { SC(buf_len, 0), SC(buf_ptr, 0) },
	  -EOVERFLOW, .post = post_scan_need_rec0 },
	{ C_SCAN, "output", "KEYS_ONLY, buf_len=8",
	  { SC(buf_len, 8), SC(flags, CESIUM_SCAN_KEYS_ONLY) }, -EOVERFLOW,
	  .post = post_scan_need_key0 },
	{ C_SCAN, "output", "buf_len=120: one record", { SC(buf_len, REC0_BYTES) }, 1,
	  .post = post_scan_one },
	{ C_SCAN, "ns", "ns=1", { SC(ns, 1) }, 1 },
	{ C_SCAN, "ns", "ns=max", { SC(ns, NS_MAX) }, 2 },
	{ C_SCAN, "ns", "ns=max-1", { SC(ns, NS_MAX - 1) }, 0 },
	{ C_SCAN, "flags", "all of SCAN_FLAGS_ALL", { SC(flags, CESIUM_SCAN_FLAGS_ALL) }, 2 },

	/* BATCH: the command */
	{ C_BATCH, "lengths", "nr_ops=0", { BA(nr_ops, 0) }, -EINVAL },
	{ C_BATCH, "lengths", "nr_ops=1025", { BA(nr_ops, 1025) }, -E2BIG },
	{ C_BATCH, "lengths", "nr_ops=2^32-1", { BA(nr_ops, UINT32_MAX) }, -E2BIG },
	{ C_BATCH, "lengths", "op_size=0", { BA(op_size, 0) }, -EINVAL },
	{ C_BATCH, "lengths", "op_size=47", { BA(op_size, 47) }, -EINVAL },
	{ C_BATCH, "lengths", "op_size=4097", { BA(op_size, 4097) }, -EINVAL },
	{ C_BATCH, "lengths", "op_size=2^32-1", { BA(op_size, UINT32_MAX) }, -EINVAL },
	{ C_BATCH, "accepted", "op_size=56, zero tails", { BA(flags, 0) }, 0,
	  .prep = prep_stride56 },
	{ C_BATCH, "ops", "op_size=56, a non-zero tail in op 1", { BA(flags, 0) }, -EINVAL,
	  .prep = prep_stride56_tail, .post = post_stride56_tail },
	BAD_PTRS(C_BATCH, "pointers", ops_ptr, BA),
	{ C_BATCH, "pointers", "ops_ptr=read-only (results cannot be written)",
	  { BA(flags, 0) }, -EFAULT, .prep = prep_ops_ro },
	{ C_BATCH, "flags", "every durability", { BA(flags, CESIUM_DUR_SYNC) }, 0 },
	{ C_BATCH, "flags", "every durability", { BA(flags, CESIUM_DUR_NONE) }, 0 },
	/* BATCH: an operation (1: a PUT, 2: a DELETE) */
	{ C_BATCH, "ops", "op=0", { OP1(op, 0) }, -EINVAL, .bad_op = 2 },
	{ C_BATCH, "ops", "op=3", { OP1(op, 3) }, -EINVAL, .bad_op = 2 },
	{ C_BATCH, "ops", "op=2^32-1", { OP1(op, UINT32_MAX) }, -EINVAL, .bad_op = 2 },
	{ C_BATCH, "ops", "PUT flags NO_OVERWRITE|UPDATE_ONLY",
	  { OP1(flags, CESIUM_PUT_NO_OVERWRITE | CESIUM_PUT_UPDATE_ONLY) }, -EINVAL,
	  .bad_op = 2 },
	{ C_BATCH, "ops", "DELETE flags=NO_OVERWRITE",
	  { OP2(flags, CESIUM_PUT_NO_OVERWRITE) }, -EINVAL, .bad_op = 3 },
	{ C_BATCH, "ops", "DELETE value_len=1", { OP2(value_len, 1) }, -EINVAL,
	  .bad_op = 3 },
	{ C_BATCH, "ops", "DELETE value_ptr set", { OP2(value_ptr, PTRC(v0)) }, -EINVAL,
	  .bad_op = 3 },
	{ C_BATCH, "ops", "reserved=1", { OP1(reserved, 1) }, -EINVAL, .bad_op = 2 },
	{ C_BATCH, "ops", "reserved=2^31", { OP1(reserved, 1U << 31) }, -EINVAL,
	  .bad_op = 2 },
	{ C_BATCH, "ops", "result=1 on input", { OP1(result, 1) }, -EINVAL, .bad_op = 2 },
	{ C_BATCH, "ops", "result=-1 on input", { OP2(result, UINT32_MAX) }, -EINVAL,
	  .bad_op = 3 },
	{ C_BATCH, "ops", "key_len=0", { OP1(key_len, 0) }, -EINVAL, .bad_op = 2 },
	{ C_BATCH, "ops", "key_len=256", { OP1(key_len, 256) }, -E2BIG, .bad_op = 2 },
	{ C_BATCH, "ops", "key_len=2^32-1", { OP2(key_len, UINT32_MAX) }, -E2BIG,
	  .bad_op = 3 },
	{ C_BATCH, "ops", "value_len=1MiB+1", { OP1(value_len, VMAX + 1) }, -E2BIG,
	  .bad_op = 2 },
	{ C_BATCH, "ops", "value_len=2^32-1", { OP1(value_len, UINT32_MAX) }, -E2BIG,
	  .bad_op = 2 },
	{ C_BATCH, "ops", "2 x 600000 bytes of values", { BA(flags, 0) }, -E2BIG,
	  .bad_op = 2, .prep = prep_big_payload },
	{ C_BATCH, "ops", "key_ptr=NULL", { OP1(key_ptr, 0) }, -EFAULT, .bad_op = 2 },
	{ C_BATCH, "ops", "key_ptr=unmapped", { OP1(key_ptr, P_NONE) }, -EFAULT,
	  .bad_op = 2 },
	{ C_BATCH, "ops", "key_ptr=kernel", { OP2(key_ptr, P_KERNEL) }, -EFAULT,
	  .bad_op = 3 },
	{ C_BATCH, "ops", "key_ptr=into-a-hole", { OP1(key_ptr, P_STRADDLE) }, -EFAULT,
	  .bad_op = 2 },
	{ C_BATCH, "ops", "value_ptr=NULL", { OP1(value_ptr, 0) }, -EFAULT, .bad_op = 2 },
	{ C_BATCH, "ops", "value_ptr=unmapped", { OP1(value_ptr, P_NONE) }, -EFAULT,
	  .bad_op = 2 },
	{ C_BATCH, "ops", "value_ptr=kernel", { OP1(value_ptr, P_KERNEL) }, -EFAULT,
	  .bad_op = 2 },
	{ C_BATCH, "ops", "value_ptr=into-a-hole", { OP1(value_ptr, P_STRADDLE) }, -EFAULT,
	  .bad_op = 2 },
	{ C_BATCH, "ops", "UPDATE_ONLY on an absent key",
	  { OP(0, flags, CESIUM_PUT_UPDATE_ONLY) }, -ENOENT, .bad_op = 1 },
	{ C_BATCH, "ns", "ns=max in every operation", { BA(flags, 0) }, 0,
	  .prep = prep_batch_ns_max },

	/* STATS */
	BAD_PTRS(C_STATS, "pointers", stats_ptr, ST),
	{ C_STATS, "pointers", "stats_ptr=read-only", { ST(stats_ptr, P_RDONLY) }, -EFAULT },
	{ C_STATS, "lengths", "stats_len=0", { ST(stats_len, 0) }, -EINVAL },
	{ C_STATS, "lengths", "stats_len=7", { ST(stats_len, 7) }, -EINVAL },
	{ C_STATS, "output", "stats_len=8: 8 bytes written", { ST(stats_len, 8) }, 0,
	  .post = post_stats8 },

	/* NAMESPACES */
	BAD_PTRS(C_NS, "pointers", ids_ptr, NS),
	{ C_NS, "pointers", "ids_ptr=read-only", { NS(ids_ptr, P_RDONLY) }, -EFAULT },
	BAD_OUT(C_NS, "pointers", count_ptr, NS),
	{ C_NS, "accepted", "count_ptr=NULL (optional)", { NS(count_ptr, 0) }, NR_NS },
	{ C_NS, "lengths", "nr_ids=2^32-1 (more room than needed)",
	  { NS(nr_ids, UINT32_MAX) }, NR_NS, .post = post_ns },
	{ C_NS, "output", "nr_ids=2", { NS(nr_ids, 2) }, -EOVERFLOW,
	  .post = post_ns_first2 },
	{ C_NS, "output", "nr_ids=0, ids_ptr=NULL", { NS(nr_ids, 0), NS(ids_ptr, 0) },
	  -EOVERFLOW, .post = post_count_ns },
	{ C_NS, "output", "nr_ids=2, no count_ptr", { NS(nr_ids, 2), NS(count_ptr, 0) },
	  -EOVERFLOW },
	{ C_NS, "output", "nr_ids=3 (exact)", { NS(nr_ids, 3) }, NR_NS, .post = post_ns },

	/* CHECK */
	{ C_CHECK, "fields", "result_ptr=NULL (required)", { CK(result_ptr, 0) }, -EINVAL },
	BAD_OUT(C_CHECK, "pointers", result_ptr, CK),
	{ C_CHECK, "accepted", "damaged_ptr unmapped, nothing damaged",
	  { CK(damaged_ptr, P_NONE), CK(nr_damaged, 16) }, 0, .post = post_check },
	{ C_CHECK, "lengths", "offset=1 (not on a block)", { CK(offset, 1) }, -EINVAL },
	{ C_CHECK, "lengths", "offset=2^64-1", { CK(offset, UINT64_MAX) }, -EINVAL },
	{ C_CHECK, "lengths", "max_bytes=2^64-1", { CK(max_bytes, UINT64_MAX) }, 0,
	  .post = post_check },

	/* FORMAT */
	{ C_FORMAT, "fields", "index=1", { CT(index, 1) }, -EINVAL },
	BAD_PTRS(C_FORMAT, "pointers", path_ptr, CT),
	BAD_OUT(C_FORMAT, "pointers", result_ptr, CT),
	{ C_FORMAT, "pointers", "FORCE, result_ptr=read-only: device untouched",
	  { CT(flags, 0) }, -EFAULT, .prep = prep_format_force_ro,
	  .post = post_scratch_unchanged },
	{ C_FORMAT, "accepted", "result_ptr=NULL (optional)", { CT(result_ptr, 0) },
	  -EEXIST, .post = post_len_untouched },
	{ C_FORMAT, "lengths", "path_len=0", { CT(path_len, 0) }, -EINVAL },
	{ C_FORMAT, "lengths", "path_len=4096", { CT(path_len, CESIUM_PATH_MAX) },
	  -ENAMETOOLONG },
	{ C_FORMAT, "lengths", "path_len=2^32-1", { CT(path_len, UINT32_MAX) },
	  -ENAMETOOLONG },
	{ C_FORMAT, "lengths", "a NUL inside the path", { CT(flags, 0) }, -EINVAL,
	  .prep = prep_path_nul },
	{ C_FORMAT, "paths", "/dev/null", { CT(path_ptr, PTRC("/dev/null")),
	  CT(path_len, 9) }, -ENOTBLK },
	{ C_FORMAT, "paths", "no such path", { CT(flags, 0) }, -ENOENT,
	  .prep = prep_path_missing },
	{ C_FORMAT, "paths", "the attached device", { CT(flags, 0) }, -EBUSY,
	  .prep = prep_attach_attached },

	/* ATTACH */
	{ C_ATTACH, "fields", "index=1", { CT(index, 1) }, -EINVAL },
	{ C_ATTACH, "fields", "result_ptr set", { CT(result_ptr, PTRC(&sigout)) }, -EINVAL },
	BAD_PTRS(C_ATTACH, "pointers", path_ptr, CT),
	{ C_ATTACH, "lengths", "path_len=0", { CT(path_len, 0) }, -EINVAL },
	{ C_ATTACH, "lengths", "path_len=4096", { CT(path_len, CESIUM_PATH_MAX) },
	  -ENAMETOOLONG },
	{ C_ATTACH, "lengths", "path_len=2^32-1", { CT(path_len, UINT32_MAX) },
	  -ENAMETOOLONG },
	{ C_ATTACH, "lengths", "a NUL inside the path", { CT(flags, 0) }, -EINVAL,
	  .prep = prep_path_nul },
	{ C_ATTACH, "paths", "no such path", { CT(flags, 0) }, -ENOENT,
	  .prep = prep_path_missing },
	{ C_ATTACH, "paths", "the attached device", { CT(flags, 0) }, -EBUSY,
	  .prep = prep_attach_attached },

	/* DETACH */
	{ C_DETACH, "fields", "path_ptr set", { CT(path_ptr, PTRC("/dev/null")) }, -EINVAL },
	{ C_DETACH, "fields", "path_len=1", { CT(path_len, 1) }, -EINVAL },
	{ C_DETACH, "fields", "result_ptr set", { CT(result_ptr, PTRC(&sigout)) }, -EINVAL },
	{ C_DETACH, "lengths", "index=256", { CT(index, 256) }, -ENODEV },
	{ C_DETACH, "lengths", "index=2^32-1", { CT(index, UINT32_MAX) }, -ENODEV },
	{ C_DETACH, "paths", "the device, open here", { CT(flags, 0) }, -EBUSY,
	  .prep = prep_detach_open },

	/* LIST */
	{ C_LIST, "lengths", "nr_entries=257", { LI(nr_entries, 257) }, -EINVAL },
	{ C_LIST, "lengths", "nr_entries=2^32-1", { LI(nr_entries, UINT32_MAX) }, -EINVAL },
	{ C_LIST, "lengths", "entry_size=0", { LI(entry_size, 0) }, -EINVAL },
	{ C_LIST, "lengths", "entry_size=63", { LI(entry_size, 63) }, -EINVAL },
	{ C_LIST, "lengths", "entry_size=4097", { LI(entry_size, 4097) }, -EINVAL },
	{ C_LIST, "accepted", "entry_size=128 (a longer entry)",
	  { LI(entry_size, 128), LI(nr_entries, 2) }, 1, .post = post_list128 },
	BAD_PTRS(C_LIST, "pointers", entries_ptr, LI),
	{ C_LIST, "pointers", "entries_ptr=read-only", { LI(entries_ptr, P_RDONLY) },
	  -EFAULT },
	BAD_OUT(C_LIST, "pointers", count_ptr, LI),
	{ C_LIST, "accepted", "count_ptr=NULL (optional)", { LI(count_ptr, 0) }, 1 },
	{ C_LIST, "output", "nr_entries=0, entries_ptr=NULL",
	  { LI(nr_entries, 0), LI(entries_ptr, 0) }, -EOVERFLOW, .post = post_count1 },
	{ C_LIST, "output", "nr_entries=0, no count_ptr",
	  { LI(nr_entries, 0), LI(count_ptr, 0) }, -EOVERFLOW },

	/* Numbers that are no command: -ENOTTY, on both devices. */
#define NOCMD(C, R, W)	{ C, "numbers", W, { KV(flags, 0) }, -ENOTTY, .req = (R), \
			  .has_req = 1 }
	NOCMD(C_GET, _IOWR(CESIUM_IOC_MAGIC, 0x00, struct cesium_kv_cmd), "nr 0x00"),
	NOCMD(C_GET, _IOWR(CESIUM_IOC_MAGIC, 0x3f, struct cesium_kv_cmd), "nr 0x3f"),
	NOCMD(C_GET, _IOWR(CESIUM_IOC_MAGIC, 0x4b, struct cesium_kv_cmd), "nr 0x4b"),
	NOCMD(C_GET, _IOWR(CESIUM_IOC_MAGIC, 0x5f, struct cesium_kv_cmd), "nr 0x5f"),
	NOCMD(C_GET, _IOWR(CESIUM_IOC_MAGIC, 0x64, struct cesium_kv_cmd), "nr 0x64"),
	NOCMD(C_GET, _IOWR(CESIUM_IOC_MAGIC, 0xff, struct cesium_kv_cmd), "nr 0xff"),
	NOCMD(C_GET, 0, "request 0"),
	NOCMD(C_GET, TCGETS, "TCGETS"),
	NOCMD(C_GET, BLKGETSIZE64, "BLKGETSIZE64"),
	NOCMD(C_LIST, _IOWR(CESIUM_IOC_MAGIC, 0x00, struct cesium_list_cmd), "nr 0x00"),
	NOCMD(C_LIST, _IOWR(CESIUM_IOC_MAGIC, 0x5f, struct cesium_list_cmd), "nr 0x5f"),
	NOCMD(C_LIST, _IOWR(CESIUM_IOC_MAGIC, 0x64, struct cesium_list_cmd), "nr 0x64"),
	NOCMD(C_LIST, _IOWR(CESIUM_IOC_MAGIC, 0xff, struct cesium_list_cmd), "nr 0xff"),
	NOCMD(C_LIST, TCGETS, "TCGETS"),
};

const size_t table_len = sizeof(table) / sizeof(table[0]);
