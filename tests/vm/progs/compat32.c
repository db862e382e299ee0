// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * compat32: the ABI from a 32-bit (i386) process, in the VM guest. Built
 * with gcc -m32 -static (tests/vm/progs/progs.mk), so the guest needs no
 * 32-bit loader or libc; the kernel runs it under IA32 emulation and its
 * ioctls reach the module through compat_ioctl (compat_ptr_ioctl).
 *
 *   compat32 /dev/cesiumN
 *
 * The structs have the same layout for i386 as for x86_64 (checked at
 * compile time against build/tests/abi64.h, which abi64.c prints on the
 * host), so the request numbers are the same too. Then, through ioctl: INFO, PUT, GET
 * (also -EOVERFLOW with the length written back), EXISTS, DELETE, BATCH,
 * SCAN (the records parsed), NAMESPACES, STATS, SYNC, CHECK and LIST on
 * the control device, each result checked; and refusals: NULL and
 * unmapped pointers, a pointer with bits above 32 set (no address of a
 * 32-bit process), the argument itself bad, a reserved field, a flag, an
 * unknown command. Leaves the device as it found it.
 *
 * Prints "CESIUM-RESULT PASS|FAIL compat32/<name>" lines; exits 1 on a
 * failure, 3 if it finds itself a 64-bit program.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/cesium.h>

#include "abi64.h"
#include "abi_layout.h"

/*
 * The layout is x86_64's: every struct's size and the offsets abi_layout.h
 * lists as abi64 (built for the host) printed them into abi64.h, and so
 * the request numbers, which encode the sizes.
 */
#define SAME_SIZE(T) \
	_Static_assert(sizeof(struct T) == ABI64_SIZEOF_##T, "sizeof " #T);
#define SAME_OFF(T, f) \
	_Static_assert(offsetof(struct T, f) == ABI64_OFF_##T##_##f, #T "." #f);
ABI_STRUCTS(SAME_SIZE)
ABI_FIELDS(SAME_OFF)
_Static_assert(CESIUM_IOC_GET == ABI64_IOC_GET, "CESIUM_IOC_GET");
_Static_assert(CESIUM_IOC_STATS == ABI64_IOC_STATS, "CESIUM_IOC_STATS");
_Static_assert(CESIUM_IOC_LIST == ABI64_IOC_LIST, "CESIUM_IOC_LIST");

#define NS	32ULL
#define HIGH	(1ULL << 32)	/* above every address of a 32-bit process */

static int fd, failures;

static void result(const char *name, int ok, const char *why, long a, long b)
{
	if (ok) {
		printf("CESIUM-RESULT PASS compat32/%s\n", name);
		return;
	}
	failures++;
	printf("CESIUM-RESULT FAIL compat32/%s: ", name);
	printf(why, a, b);
	printf("\n");
}

static void expect(const char *name, long got, long want)
{
	result(name, got == want, "got %ld, want %ld", got, want);
}

static int io(int f, unsigned long req, void *arg)
{
	int ret = ioctl(f, req, arg);

	return ret < 0 ? -errno : ret;
}

static uint64_t p64(const void *p)
{
	return (uintptr_t)p;
}

static void kv(struct cesium_kv_cmd *c, uint64_t ns, const char *key,
	       const void *val, uint32_t len, uint64_t *lenp)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->ns = ns;
	c->key_ptr = p64(key);
	c->key_len = strlen(key);
	c->value_ptr = p64(val);
	c->value_len = len;
	c->value_len_ptr = p64(lenp);
}

static int get(uint64_t ns, const char *key, char *buf, uint32_t cap,
	       uint64_t *len)
{
	struct cesium_kv_cmd c;

	kv(&c, ns, key, buf, cap, len);
	return io(fd, CESIUM_IOC_GET, &c);
}

static void check_kv(void)
{
	struct cesium_kv_cmd c;
	uint64_t len = 0;
	char buf[64];

	kv(&c, 0, "c32/alpha", "alpha-value", 11, NULL);
	expect("put", io(fd, CESIUM_IOC_PUT, &c), 0);
	memset(buf, 0, sizeof(buf));
	result("get", get(0, "c32/alpha", buf, sizeof(buf), &len) == 0 &&
	       len == 11 && !memcmp(buf, "alpha-value", 11),
	       "len %ld (want 11), first byte %ld", (long)len, buf[0]);
	len = 0;
	expect("get-eoverflow", get(0, "c32/alpha", buf, 4, &len), -EOVERFLOW);
	expect("get-eoverflow-length", (long)len, 11);
	kv(&c, 0, "c32/alpha", NULL, 0, NULL);
	expect("exists", io(fd, CESIUM_IOC_EXISTS, &c), 1);
	expect("delete", io(fd, CESIUM_IOC_DELETE, &c), 0);
	expect("exists-after-delete", io(fd, CESIUM_IOC_EXISTS, &c), 0);
	expect("get-enoent", get(0, "c32/alpha", buf, sizeof(buf), &len), -ENOENT);
}

/* Three puts in namespace NS, then SCAN reads them back in key order. */
static void check_batch_scan(void)
{
	static const char *keys[3] = { "c32/b1", "c32/b2", "c32/b3" };
	static const char *vals[3] = { "one", "two-2", "three-33" };
	struct cesium_batch_op ops[3];
	struct cesium_batch_cmd b;
	struct cesium_scan_cmd s;
	struct cesium_scan_result r;
	uint64_t buf[128];
	const uint8_t *p;
	int i, ret, ok;

	memset(ops, 0, sizeof(ops));
	for (i = 0; i < 3; i++) {
		ops[i].op = CESIUM_OP_PUT;
		ops[i].ns = NS;
		ops[i].key_ptr = p64(keys[i]);
		ops[i].key_len = strlen(keys[i]);
		ops[i].value_ptr = p64(vals[i]);
		ops[i].value_len = strlen(vals[i]);
	}
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.ops_ptr = p64(ops);
	b.nr_ops = 3;
	b.op_size = sizeof(ops[0]);
	ret = io(fd, CESIUM_IOC_BATCH, &b);
	result("batch", ret == 0 && !ops[0].result && !ops[1].result && !ops[2].result,
	       "ret %ld, op 0's result %ld", ret, ops[0].result);

	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.ns = NS;
	s.start_ptr = p64("c32/");
	s.start_len = 4;
	s.buf_ptr = p64(buf);
	s.buf_len = sizeof(buf);
	s.result_ptr = p64(&r);
	ret = io(fd, CESIUM_IOC_SCAN, &s);
	ok = ret == 3 && r.nr_records == 3 && !(r.flags & CESIUM_SCAN_MORE);
	for (i = 0, p = (const uint8_t *)buf; ok && i < 3; i++) {
		const struct cesium_scan_rec *rec = (const void *)p;

		ok = rec->key_len == strlen(keys[i]) && rec->value_len == strlen(vals[i]) &&
		     !memcmp(rec + 1, keys[i], rec->key_len) &&
		     !memcmp((const char *)(rec + 1) + rec->key_len, vals[i],
			     rec->value_len);
		p += (sizeof(*rec) + rec->key_len + rec->value_len + 7) & ~7u;
	}
	result("scan", ok && (uint64_t)(p - (const uint8_t *)buf) == r.bytes,
	       "ret %ld, %ld bytes", ret, (long)r.bytes);

	/* Reverse, keys only, from the end. */
	s.flags = CESIUM_SCAN_REVERSE | CESIUM_SCAN_KEYS_ONLY;
	s.limit = 1;
	ret = io(fd, CESIUM_IOC_SCAN, &s);
	p = (const uint8_t *)buf;
	result("scan-reverse", ret == 1 && ((const struct cesium_scan_rec *)p)->value_len == 0 &&
	       !memcmp(p + 8, "c32/b3", 6) && (r.flags & CESIUM_SCAN_MORE),
	       "ret %ld, flags %ld", ret, r.flags);

	/* Delete them again, in one batch. */
	for (i = 0; i < 3; i++) {
		ops[i].op = CESIUM_OP_DELETE;
		ops[i].value_ptr = 0;
		ops[i].value_len = 0;
		ops[i].result = 0;
	}
	expect("batch-delete", io(fd, CESIUM_IOC_BATCH, &b), 0);
}

static void check_info_stats(void)
{
	struct cesium_info_cmd ic;
	struct cesium_info info;
	struct cesium_stats_cmd sc;
	static struct cesium_stats st;
	struct cesium_ns_cmd nc;
	uint64_t ids[16], count = 0;
	struct cesium_sync_cmd y;
	struct cesium_check_cmd kc;
	struct cesium_check_result kr;
	int ret;

	memset(&ic, 0, sizeof(ic));
	ic.size = sizeof(ic);
	ic.info_ptr = p64(&info);
	ic.info_len = sizeof(info);
	ret = io(fd, CESIUM_IOC_INFO, &ic);
	result("info", ret == 0 && info.size == sizeof(info) &&
	       info.abi_version == CESIUM_ABI_VERSION &&
	       info.max_key_len == CESIUM_MAX_KEY_LEN &&
	       info.state == CESIUM_STATE_ONLINE && info.capacity_bytes > 0,
	       "ret %ld, size %ld", ret, info.size);

	memset(&sc, 0, sizeof(sc));
	sc.size = sizeof(sc);
	sc.stats_ptr = p64(&st);
	sc.stats_len = sizeof(st);
	ret = io(fd, CESIUM_IOC_STATS, &sc);
	result("stats", ret == 0 && st.size == sizeof(st) && st.puts >= 4 &&
	       st.batches >= 2 && st.latency[CESIUM_LAT_PUT][0] + 1 > 0,
	       "ret %ld, puts %ld", ret, (long)st.puts);

	memset(&nc, 0, sizeof(nc));
	nc.size = sizeof(nc);
	nc.ids_ptr = p64(ids);
	nc.nr_ids = 16;
	nc.count_ptr = p64(&count);
	ret = io(fd, CESIUM_IOC_NAMESPACES, &nc);
	result("namespaces", ret >= 0 && count == (uint64_t)ret,
	       "ret %ld, count %ld", ret, (long)count);

	memset(&y, 0, sizeof(y));
	y.size = sizeof(y);
	expect("sync", io(fd, CESIUM_IOC_SYNC, &y), 0);

	memset(&kc, 0, sizeof(kc));
	kc.size = sizeof(kc);
	kc.result_ptr = p64(&kr);
	ret = io(fd, CESIUM_IOC_CHECK, &kc);
	result("check", ret == 0 && kr.damaged == 0 && kr.batches > 0,
	       "ret %ld, %ld batches", ret, (long)kr.batches);
}

static void check_list(void)
{
	struct cesium_list_entry e[4];
	struct cesium_list_cmd l;
	uint64_t count = 0;
	int ctl, ret;

	ctl = open(CESIUM_CONTROL_PATH, O_RDWR);
	if (ctl < 0) {
		result("list", 0, "open " CESIUM_CONTROL_PATH ": errno %ld", errno, 0);
		return;
	}
	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.entries_ptr = p64(e);
	l.nr_entries = 4;
	l.entry_size = sizeof(e[0]);
	l.count_ptr = p64(&count);
	ret = io(ctl, CESIUM_IOC_LIST, &l);
	result("list", ret >= 1 && count == (uint64_t)ret &&
	       e[0].state == CESIUM_STATE_ONLINE && e[0].bdev_name[0],
	       "ret %ld, count %ld", ret, (long)count);
	l.nr_entries = 0;
	l.entries_ptr = 0;
	expect("list-eoverflow", io(ctl, CESIUM_IOC_LIST, &l), -EOVERFLOW);
	expect("list-count", (long)count, ret);
	close(ctl);
}

static void check_refusals(void)
{
	void *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct cesium_batch_op op;
	struct cesium_batch_cmd b;
	struct cesium_kv_cmd c;
	uint64_t len = 0;
	char buf[16];

	kv(&c, 0, "c32/k", NULL, 0, NULL);
	c.key_ptr = 0;
	expect("key-null-efault", io(fd, CESIUM_IOC_EXISTS, &c), -EFAULT);
	c.key_ptr = p64(none);
	expect("key-unmapped-efault", io(fd, CESIUM_IOC_EXISTS, &c), -EFAULT);
	/* A valid address with bit 32 set: not the same address truncated. */
	c.key_ptr = p64("c32/k") | HIGH;
	expect("key-high-bits-efault", io(fd, CESIUM_IOC_EXISTS, &c), -EFAULT);
	kv(&c, 0, "c32/k", "v", 1, NULL);
	expect("put-for-get", io(fd, CESIUM_IOC_PUT, &c), 0);
	kv(&c, 0, "c32/k", buf, sizeof(buf), &len);
	c.value_len_ptr = p64(&len) | HIGH;
	expect("length-high-bits-efault", io(fd, CESIUM_IOC_GET, &c), -EFAULT);
	kv(&c, 0, "c32/k", buf, sizeof(buf), &len);
	c.value_ptr = p64(buf) | HIGH;
	expect("value-high-bits-efault", io(fd, CESIUM_IOC_GET, &c), -EFAULT);
	expect("arg-null-efault", io(fd, CESIUM_IOC_GET, NULL), -EFAULT);
	expect("arg-unmapped-efault", io(fd, CESIUM_IOC_GET, none), -EFAULT);
	kv(&c, 0, "c32/k", NULL, 0, NULL);
	c.reserved[1] = 1;
	expect("reserved-einval", io(fd, CESIUM_IOC_EXISTS, &c), -EINVAL);
	kv(&c, 0, "c32/k", NULL, 0, NULL);
	c.flags = 1U << 31;
	expect("flags-einval", io(fd, CESIUM_IOC_DELETE, &c), -EINVAL);
	c.flags = 0;
	c.size = 48 - 1;
	expect("size-einval", io(fd, CESIUM_IOC_EXISTS, &c), -EINVAL);
	c.size = sizeof(c);
	expect("unknown-enotty",
	       io(fd, _IOWR(CESIUM_IOC_MAGIC, 0x3f, struct cesium_kv_cmd), &c),
	       -ENOTTY);

	/* BATCH: an operation's key above 4 GiB; nothing applied. */
	memset(&op, 0, sizeof(op));
	op.op = CESIUM_OP_DELETE;
	op.key_ptr = p64("c32/k") | HIGH;
	op.key_len = 5;
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.ops_ptr = p64(&op);
	b.nr_ops = 1;
	b.op_size = sizeof(op);
	expect("batch-high-bits-efault", io(fd, CESIUM_IOC_BATCH, &b), -EFAULT);
	expect("batch-high-bits-result", op.result, -EFAULT);
	kv(&c, 0, "c32/k", NULL, 0, NULL);
	expect("batch-high-bits-nothing-done", io(fd, CESIUM_IOC_EXISTS, &c), 1);
	expect("delete-k", io(fd, CESIUM_IOC_DELETE, &c), 0);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: compat32 /dev/cesiumN\n");
		return 2;
	}
	if (sizeof(void *) != 4) {
		fprintf(stderr, "compat32: built as a %zu-bit program\n",
			8 * sizeof(void *));
		return 3;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		printf("CESIUM-RESULT FAIL compat32/open: %s: %s\n", argv[1],
		       strerror(errno));
		return 1;
	}
	check_kv();
	check_batch_scan();
	check_info_stats();
	check_list();
	check_refusals();
	close(fd);
	return failures ? 1 : 0;
}
